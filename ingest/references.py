"""Split a reference list into entries and parse each entry's fields.

Handles the mess these pages carry: numbers written ``1.`` or ``13 ``; an
unnumbered entry between two numbered ones; entries broken over several lines;
trailing ``[]`` back-link artifacts; APA (``Author, A. (2020). Title.``) and
Vancouver (``Author AB, Other C. Title. Journal. 2020;``) styles.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from ingest.clean import strip_backlinks
from ingest.records import Reference, content_id

ENTRY_NUMBER = re.compile(r"^(?P<indent>[^\S\n]*)(?P<num>\d{1,3})(?:\.[^\S\n]*|[^\S\n]+)(?=\S)")
DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>\[\]]+)")
URL = re.compile(r"https?://[^\s\"<>\[\]]+")
YEAR = re.compile(r"(?<![\d\-–])((?:19|20)\d{2})(?![\d\-–])")
YEAR_RANGE = re.compile(r"(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}")
APA = re.compile(r"^(?P<head>.+?)\s*\((?P<year>(?:19|20)\d{2}[a-z]?|n\.d\.)(?:,[^)]*)?\)\.?\s*(?P<rest>.*)$", re.DOTALL)
APA_AUTHOR = re.compile(r"[^,&]+?,\s*(?:[A-Z]\.\s?-?)+(?:\s*Jr\.)?")
INITIALS = re.compile(r"\b[A-Z]\.")
# Vancouver author: "Das RK", "Krupitsky E.M.", "Zarate CA Jr", "Al Jurdi RK",
# "van der Meulen MJ", "Rutten VPMG": lower-case particles first, up to four initials
_V_PARTICLE = r"(?:(?:van|von|der|den|de|del|della|da|di|du|dos|das|la|le|ter|ten)\s)*"
_V_NAME = rf"{_V_PARTICLE}[A-Z][\w'’\-]+(?:\s[A-Z][\w'’\-]+)*\s(?:[A-Z]{{1,4}}|(?:[A-Z]\.){{1,4}})(?:\sJr)?"
V_AUTHORS = re.compile(rf"^(?P<list>{_V_NAME}(?:,\s{_V_NAME})*(?:,?\set\sal)?)\.?(?=\s|$)")
SPACE = re.compile(r"\s+")
SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:])")


@dataclass(frozen=True)
class EntrySpan:
    number: int | None
    start: int
    end: int


@dataclass
class Fields:
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    title: str | None = None
    journal: str | None = None
    doi: str | None = None
    url: str | None = None


def normalize_entry(text: str) -> str:
    """One-line form of an entry: artifacts gone, whitespace collapsed."""
    return SPACE_BEFORE_PUNCT.sub(r"\1", SPACE.sub(" ", strip_backlinks(text)).strip())


def split_entries(text: str, start: int, end: int) -> list[EntrySpan]:
    """Entries of the reference list occupying ``text[start:end]``.

    A line opening with a number greater than the last one starts a numbered
    entry; a line after a blank line that carries no number starts an
    unnumbered entry; any other line continues the entry before it.
    """
    entries: list[list] = []  # [number, start, end]
    last_number = 0
    blank_before = True
    pos = start
    for raw_line in text[start:end].split("\n"):
        line_start, line_end = pos, pos + len(raw_line)
        pos = line_end + 1
        body = strip_backlinks(raw_line)
        if not body.strip():
            blank_before = True
            continue
        m = ENTRY_NUMBER.match(body)
        number = int(m["num"]) if m else None
        if number is not None and number > last_number:
            entries.append([number, line_start + m.end(), line_start + len(body)])
            last_number = number
        elif blank_before or not entries:
            lead = len(body) - len(body.lstrip())
            entries.append([None, line_start + lead, line_start + len(body)])
        else:
            entries[-1][2] = line_start + len(body)
        blank_before = False
    return [EntrySpan(n, s, e) for n, s, e in entries]


def _first_year(text: str) -> int | None:
    masked = YEAR_RANGE.sub(lambda m: " " * len(m.group()), text)
    m = YEAR.search(masked)
    return int(m.group(1)) if m else None


def _clean_tail(s: str) -> str:
    return s.rstrip(".,;:)]")


def _segments(s: str) -> list[str]:
    """Split on sentence-like periods (". " / "? "), keeping the punctuation out."""
    return [p.strip() for p in re.split(r"(?<=[^A-Z\s][.?!])\s+", s) if p.strip()]


def parse_entry(entry: str) -> Fields:
    """Best-effort fields of one reference entry (already stripped of its number)."""
    text = normalize_entry(entry)
    f = Fields()
    if m := URL.search(text):
        f.url = _clean_tail(m.group())
    if m := DOI.search(text):
        f.doi = _clean_tail(m.group(1))
    apa = APA.match(text)
    if apa:
        head, rest = apa["head"].strip(), apa["rest"].strip()
        f.year = int(apa["year"][:4]) if apa["year"][0].isdigit() else None
        if INITIALS.search(head):
            f.authors = [a.strip(" ,&") for a in APA_AUTHOR.findall(head)] or [head.rstrip(".")]
            parts = _segments(rest)
            if parts:
                f.title = parts[0].rstrip(".")
            if len(parts) > 1 and not URL.match(parts[1]):
                f.journal = re.split(r",\s*\d", parts[1], maxsplit=1)[0].rstrip(".")
        else:  # no author: the head is the title ("Ketamine: A transformational catalyst.")
            f.title = head.rstrip(".")
            if rest and not URL.match(rest):
                f.journal = _segments(rest)[0].rstrip(".")
        return f

    f.year = _first_year(text)
    rest = text
    authors: list[str] = []
    while (m := V_AUTHORS.match(rest)) is not None:
        authors += [a.strip() for a in m["list"].split(",") if a.strip() and a.strip() != "et al"]
        rest = rest[m.end() :].lstrip(". ")
    if not authors:
        head = re.split(r"[.,]\s", text, maxsplit=1)[0]
        if len(head.split()) <= 5:
            authors = [head.strip()]
            rest = text[len(head) :].lstrip(".,; ")
    f.authors = authors
    parts = _segments(rest)
    if parts:
        f.title = parts[0].rstrip(".")
    if len(parts) > 1:
        journal = re.split(r"[.;:]?\s(?:19|20)\d{2}|;", parts[1], maxsplit=1)[0].strip().rstrip(".")
        f.journal = journal or None
    return f


NOT_A_JOURNAL = re.compile(rf"^(?:{'|'.join(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'])})[a-z]*$|^[\d\s;:()\-–]*$")


def make_reference(article_id: str, text: str, start: int, end: int, number: int | None, used: set[str]) -> Reference:
    """The entry at ``text[start:end]`` (its number already stripped), parsed; ``used`` holds the ids given so far."""
    raw = text[start:end]
    f = parse_entry(raw)
    if f.journal and NOT_A_JOURNAL.match(f.journal):
        f.journal = None
    entry = normalize_entry(raw)
    ref_id = content_id(article_id, number, entry)
    if ref_id in used:  # the same unnumbered entry listed twice: its position tells the two apart
        ref_id = content_id(article_id, number, entry, start)
    used.add(ref_id)
    return Reference(ref_id=ref_id, article_id=article_id, number=number, text=entry, char_start=start, char_end=end, **asdict(f))


def parse_reference_list(article_id: str, text: str, start: int, end: int) -> list[Reference]:
    used: set[str] = set()
    return [make_reference(article_id, text, e.start, e.end, e.number, used) for e in split_entries(text, start, end)]
