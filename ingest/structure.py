"""Split cleaned text into title, headings, sections and paragraphs (with offsets).

Web scrapes put one paragraph per line; a line that starts in lower case or
with closing punctuation continues the line before it.  PDF text is wrapped,
so there a paragraph is a blank-line separated block (``line_mode=False``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.records import Paragraph, Section

LINE = re.compile(r"[^\n]+")
BLOCK = re.compile(r"\S(?:.*?\S)?(?=\n[ \t]*\n|\s*\Z)", re.DOTALL)
LEADING_BULLET = re.compile(r"^(?:[-•*▪◦·]|\d{1,3}[.)])\s+")
HEADING_END_BAD = (".", ",", ";", ":", "…")
REFERENCE_HEADING = re.compile(
    r"^(?:References?|Sources|Works Cited|Bibliography|Citations|Literature Cited|Notes and References)$",
    re.IGNORECASE,
)
MAX_HEADING_WORDS = 14
MAX_HEADING_CHARS = 100


@dataclass(frozen=True)
class Block:
    start: int
    end: int


def _continues(line: str) -> bool:
    s = line.lstrip()
    return bool(s) and (s[0].islower() or s[0] in ".,;:)]")


def blocks(text: str, line_mode: bool = True) -> list[Block]:
    """Paragraph-sized blocks of ``text`` (offsets exclude surrounding whitespace)."""
    out: list[Block] = []
    if line_mode:
        for m in LINE.finditer(text):
            s, e = m.start(), m.end()
            seg = text[s:e]
            if not seg.strip():
                continue
            s += len(seg) - len(seg.lstrip())
            e -= len(seg) - len(seg.rstrip())
            if out and text[out[-1].end : s].count("\n") == 1 and _continues(text[s:e]):
                out[-1] = Block(out[-1].start, e)
            else:
                out.append(Block(s, e))
    else:
        for m in BLOCK.finditer(text):
            out.extend(_split_at_reference_heading(text, m.start(), m.end()))
    return out


def _split_at_reference_heading(text: str, start: int, end: int) -> list[Block]:
    """A PDF block, with a ``References`` line made a block of its own.

    PDF text extraction rarely yields blank lines, so a page is one block; the
    reference heading must still open the reference list.
    """
    cuts = [start]
    pos = start
    for line in text[start:end].split("\n"):
        if REFERENCE_HEADING.match(line.strip()):
            cuts += [pos, pos + len(line)]
        pos += len(line) + 1
    cuts.append(end)
    out = []
    for s, e in zip(cuts, cuts[1:]):
        seg = text[s:e]
        if seg.strip():
            out.append(Block(s + len(seg) - len(seg.lstrip()), e - (len(seg) - len(seg.rstrip()))))
    return out


def is_heading(line: str) -> bool:
    s = line.strip()
    if not s or "\n" in s or len(s) > MAX_HEADING_CHARS or len(s.split()) > MAX_HEADING_WORDS:
        return False
    if s.endswith(HEADING_END_BAD) or LEADING_BULLET.match(s):
        return False
    if re.search(r"\[\d", s):
        return False
    return s[0].isupper() or s[0].isdigit()


@dataclass(frozen=True)
class Structure:
    title: str | None
    title_span: tuple[int, int] | None
    sections: list[Section]
    paragraphs: list[Paragraph]
    references_span: tuple[int, int] | None  # the reference list, if any


NUMBERED_ENTRY = re.compile(r"^\s*\d{1,3}(?:\.\s*|\s+)\S")  # \s includes the no-break space
BIBLIO_HINT = re.compile(r"\b(?:19|20)\d{2}\b|\bdoi\b|https?://|\bn\.d\.", re.IGNORECASE)
MIN_TRAILING_ENTRIES = 3


def _trailing_numbered_run(text: str, bl: list[Block]) -> int | None:
    """Index of the first block of a trailing, numbered, bibliographic list (a reference list with no heading)."""
    i = len(bl)
    while i > 0 and NUMBERED_ENTRY.match(text[bl[i - 1].start : bl[i - 1].end]):
        i -= 1
    run = [text[b.start : b.end] for b in bl[i:]]
    if len(run) < MIN_TRAILING_ENTRIES or not re.match(r"^\s*1\b", run[0]):
        return None
    if sum(bool(BIBLIO_HINT.search(r)) for r in run) < 0.6 * len(run):
        return None
    return i


def parse_structure(text: str, title: str | None, line_mode: bool = True) -> Structure:
    """Sections open at each heading; section 0 holds what precedes the first heading."""
    bl = blocks(text, line_mode)
    title_span = None
    if bl and title is not None and text[bl[0].start : bl[0].end] == title:
        title_span = (bl[0].start, bl[0].end)
        bl = bl[1:]
    heads: list[tuple[str | None, int | None, int | None, int]] = [(None, None, None, bl[0].start if bl else 0)]
    paragraphs: list[Paragraph] = []
    references_span = None
    trailing = _trailing_numbered_run(text, bl)
    for k, b in enumerate(bl):
        line = text[b.start : b.end]
        if references_span is None and k == trailing:
            # A reference list with no heading of its own: give it a section.
            heads.append(("References", None, None, b.start))
            references_span = (b.start, len(text))
        elif references_span is None and is_heading(line):
            heads.append((line, b.start, b.end, b.end))
            if REFERENCE_HEADING.match(line.strip()):
                # Everything after a reference heading is the list; its wrapped
                # lines are never headings.
                references_span = (b.end, len(text))
            continue
        start = b.start + (len(line) - len(LEADING_BULLET.sub("", line, count=1)) if LEADING_BULLET.match(line) else 0)
        paragraphs.append(Paragraph(start=start, end=b.end, section=len(heads) - 1))
    sections = []
    for i, (heading, hs, he, body_start) in enumerate(heads):
        if i + 1 < len(heads):
            # the next heading's line, or the body start of a section with no heading line
            end = heads[i + 1][1] if heads[i + 1][1] is not None else heads[i + 1][3]
        else:
            end = len(text)
        sections.append(Section(heading=heading, heading_start=hs, heading_end=he, start=body_start, end=end))
    return Structure(
        title=title if title_span else None,
        title_span=title_span,
        sections=sections,
        paragraphs=paragraphs,
        references_span=references_span,
    )
