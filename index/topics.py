"""The topic test's word table: for each common English word that no passage uses, how close in meaning the
nearest word that the passages do use is.

A question about gambling, coffee or asthma names a topic the articles never discuss, by a word too common in
English for the rare-word test (Zipf frequency below 3.5) to flag.  A question that uses an everyday word for
something the articles do discuss ("weed", "meds", "sober") has a close neighbour among the corpus's words
("cannabis" 0.84, "medications" 0.76, "sobriety" 0.78 by the bundled model), while an uncovered topic has none
("gambling" 0.49, "asthma" 0.49, "smartphone" 0.47).  The no-answer test (`index.rank.NO_ANSWER_FEATURES`)
reads the lowest such cosine among a question's unknown words.

The table is computed when an index is built, so that answering costs a dictionary lookup, not an encode:
every word of `english_words` (wordfreq's English list, Zipf at least `MIN_ZIPF`) that is not a corpus word is
embedded alone, as is every corpus word, and gets the cosine of its nearest corpus word (a corpus word that is
also an English word reuses that vector).  Vectors are rounded to
float16 before the cosines are taken, so a table computed from cached vectors equals one computed afresh.  The
English words' vectors depend only on the model, so an encoder with a cache folder keeps them there.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import numpy as np

TOPICS_VERSION = 1
MIN_ZIPF = 3.0  # English words at least this common get a neighbour; rarer ones are the rare-word test's
ENGLISH_LIST = 100_000  # how far down wordfreq's frequency list to read (Zipf 3.0 is well within it)
NO_NEIGHBOUR = 0.0  # the cosine read for an unknown word outside the table (rare, misspelt, a name)
_CELLS = 2**22  # cosines per block of the English x corpus matrix (16 MB): a large vocabulary's build stays small
_MEMORY: dict[tuple, np.ndarray] = {}  # English vectors per (encoder, model, words), for an encoder without a cache folder


def is_word(token: str) -> bool:
    """A token that can name a topic: alphabetic, at least three letters."""
    return len(token) >= 3 and token.isalpha()


@lru_cache(maxsize=1)
def english_words() -> tuple[str, ...]:
    """Common English words, most frequent first."""
    from wordfreq import top_n_list, zipf_frequency

    return tuple(w for w in top_n_list("en", ENGLISH_LIST) if is_word(w) and zipf_frequency(w, "en") >= MIN_ZIPF)


def _encode(embedder, words: list[str]) -> np.ndarray:
    if not words:
        return np.zeros((0, embedder.dim), dtype=np.float16)
    return np.asarray(embedder.encode(list(words), batch_size=256), dtype=np.float32).astype(np.float16)


def _english_vectors(embedder, words: "tuple[str, ...] | list[str]") -> tuple[np.ndarray, int]:
    """The English words' vectors (float16), from the encoder's cache folder when it has one, and how many
    words were encoded to get them."""
    digest = hashlib.sha256("\n".join(words).encode()).hexdigest()[:16]
    # The encoder's class is in the key: a stand-in with the model's name (the scale benchmark's hash vectors)
    # must not hand its vectors to the model, or the model its own to it.
    key = (type(embedder).__qualname__, embedder.name, embedder.dim, digest)
    if key in _MEMORY:
        return _MEMORY[key], 0
    onnx_file = getattr(embedder, "onnx_file", None)
    cache = Path(onnx_file).with_name(f"{Path(onnx_file).stem}.words-{digest}.npy") if onnx_file else None
    vectors = None
    if cache is not None and cache.exists():
        try:
            vectors = np.load(cache, allow_pickle=False)
        except (OSError, ValueError):
            vectors = None
        if vectors is not None and vectors.shape != (len(words), embedder.dim):
            vectors = None
    encoded = 0
    if vectors is None:
        vectors, encoded = _encode(embedder, words), len(words)
        if cache is not None:
            try:  # written whole, then renamed: a reader never sees half a file
                fd, tmp = tempfile.mkstemp(dir=cache.parent, suffix=".tmp")
                with os.fdopen(fd, "wb") as f:
                    np.save(f, vectors, allow_pickle=False)
                os.replace(tmp, cache)
            except OSError:
                pass  # a read-only cache folder: the table is still right, only the next build is slower
    _MEMORY[key] = vectors
    return vectors, encoded


def corpus_words(counts: Iterable[str]) -> list[str]:
    """The corpus's words that can name a topic, sorted."""
    return sorted(w for w in counts if is_word(w))


def neighbours(embedder, corpus: Iterable[str], english: "tuple[str, ...] | None" = None) -> tuple[dict[str, float], int]:
    """{English word that is not a corpus word: cosine of its nearest corpus word}, rounded to 3 places; and
    how many words were encoded for it."""
    vocab = corpus_words(corpus)
    english = english_words() if english is None else english
    known = set(vocab)
    if not vocab:
        return {}, 0
    ev, encoded = _english_vectors(embedder, english)
    rows = [i for i, w in enumerate(english) if w not in known]
    # A corpus word that is an English word has its vector already; only the rest (names, terms) is encoded.
    at = {w: i for i, w in enumerate(english)}
    others = [w for w in vocab if w not in at]
    cv = np.concatenate([ev[[at[w] for w in vocab if w in at]], _encode(embedder, others)]).astype(np.float32)
    out: dict[str, float] = {}
    step = max(1, _CELLS // len(vocab))
    for b in range(0, len(rows), step):
        block = rows[b : b + step]
        best = (ev[block].astype(np.float32) @ cv.T).max(axis=1)
        out.update((english[i], round(float(c), 3)) for i, c in zip(block, best))
    return out, encoded + len(others)
