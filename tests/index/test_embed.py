"""The real embedder: offline, normalised, and never truncating silently."""
from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.integration


def test_model_is_the_bundled_minilm(real_embedder):
    assert real_embedder.name == "sentence-transformers/all-MiniLM-L6-v2"
    assert real_embedder.dim == 384 and real_embedder.max_seq_length == real_embedder.model.max_seq_length == 256


def test_token_count_matches_the_models_own_tokenizer(real_embedder, corpus_result):
    tok = real_embedder.model.tokenizer
    for p in corpus_result.passages[:40]:
        assert real_embedder.count_tokens(p.text) == len(tok(p.text, truncation=False)["input_ids"])


def test_every_passage_fits_the_model(real_embedder, corpus_result):
    """Nothing in the corpus would be cut by the model's 256-token window."""
    tok = real_embedder.model.tokenizer
    sizes = [len(tok(p.text, truncation=False)["input_ids"]) for p in corpus_result.passages]
    assert max(sizes) <= real_embedder.max_seq_length, max(sizes)


def test_vectors_are_normalised(real_embedder):
    v = real_embedder.encode(["ketamine for alcohol use disorder", "opioid withdrawal"])
    assert v.shape == (2, 384) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)


def test_long_text_is_embedded_whole_not_truncated(real_embedder):
    head = "Ketamine reduced heavy drinking in the trial. " * 40
    tail = "The cat sat on the warm mat in the afternoon sun. " * 40
    assert not real_embedder.fits(head + tail)
    whole = real_embedder.encode([head + tail])[0]
    truncated = real_embedder.model.encode([head + tail], normalize_embeddings=True)[0]  # what silent truncation gives
    only_tail = real_embedder.encode([tail])[0]
    assert abs(np.linalg.norm(whole) - 1) < 1e-5
    assert float(whole @ only_tail) > float(truncated @ only_tail) + 0.1
