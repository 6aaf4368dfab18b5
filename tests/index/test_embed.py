"""The real embedder: offline, normalised, never truncating silently, and the same through ONNX as through torch."""
from __future__ import annotations

import json

import numpy as np
import pytest

from index.embed import EXPORT_MIN_COSINE, PROBE_TEXTS, BatchingEmbedder, OnnxEmbedder, make_embedder

pytestmark = pytest.mark.integration


def test_model_is_the_bundled_minilm(real_embedder, torch_embedder):
    assert isinstance(real_embedder, OnnxEmbedder) and real_embedder.backend == "onnx"
    for emb in (real_embedder, torch_embedder):
        assert emb.name == "sentence-transformers/all-MiniLM-L6-v2"
        assert emb.dim == 384 and emb.max_seq_length == 256
    assert torch_embedder.model.max_seq_length == 256


def test_token_count_matches_the_models_own_tokenizer(real_embedder, torch_embedder, corpus_result):
    tok = torch_embedder.model.tokenizer
    for p in corpus_result.passages[:40]:
        assert real_embedder.count_tokens(p.text) == len(tok(p.text, truncation=False)["input_ids"])


def test_every_passage_fits_the_model(torch_embedder, corpus_result):
    """Nothing in the corpus would be cut by the model's 256-token window."""
    tok = torch_embedder.model.tokenizer
    sizes = [len(tok(p.text, truncation=False)["input_ids"]) for p in corpus_result.passages]
    assert max(sizes) <= torch_embedder.max_seq_length, max(sizes)


def test_onnx_vectors_equal_torch_vectors(real_embedder, torch_embedder, corpus_result, corpus_dir):
    """Every passage of the corpus and every gold question, one at a time and batched (padding must not leak)."""
    gold = corpus_dir.parent / "eval" / "gold.jsonl"
    questions = [json.loads(line)["question"] for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [p.text for p in corpus_result.passages] + questions
    ref = torch_embedder.encode(texts)
    batched = real_embedder.encode(texts, batch_size=32)
    assert float((batched * ref).sum(axis=1).min()) >= EXPORT_MIN_COSINE
    for i in (0, len(corpus_result.passages), len(texts) - 1):
        single = real_embedder.encode([texts[i]])[0]
        assert float(single @ ref[i]) >= EXPORT_MIN_COSINE


def test_vectors_are_normalised(real_embedder):
    v = real_embedder.encode(["ketamine for alcohol use disorder", "opioid withdrawal"])
    assert v.shape == (2, 384) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)


def test_long_text_is_embedded_whole_not_truncated(real_embedder, torch_embedder):
    head = "Ketamine reduced heavy drinking in the trial. " * 40
    tail = "The cat sat on the warm mat in the afternoon sun. " * 40
    assert not real_embedder.fits(head + tail)
    whole = real_embedder.encode([head + tail])[0]
    truncated = torch_embedder.model.encode([head + tail], normalize_embeddings=True)[0]  # what silent truncation gives
    only_tail = real_embedder.encode([tail])[0]
    assert abs(np.linalg.norm(whole) - 1) < 1e-5
    assert float(whole @ only_tail) > float(truncated @ only_tail) + 0.1


def test_batching_embedder_gives_the_same_vectors(real_embedder):
    texts = ["ketamine for alcohol use disorder", "opioid withdrawal", "a much longer question about the doses used"]
    np.testing.assert_allclose(BatchingEmbedder(real_embedder).encode(texts), real_embedder.encode(texts), atol=1e-5)


def test_the_lone_session_gives_the_same_vectors(real_embedder):
    texts = ["Does a single ketamine dose reduce drinking?", "ok"]
    np.testing.assert_allclose(real_embedder.encode(texts, lone=True), real_embedder.encode(texts), atol=1e-6)
    assert real_embedder.lone_model is not real_embedder.model  # a session of its own, whose threads spin


def test_each_batch_worker_has_a_session_of_its_own_giving_the_same_vectors(real_embedder):
    texts = ["Does a single ketamine dose reduce drinking?", "ok", "what doses were used for cocaine use disorder"]
    first, second = real_embedder.worker_model(0, 2), real_embedder.worker_model(1, 2)
    assert first is not second and first is real_embedder.worker_model(0, 2)  # made once per worker
    assert first is not real_embedder.model and first is not real_embedder.lone_model
    for worker in [(0, 2), (1, 2)]:
        np.testing.assert_allclose(real_embedder.encode(texts, worker=worker), real_embedder.encode(texts), atol=1e-6)


def test_unknown_backend_is_refused(tmp_path):
    with pytest.raises(ValueError, match="backend must be one of onnx, torch"):
        make_embedder("tensorflow", tmp_path)


def test_a_bulk_job_runs_its_batches_side_by_side_with_the_same_vectors(real_embedder, capsys):
    texts = [f"passage {i} about ketamine and " + "alcohol use disorder " * (i % 7) for i in range(21)]
    one_by_one = np.vstack([real_embedder.encode([t]) for t in texts])  # a single batch each: the shared session
    np.testing.assert_allclose(real_embedder.encode(texts, batch_size=4, progress=True), one_by_one, atol=1e-6)
    assert "embed" in capsys.readouterr().err  # the progress bar, on stderr


def test_a_failing_bulk_batch_raises_and_stops_the_other_lanes(real_embedder, monkeypatch):
    calls = []
    run_batch = type(real_embedder)._run_batch

    def flaky(self, session, texts):
        calls.append(len(texts))
        if len(calls) == 2:
            raise RuntimeError("batch failed")
        return run_batch(self, session, texts)

    monkeypatch.setattr(type(real_embedder), "_run_batch", flaky)
    with pytest.raises(RuntimeError, match="batch failed"):
        real_embedder.encode([f"text {i}" for i in range(40)], batch_size=2)
    assert len(calls) < 20  # 20 batches queued; the lanes stopped soon after the failure


def test_the_int8_encoder_is_another_model_close_to_the_float_one(real_embedder, corpus_result, tmp_path):
    """Quantized once from the float export, to the same bytes every time; its vectors carry a name of their
    own (an index built with float vectors refuses it), and stay near the float model's without being them."""
    from index.embed import INT8_NAME, int8_file_for, make_int8_embedder, quantize_onnx

    cache = real_embedder.onnx_file.parent
    q8 = make_int8_embedder(cache, threads=1)
    assert q8.name == INT8_NAME != real_embedder.name and q8.onnx_file == int8_file_for(cache)
    import logging

    handlers = list(logging.getLogger().handlers)
    quantize_onnx(real_embedder.onnx_file, tmp_path / "again.onnx")
    assert logging.getLogger().handlers == handlers  # the quantizer's logging set-up is undone
    assert (tmp_path / "again.onnx").read_bytes() == q8.onnx_file.read_bytes()
    texts = PROBE_TEXTS + [p.text for p in corpus_result.passages[:60]]
    cos = (q8.encode(texts) * real_embedder.encode(texts)).sum(axis=1)
    # the farthest is the two-letter probe "ok" (0.966 when measured); corpus passages were all above 0.98
    assert cos.min() > 0.95 and np.median(cos) > 0.99 and cos.max() < 1 - 1e-5
