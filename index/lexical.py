"""BM25 over passages (bm25s), with a tokenizer that keeps names, numbers and DOIs.

Questions often hinge on a name (Krupitsky), a figure (48.2%), a brand
(Spravato) or a DOI, which a small embedder blurs; exact terms are BM25's job.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import numpy as np

# Bump when tokenize changes: the BM25 index is then rebuilt.
LEXICAL_VERSION = 2
DOI = re.compile(r"10\.\d{4,9}/[^\s\"<>\[\]]+")
CONTRACTION = re.compile(r"n['’]t\b|['’](?:s|re|m|ve|ll|d)\b")
TOKEN = re.compile(r"\d+(?:\.\d+)+|[a-z0-9]+")
STOPWORDS = frozenset(
    """a an the and or of to in on for with by at from as is are was were be been being it its this that these
    those which who whom what when where why how do does did can could should would may might will shall not no
    than then there their they them he she his her we our you your i me my about into over under between""".split()
)


def fold(text: str) -> str:
    """Lower case without accents: "Miniño" -> "minino"."""
    if text.isascii():  # NFKD leaves ASCII as it is: skip the per-character pass (most of the text, most of the time)
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def tokenize(text: str) -> list[str]:
    """Words and numbers (decimals kept whole: "48.2"), plus every DOI as one token."""
    t = CONTRACTION.sub(lambda m: " not" if m.group().startswith("n") else "", fold(text))
    tokens = [m.group().rstrip(".,;:)?!'\"") for m in DOI.finditer(t)]
    tokens += [w for w in TOKEN.findall(t) if w not in STOPWORDS]
    return tokens


def term_counts(texts) -> dict[str, int]:
    """For each token, how many of ``texts`` hold it (document frequency), keys sorted."""
    counts: dict[str, int] = {}
    for text in texts:
        for t in set(tokenize(text)):
            counts[t] = counts.get(t, 0) + 1
    return dict(sorted(counts.items()))


class Bm25Index:
    def __init__(self, retriever, size: int):
        self._r = retriever
        self.size = size

    @classmethod
    def build(cls, texts: list[str]) -> "Bm25Index":
        import bm25s

        # An empty token list would be dropped by bm25s and shift every row.
        docs = [tokenize(t) or ["\u2205"] for t in texts]
        # A sorted vocabulary keeps the saved files byte-identical across runs
        # (bm25s would otherwise order it by Python's per-process string hash).
        vocab = {tok: i for i, tok in enumerate(sorted({tok for d in docs for tok in d}))}
        r = bm25s.BM25()
        r.index(bm25s.tokenization.Tokenized(ids=[[vocab[t] for t in d] for d in docs], vocab=vocab), show_progress=False)
        return cls(r, len(texts))

    def scores(self, query: str) -> np.ndarray:
        """One BM25 score per passage (zeros when no query term is known)."""
        tokens = tokenize(query)
        if not tokens or self.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._r.get_scores(tokens), dtype=np.float32)

    def save(self, folder: Path) -> None:
        self._r.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path, size: int) -> "Bm25Index":
        import bm25s

        r = bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)
        return cls(r, size)
