"""Claim check: is a pasted sentence in the articles or sources, verbatim, nearly, or not at all?

Mechanical, from string and embedding matches; nothing is generated.

* ``exact``  the sentence equals a run of whole sentences of a document once both are normalised: case
  folded, whitespace collapsed, quote characters unified, citation markers of the document ignored, and
  a final full stop optional.  Every place it occurs is returned.  A sentence that differs by one
  character of anything else (a digit above all) is not exact.
* ``near``   the best candidate sentence (nearest by embedding, or by rapidfuzz's token-set ratio over the
  normalised sentences) shares enough of its words in order (difflib over word tokens): the pasted
  sentence's words found in order, ``coverage``, and the two sentences' ``ratio``.  Thresholds below
  were calibrated on ``eval/verify_cases.jsonl`` (light edits, changed numbers, dropped clauses,
  paraphrases, unrelated); the held-out cases never set them.  A near match carries a word diff, and
  says when a number differs.
* ``not_found`` otherwise, with the closest sentences by meaning as ``related`` for a person to judge.
"""
from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from ingest.chunk import sentences as split_sentences
from ingest.records import PROSE_KINDS, Article
from service.compose import Catalog
from service.schemas import VERDICTS, DiffOp, MatchOut, SpanOut, VerdictOut, VerifyResponse

# Calibrated on eval/verify_cases.jsonl (see docs/staff.md for the sweep).
NEAR_RATIO = 0.72  # word-sequence ratio of the two sentences
NEAR_COVERAGE = 0.85  # ... or this share of the pasted sentence's words, in order, inside one source sentence
MIN_COVERAGE_WORDS = 8  # the coverage rule needs a sentence at least this long (a dropped clause)
CANDIDATES = 12  # candidates from each of the embedding and the string search
MAX_NEAR = 3
MAX_RELATED = 2
RELATED_MIN_COSINE = 0.55
_QUOTES = str.maketrans({c: "'" for c in "‘’‚‛′`´"} | {c: '"' for c in "“”„‟″«»"})
_WORD = re.compile(r"\S+")
_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million "
    "billion half twice once first second third fourth fifth"
).split()
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b", re.I)


def normalise(text: str) -> str:
    """Case folded, quotes unified, whitespace collapsed (the comparison form of a sentence)."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold().split())


def numbers(text: str) -> list[str]:
    return sorted(m.group().lower().replace(",", "") for m in _NUMBER.finditer(text))


def _bare(text: str) -> str:
    return normalise(text).rstrip(" .!?;:")


@dataclass
class _Doc:
    """An article's text in comparison form, with a map back to the original offsets."""

    article: Article
    norm: str
    orig: list[int]  # orig[i]: offset in article.text of norm[i]
    starts: set[int]  # comparison-form offsets where a sentence starts
    ends: set[int]  # ... and just past where one ends (before its final punctuation too)


def _doc(article: Article, spans: list[tuple[int, int]]) -> _Doc:
    text = article.text
    skip = [False] * len(text)
    for m in article.markers:
        for i in range(m.char_start, m.char_end):
            skip[i] = True
    out: list[str] = []
    orig: list[int] = []
    for i, ch in enumerate(text):
        if skip[i]:
            continue
        c = unicodedata.normalize("NFKC", ch).translate(_QUOTES).casefold()
        if ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                orig.append(i)
            continue
        for piece in c:
            out.append(piece)
            orig.append(i)
    norm = "".join(out)
    starts, ends = set(), set()
    # A capitalised sentence after a colon ("Safety and Side Effects: Ketamine can cause ...") starts one too.
    for m in re.finditer(r"[:;] (?=\S)", norm):
        j = m.end()
        if text[orig[j]].isupper():
            starts.add(j)
    for s, e in spans:
        a = bisect.bisect_left(orig, s)
        b = bisect.bisect_left(orig, e)
        while b > a and norm[b - 1] in " ":
            b -= 1
        starts.add(a)
        ends.add(b)
        while b > a and norm[b - 1] in ".!?;: ":
            b -= 1
            ends.add(b)
    return _Doc(article=article, norm=norm, orig=orig, starts=starts, ends=ends)


def _tokens(text: str) -> list[str]:
    return [normalise(w).strip(".,;:!?()[]\"'") for w in _WORD.findall(text)]


def compare(sentence: str, source: str) -> tuple[float, float, list[DiffOp]]:
    """(ratio, coverage, diff) of two sentences over word tokens; the diff keeps each side's own spelling."""
    a_words, b_words = _WORD.findall(sentence), _WORD.findall(source)
    a, b = _tokens(sentence), _tokens(source)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    matched = sum(blk.size for blk in sm.get_matching_blocks())
    ratio = 2 * matched / max(1, len(a) + len(b))
    coverage = matched / max(1, len(a))
    diff: list[DiffOp] = []

    def add(op: str, words: list[str]) -> None:
        if not words:
            return
        text = " ".join(words)
        if diff and diff[-1].op == op:
            diff[-1] = DiffOp(op=op, text=diff[-1].text + " " + text)
        else:
            diff.append(DiffOp(op=op, text=text))

    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            add("equal", a_words[i1:i2])
        else:
            add("delete", b_words[j1:j2])
            add("insert", a_words[i1:i2])
    return ratio, coverage, diff


def is_near(ratio: float, coverage: float, n_words: int, near_ratio: float = NEAR_RATIO, near_coverage: float = NEAR_COVERAGE) -> bool:
    return ratio >= near_ratio or (coverage >= near_coverage and n_words >= MIN_COVERAGE_WORDS)


class Verifier:
    """Built once per loaded index: every prose sentence of every article and source, in comparison form."""

    def __init__(self, catalog: Catalog, passages, sentence_vectors: np.ndarray, offsets: list[int], embedder):
        self.catalog = catalog
        self.thresholds = (NEAR_RATIO, NEAR_COVERAGE)
        self.embedder = embedder
        spans: dict[str, list[tuple[int, int]]] = {}
        self.rows: list[int] = []  # rows of the sentence matrix, one per entry below
        self.entries: list[tuple[str, str, int, int]] = []  # (article id, passage id, start, end)
        for i, p in enumerate(passages):
            if p.kind not in PROSE_KINDS:
                continue
            for j, (s, e) in enumerate(p.sentences):
                spans.setdefault(p.article_id, []).append((s, e))
                self.entries.append((p.article_id, p.id, s, e))
                self.rows.append(offsets[i] + j)
        self.vectors = sentence_vectors[self.rows] if self.rows else np.zeros((0, sentence_vectors.shape[1]), dtype=np.float32)
        self.docs = {aid: _doc(catalog.articles[aid], sp) for aid, sp in spans.items()}
        self.norm = [_bare(catalog.articles[a].text[s:e]) for a, _, s, e in self.entries]

    # ------------------------------------------------------------------ public

    def verify(self, text: str, thresholds: tuple[float, float] | None = None) -> VerifyResponse:
        """``thresholds``: (near ratio, near coverage) instead of the calibrated ones (the calibration sweep)."""
        t = thresholds or self.thresholds
        spans = split_sentences(text)
        pieces = [text[s:e] for s, e in spans]
        vectors = self.embedder.encode(pieces) if pieces else np.zeros((0, self.vectors.shape[1]), dtype=np.float32)
        out = [self.verdict(p, SpanOut(start=s, end=e), v, t) for p, (s, e), v in zip(pieces, spans, vectors)]
        counts = {k: sum(v.verdict == k for v in out) for k in VERDICTS}
        return VerifyResponse(sentences=out, counts=counts)

    def verdict(self, sentence: str, span: SpanOut, vector: np.ndarray, thresholds: tuple[float, float]) -> VerdictOut:
        exact = self.exact(sentence)
        if exact:
            return VerdictOut(sentence=sentence, span=span, verdict="exact", matches=exact)
        near, related = self.near(sentence, vector, thresholds)
        if near:
            return VerdictOut(sentence=sentence, span=span, verdict="near", matches=near)
        return VerdictOut(sentence=sentence, span=span, verdict="not_found", matches=[], related=related)

    # ------------------------------------------------------------------ steps

    def exact(self, sentence: str) -> list[MatchOut]:
        needle = _bare(sentence)
        if len(needle) < 2:
            return []
        found = []
        for doc in self.docs.values():
            start = doc.norm.find(needle)
            while start != -1:
                end = start + len(needle)
                if start in doc.starts and end in doc.ends:
                    s = doc.orig[start]
                    while end < len(doc.norm) and doc.norm[end] in ".!?" and doc.article.text[doc.orig[end]] in ".!?":
                        end += 1  # the match's span keeps the source's own final stop
                    e = doc.orig[end - 1] + 1
                    found.append(self._match(doc.article, s, e, 1.0, [], False))
                start = doc.norm.find(needle, start + 1)
        return found

    def candidates(self, sentence: str, vector: np.ndarray) -> tuple[list[int], np.ndarray]:
        cos = self.vectors @ np.asarray(vector, dtype=np.float32) if len(self.rows) else np.zeros(0, dtype=np.float32)
        by_meaning = list(np.argsort(-cos)[:CANDIDATES])
        by_string = [k for _, _, k in process.extract(_bare(sentence), self.norm, scorer=fuzz.token_set_ratio, limit=CANDIDATES)]
        return list(dict.fromkeys([*by_string, *by_meaning])), cos

    def near(self, sentence: str, vector: np.ndarray, thresholds: tuple[float, float]) -> tuple[list[MatchOut], list[MatchOut]]:
        ks, cos = self.candidates(sentence, vector)
        n_words = len(_WORD.findall(sentence))
        scored = []
        for k in ks:
            aid, _, s, e = self.entries[k]
            source = self.catalog.articles[aid].text[s:e]
            ratio, coverage, diff = compare(sentence, self._unmarked(aid, s, e))
            scored.append((max(ratio, coverage if n_words >= MIN_COVERAGE_WORDS else 0.0), ratio, coverage, k, diff, source))
        scored.sort(key=lambda x: (-x[0], x[3]))
        near = []
        for best, ratio, coverage, k, diff, source in scored:
            if len(near) == MAX_NEAR or not is_near(ratio, coverage, n_words, *thresholds):
                continue
            aid, _, s, e = self.entries[k]
            changed = numbers(sentence) != numbers(self._unmarked(aid, s, e))
            near.append(self._match(self.catalog.articles[aid], s, e, round(best, 4), diff, changed))
        related = []
        if not near:
            for k in [k for k in np.argsort(-cos)[:MAX_RELATED] if cos[k] >= RELATED_MIN_COSINE]:
                aid, _, s, e = self.entries[k]
                ratio, _, _ = compare(sentence, self._unmarked(aid, s, e))
                m = self._match(self.catalog.articles[aid], s, e, round(ratio, 4), [], False)
                related.append(m.model_copy(update={"meaning": round(float(cos[k]), 4)}))
        return near, related

    # ------------------------------------------------------------------ output

    def _unmarked(self, article_id: str, s: int, e: int) -> str:
        """The sentence without its citation markers (what a writer quoting it would paste)."""
        a = self.catalog.articles[article_id]
        cut = sorted((m.char_start, m.char_end) for m in a.markers if s <= m.char_start < e)
        if not cut:
            return a.text[s:e]
        parts, pos = [], s
        for ms, me in cut:
            parts.append(a.text[pos:ms])
            pos = max(pos, me)
        parts.append(a.text[pos:e])
        return re.sub(r"\s+([.,;:!?])", r"\1", "".join(parts))

    def _match(self, article: Article, s: int, e: int, similarity: float, diff: list[DiffOp], changed: bool) -> MatchOut:
        cat = self.catalog
        passage = next((p for p in cat.passages_of(article.id) if p.char_start <= s < p.char_end), None)
        ref_ids = list(dict.fromkeys(r for m in article.markers if s <= m.char_start <= e + 1 for r in m.ref_ids))
        return MatchOut(
            article=cat.article_out(article.id),
            passage_id=passage.id if passage else None,
            quote=article.text[s:e],
            span=SpanOut(start=s, end=e),
            section=passage.section if passage else None,
            page=article.page_at(s),
            similarity=similarity,
            diff=diff,
            numbers_changed=changed,
            citations=[cat.citation(r, sentence=(article.id, s)) for r in ref_ids if r in cat.references],
        )
