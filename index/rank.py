"""The learned ranker: a logistic regression over features retrieval already computes for each candidate.

A candidate passage's features (`FEATURES`, in that order) are its question cosine, its BM25 score over the
query's best, the fused score, the cosine of its best sentence, the IDF-weighted share of the question's words
it holds (as a whole and in its best sentence), that share in its section heading, whether it is a reference
entry (and whether the question looks one up), whether it is a caption, its reciprocal ranks in the dense and
BM25 lists, and its length.  The model is fitted by `fit` (scikit-learn) and kept as plain numbers in JSON
(`index/model/ranker.json`): standardisation, coefficients, intercept.  Its training script is
`eval/train_ranker.py`, its labelled data the tuning split of `eval/gold.jsonl`.

The same kind of model decides `no_answer` (`index/model/no_answer.json`, `NO_ANSWER_FEATURES`): from the
ranker's calibrated probability for the best candidate, the best cosines and word coverage, and the topic
test, the words of the question that no passage uses, with how common they are in English and how close the
nearest corpus word of each is in meaning (`index.topics`).  Its threshold
(in ``meta``) is chosen on out-of-fold probabilities.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FEATURES = (
    "cosine", "bm25", "fused", "best_sentence", "coverage", "sentence_coverage", "heading",
    "reference", "reference_lookup", "caption", "dense_rr", "bm25_rr", "length",
)
# The no-answer test: one row per question, from its best candidates and the words the articles never use.
NO_ANSWER_FEATURES = (
    "top_probability", "top_cosine", "top_sentence_cosine", "top_coverage",
    "unknown_share", "unknown_words", "unknown_min_zipf", "unknown_rare", "words",
    "unknown_nearest", "unknown_uncovered",
)
MODEL_PATH = Path(__file__).with_name("model") / "ranker.json"
NO_ANSWER_PATH = Path(__file__).with_name("model") / "no_answer.json"


@dataclass(frozen=True)
class Ranker:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    meta: dict  # how it was trained: C, cases, candidates, cross-validated figures

    def score(self, x: np.ndarray) -> np.ndarray:
        """The log-odds that each row's passage holds the answer (higher ranks first)."""
        return ((np.asarray(x, dtype=np.float64) - self.mean) / self.scale) @ self.coef + self.intercept

    def probability(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.score(x)))

    def to_dict(self) -> dict:
        return {
            "features": list(self.features),
            "mean": [round(float(v), 10) for v in self.mean],
            "scale": [round(float(v), 10) for v in self.scale],
            "coef": [round(float(v), 10) for v in self.coef],
            "intercept": round(float(self.intercept), 10),
            "meta": self.meta,
        }

    @classmethod
    def from_dict(cls, d: dict, expect: tuple[str, ...] = FEATURES) -> "Ranker":
        if tuple(d["features"]) != expect:
            raise ValueError(f"model features {d['features']} differ from this program's {list(expect)}: retrain it")
        return cls(
            features=tuple(d["features"]),
            mean=np.array(d["mean"], dtype=np.float64),
            scale=np.array(d["scale"], dtype=np.float64),
            coef=np.array(d["coef"], dtype=np.float64),
            intercept=float(d["intercept"]),
            meta=dict(d.get("meta", {})),
        )

    def save(self, path: Path = MODEL_PATH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = MODEL_PATH, expect: tuple[str, ...] = FEATURES) -> "Ranker | None":
        """The stored model, or None when there is none (ranking then stays the fused score)."""
        if not Path(path).exists():
            return None
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")), expect)


def fit(x: np.ndarray, y: np.ndarray, c: float = 1.0, meta: dict | None = None, features: tuple[str, ...] = FEATURES) -> Ranker:
    """Logistic regression on standardised features (lbfgs, deterministic for the same rows)."""
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.int64)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
    model.fit((x - mean) / scale, y)
    return Ranker(tuple(features), mean, scale, model.coef_[0].astype(np.float64), float(model.intercept_[0]), dict(meta or {}))
