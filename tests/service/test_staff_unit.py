"""The staff tools' logic on a small index built with the fake embedder: the claim check (service/verify.py),
primary evidence (index/evidence.py) and citation formats (service/cite.py).  The real model's figures are in
tests/service/test_staff_api.py and `verbatim eval --staff`."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from index.build import ChunkSettings
from index.store import load_index
from index.update import update_index
from safety import Router
from service.answer import Answerer
from service.verify import compare, normalise, numbers
from tests.fakes import HashEmbedder

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ARTICLE = (
    "A Test Article\n\n"
    "Intro\n\n"
    "Ketamine reduced drinking by 40% in the “first” trial [1]. A second trial ran for two years [2].\n\n"
    "Safety: Ketamine can raise blood pressure during an infusion.\n\n"
    "Ketamine reduced drinking by 40% in the “first” trial [1].\n\n"
    "References\n\n"
    "1. Smith J, Doe A. A trial of ketamine for alcohol use disorder. J Addict. 2020;1:1-9. doi:10.1000/one\n"
    "2. Roe B. A two-year trial of ketamine. Addict Med. 2021;2:3-4.\n"
)


@pytest.fixture(scope="module")
def answerer(tmp_path_factory):
    root = tmp_path_factory.mktemp("staff-unit")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "test-article.txt").write_text(ARTICLE, encoding="utf-8")
    for f in (FIXTURES / "cited").glob("*.txt"):
        shutil.copy(f, corpus / f.name)
    for f in (FIXTURES / "papers" / "jats").glob("*.nxml"):
        shutil.copy(f, corpus / f.name)
    emb = HashEmbedder()
    update_index(corpus, root / "index", emb, ChunkSettings(160, 110), 20 * 2**20)
    return Answerer(load_index(root / "index"), emb, router=Router())


def verdicts(answerer, text):
    return [(s.verdict, s) for s in answerer.verify(text).sentences]


def test_normalise_folds_case_quotes_and_spacing_only():
    assert normalise("The  “First”\u00a0Trial’s") == normalise('the "first" trial\'s')
    assert normalise("40%") != normalise("45%")
    assert normalise("a–b") != normalise("a-b")  # a dash is not a quote: it still counts


def test_numbers_include_digits_and_number_words():
    assert numbers("two years, 40% and 1,200 people") == ["1200", "40", "two"]


def test_compare_diffs_words_and_keeps_each_sides_spelling():
    ratio, coverage, diff = compare("Ketamine cut drinking by 45% in the trial.", "Ketamine cut drinking by 40% in the trial.")
    assert 0.8 < ratio < 1 and coverage < 1
    assert [(d.op, d.text) for d in diff if d.op != "equal"] == [("delete", "40%"), ("insert", "45%")]


def test_an_exact_sentence_is_found_everywhere_it_occurs_whatever_its_quotes_and_case(answerer):
    [(v, s)] = verdicts(answerer, 'KETAMINE reduced drinking by 40% in the "first" trial.')
    assert v == "exact"
    assert len(s.matches) == 2  # the sentence stands twice in the article
    text = answerer.catalog.articles["test-article"].text
    for m in s.matches:
        assert m.quote == text[m.span.start : m.span.end] and m.similarity == 1.0
        assert [c.number for c in m.citations] == [1]  # the marker the writer left out is still cited


def test_a_changed_number_is_near_never_exact_and_the_diff_shows_it(answerer):
    [(v, s)] = verdicts(answerer, "Ketamine reduced drinking by 45% in the “first” trial.")
    assert v == "near"
    m = s.matches[0]
    assert m.numbers_changed
    assert ("delete", "40%") in [(d.op, d.text) for d in m.diff] and ("insert", "45%") in [(d.op, d.text) for d in m.diff]
    [(v, s)] = verdicts(answerer, "A second trial ran for three years.")
    assert v == "near" and s.matches[0].numbers_changed


def test_part_of_a_sentence_is_near_not_exact_but_a_sentence_after_a_colon_is_exact(answerer):
    [(v, _)] = verdicts(answerer, "Ketamine reduced drinking by 40% in the")
    assert v == "near"
    [(v, _)] = verdicts(answerer, "Ketamine can raise blood pressure during an infusion.")
    assert v == "exact"


def test_an_unrelated_sentence_is_not_found(answerer):
    [(v, s)] = verdicts(answerer, "The football season starts in August every year.")
    assert v == "not_found" and s.matches == []


def test_several_sentences_get_one_verdict_each_with_their_offsets(answerer):
    text = "Ketamine can raise blood pressure during an infusion. The football season starts in August."
    out = answerer.verify(text)
    assert [s.verdict for s in out.sentences] == ["exact", "not_found"]
    assert out.counts == {"exact": 1, "near": 0, "not_found": 1}
    for s in out.sentences:
        assert text[s.span.start : s.span.end] == s.sentence


def test_evidence_quotes_the_cited_paper_verbatim(answerer):
    data = answerer.index.data
    texts = {a.id: a.text for a in data.articles}
    with_source = [w for w in data.works if w.source_id]
    assert len(with_source) == 5  # the five JATS papers (the PDF is not in this corpus)
    for w in with_source:
        assert len(w.evidence) == len(w.citing)
        for row in w.evidence:
            assert 1 <= len(row) <= 2
            assert [e.score for e in row] == sorted((e.score for e in row), reverse=True)
            for e in row:
                assert e.source_id == w.source_id and 0 <= e.start < e.end <= len(texts[e.source_id])
    # the abstract sentence a test review copies is found in the abstract it was copied from
    crows = next(w for w in with_source if w.source_id == "pmc6398430")
    c, row = next((c, r) for c, r in zip(crows.citing, crows.evidence) if "fewest birds" in texts[c.article_id][c.start : c.end])
    assert "fewest birds being present during the breeding season" in texts["pmc6398430"][row[0].start : row[0].end]
    # ... and its best sentence, the one a card shows first, is that sentence
    assert row[0].start <= row[0].sentence_start < row[0].sentence_end <= row[0].end
    assert "fewest birds being present" in texts["pmc6398430"][row[0].sentence_start : row[0].sentence_end]


def test_ask_citations_carry_the_evidence_and_the_work(answerer):
    out = answerer.ask("local flock size fewest birds breeding season crows", top_k=10)
    cited = [c for p in out.passages if p.article.id.startswith("test-review") for c in p.citations]
    assert cited and all(c.work_id for c in cited)
    assert any(c.evidence and c.evidence[0].source_id == "pmc6398430" for c in cited)


def test_every_citation_format_parses_back(answerer):
    import bibtexparser
    import rispy

    from service.cite import cite

    cat = answerer.catalog
    p = next(p for p in cat.table if p.article_id == "test-article" and p.ref_ids and p.kind == "text")
    refs = [cat.references[r] for r in p.ref_ids]
    art = cat.articles[p.article_id]
    items = json.loads(cite(art, p, refs, "csl-json"))
    assert items[0]["title"] == "A Test Article" and p.text in items[0]["note"]
    assert {i["id"] for i in items[1:]} == set(p.ref_ids)
    lib = bibtexparser.parse_string(cite(art, p, refs, "bibtex"))
    assert not lib.failed_blocks and len(lib.entries) == 1 + len(refs)
    assert any(e.fields_dict["doi"].value == "10.1000/one" for e in lib.entries if "doi" in e.fields_dict)
    records = rispy.loads(cite(art, p, refs, "ris"))
    assert len(records) == 1 + len(refs) and records[0]["title"] == "A Test Article"
    apa = cite(art, p, refs, "apa")
    assert "A Test Article" in apa and f"\u201c{p.text}\u201d" in apa and "[1] Smith, J., & Doe, A. (2020)" in apa


def test_only_bracketed_markers_are_stripped_from_a_sentence_given_as_text():
    from index.evidence import strip_markers, without_span

    assert strip_markers("The Kir6.2-S118L mutation cut it by 40% [1]. See [2–4].") == "The Kir6.2-S118L mutation cut it by 40%. See."
    text = "Ketamine may help many disorders.15 Next."
    assert without_span(text, 0, 35, 33, 35) == "Ketamine may help many disorders."
