"""An ingest killed (SIGKILL) at random moments leaves a loadable index: the old one or the new one.

After every kill the service starts on what is there (the same `load_state` as `verbatim serve`)
and answers a question from it: never a broken index, never an empty one.
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest

from index.store import load_index

pytestmark = [pytest.mark.integration, pytest.mark.slow]
TRIALS = 20


def _ingest(corpus, index) -> subprocess.Popen:
    env = {**os.environ, "VERBATIM_CORPUS_DIR": str(corpus), "VERBATIM_INDEX_DIR": str(index), "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "service.cli", "ingest", "--quiet"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def test_kill_ingest_at_random_points(tmp_path, corpus_dir, real_index_dir, app_state):
    from service.app import load_state
    from service.settings import Settings

    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    index = tmp_path / "index"
    shutil.copytree(real_index_dir, index, symlinks=True)
    old_index = load_index(index)
    old, old_count = old_index.version, old_index.faiss.ntotal
    # Change the corpus so that a finished ingest writes a new version.
    (corpus / "added.txt").write_text(
        "An Added Note\n\nThis note says that ketamine was given in a clinic. It adds one passage.\n", encoding="utf-8"
    )
    t0 = time.perf_counter()
    done = _ingest(corpus, index)
    assert done.wait(timeout=300) == 0, done.stderr.read().decode()
    full = time.perf_counter() - t0
    new_index = load_index(index)
    new, new_count = new_index.version, new_index.faiss.ntotal
    assert new != old and new_count == old_count + 1
    # Each trial: put the old index back, then kill a fresh ingest at a random moment of a full run.
    rng = random.Random(20261122)
    seen = []
    for _ in range(TRIALS):
        shutil.rmtree(index)
        shutil.copytree(real_index_dir, index, symlinks=True)
        proc = _ingest(corpus, index)
        time.sleep(rng.uniform(0.2, full * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        st = load_state(Settings(index_dir=index), embedder=app_state.answerer.embedder, router=app_state.answerer.router)
        assert (st.index.version, st.index.faiss.ntotal) in ((old, old_count), (new, new_count))
        out = st.answerer.ask("Does a single ketamine dose reduce drinking?")
        assert out.kind == "answer" and out.passages
        seen.append(st.index.version)
    # A later ingest cleans up whatever a killed one left behind.
    proc = _ingest(corpus, index)
    assert proc.wait(timeout=300) == 0
    assert load_index(index).version == new
    assert not list(index.glob(".tmp-*"))
    print(f"\n{TRIALS} kills: {seen.count(old)} left the old index, {seen.count(new)} the new one")
