"""The topic test's word table (index/topics.py): each common English word that no passage uses, with the
cosine of its nearest corpus word, the same whether its vectors were cached or computed afresh."""
from __future__ import annotations

import numpy as np
import pytest

from index import topics
from tests.fakes import HashEmbedder

ENGLISH = ("gambling", "coffee", "therapy", "alcohol", "weather", "drinking")
CORPUS = ["ketamine", "therapy", "alcohol", "craving", "an", "42", "k2"]


class CachedHashEmbedder(HashEmbedder):
    """The fake embedder with a model file, as the ONNX encoder has: the English vectors are kept beside it."""

    def __init__(self, folder):
        super().__init__()
        self.onnx_file = folder / "model.onnx"


def _brute_force(emb, corpus, english) -> dict[str, float]:
    f16 = lambda words: emb.encode(list(words)).astype(np.float16).astype(np.float32)  # noqa: E731
    vocab = topics.corpus_words(corpus)
    cv, ev = f16(vocab), f16(english)
    return {w: round(float((ev[i] @ cv.T).max()), 3) for i, w in enumerate(english) if w not in vocab}


@pytest.fixture(autouse=True)
def _no_memory(monkeypatch):
    monkeypatch.setattr(topics, "_MEMORY", {})


def test_each_english_word_outside_the_corpus_gets_its_nearest_corpus_word():
    emb = HashEmbedder()
    table, encoded = topics.neighbours(emb, CORPUS, ENGLISH)
    assert set(table) == {"gambling", "coffee", "weather", "drinking"}  # "therapy", "alcohol" are corpus words
    assert table == _brute_force(emb, CORPUS, ENGLISH)
    # every English word, then the corpus words that are not English ones ("ketamine", "craving"; "an", "42"
    # and "k2" cannot name a topic)
    assert encoded == len(ENGLISH) + 2
    assert topics.neighbours(emb, [], ENGLISH) == ({}, 0)


def test_cached_english_vectors_give_the_same_table_and_are_not_encoded_again(tmp_path):
    emb = CachedHashEmbedder(tmp_path)
    first, encoded = topics.neighbours(emb, CORPUS, ENGLISH)
    assert encoded == len(ENGLISH) + 2 and len(list(tmp_path.glob("model.words-*.npy"))) == 1
    topics._MEMORY.clear()  # a new process: only the file is left
    again = CachedHashEmbedder(tmp_path)
    second, encoded = topics.neighbours(again, CORPUS, ENGLISH)
    assert second == first and encoded == 2 and again.encoded == 2


def test_an_unreadable_or_stale_cache_file_is_computed_again(tmp_path):
    emb = CachedHashEmbedder(tmp_path)
    first, _ = topics.neighbours(emb, CORPUS, ENGLISH)
    (cache,) = tmp_path.glob("model.words-*.npy")
    for damage in (b"not an array", None):
        if damage is None:
            np.save(cache, np.zeros((2, emb.dim), dtype=np.float16))  # the wrong shape
        else:
            cache.write_bytes(damage)
        topics._MEMORY.clear()
        table, encoded = topics.neighbours(CachedHashEmbedder(tmp_path), CORPUS, ENGLISH)
        assert table == first and encoded == len(ENGLISH) + 2


def test_the_english_words_are_common_alphabetic_words():
    from wordfreq import zipf_frequency

    words = topics.english_words()
    assert len(words) > 20_000 and len(set(words)) == len(words)
    assert {"gambling", "coffee", "asthma", "weed"} <= set(words)
    assert all(topics.is_word(w) and zipf_frequency(w, "en") >= topics.MIN_ZIPF for w in words[::500])


def test_the_table_is_the_same_whatever_the_block_size(monkeypatch):
    emb = HashEmbedder()
    whole, _ = topics.neighbours(emb, CORPUS, ENGLISH)
    monkeypatch.setattr(topics, "_CELLS", 1)  # one English word per block
    topics._MEMORY.clear()
    assert topics.neighbours(emb, CORPUS, ENGLISH)[0] == whole


def test_a_stand_in_with_the_models_name_does_not_share_its_vectors():
    class Other(HashEmbedder):
        def encode(self, texts, batch_size=None, **kw):
            return -super().encode(texts, batch_size)

    first, _ = topics.neighbours(HashEmbedder(), CORPUS, ENGLISH)
    other = Other()
    assert other.name == HashEmbedder().name
    _, encoded = topics.neighbours(other, CORPUS, ENGLISH)
    assert encoded == len(ENGLISH) + 2  # its own English vectors, not the first encoder's
