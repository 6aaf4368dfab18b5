"""`verbatim eval --papers`, run small: the fixture papers and set A's questions about them, with
the real model, through the ask pipeline, beside the BM25 baseline."""
from __future__ import annotations

from pathlib import Path

import pytest

from eval.papers import HELDOUT, QUESTIONS, baseline_chunks, letters, load_questions, run_baseline, run_verbatim
from service.settings import Settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "papers"


@pytest.fixture(scope="module")
def fixture_questions():
    files = {p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*") if p.suffix in (".pdf", ".nxml")}
    qs = [q for q in load_questions(QUESTIONS) if q["file"] in files]
    assert len(qs) >= 4
    return qs


def test_question_files_are_well_formed():
    for path in (QUESTIONS, HELDOUT):
        qs = load_questions(path)
        assert len(qs) >= 40 and len({q["id"] for q in qs}) == len(qs)
        assert all(q["evidence"] and all(letters(e) for e in q["evidence"]) and q["file"] for q in qs)


def test_papers_report_for_verbatim_and_the_baseline(tmp_path, real_embedder, fixture_questions):
    ours, outcomes, info = run_verbatim(Settings(), FIXTURES, {"A": fixture_questions}, real_embedder)
    papers = [p for p in FIXTURES.rglob("*") if p.suffix in (".pdf", ".nxml")]
    assert info["files"] == len(papers) == 6 and info["passages"] > 100
    row = ours["A"]
    assert row["questions"] == len(fixture_questions) and row["verbatim"] == 1.0
    assert 0 <= row["recall@1"] <= row["recall@5"] <= 1
    assert len(outcomes["A"]) == len(fixture_questions)
    base = run_baseline(FIXTURES, fixture_questions)
    assert base["questions"] == len(fixture_questions) and 0 <= base["recall@5"] <= 1


def test_baseline_chunks_are_1000_characters_with_200_shared():
    chunks = baseline_chunks(FIXTURES)
    same = [c for c in chunks if c[0] == "jats/pone.0000217.nxml"]
    assert len(same) > 3 and all(len(c[1]) == 1000 for c in same[:-1])
    assert same[0][1][800:] == same[1][1][:200]
