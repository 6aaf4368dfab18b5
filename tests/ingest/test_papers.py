"""Real papers as sources: JATS (fixtures, always) and PDF (the shared open-access folder, skipped when absent)."""
from __future__ import annotations

import re
import shutil
from collections import Counter
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ingest.markers import Cite, entry_key, find_author_year, resolve_cites
from ingest.pdf import Joiner, _tidy, fold
from ingest.pipeline import ingest_corpus
from ingest.records import PASSAGE_CAPTION, PASSAGE_REFERENCE, PROSE_KINDS
from tests.ingest.test_load import PAGES, write_pdf

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "papers"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "open-access-papers"
NATURE = SHARED / "pdf" / "10.1038_s41467-024-48375-1.pdf"
YEAST = SHARED / "pdf" / "10.1038_s41467-022-30570-7.pdf"
needs_shared = pytest.mark.skipif(not NATURE.exists(), reason=f"the open-access papers are not at {SHARED}")
LIGATURES = re.compile("[\ufb00-\ufb06]")
# a line-end hyphen left with the break after it; "down- and up-regulation" is a suspended hyphen, not one
HYPHEN_RESIDUE = re.compile(r"[a-z][-\u2010\u2011\u00ad]\s+(?!(?:and|or|to|nor)\b)[a-z]")


def ingest_one(tmp_path_factory, source: Path, name: str):
    """``source`` alone in a corpus under file name ``name``: its article and passages."""
    corpus = tmp_path_factory.mktemp("paper")
    shutil.copyfile(source, corpus / name)
    r = ingest_corpus(corpus)
    assert r.skipped == []
    [a] = r.articles
    return a, r.passages


# --- JATS --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def jats(tmp_path_factory):
    # named after nothing it holds: title and DOI must come from the XML
    a, passages = ingest_one(tmp_path_factory, FIXTURES / "jats" / "pone.0000217.nxml", "misleading-name.nxml")
    return a, passages, ET.parse(FIXTURES / "jats" / "pone.0000217.nxml").getroot()


def test_jats_metadata_comes_from_the_front_matter_not_the_file_name(jats):
    a, _, _ = jats
    assert a.source_format == "jats"
    assert a.meta.title == "Quantifying Organismal Complexity using a Population Genetic Approach"
    assert a.meta.doi == "10.1371/journal.pone.0000217"
    assert a.meta.url == "https://doi.org/10.1371/journal.pone.0000217"


def test_jats_sections_references_and_captions(jats):
    a, passages, root = jats
    headings = [s.heading for s in a.sections if s.heading]
    assert "Introduction" in headings and "References" in headings
    assert len(a.references) == len(root.findall(".//ref-list/ref"))
    captions = [p for p in passages if p.kind == PASSAGE_CAPTION]
    assert captions and all(re.match(r"^(?:Figure|Table) \d+\.", p.text) for p in captions)
    assert all(a.text[p.char_start : p.char_end] == p.text for p in passages)


def test_every_jats_citation_resolves_to_the_ref_its_xref_names(jats):
    a, _, root = jats
    cited = {rid for x in root.iter("xref") if x.get("ref-type") == "bibr" for rid in x.get("rid", "").split()}
    numbers = {r.get("id"): int(r.findtext("label").strip("[].")) for r in root.iter("ref")}
    resolved = {r.number for m in a.markers for rid in m.ref_ids for r in a.references if r.ref_id == rid}
    assert {numbers[rid] for rid in cited} <= resolved
    assert all(m.ref_ids for m in a.markers)


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"<article><body><p>unclosed</body></article>", "not well-formed XML"), (b"<html><body/></html>", "not a JATS article")],
)
def test_a_bad_jats_file_is_skipped_with_its_reason(tmp_path, content, reason):
    (tmp_path / "bad.nxml").write_bytes(content)
    r = ingest_corpus(tmp_path)
    assert r.articles == [] and len(r.skipped) == 1 and reason in r.skipped[0].reason


# --- PDF layout rules, in isolation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("the sen-", "sitivity of", "the sensitivity of"),  # English knows the word
        ("fronto-cingulo-", "striatal network", "fronto-cingulo-striatal network"),  # already a compound
        ("a well-", "known effect", "a well-known effect"),  # two words of their own
        ("Pandya-", "Jones and", "Pandya-Jones and"),  # a capital after the hyphen
        ("first line", "second line", "first line second line"),
    ],
)
def test_line_end_hyphens(left, right, joined):
    assert Joiner(word_counts(left + " " + right), set()).glue(left, right) == joined


def word_counts(text: str) -> Counter:
    return Counter(w.lower() for w in re.findall(r"[A-Za-z]+", text))


def test_a_hyphen_the_paper_writes_mid_line_is_kept_at_a_line_end():
    words = word_counts("cortico striatal")
    assert Joiner(words, {"cortico-striatal"}).glue("the cortico-", "striatal loop") == "the cortico-striatal loop"


@pytest.mark.parametrize(
    ("line", "tidy"),
    [
        ("the live- cell imaging", "the live-cell imaging"),
        ("pre- and post-treatment", "pre- and post-treatment"),  # a suspended hyphen stays
        ("two- to threefold", "two- to threefold"),
        ("HeLa  S3   cells", "HeLa S3 cells"),
    ],
)
def test_tidy(line, tidy):
    assert _tidy(line) == tidy


def test_compatibility_characters_fold_but_superscripts_do_not():
    assert "".join(fold(c) for c in "signiﬁcant ﬂow\u00a0x") == "significant flow x"
    assert fold("²") == "²"


def test_author_year_citations_and_their_resolution():
    text = "as shown (Smith et al., 2020; Lee and Wu, 2019a) and by Pandya-Jones et al. (2013), unlike Kim 2017."
    found = find_author_year(text, 0, len(text))
    assert [text[f.start : f.end] for f in found] == ["(Smith et al., 2020; Lee and Wu, 2019a)", "Pandya-Jones et al. (2013)"]
    assert [c.key for f in found for c in f.cites] == ["smith 2020", "lee 2019a", "pandyajones 2013"]
    entries = [
        ("r1", *entry_key("Lee K, Wu T. 2019. First. J 1:2."), "Lee K, Wu T. 2019. First."),
        ("r2", *entry_key("Lee K, Wu T. 2019. Second. J 1:3."), "Lee K, Wu T. 2019. Second."),
        ("r3", *entry_key("Smith, J., Doe, A. (2020). Title. J 4, 5."), "Smith, J."),
    ]
    assert resolve_cites([Cite("Lee", "2019b", "Wu"), Cite("Smith", "2020")], entries) == ["r2", "r3"]


# --- PDF, whole papers -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nature(tmp_path_factory):
    return ingest_one(tmp_path_factory, NATURE, NATURE.name)


@needs_shared
def test_pdf_text_reads_like_the_paper(nature):
    a, passages = nature
    prose = " ".join(p.text for p in passages)
    assert LIGATURES.search(a.text) is None
    assert HYPHEN_RESIDUE.findall(prose) == []
    assert "fronto-cingulo-striatal" in prose and "significant" in prose
    assert all(a.text[p.char_start : p.char_end] == p.text for p in passages)


@needs_shared
def test_pdf_furniture_is_dropped_with_its_rule(nature):
    a, passages = nature
    rules = {rule for rule, _ in a.removed}
    assert {"running-head", "page-number", "journal-furniture", "title"} <= rules
    assert not any(p.text.startswith("Nature Communications |") for p in passages)
    assert not any(re.fullmatch(r"\d{1,3}", p.text.strip()) for p in passages)


@needs_shared
def test_pdf_pages_captions_columns_and_metadata(nature):
    a, passages = nature
    assert a.meta.title.startswith("Cingulate microstimulation induces negative decision-making")
    assert a.meta.doi == "10.1038/s41467-024-48375-1"
    assert (a.meta.journal, a.meta.date) == ("Nature Communications", "2024")
    assert a.meta.author == "Satoko Amemori, Ann M. Graybiel, Ken-ichi Amemori"  # the metadata names only the first
    assert all(p.page is not None for p in passages)
    captions = [p for p in a.paragraphs if p.kind == PASSAGE_CAPTION]
    assert len(captions) >= 4 and all(a.text[p.start : p.end].startswith("Fig.") for p in captions)
    inside = [any(c.start <= p.char_start and p.char_end <= c.end for c in captions) for p in passages if p.kind == PASSAGE_CAPTION]
    assert inside and all(inside)
    # page 2: the left column ends before the right column's "Results" begins
    assert a.text.index("To address this possibility") < a.text.index("Microstimulation of the sgACC induced negative bias")
    refs = [p for p in passages if p.kind == PASSAGE_REFERENCE]
    assert [r.number for r in a.references] == list(range(1, 70)) and len(refs) == 69


@needs_shared
def test_a_pdf_named_after_another_paper_is_known_by_what_it_holds(tmp_path):
    shutil.copyfile(YEAST, tmp_path / NATURE.name)  # the yeast paper, under the cingulate paper's name
    [a] = ingest_corpus(tmp_path).articles
    assert a.meta.doi == "10.1038/s41467-022-30570-7"
    assert a.meta.title.startswith("Functional expression of opioid receptors")


def test_a_page_no_extractor_can_read_costs_that_page_only(tmp_path, monkeypatch):
    """Fault injection: pdfminer fails on page 2, then pypdf too; pages 1 and 3 are kept, page 2 is reported."""
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pypdf import PageObject

    write_pdf(tmp_path / "rivers.pdf", PAGES, title="Calm Rivers in a Dry Summer")
    real = PDFPageInterpreter.process_page
    calls = {"n": 0}

    def process_page(self, page):
        calls["n"] += 1
        if calls["n"] == 2:
            raise ValueError("content stream too long")
        return real(self, page)

    monkeypatch.setattr(PDFPageInterpreter, "process_page", process_page)
    [a] = ingest_corpus(tmp_path).articles  # the second extractor reads page 2
    assert "Flow fell by half in dry months." in a.text and a.unreadable_pages == []

    calls["n"] = 0
    monkeypatch.setattr(PageObject, "extract_text", lambda *_a, **_k: (_ for _ in ()).throw(RuntimeError("LimitReachedError")))
    r = ingest_corpus(tmp_path)
    [a] = r.articles
    assert [p for p, _ in a.unreadable_pages] == [2] and "LimitReachedError" in a.unreadable_pages[0][1]
    assert "Rivers are calm in summer." in a.text and "dry months calm the rivers" in a.text
    assert "Flow fell by half" not in a.text
    assert all(p.page in (1, 3) for p in r.passages if p.kind in PROSE_KINDS)


def test_jats_captions_kept_apart_in_a_floats_group_are_read(tmp_path):
    xml = (
        "<article><front><article-meta><title-group><article-title>Floats</article-title></title-group>"
        "</article-meta></front><body><sec><title>Results</title><p>Levels fell <xref ref-type='bibr' rid='B1'>1</xref>."
        "</p></sec></body><floats-group><fig id='f1'><label>Figure 1</label><caption><p>Levels by week.</p></caption>"
        "</fig></floats-group><back><ref-list><ref id='B1'><label>1</label><mixed-citation>Smith J. Levels. "
        "J Lev. 2001;1:2.</mixed-citation></ref></ref-list></back></article>"
    )
    (tmp_path / "floats.nxml").write_text(xml, encoding="utf-8")
    r = ingest_corpus(tmp_path)
    [a] = r.articles
    assert [p.text for p in r.passages if p.kind == PASSAGE_CAPTION] == ["Figure 1. Levels by week."]
    [m] = a.markers
    assert (m.literal, m.numbers, len(m.ref_ids)) == ("1", [1], 1)


# --- a PDF that ships with the tests (runs on a clean clone) ----------------------------------------


@pytest.fixture(scope="module")
def diabetologia(tmp_path_factory):
    return ingest_one(tmp_path_factory, FIXTURES / "pdf" / "10.1007_s00125-024-06103-w.pdf", "paper.pdf")


def test_fixture_pdf_reads_like_the_paper(diabetologia):
    a, passages = diabetologia
    prose = " ".join(p.text for p in passages if p.kind in PROSE_KINDS)
    assert LIGATURES.search(a.text) is None and HYPHEN_RESIDUE.findall(prose) == []
    assert all(a.text[p.char_start : p.char_end] == p.text for p in passages)
    assert all(p.page is not None for p in passages)
    assert {"running-head", "page-number"} <= {rule for rule, _ in a.removed}
    assert a.cleaning["hyphens_joined"] > 0


def test_fixture_pdf_metadata_references_markers_and_captions(diabetologia):
    a, passages = diabetologia
    assert a.meta.title.startswith("A loss") and "KCNJ11" in a.meta.title
    assert (a.meta.doi, a.meta.journal, a.meta.date) == ("10.1007/s00125-024-06103-w", "Diabetologia", "2024")
    assert [r.number for r in a.references] == list(range(1, 48))
    assert a.markers and all(len(m.ref_ids) == len(m.numbers) for m in a.markers)
    captions = [p for p in a.paragraphs if p.kind == PASSAGE_CAPTION]
    assert captions and all(re.match(r"^(?:Fig\.|Table) \d", a.text[p.start : p.end]) for p in captions)


def test_jats_nested_lists_are_read_once(tmp_path):
    xml = (
        "<article><front><article-meta><title-group><article-title>Lists</article-title></title-group>"
        "</article-meta></front><body><sec><title>Methods</title><p>Steps:<list><list-item><p>First step.</p>"
        "<list><list-item><p>Inner step.</p></list-item></list></list-item></list></p></sec></body></article>"
    )
    (tmp_path / "lists.nxml").write_text(xml, encoding="utf-8")
    [a] = ingest_corpus(tmp_path).articles
    assert a.text.count("Inner step.") == 1 and a.text.count("First step.") == 1
