"""Read a PDF's pages as positioned lines, then lay them out as a paper reads.

pdfminer.six gives every character with its font, size and position, which
is what a paper's layout is made of; pypdf is the second extractor, tried on
a page pdfminer cannot read (and its text then has no positions).  A page that
neither can read is lost alone, with its reason; the rest of the paper stays.

What the layout step does, in general terms rather than per publisher:

- **columns**: a line lies in the left half, the right half, or across the
  middle of its page.  Lines across the middle split the page into bands;
  each band is read left column first, then right.
- **furniture** (each dropped line is recorded with its rule, as the web
  cleaner does): ``running-head`` for a line in the top or bottom margin
  that recurs on other pages (digits aside); ``page-number`` and
  ``line-number`` for lines that are only a number; ``journal-furniture``
  for the publishers' stock lines (``Article``, ``Check for updates``,
  ``Received: ...``, a bare DOI or web address); ``rotated-text`` for
  sideways text; ``figure-text`` for text much smaller than the body, and
  for blocks of short fragments (axis labels, table cells).
- **paragraphs**: a new block opens at a vertical gap, a change of size or
  font, or a first-line indent.  A paragraph broken by a column break is
  joined again when it plainly continues (no sentence end, lower case next).
- **hyphenation**: a line-end hyphen is dropped when the joined word is a
  word (the paper uses it, or English does) and kept when the parts are
  words of their own that the paper hyphenates (``fronto-cingulo-striatal``).
- **ligatures** and other compatibility characters are folded (``ﬁ`` → ``fi``);
  superscripts are not (they carry citation numbers and units).
- **captions**: a block that opens with ``Fig. 3``, ``Figure 3`` or
  ``Table 2`` is a caption; it is kept as its own block, marked as one.
- **superscript** digits are recorded with their position: in a paper that
  cites by number they are the citation markers.
"""
from __future__ import annotations

import io
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from ingest.paper import BLOCK_CAPTION, BLOCK_HEADING, BLOCK_REFERENCE, BLOCK_TEXT, Block, PaperMeta

HYPHENS = "-\u2010\u2011\u00ad"
FOLD_TAGS = ("<compat>", "<font>", "<noBreak>", "<wide>", "<narrow>")
# "Fig. 3 | Title", "Figure 2. Title", "Table 1 Title": a label, then a separator or a capital.  "Fig. 2a). The"
# (a line that happens to open with a figure reference) is not a caption.
CAPTION_START = re.compile(
    r"^(?:Supplementary\s+|Extended\s+Data\s+)?(?:Fig(?:ure)?s?\.?|Table|Scheme|Box)\s*S?\d+[A-Za-z]?"
    r"(?:\s*[|.:—–]\s*|\s+)(?=[A-Z(\[\d\"“])"
)
# Plural only: a lone "Reference" is a table's column header far more often than a paper's heading.
REFERENCE_HEADING = re.compile(r"^(?:\d+\.?\s*)?(?:References(?: and [Nn]otes)?|Reference [Ll]ist|Bibliography|Literature [Cc]ited|Works [Cc]ited)$", re.IGNORECASE)
FURNITURE = re.compile(
    r"^(?:Article|Research [Aa]rticle|Review(?: [Aa]rticle)?|Original [Aa]rticle|Research|Open [Aa]ccess|OPEN ACCESS|Check for updates"
    r"|Articles?|Report|Letter|Short [Cc]ommunication|Brief [Cc]ommunication|Methodology|Resource"
    r"|(?:Received|Accepted|Revised|Published(?: online)?|Available online|First published|Reviewed preprint posted"
    r"|Version of Record published|Sent for [Rr]eview|Academic Editor|Editor|Citation|Copyright|Correspondence|Handling [Ee]ditor)\b.{0,160}"
    r"|©.{0,200}|(?:https?://)?(?:dx\.)?doi\.org/\S+|(?:DOI|doi):?\s*10\.\S+|www\.\S+|https?://\S+)$"
)
LONE_NUMBER = re.compile(r"^(?:Page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
NUMBER_COLUMN = re.compile(r"^[\d\s.,;:()\-–]{1,12}$")
ENTRY_START = re.compile(r"^(?:\[\d{1,3}\]|\d{1,3}\.(?=\s|[A-Z])|\d{1,3}\s(?=[A-Z]))")
SENTENCE_FINAL = re.compile(r"[.!?:][\"”’)\]]*$")
SUP_MARKER = re.compile(r"^\d{1,3}(?:\s?[,–\-]\s?\d{1,3})*$")
DOI_IN_TEXT = re.compile(r"(?:doi\.org/|doi:\s?|DOI:?\s?)(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    y0: float  # bottom, in PDF points from the page's foot
    y1: float
    size: float
    font: str
    page: int  # 1-based
    upright: bool = True
    sup: list[tuple[int, int]] = field(default_factory=list)  # superscript spans in ``text``
    column: int = 0  # 0 left, 1 right, 2 across
    folded: int = 0  # compatibility characters folded in this line
    mid: float = 0.0  # the middle of its page, in points


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]
    positioned: bool = True  # False when the text came from the fallback extractor


@dataclass
class PdfPages:
    pages: list[Page]
    unreadable: list[tuple[int, str]]  # (page, reason): pages neither extractor could read
    info_title: str | None = None
    info_author: str | None = None
    info_subject: str | None = None
    info_doi: str | None = None


@dataclass
class Laid:
    """A paper laid out: blocks in reading order, what was dropped, and counts for the ingest summary."""

    blocks: list[Block]
    removed: list[tuple[str, str]]
    paper: PaperMeta
    hyphens_joined: int = 0
    hyphens_kept: int = 0
    folded: int = 0
    unreadable: list[tuple[int, str]] = field(default_factory=list)


class PdfError(Exception):
    """The PDF cannot be read at all; the message is the reason."""


# ---------------------------------------------------------------- extraction


def fold(ch: str) -> str:
    """A compatibility character (ligature, no-break space, full-width form) as its plain letters."""
    if ord(ch) < 0xA0:
        return ch
    dec = unicodedata.decomposition(ch)
    if dec.startswith(FOLD_TAGS):
        return unicodedata.normalize("NFKC", ch)
    return ch


def _line_from_chars(chars, page: int) -> Line | None:
    from pdfminer.layout import LTAnno, LTChar

    real = [c for c in chars if isinstance(c, LTChar)]
    if not real:
        return None
    sizes = Counter(round(c.size, 1) for c in real if c.get_text().strip())
    if not sizes:
        return None
    body = sizes.most_common(1)[0][0]
    base = statistics.median(c.y0 for c in real if abs(round(c.size, 1) - body) < 0.3) if body else 0
    fonts = Counter(c.fontname for c in real if c.get_text().strip())
    upright = sum(c.upright for c in real) >= 0.5 * len(real)
    parts: list[str] = []
    sup: list[tuple[int, int]] = []
    pos = 0
    folded = 0
    for c in chars:
        if isinstance(c, LTAnno):
            t = c.get_text()
            if t == "\n":
                continue
            parts.append(t)
            pos += len(t)
            continue
        t = c.get_text()
        if t.startswith("(cid:"):
            continue
        plain = "".join(fold(ch) for ch in t)
        folded += plain != t
        t = plain
        raised = c.size < 0.85 * body and c.y0 > base + 0.2 * body
        if raised and t.strip():
            if sup and sup[-1][1] == pos:
                sup[-1] = (sup[-1][0], pos + len(t))
            else:
                sup.append((pos, pos + len(t)))
        parts.append(t)
        pos += len(t)
    text = "".join(parts)
    stripped = text.rstrip()
    lead = len(text) - len(text.lstrip())
    text = stripped.lstrip()
    if not text:
        return None
    sup = [(max(0, s - lead), min(len(text), e - lead)) for s, e in sup if e - lead > 0 and s - lead < len(text)]
    return Line(
        text=text,
        x0=min(c.x0 for c in real),
        x1=max(c.x1 for c in real),
        y0=min(c.y0 for c in real),
        y1=max(c.y1 for c in real),
        size=body,
        font=fonts.most_common(1)[0][0] if fonts else "",
        page=page,
        upright=upright,
        sup=sup,
        folded=folded,
    )


def _lines_of(layout, page: int) -> list[Line]:
    from pdfminer.layout import LTTextBox, LTTextLine

    out: list[Line] = []

    def walk(obj) -> None:
        for child in obj:
            if isinstance(child, LTTextLine):
                line = _line_from_chars(list(child), page)
                if line is not None:
                    out.append(line)
            elif isinstance(child, LTTextBox):
                walk(child)

    walk(layout)
    return out


def _fallback_lines(reader, index: int, page_no: int, width: float, height: float) -> list[Line]:
    """The page's text from pypdf (``reader``), as unpositioned lines (one column, body size)."""
    text = reader.pages[index].extract_text() or ""
    lines = []
    for k, raw in enumerate(text.splitlines()):
        s = "".join(fold(ch) for ch in raw).strip()
        if s:
            y = height * 0.95 - 12 * k
            lines.append(Line(s, 0.1 * width, 0.9 * width, y, y + 10, 10.0, "", page_no, column=2))
    return lines


def read_pages(data: bytes) -> PdfPages:
    """Every page's lines; a page that cannot be read is recorded, not fatal."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        parser = PDFParser(io.BytesIO(data))
        document = PDFDocument(parser)
        if not document.is_extractable:
            raise PdfError("the PDF does not allow text extraction")
        raw_pages = list(PDFPage.create_pages(document))
    except PdfError:
        raise
    except (PDFEncryptionError, PDFPasswordIncorrect):
        raise PdfError("encrypted PDF") from None
    except Exception as e:  # noqa: BLE001  a hostile file raises many types; any of them means "unreadable"
        raise PdfError(f"unreadable PDF ({type(e).__name__}: {str(e)[:120]})") from None
    if not raw_pages:
        raise PdfError("PDF has no pages")
    rsrc = PDFResourceManager(caching=True)
    device = PDFPageAggregator(rsrc, laparams=LAParams(all_texts=False))
    interpreter = PDFPageInterpreter(rsrc, device)
    pages: list[Page] = []
    unreadable: list[tuple[int, str]] = []
    fallback = None  # pypdf's reader, opened once, for the first page pdfminer cannot read
    for i, raw in enumerate(raw_pages):
        x0, y0, x1, y1 = (raw.mediabox or (0, 0, 612, 792))[:4]
        width, height = float(x1 - x0), float(y1 - y0)
        try:
            interpreter.process_page(raw)
            lines = _lines_of(device.get_result(), i + 1)
            for ln in lines:  # media boxes need not start at the origin
                ln.x0, ln.x1, ln.y0, ln.y1 = ln.x0 - x0, ln.x1 - x0, ln.y0 - y0, ln.y1 - y0
            pages.append(Page(i + 1, width, height, lines))
        except Exception as first:  # noqa: BLE001  one bad page costs that page only
            try:
                if fallback is None:
                    from pypdf import PdfReader

                    fallback = PdfReader(io.BytesIO(data))
                pages.append(Page(i + 1, width, height, _fallback_lines(fallback, i, i + 1, width, height), positioned=False))
            except Exception as second:  # noqa: BLE001
                unreadable.append((i + 1, f"{type(first).__name__}: {str(first)[:80]}; pypdf: {type(second).__name__}: {str(second)[:80]}"))
    out = PdfPages(pages=pages, unreadable=unreadable)
    try:
        info = document.info[0] if document.info else {}
        out.info_title = _info(info.get("Title"))
        out.info_author = _info(info.get("Author"))
        out.info_subject = _info(info.get("Subject"))
        out.info_doi = _info(info.get("doi"))
    except Exception:  # noqa: BLE001  metadata is a hint only
        pass
    if not any(p.lines for p in pages):
        raise PdfError("PDF has no extractable text (scanned images?)")
    return out


def _info(value) -> str | None:
    from pdfminer.pdftypes import resolve1

    value = resolve1(value)
    if isinstance(value, bytes):
        if value.startswith(b"\xfe\xff"):
            value = value[2:].decode("utf-16-be", "replace")
        else:
            value = value.decode("latin-1", "replace")
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


# ---------------------------------------------------------------- layout


def _mask_digits(s: str) -> str:
    return re.sub(r"\d+", "#", s.strip().lower())


def _body_style(pages: list[Page]) -> tuple[float, str]:
    sizes: Counter = Counter()
    fonts: Counter = Counter()
    for p in pages:
        for ln in p.lines:
            if ln.upright and ln.size:
                sizes[ln.size] += len(ln.text)
                fonts[ln.font] += len(ln.text)
    size = sizes.most_common(1)[0][0] if sizes else 10.0
    font = fonts.most_common(1)[0][0] if fonts else ""
    return size, font


def _assign_columns(page: Page) -> None:
    if not page.positioned:
        return
    mid = page.width / 2
    for ln in page.lines:
        ln.mid = mid
        if ln.x1 <= mid + 2:
            ln.column = 0
        elif ln.x0 >= mid - 2:
            ln.column = 1
        else:
            ln.column = 2


def _merge_fragments(lines: list[Line]) -> list[Line]:
    """Pieces of one printed line (split where pdfminer saw a wide gap) joined, left to right.

    Pieces join within a column; a short piece on the left (an entry's number, a bullet) joins the
    line beside it whatever the column.
    """
    lines = sorted(lines, key=lambda ln: (-round(ln.y0), ln.x0))
    out: list[Line] = []
    for ln in lines:
        prev = out[-1] if out else None
        size = max(prev.size if prev else 1, ln.size, 1)
        if (
            prev is not None
            and abs(prev.y0 - ln.y0) < 0.35 * size
            and 0 <= ln.x0 - prev.x1
            and (
                prev.column == ln.column and ln.x0 - prev.x1 < 3.0 * size
                or len(prev.text) <= 5 and ln.x0 - prev.x1 < 6.0 * size
            )
            and prev.upright and ln.upright
        ):
            gap = " " if ln.x0 - prev.x1 > 0.12 * max(prev.size, 1) else ""
            shift = len(prev.text) + len(gap)
            prev.text += gap + ln.text
            prev.sup += [(s + shift, e + shift) for s, e in ln.sup]
            prev.x1 = ln.x1
            prev.y1 = max(prev.y1, ln.y1)
            prev.size = max(prev.size, ln.size) if len(ln.text) > len(prev.text) - len(ln.text) else prev.size
            prev.font = ln.font if len(ln.text) > 5 else prev.font
            continue
        out.append(ln)
    return out


def _reading_order(page: Page) -> list[Line]:
    """Bands split by lines across the middle; in each band the left column, then the right."""
    if not page.positioned:
        return list(page.lines)
    lines = sorted(page.lines, key=lambda ln: -ln.y1)
    out: list[Line] = []
    left: list[Line] = []
    right: list[Line] = []
    for ln in lines:
        if ln.column == 2:
            # a line across the middle closes the band above it, unless a column still runs beside it
            out += left + right
            left, right = [], []
            out.append(ln)
        elif ln.column == 0:
            left.append(ln)
        else:
            right.append(ln)
    return out + left + right


def _vocabulary(pages: list[Page]) -> tuple[Counter, set[str]]:
    words: Counter = Counter()
    hyphenated: set[str] = set()
    for p in pages:
        for ln in p.lines:
            for w in re.findall(r"[A-Za-z][A-Za-z\-]*[A-Za-z]", ln.text):
                if "-" in w:
                    hyphenated.add(w.lower())
                    for part in w.split("-"):
                        words[part.lower()] += 1
                else:
                    words[w.lower()] += 1
    return words, hyphenated


def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def _keep_hyphen(left: str, right: str, words: Counter, hyphenated: set[str]) -> bool:
    """Whether ``left-`` at a line end and ``right`` on the next line are a real hyphenated compound."""
    l_word = re.search(r"([A-Za-z][A-Za-z\-]*)$", left)
    r_word = re.match(r"([A-Za-z]+(?:-[A-Za-z]+)*)", right)
    if not l_word or not r_word:
        return True
    lw, rw = l_word.group(1), r_word.group(1)
    compound = f"{lw}-{rw}".lower()
    joined = f"{lw}{rw}".lower()
    last_l = lw.split("-")[-1].lower()
    first_r = rw.split("-")[0].lower()
    if compound in hyphenated or f"{last_l}-{first_r}" in hyphenated:
        return True
    if words.get(f"{last_l}{first_r}", 0) > 0:
        return False
    if "-" in lw or "-" in rw:
        return True  # already a compound ("fronto-cingulo-" + "striatal")
    if rw[0].isupper() or any(ch.isdigit() for ch in right[:1]):
        return True
    zj = _zipf(joined)
    if len(last_l) >= 3 and len(first_r) >= 3:
        zl, zr = _zipf(last_l), _zipf(first_r)
        if zl >= 3.0 and zr >= 3.0 and zj < min(zl, zr) - 1.5:
            return True  # two words of their own ("well-" + "known"), far commoner than "wellknown"
    return False  # hyphenation: "sen-" + "sitivity", "muta-" + "tion", and words English does not know


class Joiner:
    """Joins lines, and blocks broken by a column or page, deciding each line-end hyphen once."""

    def __init__(self, words: Counter, hyphenated: set[str]) -> None:
        self.words, self.hyphenated = words, hyphenated
        self.joined = 0
        self.kept = 0

    def glue(self, text: str, nxt: str) -> str:
        """``text`` followed by the next line ``nxt``: a space, a dropped hyphen, or a kept one."""
        if not text:
            return nxt
        if text[-1] in HYPHENS and len(text) >= 2 and text[-2].isalpha() and nxt[:1].isalpha() and nxt[:1].islower():
            if text[-1] != "\u00ad" and _keep_hyphen(text[:-1], nxt, self.words, self.hyphenated):
                self.kept += 1
                return text[:-1] + "-" + nxt
            self.joined += 1
            return text[:-1] + nxt
        if text[-1] in "-\u2010\u2011" and len(text) >= 2 and text[-2].isalnum() and nxt[:1].isalnum():
            self.kept += 1  # "Pandya-" + "Jones", "anti-" + "CD3": a hyphen before a capital or digit is real
            return text + nxt
        return text + " " + nxt

    def lines(self, lines: list[Line]) -> tuple[str, list[tuple[int, int]]]:
        text = ""
        sup: list[tuple[int, int]] = []
        for ln in lines:
            text = self.glue(text, ln.text)
            shift = len(text) - len(ln.text)
            sup += [(s + shift, e + shift) for s, e in ln.sup]
        return text, sup


def _is_heading(lines: list[Line], body_size: float, body_font: str) -> bool:
    text = " ".join(ln.text for ln in lines)
    if len(lines) > 3 or len(text) > 160 or len(text.split()) > 22:
        return False
    if SENTENCE_FINAL.search(text) and not re.match(r"^\d+(?:\.\d+)*\.?\s", text):
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    size = lines[0].size
    if REFERENCE_HEADING.match(text.strip()):
        return True
    return size >= 1.08 * body_size or (lines[0].font != body_font and size >= 0.95 * body_size)


def _split_blocks(lines: list[Line], body_size: float, body_font: str) -> list[list[Line]]:
    """Consecutive lines (in reading order) cut where a paragraph, heading or caption begins."""
    groups: list[list[Line]] = []
    for ln in lines:
        prev = groups[-1][-1] if groups else None
        new = prev is None
        if prev is not None:
            size = max(prev.size, ln.size, 1.0)
            gap = prev.y0 - ln.y1
            new = (
                ln.page != prev.page
                or ln.column != prev.column
                or gap > 0.6 * size
                or gap < -2 * size  # jumped up: a new column or band
                or abs(ln.size - prev.size) > 0.6
                or (ln.font != prev.font and _style_break(prev, ln))
                or bool(REFERENCE_HEADING.match(prev.text.strip()))
                or bool(CAPTION_START.match(ln.text))
                or (ln.x0 - groups[-1][0].x0 > 0.8 * size and prev.x1 < _column_right(groups[-1]) - 2 * size)
            )
        if new:
            groups.append([ln])
        else:
            groups[-1].append(ln)
    return groups


def _style_break(prev: Line, ln: Line) -> bool:
    """A change of font between lines opens a block when the line before is short (a heading), not mid-paragraph."""
    return len(prev.text) < 60 and not SENTENCE_FINAL.search(prev.text) or bool(REFERENCE_HEADING.match(ln.text.strip()))


def _column_right(group: list[Line]) -> float:
    return max(ln.x1 for ln in group)


def _is_figure_text(group: list[Line], body_size: float, column_width: float) -> bool:
    text = " ".join(ln.text for ln in group)
    size = statistics.median(ln.size for ln in group) if group else body_size
    if size and size < 0.72 * body_size and not CAPTION_START.match(text):
        return True
    widths = [ln.x1 - ln.x0 for ln in group]
    short = sum(w < 0.3 * column_width for w in widths)
    if len(group) >= 3 and short >= 0.7 * len(group) and not CAPTION_START.match(text):
        return True
    if len(text.split()) <= 3 and not SENTENCE_FINAL.search(text) and size < 0.8 * body_size:
        return True
    return False


def lay_out(src: PdfPages) -> Laid:
    pages = src.pages
    for p in pages:
        _assign_columns(p)
        p.lines = _merge_fragments(p.lines)
        _assign_columns(p)
        for ln in p.lines:
            ln.text = _tidy(ln.text)
    body_size, body_font = _body_style(pages)
    folded = sum(ln.folded for p in pages for ln in p.lines)
    first_page = " ".join(ln.text for ln in pages[0].lines) if pages else ""  # before its furniture goes
    removed: list[tuple[str, str]] = []

    # Furniture: lines in the top or bottom margin that recur, page numbers, stock lines, sideways text.
    margin_seen: Counter = Counter()
    for p in pages:
        if not p.positioned:
            continue
        for key in {_mask_digits(ln.text) for ln in p.lines if _in_margin(ln, p)}:
            margin_seen[key] += 1
    for p in pages:
        kept = []
        for ln in p.lines:
            rule = _furniture_rule(ln, p, margin_seen, body_size, len(pages))
            if rule:
                removed.append((rule, ln.text))
            else:
                kept.append(ln)
        p.lines = kept

    words, hyphenated = _vocabulary(pages)
    joiner = Joiner(words, hyphenated)
    title, title_lines = _title(pages, src, body_size)
    if title_lines:
        pages[0].lines = [ln for ln in pages[0].lines if not any(ln is t for t in title_lines)]
        removed.extend(("title", ln.text) for ln in title_lines)
    title_foot = min((ln.y0 for ln in title_lines), default=None)
    blocks: list[Block] = []
    in_references = False
    ref_lines: list[Line] = []

    def flush_references() -> None:
        for entry in _entries(ref_lines):
            text, _ = joiner.lines(entry)
            if text.strip():
                blocks.append(Block(BLOCK_REFERENCE, text.strip(), entry[0].page))
        ref_lines.clear()

    for p in pages:
        ordered = _reading_order(p)
        column_width = p.width / 2 if any(ln.column < 2 for ln in ordered) else p.width
        for group in _split_blocks(ordered, body_size, body_font):
            if p.number == 1 and not title_lines and title and _norm(" ".join(ln.text for ln in group)) == _norm(title):
                removed.extend(("title", ln.text) for ln in group)  # a title in the body's own size
                continue
            if p.number == 1 and title_foot is not None and _is_byline(group, title_foot, p, body_size, body_font):
                removed.extend(("byline", ln.text) for ln in group)
                continue
            if REFERENCE_HEADING.match(" ".join(ln.text for ln in group).strip()):
                flush_references()
                in_references = True
                blocks.append(Block(BLOCK_HEADING, " ".join(ln.text for ln in group).strip(), p.number))
                continue
            if not in_references and _is_figure_text(group, body_size, column_width):
                removed.extend(("figure-text", ln.text) for ln in group)
                continue
            heading_like = _is_heading(group, body_size, body_font)
            if in_references and not heading_like:
                ref_lines.extend(group)
                continue
            text, sup = joiner.lines(group)
            if heading_like:
                heading = text.strip()
                flush_references()
                in_references = bool(REFERENCE_HEADING.match(heading))
                blocks.append(Block(BLOCK_HEADING, heading, p.number))
                continue
            kind = BLOCK_CAPTION if CAPTION_START.match(text) else BLOCK_TEXT
            prev = blocks[-1] if blocks else None
            if (
                prev is not None
                and kind == BLOCK_TEXT
                and prev.kind == BLOCK_TEXT
                and prev.page == p.number
                and not SENTENCE_FINAL.search(prev.text)
                and text[:1].islower()
            ):
                prev.text = joiner.glue(prev.text, text)
                shift = len(prev.text) - len(text)
                prev.sup += [(s + shift, e + shift) for s, e in sup]
                continue
            blocks.append(Block(kind, text, p.number, sup))
    flush_references()
    if title is None and blocks and blocks[0].page == 1 and blocks[0].kind in (BLOCK_TEXT, BLOCK_HEADING):
        first = blocks[0].text
        if len(first.split()) <= 25 and not SENTENCE_FINAL.search(first):
            title = first  # no metadata title and no larger type: the first line, as a reader would take it
            removed.append(("title", first))
            blocks.pop(0)
    blocks = _drop_fragments(blocks, removed)
    doi = _doi(src, pages)
    year = _year(first_page)
    journal = _journal(src, [line for rule, line in removed if rule == "running-head"])
    authors = [a.strip() for a in re.split(r",\s*|\s+and\s+", src.info_author or "") if a.strip()]
    byline = _names(" ".join(line for rule, line in removed if rule == "byline"))
    if len(authors) <= 1:  # the metadata often names only the first author; page 1 names them all
        authors += [n for n in byline if _norm(n) not in {_norm(a) for a in authors}]
    return Laid(
        blocks=blocks,
        removed=removed,
        paper=PaperMeta(title=title, authors=authors, year=year, journal=journal, doi=doi),
        hyphens_joined=joiner.joined,
        hyphens_kept=joiner.kept,
        folded=folded,
        unreadable=list(src.unreadable),
    )


FRAGMENT_WORDS = 4


def _drop_fragments(blocks: list[Block], removed: list[tuple[str, str]]) -> list[Block]:
    """Text blocks that are fragments, not prose, recorded as ``figure-text``: a heading of one or two
    characters (a panel letter, a logo glyph), a lone block of one or two words with no sentence end, and
    runs of three or more short blocks on one page (table cells, axis labels)."""

    def short(b: Block, words: int) -> bool:
        return b.kind == BLOCK_TEXT and len(b.text.split()) <= words and not SENTENCE_FINAL.search(b.text)

    drop = [False] * len(blocks)
    for i, b in enumerate(blocks):
        if b.kind == BLOCK_HEADING and len(b.text.strip()) <= 2:
            drop[i] = True
        elif short(b, 2):
            drop[i] = True
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and short(blocks[j], FRAGMENT_WORDS) and blocks[j].page == blocks[i].page:
            j += 1
        if j - i >= 3:
            for k in range(i, j):
                drop[k] = True
        i = max(j, i + 1)
    for b, d in zip(blocks, drop):
        if d:
            removed.append(("figure-text", b.text))
    return [b for b, d in zip(blocks, drop) if not d]


def _entry_number(text: str) -> int | None:
    m = ENTRY_START.match(text)
    return int(re.match(r"^\[?(\d{1,3})", text).group(1)) if m else None


def _numbered_run(lines: list[Line]) -> int:
    """How far lines opening with 1, 2, 3, ... count up: a numbered list counts up to its length."""
    expected = 1
    for ln in lines:
        if _entry_number(ln.text) == expected:
            expected += 1
    return expected - 1


def _entries(lines: list[Line]) -> list[list[Line]]:
    """A reference list's lines cut into entries.

    A numbered list opens an entry at each line that starts with the next number; an unnumbered one at
    each line flush with its column's left edge, when the list indents its continuation lines (a
    hanging indent); failing both, at each line after a vertical gap.
    """
    if not lines:
        return []
    entries: list[list[Line]] = []
    if _numbered_run(lines) >= 3:
        last = 0
        for ln in lines:
            n = _entry_number(ln.text)
            if n is not None and last < n <= last + 3:
                entries.append([ln])
                last = n
            elif entries:
                entries[-1].append(ln)
            else:
                entries.append([ln])
        return entries
    # a column by where its lines start (a short continuation line lies wholly in the left half of a
    # one-column page, yet belongs with the long lines that cross the middle)
    def side(ln: Line) -> tuple[int, bool]:
        return ln.page, ln.x0 >= ln.mid - 2

    left: dict[tuple[int, bool], float] = {}
    for ln in lines:
        left[side(ln)] = min(left.get(side(ln), ln.x0), ln.x0)
    indented = [ln.x0 - left[side(ln)] > 0.5 * max(ln.size, 1) for ln in lines]
    if sum(indented) >= 0.2 * len(lines):
        for ln, ind in zip(lines, indented):
            if ind and entries:
                entries[-1].append(ln)
            else:
                entries.append([ln])
        return entries
    for ln in lines:
        prev = entries[-1][-1] if entries else None
        if prev is None or ln.page != prev.page or ln.column != prev.column or prev.y0 - ln.y1 > 0.5 * max(ln.size, 1):
            entries.append([ln])
        else:
            entries[-1].append(ln)
    return entries


SUSPENDED = re.compile(r"^(?:and|or|nor|to|versus|vs\.?|as|through|via)\b")


def _tidy(text: str) -> str:
    """A line's text with runs of spaces made one, and a stray space after a mid-word hyphen removed.

    Some text layers write "live- cell" for "live-cell"; a hyphen followed by a space is kept only when
    the next word shows it is suspended ("pre- and post-treatment", "two- to threefold").
    """
    text = re.sub(r"[ \t]{2,}", " ", text)

    def fix(m: re.Match) -> str:
        return m.group(0) if SUSPENDED.match(text[m.end() :]) else m.group(1) + "-"

    return re.sub(r"([A-Za-z0-9])[-\u2010\u2011] (?=[A-Za-z0-9])", fix, text)


def _in_margin(ln: Line, p: Page) -> bool:
    return ln.y0 > 0.915 * p.height or ln.y1 < 0.075 * p.height


def _furniture_rule(ln: Line, p: Page, margin_seen: Counter, body_size: float, n_pages: int) -> str | None:
    s = ln.text.strip()
    if not ln.upright:
        return "rotated-text"
    if LONE_NUMBER.match(s) and (not p.positioned or _in_margin(ln, p)):
        return "page-number"
    if NUMBER_COLUMN.match(s):
        return "line-number" if p.positioned and (ln.x1 < 0.12 * p.width or ln.x0 > 0.88 * p.width) else "figure-text"
    if p.positioned and _in_margin(ln, p) and n_pages > 1 and margin_seen[_mask_digits(s)] >= 2:
        return "running-head"
    if FURNITURE.match(s) and len(s) < 200:
        return "journal-furniture"
    if p.positioned and _in_margin(ln, p) and (DOI_IN_TEXT.search(s) or re.search(r"\b(?:19|20)\d{2}\b.*\d+[:;]\s?\d+", s)):
        return "journal-furniture"
    return None


def _norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", s.lower())


def _is_byline(group: list[Line], title_foot: float, p: Page, body_size: float, body_font: str) -> bool:
    """The authors' names just under the title: short lines, not the body's style, no sentence."""
    text = " ".join(ln.text for ln in group)
    if group[0].y1 > title_foot + 2 or title_foot - group[0].y1 > 0.12 * p.height:
        return False
    if SENTENCE_FINAL.search(text) and not text.endswith((".", "*")) or len(text) > 400:
        return False
    names = re.findall(r"[A-Z][a-z]+(?:-[a-z]+)?\s(?:[A-Z]\.\s)?[A-Z][a-z'’\-]+", text)
    return len(names) >= 1 and (any(group_ln.sup for group_ln in group) or "&" in text or " and " in text or "," in text)


def _names(byline: str) -> list[str]:
    """Authors' names from a page-1 byline: affiliation marks dropped, split at commas, "and" and "&"."""
    plain = re.sub(r"[\d*†‡§¶#]+", " ", byline)
    out = []
    for part in re.split(r",|\band\b|&", plain):
        name = " ".join(part.split())
        if 2 <= len(name.split()) <= 5 and all(w[:1].isupper() for w in name.split() if w not in ("de", "van", "von", "der", "da", "di", "del", "la", "le")):
            out.append(name)
    return out


def _title(pages: list[Page], src: PdfPages, body_size: float) -> tuple[str | None, list[Line]]:
    """The paper's title as page 1 prints it: its largest text near the top; the metadata title only confirms."""
    if not pages or not pages[0].lines or not pages[0].positioned:
        return src.info_title, []
    first = [ln for ln in pages[0].lines if ln.upright and len(ln.text) > 3 and ln.y0 > 0.35 * pages[0].height]
    if not first:
        return src.info_title, []
    top = max(ln.size for ln in first)
    if top < 1.25 * body_size:
        return src.info_title, []
    title_lines = sorted((ln for ln in first if abs(ln.size - top) < 0.5), key=lambda ln: -ln.y1)
    # one run of lines, top to bottom, not separated by other text
    run = [title_lines[0]]
    for ln in title_lines[1:]:
        if run[-1].y0 - ln.y1 < 1.5 * top:
            run.append(ln)
        else:
            break
    run.sort(key=lambda ln: (-round(ln.y1), ln.x0))
    text, _ = Joiner(Counter(), set()).lines(run)
    return " ".join(text.split()) or src.info_title, run


def _doi(src: PdfPages, pages: list[Page]) -> str | None:
    candidates = []
    for p in pages[:2]:
        for ln in p.lines:
            for m in DOI_IN_TEXT.finditer(ln.text):
                candidates.append(m.group(1).rstrip(".,;)"))
    if src.info_doi:
        candidates.insert(0, src.info_doi)
    for value in [src.info_subject or ""]:
        for m in DOI_IN_TEXT.finditer(value):
            candidates.insert(0, m.group(1).rstrip(".,;)"))
    return candidates[0] if candidates else None


_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"


def _year(text: str) -> int | None:
    """The year page 1 gives: its publication date, else its copyright line, else the latest of the dates
    it prints (received, accepted, published), else the first year on it."""
    for pattern in (
        rf"Published(?: online)?:?\s+(?:\d{{1,2}}\s+)?{_MONTHS}\s+(?:\d{{1,2}},?\s+)?((?:19|20)\d{{2}})",
        r"©\s*(?:The Author\(s\)\s*)?((?:19|20)\d{2})",
    ):
        m = re.search(pattern, text)
        if m:
            return int(m.group(1))
    dates = [int(y) for y in re.findall(rf"\b\d{{1,2}}\s+{_MONTHS}\s+((?:19|20)\d{{2}})\b", text)]
    dates += [int(y) for y in re.findall(rf"\b{_MONTHS}\s+\d{{1,2}},\s+((?:19|20)\d{{2}})\b", text)]
    if dates:
        return max(dates)
    m = re.search(r"\b((?:19|20)\d{2})\b", text)
    return int(m.group(1)) if m else None


RUNNING_HEAD_JOURNAL = re.compile(r"^(?:.*\bet\s?al\.\s+)?(?P<journal>[A-Z][A-Za-z.&\s]{2,60}?)\s+(?:19|20)\d{2}\s*[,;]\s*\d")


def _journal(src: PdfPages, running_heads: list[str]) -> str | None:
    """The journal from the PDF's subject line ("Nature Communications, doi:..."), else from a running
    head that cites the paper ("Int. J. Mol. Sci. 2024, 25, 1660", "Smith et al. eLife 2023;12:RP9")."""
    subject = src.info_subject or ""
    m = re.match(r"^([^,]{3,80}),\s*(?:\d|doi|https?://)", subject)
    if m:
        return m.group(1).strip()
    for line in running_heads:
        m = RUNNING_HEAD_JOURNAL.match(line.strip())
        if m:
            return m.group("journal").strip()
    return None