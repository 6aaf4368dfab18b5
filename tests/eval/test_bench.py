"""`verbatim bench --quick` keeps working: every section runs and writes its figures (a smoke run, not a timed test)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_bench_quick_runs_every_section(tmp_path, real_index_dir):
    env = {**os.environ, "VERBATIM_INDEX_DIR": str(real_index_dir), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-m", "service.cli", "bench", "--quick", "--out", str(tmp_path)],
                          env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    res = json.loads((tmp_path / "bench.json").read_text())
    assert res["quick"] and res["backend"] == "onnx"
    # 20 encodes at the start, then 10 before each of the two HTTP rows.
    assert res["floor"]["encodes"] == 40 and res["floor"]["p50_ms"] > 0
    assert res["ceiling"]["concurrent"] == 16 and res["ceiling"]["questions_per_s"] > 0
    assert res["load"]["generator"] == "asyncio, raw HTTP/1.1"
    assert [r["corpus"] for r in res["ingest"]] == ["bundled", "synthetic 100"]
    assert res["ingest"][0]["passages"] == 125 and res["ingest"][0]["peak_rss_mb"] > 50
    assert res["ingest"][1]["passages"] >= 90
    assert [r["clients"] for r in res["http"]] == [1, 4]
    for row in res["http"]:
        assert row["errors"] == 0 and row["shed"] == 0 and row["answered"] == row["requests"] == 12
        assert row["p50_ms"] > 0 and row["rss_mb"]["max"] > 50 and row["client"] == "raw"
        assert row["server_cpu_ms"] > 0 and row["client_cpu_ms"] > 0 and row["floor_p50_ms_before"] > 0
        assert 0 <= row["steal_pct"] <= 100 and row["server_p99_ms"] >= row["server_p50_ms"] > 0
    one, four = res["http"]  # the ceiling brackets a row of several clients, at that many concurrent questions
    assert "ceiling_before" not in one and "ratio_to_ceiling" not in one
    assert four["ceiling_before"]["concurrent"] == four["ceiling_after"]["concurrent"] == 4
    mean = (four["ceiling_before"]["questions_per_s"] + four["ceiling_after"]["questions_per_s"]) / 2
    assert mean > 0 and four["ratio_to_ceiling"] == round(four["rps"] / mean, 3)
    assert "4 clients, 1 worker(s), threads default: answered/s / encoder ceiling at 4 concurrent" in proc.stdout
    assert res["cache"]["cache_hits"] == res["cache"]["answered"] == 20 and res["cache"]["server_p50_ms"] is not None
    assert res["cold"]["runs"] == 1 and res["cold"]["median_s"] > 0
    assert {r["kind"] for r in res["search"]} == {"flat", "hnsw", "ivf"}
    assert next(r for r in res["search"] if r["kind"] == "flat")["recall_at_10"] == 1.0
    (scale,) = res["scale"]  # a 2,000-passage index built with hash vectors, then served once
    assert scale["passages"] >= 1900 and scale["build_peak_rss_mb"] > 50 and scale["index_mb"] > 1
    assert scale["start_median_s"] > 0 and scale["server_rss_mb"] > 50
    for section in ("floor:", "encoder ceiling", "CPU ms/answer", "steal %", "ingest", "POST /ask over HTTP", "repeated question", "cold start", "vector search", "scale:"):
        assert section in proc.stdout


def test_bench_rejects_an_unknown_section(tmp_path, real_index_dir):
    env = {**os.environ, "VERBATIM_INDEX_DIR": str(real_index_dir), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-m", "service.cli", "bench", "--skip", "warp", "--out", str(tmp_path)],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "unknown section(s) warp" in proc.stderr and "Traceback" not in proc.stderr


def test_a_childs_peak_memory_is_its_own_not_what_the_bench_held_when_it_forked():
    """wait4's ru_maxrss of a child forked by a large process counts the parent's pages (Linux carries the
    pre-exec peak across exec); `run_measured` reports the child's own."""
    import tempfile

    from eval.bench import run_measured

    held = bytearray(400 * 2**20)  # 400 MB, touched so that it is resident
    for i in range(0, len(held), 4096):
        held[i] = 1
    small = [sys.executable, "-c", "print('ok')"]
    naive = subprocess.Popen(small, stdout=subprocess.DEVNULL)
    _, _, usage = os.wait4(naive.pid, 0)
    with tempfile.TemporaryFile() as err:
        code, out, peak_mb = run_measured(small, dict(os.environ), err)
    big = [sys.executable, "-c", "b = bytearray(300 * 2**20)\nfor i in range(0, len(b), 4096): b[i] = 1"]
    with tempfile.TemporaryFile() as err:
        big_code, _, big_peak_mb = run_measured(big, dict(os.environ), err)
    failing = [sys.executable, "-c", "import sys; sys.exit(3)"]
    with tempfile.TemporaryFile() as err:
        failing_code, _, _ = run_measured(failing, dict(os.environ), err)
    del held
    assert usage.ru_maxrss / 1024 > 400  # the naive figure: the parent's memory, not the child's
    assert code == 0 and out.strip() == b"ok" and 0 < peak_mb < 100
    assert big_code == 0 and 300 < big_peak_mb < 400
    assert failing_code == 3
