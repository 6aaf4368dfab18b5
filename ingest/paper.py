"""A scientific paper (from PDF or JATS) as an `Article`: blocks in reading order, joined into one text.

Both readers produce the same thing, a list of `Block`s: headings, paragraphs,
captions and reference entries, each with its page.  This module joins them
(blank lines between blocks, so every offset is known exactly), opens a
section at every heading, parses the entries, and finds and resolves the
citation markers:

- numbers: superscripts seen by position (PDF), ``[12]`` brackets, ranges and
  lists; each number names the entry with that number;
- author-year: ``(Smith et al., 2020; Lee 2019a)`` and ``Smith and Lee (2020)``,
  resolved by first author and year;
- JATS ``<xref ref-type="bibr">``: resolved exactly, by the id it points to.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.markers import BRACKET_GROUP, BRACKET_ONE, _expand, entry_key, find_author_year, resolve_cites
from ingest.records import PASSAGE_CAPTION, PASSAGE_TEXT, Article, ArticleMeta, Marker, Paragraph, Reference, Section, Span
from ingest.references import make_reference

BLOCK_TEXT = "text"
BLOCK_HEADING = "heading"
BLOCK_CAPTION = "caption"
BLOCK_REFERENCE = "reference"
BLOCK_TITLE = "title"

ENTRY_NUMBER = re.compile(r"^\s*(?:\[(?P<b>\d{1,3})\]|(?P<n>\d{1,3})\.?)\s*(?=\S)")
SUP_NUMBERS = re.compile(r"^\d{1,3}(?:\s?[,–\-]\s?\d{1,3})*$")


@dataclass
class Block:
    kind: str
    text: str
    page: int | None
    sup: list[tuple[int, int]] = field(default_factory=list)  # superscript spans in ``text`` (PDF)
    cites: list[tuple[int, int, list[str]]] = field(default_factory=list)  # exact citations: span, entry keys (JATS)
    key: str | None = None  # a reference entry's own key (JATS ``ref/@id``)
    number: int | None = None  # a reference entry's number, when the reader knows it


@dataclass
class PaperMeta:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    journal: str | None = None
    doi: str | None = None


def assemble(
    meta: ArticleMeta,
    sha256: str,
    blocks: list[Block],
    paper: PaperMeta,
    *,
    removed: list[tuple[str, str]] | None = None,
    unreadable: list[tuple[int, str]] | None = None,
    cleaning: dict[str, int] | None = None,
    source_format: str,
) -> Article:
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    title = meta.title or paper.title
    if title:
        blocks = [Block(BLOCK_TITLE, title, 1 if source_format == "pdf" else None)] + blocks
    for b in blocks:
        if parts:
            pos += 2
        spans.append((pos, pos + len(b.text)))
        parts.append(b.text)
        pos += len(b.text)
    text = "\n\n".join(parts)

    sections: list[Section] = []
    paragraphs: list[Paragraph] = []
    heads: list[tuple[str | None, int | None, int | None, int]] = [(None, None, None, 0)]
    ref_blocks: list[tuple[Block, int, int]] = []
    for b, (s, e) in zip(blocks, spans):
        if b.kind == BLOCK_TITLE:
            continue
        if b.kind == BLOCK_HEADING:
            heads.append((b.text, s, e, min(e + 2, len(text))))
        elif b.kind == BLOCK_REFERENCE:
            ref_blocks.append((b, s, e))
        else:
            paragraphs.append(
                Paragraph(s, e, len(heads) - 1, b.page, PASSAGE_CAPTION if b.kind == BLOCK_CAPTION else PASSAGE_TEXT)
            )
    for i, (heading, hs, he, body) in enumerate(heads):
        end = heads[i + 1][1] if i + 1 < len(heads) else len(text)
        sections.append(Section(heading, hs, he, body, end))

    references, by_key = _references(meta.id, text, ref_blocks)
    references_span = Span(ref_blocks[0][1], ref_blocks[-1][2]) if ref_blocks else None
    markers = _markers(text, blocks, spans, references, by_key)

    pages: list[Span] = []
    if source_format == "pdf":
        n_pages = max((b.page or 0 for b in blocks), default=0)
        for page in range(1, n_pages + 1):
            on = [sp for b, sp in zip(blocks, spans) if b.page == page]
            if on:
                pages.append(Span(on[0][0], on[-1][1] + (2 if on[-1][1] < len(text) else 0)))
            else:
                at = pages[-1].end if pages else 0
                pages.append(Span(at, at))
    return Article(
        meta=ArticleMeta(
            id=meta.id,
            file=meta.file,
            title=title,
            author=meta.author or (", ".join(paper.authors) if paper.authors else None),
            publisher=meta.publisher,
            date=meta.date or (str(paper.year) if paper.year else None),
            url=meta.url or (f"https://doi.org/{paper.doi}" if paper.doi else None),
            doi=meta.doi or paper.doi,
            journal=meta.journal or paper.journal,
        ),
        text=text,
        sha256=sha256,
        sections=sections,
        paragraphs=paragraphs,
        references=references,
        markers=markers,
        pages=pages,
        references_span=references_span,
        removed=list(removed or []),
        unreadable_pages=list(unreadable or []),
        source_format=source_format,
        cleaning=dict(cleaning or {}),
    )


def _references(article_id: str, text: str, ref_blocks: list[tuple[Block, int, int]]) -> tuple[list[Reference], dict[str, str]]:
    refs: list[Reference] = []
    by_key: dict[str, str] = {}
    used: set[str] = set()
    numbers = [ENTRY_NUMBER.match(text[s:e]) for _b, s, e in ref_blocks]
    numbered = sum(bool(m) for m in numbers) >= 0.5 * max(1, len(ref_blocks))
    for (b, s, e), m in zip(ref_blocks, numbers):
        number = b.number
        start = s
        if numbered and m and (m["b"] or m["n"]):
            if number is None:
                number = int(m["b"] or m["n"])
            start = s + m.end()
        ref = make_reference(article_id, text, start, e, number, used)
        refs.append(ref)
        if b.key:
            by_key[b.key] = ref.ref_id
    return refs, by_key


def _markers(text: str, blocks: list[Block], spans: list[tuple[int, int]], refs: list[Reference], by_key: dict[str, str]) -> list[Marker]:
    by_number = {r.number: r.ref_id for r in refs if r.number is not None}
    numbered = len(by_number) >= max(1, len(refs) // 2)
    keyed = [(r.ref_id, *k, r.text) for r in refs if (k := entry_key(r.text))]
    out: list[Marker] = []
    for b, (s, e) in zip(blocks, spans):
        if b.kind not in (BLOCK_TEXT, BLOCK_CAPTION):
            continue
        taken: list[tuple[int, int]] = []
        if b.cites:  # exact (JATS)
            for cs, ce, keys in b.cites:
                ids = [by_key[k] for k in keys if k in by_key]
                nums = [r.number for r in refs if r.ref_id in ids and r.number is not None] if numbered else []
                out.append(Marker(s + cs, s + ce, text[s + cs : s + ce], nums, ids, [] if numbered else list(keys)))
                taken.append((cs, ce))
            continue
        if numbered:
            for ss, se in b.sup:
                lit = b.text[ss:se]
                core = lit.strip().strip(",;")
                if not SUP_NUMBERS.match(core):
                    continue
                off = lit.index(core)
                nums = _expand(core)
                if nums and all(n in by_number for n in nums):
                    out.append(Marker(s + ss + off, s + ss + off + len(core), core, nums, [by_number[n] for n in nums]))
                    taken.append((ss + off, ss + off + len(core)))
            for m in BRACKET_GROUP.finditer(b.text):
                if any(ts < m.end() and m.start() < te for ts, te in taken):
                    continue
                nums = [n for spec in BRACKET_ONE.findall(m.group()) for n in _expand(spec)]
                out.append(Marker(s + m.start(), s + m.end(), m.group(), nums, [by_number[n] for n in nums if n in by_number]))
        elif keyed:
            for f in find_author_year(b.text, 0, len(b.text)):
                ids = resolve_cites(f.cites, keyed)
                out.append(Marker(s + f.start, s + f.end, b.text[f.start : f.end], [], ids, [c.key for c in f.cites]))
    out.sort(key=lambda m: m.char_start)
    return out
