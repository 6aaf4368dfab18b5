"""The learned second opinion: logistic regressions over the sentence embedding the service already computes,
together with hashed word and character n-grams of the normalised text.

The embedding carries meaning ("I've written letters to everyone" is near a goodbye); the n-grams carry
what an embedding blurs: who speaks ("i", "my son") and how ("what do the studies say").  Hashing
(scikit-learn's stateless `HashingVectorizer`) needs no vocabulary to store.

Two models, stored as plain arrays in ``safety/model/classifier.npz`` (never a pickle):

* a multinomial logistic regression over the routing kinds (crisis, refused, advice, answer);
* a binary one for the crisis *signal* (any sign of suicide, self-harm or overdose risk, past or
  second-hand included), which decides whether the crisis lines are shown with an answer.

Each risky kind has a probability threshold, chosen by cross-validation on the labelled phrasings with a
cost that makes a missed crisis far dearer than a false alarm (`safety.train`).  The classifier can only
raise a route: the engine takes the more cautious of its view and the rules'.  A message of several
sentences is judged by its most worrying sentence, or the whole, whichever scores higher.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import mmh3
import numpy as np

from safety.normalise import normalise
from safety.types import ROUTE_KINDS

MODEL_PATH = Path(__file__).with_name("model") / "classifier.npz"
RAISES = ("crisis", "refused", "advice")  # the kinds the classifier may raise a route to, most cautious first
HASH_FEATURES = 2**18  # per n-gram family (words, characters); collisions cost little here
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (3, 5)


WORD_PATTERN = r"(?u)\b\w+\b"
_WORD = re.compile(WORD_PATTERN)


@lru_cache(maxsize=1)
def _vectorizers():
    """scikit-learn's vectorizers, for training (`features`).  Serving does not import scikit-learn: that import
    alone took 1.2-2 s of a server's first answer.  `word_grams`, `char_grams` and `_hash_column` compute the
    same n-grams and columns, and a test checks them against these on every labelled phrasing."""
    from sklearn.feature_extraction.text import HashingVectorizer

    common = dict(n_features=HASH_FEATURES, alternate_sign=False, norm="l2", preprocessor=normalise, lowercase=False)
    words = HashingVectorizer(ngram_range=WORD_NGRAMS, token_pattern=WORD_PATTERN, **common)
    chars = HashingVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, **common)
    return words, chars


def word_grams(doc: str) -> list[str]:
    """The word n-grams of a normalised text, as `HashingVectorizer(ngram_range=WORD_NGRAMS)` makes them."""
    tokens = _WORD.findall(doc)
    lo, hi = WORD_NGRAMS
    grams = list(tokens) if lo == 1 else []
    for n in range(max(lo, 2), min(hi, len(tokens)) + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def char_grams(doc: str) -> list[str]:
    """The character n-grams within words of a normalised text, each word padded with a space, as
    `HashingVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS)` makes them (a word shorter than n
    counts once, for the smallest n)."""
    lo, hi = CHAR_NGRAMS
    grams: list[str] = []
    for w in doc.split():
        w = f" {w} "
        for n in range(lo, hi + 1):
            if len(w) <= n:  # the whole padded word is the only gram; larger n would repeat it
                grams.append(w)
                break
            grams.extend(w[i : i + n] for i in range(len(w) - n + 1))
    return grams


@lru_cache(maxsize=1 << 17)
def _hash_column(gram: str) -> int:
    """The column `HashingVectorizer` gives an n-gram: murmurhash3_32 of its UTF-8 bytes, seed 0, sign dropped
    (mmh3 computes the same hash as scikit-learn's `murmurhash3_32`).  Cached: a message has about 140
    n-grams, mostly ones seen before ("ket", " i ", "what do")."""
    h = mmh3.hash(gram, 0)
    return (2**31 if h == -(2**31) else abs(h)) % HASH_FEATURES


def hashed(text: str) -> dict[int, float]:
    """The n-gram columns of one text and their values, after the embedding's: exactly the non-zero
    entries of `features` beyond the first ``dim`` columns, shifted down by ``dim`` (for the serving path,
    which needs no scikit-learn; a test checks the two agree)."""
    doc = normalise(text)
    out: dict[int, float] = {}
    for offset, grams in ((0, word_grams(doc)), (HASH_FEATURES, char_grams(doc))):
        counts: dict[int, float] = {}
        for gram in grams:
            col = _hash_column(gram)
            counts[col] = counts.get(col, 0.0) + 1.0
        norm = float(np.sqrt(sum(v * v for v in counts.values()))) or 1.0
        out.update({offset + col: v / norm for col, v in counts.items()})
    return out


def features(texts: list[str], vectors: np.ndarray):
    """The classifier's input for each text: [embedding | word n-grams | character n-grams], sparse."""
    from scipy import sparse

    words, chars = _vectorizers()
    return sparse.hstack([sparse.csr_matrix(np.asarray(vectors, dtype=np.float64)), words.transform(texts),
                          chars.transform(texts)], format="csr")


class ModelError(Exception):
    """The stored classifier is missing, unreadable, or made for another embedding model."""


@dataclass(frozen=True)
class Opinion:
    """What the classifier says of one message: the most cautious kind over its thresholds (or None), the
    probabilities behind it, and whether it sees a crisis signal."""

    kind: str | None
    probabilities: dict[str, float]
    signal: bool
    signal_probability: float


@dataclass(frozen=True)
class Classifier:
    """Weights over the columns of `features` that the training phrasings used (``columns``, sorted; every
    other column's weight is 0).  The first ``dim`` columns are the embedding's."""

    classes: tuple[str, ...]  # order of the rows of ``coef``
    dim: int  # the embedding's dimension
    columns: np.ndarray  # (m,) feature columns with a weight
    coef: np.ndarray  # (classes, m)
    intercept: np.ndarray  # (classes,)
    signal_coef: np.ndarray  # (m,)
    signal_intercept: float
    thresholds: dict[str, float]  # kind -> probability at or above which the route is raised
    signal_threshold: float
    model: str  # the embedding model the vectors come from
    data_hash: str  # sha256 of the labelled phrasings it was trained on

    @cached_property
    def _position(self) -> dict[int, int]:
        return {int(c) - self.dim: i for i, c in enumerate(self.columns) if c >= self.dim}

    def _row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Positions (into ``columns``, past the embedding's) and values of one text's n-gram features."""
        pos = self._position
        hits = [(pos[col], value) for col, value in hashed(text).items() if col in pos]
        idx = np.fromiter((i for i, _ in hits), dtype=np.intp, count=len(hits))
        return idx, np.fromiter((v for _, v in hits), dtype=np.float64, count=len(hits))

    def opinion(self, texts: list[str], vectors: np.ndarray) -> Opinion:
        """The classifier's view of one message from its texts (the message, then its sentences) and their vectors."""
        if vectors.ndim != 2 or vectors.shape[1] != self.dim or len(vectors) != len(texts) or not texts:
            raise ValueError(f"expected ({len(texts)}, {self.dim}) vectors for {len(texts)} texts, got {vectors.shape}")
        rows = [self._row(t) for t in texts]
        vectors = np.asarray(vectors, dtype=np.float64)
        z = vectors @ self.coef[:, : self.dim].T + self.intercept
        zs = vectors @ self.signal_coef[: self.dim] + self.signal_intercept
        for j, (idx, val) in enumerate(rows):
            z[j] += self.coef[:, idx] @ val
            zs[j] += self.signal_coef[idx] @ val
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        worst = p.max(axis=0)  # each kind at its most likely sentence
        probs = {k: float(worst[i]) for i, k in enumerate(self.classes)}
        kind = next((k for k in RAISES if probs[k] >= self.thresholds[k]), None)
        sp = float(1.0 / (1.0 + np.exp(-zs.max())))
        return Opinion(kind=kind, probabilities=probs, signal=sp >= self.signal_threshold, signal_probability=sp)

    # -- storage: plain arrays ---------------------------------------------------------------------

    def save(self, path: Path = MODEL_PATH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".tmp-{path.name}")
        with open(tmp, "wb") as f:
            np.savez_compressed(
                f,
                classes=np.array(self.classes),
                dim=np.array(self.dim),
                columns=self.columns.astype(np.int64),
                coef=self.coef.astype(np.float64),
                intercept=self.intercept.astype(np.float64),
                signal_coef=self.signal_coef.astype(np.float64),
                signal_intercept=np.array(self.signal_intercept, dtype=np.float64),
                threshold_kinds=np.array(list(self.thresholds)),
                threshold_values=np.array(list(self.thresholds.values()), dtype=np.float64),
                signal_threshold=np.array(self.signal_threshold, dtype=np.float64),
                model=np.array(self.model),
                data_hash=np.array(self.data_hash),
            )
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path = MODEL_PATH, expect_model: str | None = None, expect_dim: int | None = None) -> "Classifier":
        """Load the stored arrays; raises `ModelError` with a one-line reason."""
        try:
            with np.load(path, allow_pickle=False) as z:
                c = cls(
                    classes=tuple(str(x) for x in z["classes"]),
                    dim=int(z["dim"]),
                    columns=z["columns"],
                    coef=z["coef"],
                    intercept=z["intercept"],
                    signal_coef=z["signal_coef"],
                    signal_intercept=float(z["signal_intercept"]),
                    thresholds={str(k): float(v) for k, v in zip(z["threshold_kinds"], z["threshold_values"])},
                    signal_threshold=float(z["signal_threshold"]),
                    model=str(z["model"]),
                    data_hash=str(z["data_hash"]),
                )
        except FileNotFoundError:
            raise ModelError(f"no safety classifier at {path}: run `verbatim train-safety`") from None
        except (OSError, KeyError, ValueError) as e:
            raise ModelError(f"the safety classifier at {path} is unreadable ({e})") from None
        if set(c.classes) != set(ROUTE_KINDS) or set(c.thresholds) != set(RAISES):
            raise ModelError(f"the safety classifier at {path} has classes {c.classes}, not {ROUTE_KINDS}")
        if len(c.columns) < c.dim or not np.array_equal(c.columns[: c.dim], np.arange(c.dim)):
            raise ModelError(f"the safety classifier at {path} does not weigh every embedding column first")
        if expect_model is not None and c.model != expect_model:
            raise ModelError(f"the safety classifier was trained on {c.model} vectors, not {expect_model}")
        if expect_dim is not None and c.dim != expect_dim:
            raise ModelError(f"the safety classifier expects {c.dim}-dimensional vectors, not {expect_dim}")
        return c
