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
    emb = BatchingEmbedder(inner, max_texts=64, workers=1)
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


def test_two_workers_encode_two_batches_at_once():
    inner = SlowEmbedder()
    active, peak, lock = [0], [0], threading.Lock()
    encode = inner.encode

    def tracking(texts, batch_size=64, progress=False):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        try:
            return encode(texts, batch_size, progress)
        finally:
            with lock:
                active[0] -= 1

    inner.encode = tracking
    emb = BatchingEmbedder(inner, max_texts=2, workers=2)
    results, errors = _concurrently(emb.encode, [[f"q{i}"] for i in range(8)])
    assert errors == [None] * 8
    assert peak[0] == 2  # 8 questions, batches of at most 2: two encodes ran side by side
    assert emb.texts == 8


def test_submit_gives_a_future_and_a_cancelled_one_is_skipped():
    inner = SlowEmbedder()
    gate, started = threading.Event(), threading.Event()
    encode = inner.encode

    def gated(texts, batch_size=64, progress=False):
        if "keeps the worker busy" in texts:
            started.set()
            gate.wait(5)
        return encode(texts, batch_size, progress)

    inner.encode = gated
    emb = BatchingEmbedder(inner, workers=1)
    first = emb.submit(["keeps the worker busy"])
    assert started.wait(5)  # the worker holds the first batch, so what follows stays queued
    gone = emb.submit(["nobody waits for this"])
    kept = emb.submit(["still wanted"])
    assert gone.cancel()  # what a closed connection does to its pending encode
    gate.set()
    np.testing.assert_allclose(kept.result(5), HashEmbedder().encode(["still wanted"]), atol=1e-6)
    assert first.result(5).shape == (1, inner.dim)
    assert all("nobody waits for this" not in c for c in inner.calls)
    assert emb.submit([]).result(0).shape == (0, inner.dim)


def test_the_lone_hint_reaches_the_encoder_only_for_a_batch_of_its_own():
    inner = SlowEmbedder()
    hints = []
    encode = inner.encode

    def recording(texts, batch_size=64, progress=False, lone=False):
        hints.append((list(texts), lone))
        return encode(texts, batch_size, progress)

    inner.encode = recording
    emb = BatchingEmbedder(inner, workers=1)
    emb.encode(["alone"], lone=True)
    emb.encode(["not said to be alone"])
    assert hints == [(["alone"], True), (["not said to be alone"], False)]
    hints.clear()
    # Two callers in one batch: whatever the first said, the batch is not lone.
    results, errors = _concurrently(lambda t: emb.encode(t, lone=True), [["a"], ["b"], ["c"], ["d"]])
    assert errors == [None] * 4
    assert all(not lone for texts, lone in hints if len(texts) > 1)


class SessionsEmbedder(SlowEmbedder):
    """Keeps a "session" per worker, as the ONNX embedder does, and records who encoded what."""

    def __init__(self):
        super().__init__()
        self.sessions: list[tuple[int, int]] = []
        self.loaded_shared = False
        self.seen: list[tuple[str, object, bool]] = []

    def load(self):
        self.loaded_shared = True

    def worker_model(self, index, count):
        self.sessions.append((index, count))

    def encode(self, texts, batch_size=64, progress=False, lone=False, worker=None):
        self.seen.append((threading.current_thread().name, worker, lone))
        return super().encode(texts, batch_size, progress)


def test_each_worker_encodes_with_its_own_session_and_a_lone_batch_with_the_lone_one():
    inner = SessionsEmbedder()
    emb = BatchingEmbedder(inner, max_texts=2, workers=2)
    emb.load()
    assert sorted(inner.sessions) == [(0, 2), (1, 2)] and not inner.loaded_shared  # no unused shared session
    results, errors = _concurrently(emb.encode, [[f"q{i}"] for i in range(8)])
    assert errors == [None] * 8
    by_thread = {name: worker for name, worker, lone in inner.seen}
    assert by_thread == {"verbatim-encoder-0": (0, 2), "verbatim-encoder-1": (1, 2)}  # both ran, each its own
    inner.seen.clear()
    emb.encode(["alone"], lone=True)
    assert [(w, lone) for _, w, lone in inner.seen] == [(None, True)]
    inner.seen.clear()
    emb.encode([f"bulk {i}" for i in range(4)])  # a bulk job bypasses the workers
    assert [(w, lone) for _, w, lone in inner.seen] == [(None, False)]
