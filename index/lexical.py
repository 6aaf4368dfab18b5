"""BM25 over passages (bm25s), with a tokenizer that keeps names, numbers and DOIs.

Questions often hinge on a name (Krupitsky), a figure (48.2%), a brand
(Spravato) or a DOI, which a small embedder blurs; exact terms are BM25's job.
"""
from __future__ import annotations

import math
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable
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


# bm25s's defaults, which `Bm25Index.build` computes itself (checked against bm25s in tests/index/test_lexical.py).
K1, B = 1.5, 0.75
EMPTY = "\u2205"  # stands for a passage with no word: bm25s would drop an empty row and shift every later one
_SCATTER = 1 << 20  # postings placed per step


def _lucene_idf(df: int, n: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


class Bm25Index:
    def __init__(self, retriever, size: int):
        self._r = retriever
        self.size = size

    @classmethod
    def build(cls, texts: Iterable[str]) -> "Bm25Index":
        """BM25 (bm25s's Lucene variant, k1 1.5, b 0.75) over ``texts``, read once, as they come.

        The result is bm25s's own, array for array (a test builds both), but the memory is not: bm25s
        wants every document as a list of token strings (about 60 bytes a word: 6 GB at 1M passages),
        while this keeps per document only its distinct terms and their counts, as int32 arrays (8 bytes
        a posting), then places each posting at its row of the term's column in steps of ``_SCATTER``.
        Vocabulary ids follow the sorted vocabulary, so the saved files do not depend on the hash seed.
        """
        import bm25s

        first_seen: dict[str, int] = {}
        term_ids, term_freqs, distinct, lengths = array("i"), array("i"), array("i"), array("q")
        for text in texts:
            tokens = tokenize(text) or [EMPTY]
            tf = Counter(tokens)
            term_ids.extend([first_seen.setdefault(t, len(first_seen)) for t in tf])
            term_freqs.extend(tf.values())
            distinct.append(len(tf))
            lengths.append(len(tokens))
        n_docs, vocab = len(distinct), sorted(first_seen)
        order = np.empty(len(vocab), dtype=np.int32)
        order[np.fromiter((first_seen[t] for t in vocab), dtype=np.int64, count=len(vocab))] = np.arange(len(vocab), dtype=np.int32)
        cols = np.frombuffer(term_ids, dtype=np.int32) if term_ids else np.zeros(0, dtype=np.int32)
        np.take(order, cols, out=cols)  # first-seen ids -> sorted-vocabulary ids, in place
        del order, first_seen
        freqs = np.frombuffer(term_freqs, dtype=np.int32) if term_freqs else np.zeros(0, dtype=np.int32)
        doc_len = np.frombuffer(lengths, dtype=np.int64) if lengths else np.zeros(0, dtype=np.int64)
        doc_starts = np.zeros(n_docs + 1, dtype=np.int64)
        np.cumsum(np.frombuffer(distinct, dtype=np.int32) if distinct else np.zeros(0, dtype=np.int32), out=doc_starts[1:])

        df = np.bincount(cols, minlength=len(vocab))
        idf = np.zeros(len(vocab), dtype=np.float32)
        for i in np.flatnonzero(df):
            idf[i] = _lucene_idf(int(df[i]), n_docs)
        # bm25s's Lucene term weight, in the same float64 operations, rounded to float32 once
        doc_norm = K1 * ((1 - B) + B * doc_len / doc_len.mean()) if n_docs else doc_len.astype(np.float64)
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        data, indices = np.empty(len(cols), dtype=np.float32), np.empty(len(cols), dtype=np.int32)
        heads = indptr[:-1].copy()  # next free slot of each term's column
        for start in range(0, len(cols), _SCATTER):
            stop = min(start + _SCATTER, len(cols))
            c = cols[start:stop]
            rows = (np.searchsorted(doc_starts, np.arange(start, stop), side="right") - 1).astype(np.int32)
            tf = freqs[start:stop].astype(np.float64)
            score = idf[c] * (tf / (doc_norm[rows] + tf))
            by_term = np.argsort(c, kind="stable")  # rows stay in document order within a term
            c = c[by_term]
            group = np.flatnonzero(np.diff(c, prepend=-1))  # where each term's run starts in c
            sizes = np.diff(group, append=len(c))
            slot = heads[c] + (np.arange(len(c)) - np.repeat(group, sizes))
            data[slot], indices[slot] = score[by_term], rows[by_term]
            heads[c[group]] += sizes
        del cols, freqs, term_ids, term_freqs

        r = bm25s.BM25(k1=K1, b=B, method="lucene", idf_method="lucene")
        vocab_dict = {t: i for i, t in enumerate(vocab)}
        vocab_dict[""] = len(vocab)  # bm25s's empty token, as its `index` adds it
        r.scores = {"data": data, "indices": indices, "indptr": indptr, "num_docs": n_docs}
        r.vocab_dict, r.unique_token_ids_set, r.nonoccurrence_array = vocab_dict, set(vocab_dict.values()), None
        return cls(r, n_docs)

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
