"""Hybrid retrieval over the real corpus with the real model."""
from __future__ import annotations

import pytest

from index.search import Searcher

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def searcher(real_index, real_embedder):
    return Searcher(real_index, real_embedder)


def _refs(real_index):
    return {r.ref_id: r for a in real_index.data.articles for r in a.references}


def test_single_dose_drinking_question(searcher, real_index):
    """The issue's example: the passage and its Das RK reference are among the passages shown."""
    hits = searcher.search("Does a single ketamine dose reduce drinking?", top_k=3)
    found = [h.passage for h in hits if "a one-off ketamine dose can reduce heavy drinking" in h.passage.text]
    assert found, [h.passage.text[:60] for h in hits]
    refs = _refs(real_index)
    assert any(refs[r].authors and refs[r].authors[0] == "Das RK" for r in found[0].ref_ids)


def test_author_and_year_find_the_reference_entry(searcher, real_index):
    hit = searcher.search("Krupitsky 2002", top_k=1)[0]
    assert hit.passage.kind == "reference"
    r = _refs(real_index)[hit.passage.ref_ids[0]]
    assert r.year == 2002 and r.authors[0].startswith("Krupitsky")


def test_doi_finds_its_entry(searcher, real_index):
    hit = searcher.search("10.1038/npp.2017.194", top_k=1)[0]
    assert _refs(real_index)[hit.passage.ref_ids[0]].doi == "10.1038/npp.2017.194"


@pytest.mark.parametrize(("query", "needle"), [("48.2%", "48.2% abstinence"), ("Spravato", "Spravato (esketamine)")])
def test_exact_terms_rank_first_in_hybrid(searcher, query, needle):
    assert needle in searcher.search(query, top_k=1)[0].passage.text


def test_modes_and_kinds(searcher, real_index, real_embedder):
    q = "ketamine for cocaine use disorder"
    for mode in ("dense", "bm25", "hybrid"):
        hits = searcher.search(q, top_k=5, mode=mode)
        assert 1 <= len(hits) <= 5
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    rrf = Searcher(real_index, real_embedder, fusion="rrf").search(q, top_k=5)
    assert all(h.score <= 2 / 61 for h in rrf) and len(rrf) == 5
    assert all(h.passage.kind == "text" for h in searcher.search(q, top_k=10, kinds={"text"}))


def test_bad_arguments(searcher):
    with pytest.raises(ValueError, match="empty"):
        searcher.search("   ")
    with pytest.raises(ValueError, match="top_k"):
        searcher.search("x", top_k=0)
    with pytest.raises(ValueError, match="mode"):
        searcher.search("x", mode="magic")
    with pytest.raises(ValueError, match="fusion"):
        Searcher(searcher.index, searcher.embedder, fusion="magic")
