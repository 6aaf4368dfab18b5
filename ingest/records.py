"""Records that cross module boundaries: defined once, here.

`ingest/` produces them, `index/` stores them, `service/` serves them.  All
offsets are character offsets into an article's *cleaned* text, so that
``article.text[p.char_start:p.char_end] == p.text`` holds for every passage.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any


def content_id(*parts: object, length: int = 16) -> str:
    """A stable id: sha256 over content and provenance, never a list position."""
    h = hashlib.sha256()
    for part in parts:
        h.update(repr(part).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


@dataclass(frozen=True)
class ArticleMeta:
    """What the corpus manifest says about a file (or what ingest inferred)."""

    id: str
    file: str
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    doi: str | None = None  # a paper's own DOI, read from the paper (PDF metadata, page 1, JATS front matter)
    journal: str | None = None


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Section:
    heading: str | None
    heading_start: int | None
    heading_end: int | None
    start: int  # first character of the section's body
    end: int


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    section: int  # index into Article.sections
    page: int | None = None
    kind: str = "text"  # PASSAGE_TEXT, or PASSAGE_CAPTION for a figure or table caption


@dataclass(frozen=True)
class Reference:
    ref_id: str
    article_id: str
    number: int | None
    text: str  # the entry with its number and artifacts removed, whitespace collapsed
    char_start: int  # span of the entry's text in the cleaned article
    char_end: int
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    title: str | None = None
    journal: str | None = None
    doi: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Marker:
    """An in-text citation group, e.g. ``[7], [8]`` or the ``6, 9, 17, 18`` of ``promising6, 9, 17, 18``."""

    char_start: int
    char_end: int
    literal: str
    numbers: list[int]
    ref_ids: list[str]  # resolved entries, same order as numbers (or keys); unresolved ones are dropped
    keys: list[str] = field(default_factory=list)  # author-year citations: "smith 2020a", one per cited work


@dataclass(frozen=True)
class Article:
    meta: ArticleMeta
    text: str  # cleaned text: every quote is a substring of it
    sha256: str  # of the raw file bytes
    sections: list[Section]
    paragraphs: list[Paragraph]
    references: list[Reference]
    markers: list[Marker]
    pages: list[Span] = field(default_factory=list)  # PDFs: page i+1 covers pages[i]
    references_span: Span | None = None  # the reference list, if the article has one
    removed: list[tuple[str, str]] = field(default_factory=list)  # (rule, line) dropped by the cleaner
    unreadable_pages: list[tuple[int, str]] = field(default_factory=list)  # (page, reason): PDF pages no extractor could read
    source_format: str = "text"  # "text", "pdf" or "jats"
    cleaning: dict[str, int] = field(default_factory=dict)  # PDFs: hyphens_joined, hyphens_kept, characters folded

    @property
    def id(self) -> str:
        return self.meta.id

    def section_at(self, offset: int) -> Section | None:
        for sec in reversed(self.sections):
            if sec.start <= offset:
                return sec
        return None

    def page_at(self, offset: int) -> int | None:
        for i, span in enumerate(self.pages):
            if span.start <= offset < span.end:
                return i + 1
        return None


PASSAGE_TEXT = "text"
PASSAGE_CAPTION = "caption"  # a figure or table caption, kept as a passage of its own
PASSAGE_REFERENCE = "reference"
PROSE_KINDS = frozenset({PASSAGE_TEXT, PASSAGE_CAPTION})  # what answers quote; reference entries are looked up
PASSAGE_KINDS = (PASSAGE_TEXT, PASSAGE_CAPTION, PASSAGE_REFERENCE)  # every kind, in a fixed order (index codes)


@dataclass(frozen=True)
class Passage:
    id: str
    article_id: str
    kind: str  # PASSAGE_TEXT, PASSAGE_CAPTION or PASSAGE_REFERENCE
    text: str
    char_start: int
    char_end: int
    section: str | None
    page: int | None
    ref_ids: list[str]  # references cited by markers inside the passage (or the entry itself)
    n_tokens: int  # cl100k_base tokens
    sentences: list[tuple[int, int]] = field(default_factory=list)  # sentence spans in the article text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Passage":
        return cls(**{**d, "sentences": [tuple(s) for s in d.get("sentences", [])]})


@dataclass(frozen=True)
class Citing:
    """A sentence of an article that cites a work: by a marker resolved to an entry, or by naming it."""

    article_id: str
    passage_id: str | None
    start: int  # the sentence's span in the article's cleaned text
    end: int
    marker_start: int | None = None
    marker_end: int | None = None
    ref_id: str | None = None
    mention: str | None = None  # a citation without a marker: the words that name the work


@dataclass(frozen=True)
class Evidence:
    """A passage of a cited paper (a source in the corpus) that supports a citing sentence."""

    source_id: str
    passage_id: str
    start: int
    end: int
    page: int | None
    score: float
    sentence_start: int | None = None  # the passage's sentence that supports the citing sentence best
    sentence_end: int | None = None


@dataclass(frozen=True)
class Work:
    """One cited paper, across every article that lists or names it."""

    id: str
    ref_ids: list[str]  # every reference entry naming it, in any article
    title: str | None
    authors: list[str]
    year: int | None
    journal: str | None
    doi: str | None
    citing: list[Citing]
    source_id: str | None = None  # the paper itself, when it is in the corpus
    matched_by: str | None = None  # how the source was linked: "doi" or "title"
    evidence: list[list[Evidence]] = field(default_factory=list)  # parallel to `citing`; filled by index/

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Work":
        return cls(
            **{
                **d,
                "citing": [Citing(**c) for c in d["citing"]],
                "evidence": [[Evidence(**e) for e in row] for row in d.get("evidence", [])],
            }
        )


def article_to_dict(a: Article) -> dict[str, Any]:
    return asdict(a)


def article_from_dict(d: dict[str, Any]) -> Article:
    return Article(
        meta=ArticleMeta(**d["meta"]),
        text=d["text"],
        sha256=d["sha256"],
        sections=[Section(**s) for s in d["sections"]],
        paragraphs=[Paragraph(**p) for p in d["paragraphs"]],
        references=[Reference(**r) for r in d["references"]],
        markers=[Marker(**m) for m in d["markers"]],
        pages=[Span(**s) for s in d["pages"]],
        references_span=Span(**d["references_span"]) if d["references_span"] else None,
        removed=[tuple(x) for x in d["removed"]],
        unreadable_pages=[tuple(x) for x in d.get("unreadable_pages", [])],
        source_format=d.get("source_format", "text"),
        cleaning=dict(d.get("cleaning", {})),
    )
