"""Works: one record per cited paper across articles (ingest/works.py), on the real corpus and on test data
that cites real open-access papers (tests/fixtures/cited/, tests/fixtures/papers/)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.pipeline import ingest_corpus
from ingest.records import Reference
from ingest.references import parse_entry
from ingest.works import find_works, group_references, normal_doi, same_work

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def ref(ref_id: str, article: str, text: str, **fields) -> Reference:
    parsed = {**vars(parse_entry(text)), **fields}
    return Reference(ref_id=ref_id, article_id=article, number=None, text=text, char_start=0, char_end=len(text), **parsed)


JONES_APA = ("Jones, J. L., Mateus, C. F., Malcolm, R. J., Brady, K. T., & Back, S. E. (2018). Efficacy of ketamine in the "
             "treatment of substance use disorders: A systematic review. Frontiers in Psychiatry, 9. "
             "https://www.frontiersin.org/article/10.3389/fpsyt.2018.00277")
JONES_VANCOUVER = ("Jones JL, Mateus CF. Malcolm RJ, Brady KT, Back SE. Efficacy of Ketamine in the Treatment of Substance "
                   "Use Disorders: A Systematic Review. Front Psychiatry. 2018 Jul.")


def test_the_same_paper_in_two_citation_styles_is_one_work():
    a, b = ref("a", "x", JONES_APA), ref("b", "y", JONES_VANCOUVER)
    assert a.doi and not b.doi
    assert same_work(a, b)
    assert len(group_references([a, b])) == 1


def test_a_different_year_or_first_author_or_doi_keeps_works_apart():
    base = ref("a", "x", JONES_VANCOUVER)
    other_year = ref("b", "y", JONES_VANCOUVER.replace("2018", "2019"))
    other_author = ref("c", "y", JONES_VANCOUVER.replace("Jones JL", "Smith JL"))
    assert not same_work(base, other_year) and not same_work(base, other_author)
    d1 = ref("d", "x", JONES_APA, doi="10.1/one")
    d2 = ref("e", "y", JONES_APA, doi="10.1/two")
    assert not same_work(d1, d2)
    # a third entry without a DOI that matches both by title must not join the two DOIs into one work
    groups = group_references([d1, d2, ref("f", "z", JONES_VANCOUVER)])
    assert len(groups) == 2


def test_a_short_title_matches_only_by_doi():
    a = ref("a", "x", "Smith J. Ketamine. J Psych. 2020.")
    b = ref("b", "y", "Smith J. Ketamine. J Psych. 2020.")
    assert not same_work(a, b)


@pytest.mark.parametrize("given, expected", [
    ("https://doi.org/10.1007/S00125-024-06103-W.", "10.1007/s00125-024-06103-w"),
    ("doi:10.1186/1472-6831-8-11", "10.1186/1472-6831-8-11"),
    (None, None),
])
def test_dois_are_compared_in_one_form(given, expected):
    assert normal_doi(given) == expected


def test_vancouver_authors_with_particles_and_four_initials_parse():
    f = parse_entry("van der Meulen MJ, John MT, Naeije M, Lobbezoo F. The Dutch version of the Oral Health Impact Profile "
                    "(OHIP-NL): Translation, reliability and construct validity. BMC Oral Health. 2008;8:11.")
    assert f.authors[0] == "van der Meulen MJ" and f.title.startswith("The Dutch version")
    f = parse_entry("Fafetine J, Rutten VPMG, Coetzer JAW, et al. Serological evidence of Rift Valley fever virus circulation. "
                    "PLoS Negl Trop Dis. 2013;7(2):e2065.")
    assert f.authors == ["Fafetine J", "Rutten VPMG", "Coetzer JAW"] and f.title.startswith("Serological evidence")


def test_the_bundled_corpus_merges_the_jones_review_across_three_articles(corpus_result):
    works = find_works(corpus_result.articles, corpus_result.passages)
    refs = {r.ref_id: r for a in corpus_result.articles for r in a.references}
    jones = [w for w in works if w.doi == "10.3389/fpsyt.2018.00277"]
    assert len(jones) == 1
    w = jones[0]
    assert sorted(refs[r].number for r in w.ref_ids) == [15, 19]  # #15 in one list, #19 in another
    texts = {a.id: a.text for a in corpus_result.articles}
    by_article = {c.article_id: c for c in w.citing}
    assert len(by_article) == 3
    mention = by_article["ketamine-promising-treatment-for-substance-use-disorders"]  # named, without a number
    assert mention.marker_start is None and mention.mention == "Frontiers in Psychiatry"
    assert "systematic review published recently in Frontiers in Psychiatry" in texts[mention.article_id][mention.start : mention.end]
    for c in w.citing:
        if c.marker_start is not None:
            assert c.start <= c.marker_start <= c.end + 2  # the sentence holds its marker
    # no other work of the bundled corpus is named without a marker: mentions need a rare title word or the year
    assert [x for x in works if any(c.mention for c in x.citing)] == [w]


@pytest.fixture(scope="module")
def cited_result(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cited")
    for f in (FIXTURES / "cited").glob("*.txt"):
        shutil.copy(f, folder / f.name)
    for f in (FIXTURES / "papers").rglob("*"):
        if f.suffix in (".nxml", ".pdf"):
            shutil.copy(f, folder / f.name)
    return ingest_corpus(folder)


def test_papers_in_the_corpus_link_to_the_works_that_cite_them(cited_result):
    works = find_works(cited_result.articles, cited_result.passages)
    papers = {a.id: a for a in cited_result.articles if a.source_format != "text"}
    linked = {w.source_id: w for w in works if w.source_id}
    assert set(linked) == set(papers)  # each of the six papers is cited by the test review, by DOI
    for sid, w in linked.items():
        assert w.matched_by == "doi" and w.doi == normal_doi(papers[sid].meta.doi)
        assert any(c.article_id == "test-review-a" for c in w.citing)
    # Part B lists the crows and Rift Valley papers without DOIs: they still join the same works
    refs = {r.ref_id: r for a in cited_result.articles for r in a.references}
    for sid in ("pmc6398430", "pntd-0002065", "10-1007-s00125-024-06103-w"):
        assert {refs[r].article_id for r in linked[sid].ref_ids} == {"test-review-a", "test-review-b"}


def test_a_paper_without_a_doi_in_the_entry_links_by_its_title(cited_result):
    from ingest.works import link_source, _work_fields

    papers = [a for a in cited_result.articles if a.source_format != "text"]
    b = next(a for a in cited_result.articles if a.id == "test-review-b")
    crows = next(r for r in b.references if r.title and r.title.startswith("Counting crows"))
    assert crows.doi is None
    assert link_source(_work_fields([crows]), papers) == ("pmc6398430", "title")
