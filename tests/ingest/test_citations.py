"""Reference parsing and marker resolution against the hand-checked tables."""
from __future__ import annotations

import pytest

from tests.ingest.expected_citations import MARKERS, NON_MARKERS, REFERENCES

ARTICLE_IDS = sorted(MARKERS)


def test_tables_cover_the_whole_corpus(articles):
    assert sorted(articles) == ARTICLE_IDS == sorted(REFERENCES)


@pytest.mark.parametrize("article_id", ARTICLE_IDS)
def test_every_marker_found_with_its_numbers(articles, article_id):
    a = articles[article_id]
    got = [(a.text[max(0, m.char_start - 40) : m.char_start], m.literal, m.numbers) for m in a.markers]
    expected = MARKERS[article_id]
    assert [(lit, nums) for _, lit, nums in got] == [(lit, nums) for _, lit, nums in expected]
    for (ctx, _, _), (before, _, _) in zip(got, expected):
        assert ctx.endswith(before)


@pytest.mark.parametrize("article_id", ARTICLE_IDS)
def test_reference_entries_parsed(articles, article_id):
    a = articles[article_id]
    # The table names the first author's surname, or the entry's first word when no author is given.
    got = [(r.number, (r.authors[0] if r.authors else r.text).split()[0].rstrip(",:"), r.year, r.doi, r.url) for r in a.references]
    assert got == REFERENCES[article_id]


@pytest.mark.parametrize("article_id", ARTICLE_IDS)
def test_markers_resolve_to_the_entry_with_that_number(articles, article_id):
    a = articles[article_id]
    by_id = {r.ref_id: r for r in a.references}
    for m in a.markers:
        assert [by_id[rid].number for rid in m.ref_ids] == m.numbers


def test_numbers_that_are_not_markers_are_never_taken(articles):
    for article_id, before, literal in NON_MARKERS:
        a = articles[article_id]
        at = a.text.index(before + literal) + len(before)
        hits = [m for m in a.markers if m.char_start < at + len(literal) and at < m.char_end]
        assert not hits, f"{article_id}: {before + literal!r} taken for a marker"


def test_reference_spans_are_verbatim_and_clean(articles):
    for a in articles.values():
        for r in a.references:
            entry = a.text[r.char_start : r.char_end]
            assert entry.strip() == entry and not entry.endswith("[]")
            assert " ".join(entry.split()).replace(" .", ".") == r.text
