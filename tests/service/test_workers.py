"""`verbatim serve --workers 2` in a subprocess (issue 17): both workers answer on the one port, a reload
(SIGHUP to the supervisor, and POST /admin/reload to whichever worker takes it) reaches both, /metrics counts
every worker's responses, bad --workers values get one line, and SIGTERM stops everything within a bound.
No fixed sleeps: every wait polls with a deadline.  A correctness test, not a benchmark: nothing is timed."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from eval.bench import Server
from index.build import ChunkSettings
from index.store import load_index
from index.update import update_index
from service.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]
TOKEN = "w" * 24
WAIT = 60.0  # seconds any one condition may take to come true
QUESTION = {"question": "Does a single ketamine dose reduce drinking?"}


def _until(what: str, check, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while True:
        got = check()
        if got:
            return got
        assert time.monotonic() < deadline, f"not within {timeout:g} s: {what}"
        time.sleep(0.05)


def _health_by_worker(url: str, rounds: int = 8) -> dict[int, str]:
    """{worker: index version} from new connections, several at once so that both workers take some."""
    def one(_):
        with httpx.Client(timeout=10) as c:  # a new connection each: the kernel hands it to either worker
            h = c.get(f"{url}/health").json()
            return h["worker"], h["index_version"]

    seen: dict[int, str] = {}
    with ThreadPoolExecutor(8) as pool:
        for _ in range(rounds):
            seen.update(pool.map(one, range(16)))
    return seen


def _all_workers_on(url: str, version: str):
    seen = _health_by_worker(url)
    return seen if set(seen) == {0, 1} and set(seen.values()) == {version} else None


def _ingest_more(corpus_dir, index_dir, embedder, text: str) -> str:
    (corpus_dir / "added.txt").write_text(text, encoding="utf-8")
    update_index(corpus_dir, index_dir, embedder, ChunkSettings(160, 110), 20 * 2**20)
    return load_index(index_dir).version


def _pids(log: str) -> list[int]:
    return [int(p) for p in re.findall(r"worker \d \(pid (\d+)\) ready", log)]


def test_two_workers_answer_reload_count_and_stop(tmp_path, corpus_dir, real_index_dir, real_embedder):
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    index = tmp_path / "index"
    shutil.copytree(real_index_dir, index, symlinks=True)
    old = load_index(index).version
    srv = Server(Settings(index_dir=index), ready="health", workers=2, VERBATIM_RATE_LIMIT=0,
                 VERBATIM_ADMIN_TOKEN=TOKEN)
    srv.start()  # returns once the supervisor has logged both workers ready and /health answers
    try:
        pids = _pids(srv.log())
        assert len(set(pids)) == 2 and srv.proc.pid not in pids
        assert "2 worker processes, 1 encoder thread(s) each" in srv.log()  # 2 cores shared out
        # Both workers answer on the one port, each on the index it loaded.
        assert _until("both workers answer /health", lambda: _all_workers_on(srv.url, old))

        # /metrics sums every worker's counts: n answers over new connections, whichever worker took each.
        n = 24
        def ask(_):
            with httpx.Client(timeout=60) as c:
                r = c.post(f"{srv.url}/ask", json=QUESTION)
                return r.status_code, r.json()["kind"]
        with ThreadPoolExecutor(6) as pool:
            assert set(pool.map(ask, range(n))) == {(200, "answer")}
        for _ in range(4):  # whichever worker renders /metrics, the total is the same
            text = httpx.get(f"{srv.url}/metrics", timeout=10).text
            assert f'verbatim_responses_total{{kind="answer"}} {float(n)}' in text, text

        # 1: a new index on disk; SIGHUP to the supervisor (what `verbatim reload --pid` sends) reaches both.
        v1 = _ingest_more(corpus, index, real_embedder, "An Added Note\n\nKetamine was given in a clinic in 2020.\n")
        out = subprocess.run([sys.executable, "-m", "service.cli", "reload", "--pid", str(srv.proc.pid)],
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert _until("both workers on the index after SIGHUP", lambda: _all_workers_on(srv.url, v1))

        # 2: another one; POST /admin/reload reaches one worker, which has the supervisor tell the other.
        v2 = _ingest_more(corpus, index, real_embedder, "An Added Note\n\nKetamine was given in a clinic in 2021.\n")
        r = httpx.post(f"{srv.url}/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120)
        assert r.status_code == 200 and r.json()["index_version"] == v2 and "every worker" in r.json()["workers"]
        assert _until("both workers on the index after /admin/reload", lambda: _all_workers_on(srv.url, v2))
        assert len({old, v1, v2}) == 3
        got = httpx.post(f"{srv.url}/ask", json={"question": "Was ketamine given in a clinic in 2021?"}, timeout=30).json()
        assert any(p["article"]["id"] == "added" for p in got["passages"])
        # No worker was restarted along the way: a reload swaps the index inside each running worker.
        assert _pids(srv.log()) == pids

        # SIGTERM to the supervisor: the workers finish and exit, then the supervisor, with code 0.
        srv.proc.send_signal(signal.SIGTERM)
        assert srv.proc.wait(45) == 0, srv.log()
        _until("the workers are gone", lambda: not any(os.path.exists(f"/proc/{p}") and _alive(p) for p in pids), 15)
        assert "Traceback" not in srv.log(), srv.log()
    finally:
        srv.stop()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("value", ["0", "abc", "65", "-1", "1.5"])
def test_bad_workers_values_get_one_line(value):
    out = subprocess.run([sys.executable, "-m", "service.cli", "serve", "--workers", value, "--port", "1"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "--workers must be a whole number from 1 to 64" in out.stderr
    assert "Traceback" not in out.stderr


def test_bad_workers_setting_gets_one_line():
    env = {**os.environ, "VERBATIM_WORKERS": "zero"}
    out = subprocess.run([sys.executable, "-m", "service.cli", "serve"], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and out.stderr.startswith("verbatim: bad setting workers")
    assert out.stderr.strip().count("\n") == 0


def test_a_broken_index_refuses_before_any_worker_starts(tmp_path):
    out = subprocess.run([sys.executable, "-m", "service.cli", "serve", "--workers", "2", "--index", str(tmp_path / "none")],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and "run `verbatim ingest`" in out.stderr
    assert out.stderr.strip().count("\n") == 0 and "Traceback" not in out.stderr
