"""An ingest killed (SIGKILL) at random moments leaves a loadable index: the old one or the new one."""
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
TRIALS = 4


def _ingest(corpus, index) -> subprocess.Popen:
    env = {**os.environ, "VERBATIM_CORPUS_DIR": str(corpus), "VERBATIM_INDEX_DIR": str(index), "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "service.cli", "ingest", "--quiet"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def test_kill_ingest_at_random_points(tmp_path, corpus_dir, real_index_dir):
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    index = tmp_path / "index"
    shutil.copytree(real_index_dir, index, symlinks=True)
    old = load_index(index).version
    # Change the corpus so that a finished ingest writes a new version.
    (corpus / "added.txt").write_text(
        "An Added Note\n\nThis note says that ketamine was given in a clinic. It adds one passage.\n", encoding="utf-8"
    )
    t0 = time.perf_counter()
    done = _ingest(corpus, index)
    assert done.wait(timeout=300) == 0, done.stderr.read().decode()
    full = time.perf_counter() - t0
    new = load_index(index).version
    assert new != old
    # Put the old index back and kill fresh ingests at random moments of a full run.
    shutil.rmtree(index)
    shutil.copytree(real_index_dir, index, symlinks=True)
    rng = random.Random(20261122)
    seen = []
    for _ in range(TRIALS):
        proc = _ingest(corpus, index)
        time.sleep(rng.uniform(0.2, full * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        loaded = load_index(index)  # must never raise
        assert loaded.version in (old, new)
        assert loaded.faiss.ntotal > 0
        seen.append(loaded.version)
    # A later ingest cleans up whatever a killed one left behind.
    proc = _ingest(corpus, index)
    assert proc.wait(timeout=300) == 0
    assert load_index(index).version == new
    assert not list(index.glob(".tmp-*"))
