"""Read a JATS XML article (as PubMed Central publishes it) into blocks.

The structure is in the markup, so nothing is guessed: the title and DOI from
``<front>``; the abstract and each ``<sec>`` with its ``<title>`` as a heading
and its ``<p>`` as paragraphs; figure and table captions (``<fig>``,
``<table-wrap>``, also those kept apart in ``<floats-group>``) as captions, with their labels; the ``<ref-list>`` one entry
per ``<ref>``; and every ``<xref ref-type="bibr">`` as an exact citation to
the ``<ref>`` its ``rid`` names.  Neighbouring xrefs joined only by commas,
semicolons or a dash form one marker; a dash between two numbered xrefs
("[1]–[3]") cites the entries between them too.  Table bodies, formulas and
supplementary material are left out (they do not quote as prose); table
footnotes are kept with their caption.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ingest.paper import BLOCK_CAPTION, BLOCK_HEADING, BLOCK_REFERENCE, BLOCK_TEXT, Block, PaperMeta

SKIP = {"table", "disp-formula", "inline-formula", "tex-math", "graphic", "media", "supplementary-material", "alternatives", "object-id"}
JOINERS = re.compile(r"^\s*(?:[,;]|[–\-—]|,?\s*and)?\s*$")
DASH = re.compile(r"^\s*[–\-—]\s*$")
SPACE = re.compile(r"\s+")


class JatsError(Exception):
    """The file is not a JATS article that can be read; the message says why."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _attr(el: ET.Element, name: str) -> str | None:
    for k, v in el.attrib.items():
        if _local(k) == name:
            return v
    return None


class _Text:
    """Flattens an element's mixed content into one line of text, recording where each bibr xref lands."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.xrefs: list[tuple[int, int, list[str]]] = []

    def add(self, s: str | None) -> None:
        if not s:
            return
        s = SPACE.sub(" ", s)
        if self.length == 0:
            s = s.lstrip()
        elif self.parts and self.parts[-1].endswith(" ") and s.startswith(" "):
            s = s[1:]
        self.parts.append(s)
        self.length += len(s)

    def walk(self, el: ET.Element, skip_nested: set[str] = frozenset()) -> None:
        tag = _local(el.tag)
        if tag in SKIP or tag in skip_nested:
            self.add(el.tail)
            return
        if tag == "xref" and _attr(el, "ref-type") == "bibr":
            start = self.length
            self.add("".join(el.itertext()))
            rids = (_attr(el, "rid") or "").split()
            self.xrefs.append((start, self.length, rids))
            self.add(el.tail)
            return
        if tag == "break":
            self.add(" ")
        self.add(el.text)
        for child in el:
            self.walk(child, skip_nested)
        self.add(el.tail if el is not self._root else None)

    def of(self, el: ET.Element, skip_nested: set[str] = frozenset()) -> tuple[str, list[tuple[int, int, list[str]]]]:
        self._root = el
        self.walk(el, skip_nested)
        text = "".join(self.parts)
        stripped = text.rstrip()
        return stripped, [(s, min(e, len(stripped)), r) for s, e, r in self.xrefs if s < len(stripped)]


def flatten(el: ET.Element, skip_nested: set[str] = frozenset()) -> tuple[str, list[tuple[int, int, list[str]]]]:
    return _Text().of(el, skip_nested)


def _group(text: str, xrefs: list[tuple[int, int, list[str]]], order: dict[str, int], by_index: list[str]):
    """Neighbouring xrefs joined by commas or dashes as one marker; a dash cites the entries between."""
    out: list[tuple[int, int, list[str]]] = []
    for s, e, rids in xrefs:
        if out and JOINERS.match(text[out[-1][1] : s]):
            ps, pe, prids = out[-1]
            between = text[pe:s]
            keys = list(prids)
            if DASH.match(between) and prids and rids and prids[-1] in order and rids[0] in order:
                lo, hi = order[prids[-1]], order[rids[0]]
                keys += [by_index[i] for i in range(lo + 1, hi) if 0 <= i < len(by_index)] if hi - lo <= 50 else []
            keys += [r for r in rids if r not in keys]
            out[-1] = (ps, e, keys)
        else:
            out.append((s, e, list(rids)))
    return out


NAME_PARTS = {"surname", "given-names", "name", "collab", "etal", "string-name", "suffix", "prefix"}


def _spaced(el: ET.Element) -> str:
    """An element's text; where markup alone separates two elements ("<surname>Raser</surname><given-names>JM
    </given-names>", "<year>1996</year><article-title>"), a space stands in for it (", " between names)."""
    out: list[str] = []

    def put(s: str | None) -> None:
        if s:
            out.append(s)

    def walk(e: ET.Element) -> None:
        put(e.text)
        children = list(e)
        for i, c in enumerate(children):
            walk(c)
            tail = c.tail or ""
            nxt = children[i + 1] if i + 1 < len(children) else None
            if nxt is not None and not tail:
                # no text at all between two elements: markup was the only separator
                names = _local(c.tag) in ("name", "string-name", "collab") and _local(nxt.tag) in NAME_PARTS
                put(", " if names else " ")
            put(tail)

    walk(el)
    return "".join(out)


def _ref_text(ref: ET.Element) -> str:
    """A ``<ref>`` as its entry reads: the mixed citation as written, else the element citation's fields in order."""
    cit = next((c for c in ref.iter() if _local(c.tag) in ("mixed-citation", "citation", "element-citation")), None)
    if cit is None:
        return ""
    if _local(cit.tag) != "element-citation":
        return SPACE.sub(" ", _spaced(cit)).strip()
    parts: list[str] = []
    for child in cit:
        tag = _local(child.tag)
        if tag == "person-group":
            names = []
            for name in child:
                if _local(name.tag) == "name":
                    sur = "".join(next((x for x in name if _local(x.tag) == "surname"), ET.Element("x")).itertext())
                    giv = "".join(next((x for x in name if _local(x.tag) == "given-names"), ET.Element("x")).itertext())
                    names.append(f"{sur} {giv}".strip())
                elif _local(name.tag) in ("collab", "etal"):
                    names.append("et al" if _local(name.tag) == "etal" else "".join(name.itertext()))
            parts.append(", ".join(names) + ".")
        elif tag in ("year",):
            parts.append(f"({''.join(child.itertext()).strip()})")
        elif tag in ("article-title", "chapter-title", "source", "publisher-name"):
            t = SPACE.sub(" ", "".join(child.itertext())).strip()
            parts.append(t if t.endswith((".", "?", "!")) else t + ".")
        elif tag == "volume":
            parts.append("".join(child.itertext()).strip())
        elif tag == "fpage":
            parts.append(": " + "".join(child.itertext()).strip())
        elif tag == "lpage":
            parts.append("–" + "".join(child.itertext()).strip())
        elif tag == "pub-id" and _attr(child, "pub-id-type") == "doi":
            parts.append("doi:" + "".join(child.itertext()).strip())
    text = " ".join(parts)
    text = re.sub(r"\s+:\s", ": ", text).replace(" –", "–")
    return SPACE.sub(" ", text).strip()


def read_jats(data: bytes) -> tuple[list[Block], PaperMeta]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise JatsError(f"not well-formed XML ({e})") from None
    if _local(root.tag) != "article":
        raise JatsError(f"not a JATS article (the root element is <{_local(root.tag)}>, expected <article>)")
    front = next((c for c in root if _local(c.tag) == "front"), None)
    body = next((c for c in root if _local(c.tag) == "body"), None)
    back = next((c for c in root if _local(c.tag) == "back"), None)
    meta = PaperMeta()
    if front is not None:
        art = next((c for c in front.iter() if _local(c.tag) == "article-meta"), None)
        if art is not None:
            for el in art.iter():
                tag = _local(el.tag)
                if tag == "article-title" and meta.title is None:
                    meta.title = SPACE.sub(" ", "".join(el.itertext())).strip() or None
                elif tag == "article-id" and _attr(el, "pub-id-type") == "doi" and meta.doi is None:
                    meta.doi = "".join(el.itertext()).strip()
                elif tag == "contrib" and _attr(el, "contrib-type") == "author":
                    sur = next(("".join(x.itertext()) for x in el.iter() if _local(x.tag) == "surname"), "")
                    giv = next(("".join(x.itertext()) for x in el.iter() if _local(x.tag) == "given-names"), "")
                    if sur:
                        meta.authors.append(f"{giv} {sur}".strip())
                elif tag == "pub-date" and meta.year is None:
                    y = next(("".join(x.itertext()) for x in el if _local(x.tag) == "year"), "")
                    meta.year = int(y) if y.strip().isdigit() else None
        jt = next((c for c in front.iter() if _local(c.tag) == "journal-title"), None)
        if jt is not None:
            meta.journal = SPACE.sub(" ", "".join(jt.itertext())).strip() or None

    refs = [r for r in (back.iter() if back is not None else []) if _local(r.tag) == "ref"]
    ref_ids = [r.get("id") or f"ref{i}" for i, r in enumerate(refs)]
    order = {rid: i for i, rid in enumerate(ref_ids)}

    blocks: list[Block] = []
    seen: set[int] = set()  # elements already read (a list nested in a list is reached twice)

    def para(el: ET.Element, kind: str = BLOCK_TEXT, prefix: str = "") -> None:
        if id(el) in seen:
            return
        seen.add(id(el))
        text, xrefs = flatten(el, {"fig", "table-wrap", "list"} if kind == BLOCK_TEXT else set())
        if prefix:
            text = f"{prefix} {text}" if text else prefix
            xrefs = [(s + len(prefix) + 1, e + len(prefix) + 1, r) for s, e, r in xrefs]
        if text.strip():
            blocks.append(Block(kind, text, None, cites=_group(text, xrefs, order, ref_ids)))

    def caption(el: ET.Element) -> None:
        if id(el) in seen:
            return
        seen.add(id(el))
        label = next(("".join(c.itertext()).strip() for c in el if _local(c.tag) == "label"), "")
        cap = next((c for c in el if _local(c.tag) == "caption"), None)
        if cap is None:
            return
        text_parts, xrefs, pos = [], [], 0
        for c in cap:
            if _local(c.tag) in ("title", "p"):
                t, xr = flatten(c)
                if not t:
                    continue
                if text_parts:
                    pos += 1
                xrefs += [(s + pos, e + pos, r) for s, e, r in xr]
                text_parts.append(t)
                pos += len(t)
        text = " ".join(text_parts)
        if label:
            text = f"{label}. {text}" if not label.endswith(".") else f"{label} {text}"
            shift = len(text) - pos
            xrefs = [(s + shift, e + shift, r) for s, e, r in xrefs]
        for fn in el.iter():
            if _local(fn.tag) == "table-wrap-foot":
                t, xr = flatten(fn)
                if t:
                    xrefs += [(s + len(text) + 1, e + len(text) + 1, r) for s, e, r in xr]
                    text = f"{text} {t}"
        if text.strip():
            blocks.append(Block(BLOCK_CAPTION, text, None, cites=_group(text, xrefs, order, ref_ids)))

    def list_paragraphs(lst: ET.Element) -> None:
        for item in lst.iter():
            if _local(item.tag) == "list-item":
                for ip in item:
                    if _local(ip.tag) == "p":
                        para(ip)

    def section(el: ET.Element) -> None:
        for c in el:
            tag = _local(c.tag)
            if tag == "title":
                t = SPACE.sub(" ", "".join(c.itertext())).strip()
                if t:
                    blocks.append(Block(BLOCK_HEADING, t, None))
            elif tag == "sec":
                section(c)
            elif tag == "p":
                para(c)
                for nested in c.iter():
                    if _local(nested.tag) in ("fig", "table-wrap"):
                        caption(nested)
                    elif _local(nested.tag) == "list":
                        list_paragraphs(nested)
            elif tag in ("fig", "table-wrap"):
                caption(c)
            elif tag == "fig-group" or tag == "table-wrap-group":
                for f in c:
                    if _local(f.tag) in ("fig", "table-wrap"):
                        caption(f)
            elif tag == "list":
                list_paragraphs(c)
            elif tag in ("disp-quote", "boxed-text"):
                section(c)

    if front is not None:
        for abstract in (c for c in front.iter() if _local(c.tag) == "abstract"):
            if _attr(abstract, "abstract-type") in ("toc", "teaser"):
                continue
            title = next((c for c in abstract if _local(c.tag) == "title"), None)
            if title is None:
                blocks.append(Block(BLOCK_HEADING, "Abstract", None))
            section(abstract)
    if body is not None:
        section(body)
    floats = next((c for c in root if _local(c.tag) == "floats-group"), None)
    if floats is not None:  # figures and tables kept apart from the text, as some publishers do
        for c in floats.iter():
            if _local(c.tag) in ("fig", "table-wrap"):
                caption(c)
    if back is not None:
        for c in back:
            tag = _local(c.tag)
            if tag in ("ack", "sec", "notes", "fn-group", "app-group"):
                section(c)
        if refs:
            blocks.append(Block(BLOCK_HEADING, "References", None))
            for rid, ref in zip(ref_ids, refs):
                label = next(("".join(c.itertext()).strip() for c in ref if _local(c.tag) == "label"), "")
                text = _ref_text(ref)
                if not text:
                    continue
                number = int(label.strip("[].")) if label.strip("[].").isdigit() else None
                blocks.append(Block(BLOCK_REFERENCE, text, None, key=rid, number=number))
    if body is None and not any(b.kind == BLOCK_TEXT for b in blocks):
        raise JatsError("the article has no <body> text (only its front matter)")
    return blocks, meta
