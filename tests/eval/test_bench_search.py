"""eval.bench_search: a tiny smoke run of the search benchmark."""
from __future__ import annotations

import json

import faiss
import numpy as np
import pytest

from eval import bench_search
from index import ann
from index.store import IndexLoadError

DIM = 384


@pytest.fixture(scope="module")
def base():
    rng = np.random.default_rng(11)
    b = rng.standard_normal((60, DIM), dtype=np.float32)
    return b / np.linalg.norm(b, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def rows(base):
    return bench_search.run(sizes=(2000,), base=base, n_queries=60, timed_queries=20, repeats=1, log=lambda _m: None)


def test_one_row_per_kind_with_every_field(rows):
    assert [r["kind"] for r in rows] == list(ann.KINDS)
    for r in rows:
        assert r["size"] == 2000
        assert r["built"] == r["kind"]  # 2000 >= MIN_APPROX: no fallback
        assert r["params"]["ntotal"] == 2000
        assert r["build_s"] >= 0 and r["memory_bytes"] > 2000 * DIM * 4
        assert 0 < r["p50_ms"] <= r["p95_ms"]
        assert 0 < r["p50_ms_at_50"] <= r["p95_ms_at_50"]
        assert 0.0 <= r["recall_at_10"] <= 1.0 and 0.0 <= r["recall_at_50"] <= 1.0
        assert r["threads"] == faiss.omp_get_max_threads()
        assert r["queries"] == 60 and r["timed_queries"] == 20 and r["query_source"] == "mixtures"
    json.dumps(rows)  # the CLI writes them as JSON


def test_flat_recall_is_exact(rows):
    flat = next(r for r in rows if r["kind"] == "flat")
    assert flat["recall_at_10"] == 1.0 and flat["recall_at_50"] == 1.0


def test_approximate_kinds_are_close(rows):
    for r in rows:
        assert r["recall_at_10"] >= 0.9, r


def test_given_queries_are_used(base):
    q = np.random.default_rng(3).standard_normal((7, DIM)).astype(np.float32)
    (row,) = bench_search.run(
        sizes=(500,), kinds=("flat",), queries=q, base=base, timed_queries=5, repeats=1, log=lambda _m: None
    )
    assert row["queries"] == 7 and row["query_source"] == "given" and row["recall_at_10"] == 1.0


def test_mixtures_are_normalised_deterministic_and_not_the_base(base):
    a = bench_search.mixtures(base, 1000, np.random.default_rng(0))
    b = bench_search.mixtures(base, 1000, np.random.default_rng(0))
    assert a.dtype == np.float32 and a.shape == (1000, DIM)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(a, b)
    best = (a @ base.T).max(axis=1)
    assert 0.5 < np.median(best) < 0.99  # near some real vectors, equal to none


def test_bad_kind_is_rejected(base):
    with pytest.raises(ValueError, match="flat, hnsw, ivf"):
        bench_search.run(sizes=(100,), kinds=("annoy",), base=base, log=lambda _m: None)


def test_cli_reads_a_built_index_and_writes_json(tmp_path, capsys, real_index, real_index_dir):
    vectors = bench_search.real_vectors(real_index_dir)
    data = real_index.data
    assert len(vectors) == len(data.passages) + sum(len(p.sentences) for p in data.passages)
    flat = faiss.IndexFlatIP(DIM)  # the passage vectors come first, as the index holds them
    flat.add(data.vectors)
    assert np.array_equal(flat.search(vectors[:5], 1)[1][:, 0], np.arange(5))
    out = tmp_path / "out.json"
    code = bench_search.main(
        ["--sizes", "1500", "--kinds", "flat,ivf", "--index-dir", str(real_index_dir), "--json", str(out),
         "--n-queries", "30", "--timed-queries", "5", "--repeats", "1"]
    )
    assert code == 0
    rows = json.loads(out.read_text())
    assert [r["kind"] for r in rows] == ["flat", "ivf"] and rows[0]["recall_at_10"] == 1.0
    table = capsys.readouterr().out
    assert "recall@10" in table and "1,500" in table


def test_missing_index_is_a_clear_error(tmp_path, capsys):
    with pytest.raises(IndexLoadError, match="run `verbatim ingest`"):
        bench_search.real_vectors(tmp_path)
    assert bench_search.main(["--sizes", "1500", "--index-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("bench_search: ") and "verbatim ingest" in err and "\n" not in err


def test_a_questions_file_without_questions_is_named_in_one_line(tmp_path, capsys, real_index_dir):
    bad = tmp_path / "q.jsonl"
    bad.write_text('{"question": "fine"}\n{"q": "wrong field"}\n', encoding="utf-8")
    assert bench_search.main(["--sizes", "1500", "--index-dir", str(real_index_dir), "--questions", str(bad)]) == 2
    assert capsys.readouterr().err.strip() == f'bench_search: {bad}:2: no "question" text'
