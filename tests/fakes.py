"""A tiny deterministic embedder for unit tests (integration tests use the real model)."""
from __future__ import annotations

import hashlib

import numpy as np

from index.lexical import tokenize


class HashEmbedder:
    """Bag of hashed words: texts sharing words get similar vectors.  Counts its work."""

    name = "test/hash-embedder"
    dim = 64
    max_seq_length = 100_000

    def __init__(self) -> None:
        self.encoded = 0  # texts embedded so far

    def fits(self, text: str) -> bool:
        return True

    def load(self) -> None:
        pass

    def encode(self, texts: list[str], batch_size: int | None = None, progress: bool = False) -> np.ndarray:
        self.encoded += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for tok in tokenize(text) or ["\u2205"]:
                h = int.from_bytes(hashlib.blake2b(tok.encode(), digest_size=4).digest(), "little")
                out[row, h % self.dim] += 1.0 if h & 1 << 20 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms
