"""BatchingEmbedder merges concurrent encodes into one batch (unit tests, fake embedder)."""
from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from index.embed import BatchingEmbedder
from tests.fakes import HashEmbedder


class SlowEmbedder(HashEmbedder):
    """Takes 50 ms per call, records each call's batch, and fails on request."""

    def __init__(self):
        super().__init__()
        self.calls: list[list[str]] = []

    def encode(self, texts, batch_size=64, progress=False):
        self.calls.append(list(texts))
        if any(t == "boom" for t in texts):
            raise RuntimeError("boom")
        time.sleep(0.05)
        return super().encode(texts)


def _concurrently(fn, args):
    results, errors = [None] * len(args), [None] * len(args)
    start = threading.Barrier(len(args))

    def run(i):
        start.wait()
        try:
            results[i] = fn(args[i])
        except Exception as e:  # noqa: BLE001 - collected for the assertion
            errors[i] = e

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(args))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    return results, errors


def test_concurrent_callers_share_batches_and_each_gets_its_own_rows():
    inner = SlowEmbedder()
    emb = BatchingEmbedder(inner, max_texts=64)
    questions = [[f"question number {i} about ketamine", f"query {i}"] for i in range(16)]
    results, errors = _concurrently(emb.encode, questions)
    assert errors == [None] * 16
    direct = HashEmbedder()
    for texts, got in zip(questions, results):
        np.testing.assert_allclose(got, direct.encode(texts), atol=1e-6)
    # 16 callers, each asking for 2 texts: the first call runs alone, the others queue behind it.
    assert len(inner.calls) <= 3, [len(c) for c in inner.calls]
    assert emb.batches == len(inner.calls) and emb.texts == 32


def test_a_batch_never_exceeds_max_texts():
    inner = SlowEmbedder()
    emb = BatchingEmbedder(inner, max_texts=5)
    results, errors = _concurrently(emb.encode, [[f"q{i}", f"r{i}"] for i in range(12)])
    assert errors == [None] * 12
    assert max(len(c) for c in inner.calls) <= 5 and sum(len(c) for c in inner.calls) == 24


def test_an_error_reaches_every_caller_of_that_batch_and_the_worker_goes_on():
    inner = SlowEmbedder()
    emb = BatchingEmbedder(inner)
    with pytest.raises(RuntimeError, match="boom"):
        emb.encode(["boom"])
    assert emb.encode(["still working"]).shape == (1, inner.dim)


def test_bulk_jobs_and_empty_input_bypass_the_queue():
    inner = SlowEmbedder()
    emb = BatchingEmbedder(inner, max_texts=4)
    assert emb.encode([]).shape == (0, inner.dim)
    assert emb.encode([f"t{i}" for i in range(10)]).shape == (10, inner.dim)
    assert emb.batches == 0 and len(inner.calls) == 1
