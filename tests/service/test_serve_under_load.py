"""A real `verbatim serve` under load: 64 clients, index reloads while answering, memory flat.

The load test's duration is VERBATIM_LOAD_SECONDS (15 in `make test`; the README's
figures come from a 60-second run).  Shedding (503 when the queue is full) is deliberate;
any other failure is an error.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import httpx
import pytest

from eval.bench import Server
from eval.load import run_load
from eval.run import load_gold
from index.build import ChunkSettings
from index.store import load_index
from index.update import update_index
from service.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]
LOAD_SECONDS = float(os.environ.get("VERBATIM_LOAD_SECONDS", "15"))
TOKEN = "test-admin-token-0123456789"


def _bodies() -> list[dict]:
    return [{"question": c["question"], "history": c.get("history", [])} for c in load_gold()]


def test_64_clients_no_errors_and_flat_memory(real_index_dir):
    # The queue is smaller than the number of clients, so shedding happens and is checked to be a quick 503.
    with Server(Settings(index_dir=real_index_dir), ready="health", VERBATIM_RATE_LIMIT=0, VERBATIM_CACHE_SIZE=0,
                VERBATIM_MAX_QUEUE=16) as srv:
        run_load(srv.url, _bodies(), clients=64, requests=256)  # warm-up: threads, allocator, caches
        r = run_load(srv.url, _bodies(), clients=64, duration=LOAD_SECONDS, pid=srv.proc.pid)
    print(f"\nload: {r.to_dict()}")
    assert r.errors == 0, r.error_samples
    assert r.answered > 64 and r.shed > 0
    assert r.requests == r.answered + r.shed
    start, end = r.rss_mb["start"], r.rss_mb["end"]
    assert end <= start * 1.10 + 10, r.rss_mb  # flat: within 10% (plus allocator slack) from start to end


def test_rate_limited_clients_get_429_and_nothing_else(real_index_dir):
    with Server(Settings(index_dir=real_index_dir), ready="health", VERBATIM_RATE_LIMIT=120, VERBATIM_RATE_BURST=10,
                VERBATIM_CACHE_SIZE=0) as srv:
        r = run_load(srv.url, _bodies(), clients=16, requests=200, client="httpx")  # the other load generator
    assert r.errors == 0, r.error_samples
    assert r.client == "httpx"
    # One address, one bucket: the burst of 10, then 2 a second for as long as the run took.
    assert 10 <= r.answered <= 10 + 2 * r.seconds + 1 and r.shed == r.requests - r.answered


def _ingest_more(corpus_dir, index_dir, embedder, text: str):
    (corpus_dir / "added.txt").write_text(text, encoding="utf-8")
    update_index(corpus_dir, index_dir, embedder, ChunkSettings(160, 110), 20 * 2**20)
    return load_index(index_dir).version


def test_reload_under_load_drops_nothing(tmp_path, corpus_dir, real_index_dir, real_embedder):
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    index = tmp_path / "index"
    shutil.copytree(real_index_dir, index, symlinks=True)
    old = load_index(index).version
    with Server(Settings(index_dir=index), ready="health", VERBATIM_RATE_LIMIT=0, VERBATIM_ADMIN_TOKEN=TOKEN) as srv:
        results = []
        load = threading.Thread(target=lambda: results.append(run_load(srv.url, _bodies(), clients=8, duration=12)))
        load.start()
        time.sleep(2)
        # 1: a new index on disk, swapped in by `verbatim reload` (POST /admin/reload with the token).
        v1 = _ingest_more(corpus, index, real_embedder, "An Added Note\n\nKetamine was given in a clinic in 2020.\n")
        env = {**os.environ, "VERBATIM_PORT": str(srv.port), "VERBATIM_ADMIN_TOKEN": TOKEN}
        out = subprocess.run([sys.executable, "-m", "service.cli", "reload"], env=env, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        assert f"reloaded, index {v1}" in out.stdout and srv.version() == v1
        # 2: another one, swapped in by SIGHUP.
        v2 = _ingest_more(corpus, index, real_embedder, "An Added Note\n\nKetamine was given in a clinic in 2021.\n")
        srv.proc.send_signal(signal.SIGHUP)
        deadline = time.time() + 30
        while srv.version() != v2 and time.time() < deadline:
            time.sleep(0.1)
        assert srv.version() == v2
        load.join()
        # The new passage is served.
        r = httpx.post(f"{srv.url}/ask", json={"question": "Was ketamine given in a clinic in 2021?"}, timeout=30).json()
        assert any(p["article"]["id"] == "added" for p in r["passages"])
    [res] = results
    assert len({old, v1, v2}) == 3
    assert res.errors == 0 and res.shed == 0, res.error_samples
    assert res.answered == res.requests > 50


def test_reload_refuses_a_broken_index_and_keeps_serving(tmp_path, real_index_dir):
    index = tmp_path / "index"
    shutil.copytree(real_index_dir, index, symlinks=True)
    with Server(Settings(index_dir=index), ready="health", VERBATIM_RATE_LIMIT=0, VERBATIM_ADMIN_TOKEN=TOKEN) as srv:
        old = srv.version()
        current = index / "current"
        target = current.resolve()
        broken = index / "versions" / "broken"
        shutil.copytree(target, broken)
        (broken / "vectors.faiss").write_bytes(b"not an index")
        tmp_link = index / "current.tmp"
        os.symlink(os.path.relpath(broken, index), tmp_link)
        os.replace(tmp_link, current)
        r = httpx.post(f"{srv.url}/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
        assert r.status_code == 409 and "the old one goes on serving" in r.json()["error"]
        assert "vectors.faiss" in r.json()["error"]
        assert srv.version() == old
        ok = httpx.post(f"{srv.url}/ask", json={"question": "Does a single ketamine dose reduce drinking?"}, timeout=30)
        assert ok.status_code == 200 and ok.json()["kind"] == "answer"


def test_reload_cli_without_a_token_says_what_to_do(tmp_path):
    env = {**os.environ}
    env.pop("VERBATIM_ADMIN_TOKEN", None)
    out = subprocess.run([sys.executable, "-m", "service.cli", "reload"], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "VERBATIM_ADMIN_TOKEN is not set" in out.stderr and "Traceback" not in out.stderr
