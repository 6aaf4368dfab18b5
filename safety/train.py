"""Train the learned second opinion on the labelled phrasings, and choose its thresholds by cross-validation.

    verbatim train-safety        (the command line embeds the phrasings and calls `train`)

Method, all on ``safety/data/*.jsonl`` (never on the held-out sets in ``eval/heldout/``):

1. Each phrasing is embedded whole, and so is each of its sentences when it has several, as the engine
   judges them (`safety.engine.judged_texts`: not a sentence the rules read as a crisis that is over).
2. Logistic regression (scikit-learn, lbfgs, balanced class weights) over `safety.learned.features`
   (the embedding plus hashed word and character n-grams), for the four routing kinds, and a binary one
   for the crisis signal.  The regularisation C is chosen from `C_GRID` by the cross-validated log-loss.
3. `FOLDS`-fold stratified cross-validation gives every phrasing an out-of-fold probability, taken as
   the maximum over the phrasing and its sentences, as the engine does.  The kind model also learns from
   each sentence of an informational phrasing, labelled "answer" (a sentence of an informational message
   is informational), kept in its phrasing's fold.
4. The thresholds minimise the out-of-fold cost of the whole router (the rules, raised by the classifier
   where it is over a threshold), priced by `COST`: a missed crisis costs 20, a missed refusal 5, a missed
   advice 3, and a false refusal of an informational phrasing 2.  They are chosen one kind at a time
   (crisis, refused, advice, then crisis again); where several cost the same, the middle one is taken.
   The signal threshold likewise, a missed signal costing 5 false alarms.
5. The final models are fitted on every phrasing, with those thresholds.

The result is deterministic for the same phrasings and vectors; a test retrains it and compares.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from safety.engine import judged_texts, route_rules
from safety.learned import RAISES, Classifier, features
from safety.normalise import normalise
from safety.rules.signal import SIGNAL
from safety.types import RANK, ROUTE_KINDS

DATA = Path(__file__).with_name("data")
FOLDS = 5
SEED = 0
C_GRID = (4.0, 16.0)
# COST[label][route]: what a route costs for a phrasing of that label.  A missed crisis can cost a life;
# a false refusal costs a visitor a detour (help lines instead of quotes), so it is priced far lower.
COST = {
    "crisis": {"crisis": 0.0, "refused": 20.0, "advice": 20.0, "answer": 20.0},
    "refused": {"crisis": 0.5, "refused": 0.0, "advice": 5.0, "answer": 5.0},
    "advice": {"crisis": 0.5, "refused": 0.5, "advice": 0.0, "answer": 3.0},
    "answer": {"crisis": 2.0, "refused": 2.0, "advice": 2.0, "answer": 0.0},
}
SIGNAL_MISS_COST = 5.0
GRID = np.round(np.arange(0.02, 0.981, 0.01), 2)


@dataclass(frozen=True)
class Example:
    text: str
    kind: str  # one of ROUTE_KINDS
    signal: bool


def load_examples(folder: Path = DATA) -> list[Example]:
    """Every labelled phrasing, once each: a phrasing labelled twice keeps its most cautious kind.

    A phrasing's signal is its label's, or true when it is a crisis or has a signal word: the signal model
    learns what the engine itself treats as a signal, whichever convention a file's writer followed."""
    best: dict[str, Example] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            kind = row["kind"]
            if kind not in ROUTE_KINDS:
                raise ValueError(f"{path}:{n}: kind {kind!r} is not one of {ROUTE_KINDS}")
            text = row["text"].strip()
            signal = bool(row.get("signal")) or kind == "crisis" or SIGNAL.search(normalise(text)) is not None
            ex = Example(text=text, kind=kind, signal=signal)
            old = best.get(ex.text)
            if old is None or RANK[ex.kind] < RANK[old.kind] or (ex.kind == old.kind and ex.signal and not old.signal):
                best[ex.text] = ex
    return sorted(best.values(), key=lambda e: (e.kind, e.text))


def data_hash(examples: Sequence[Example]) -> str:
    h = hashlib.sha256()
    for e in examples:
        h.update(f"{e.kind}\t{int(e.signal)}\t{e.text}\n".encode())
    return h.hexdigest()


def _folds(labels: np.ndarray) -> list[np.ndarray]:
    from sklearn.model_selection import StratifiedKFold

    skf = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    return [test for _, test in skf.split(np.zeros(len(labels)), labels)]


def _fit(x, y: np.ndarray, c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight="balanced", max_iter=1000).fit(x, y)


def _max_over_parts(model, x, sx, parts: list[np.ndarray]) -> np.ndarray:
    """Per phrasing, the maximum probability over the phrasing's whole row and its sentences' rows."""
    out = model.predict_proba(x)
    for i, rows in enumerate(parts):
        if len(rows):
            out[i] = np.maximum(out[i], model.predict_proba(sx[rows]).max(axis=0))
    return out


def _threshold(scores: np.ndarray, positive: np.ndarray, cost: float) -> tuple[float, list[dict]]:
    """The grid threshold with the least cost (middle of the cheapest band), and the trade-off table."""
    table = []
    for t in GRID:
        caught = scores >= t
        fn = int((positive & ~caught).sum())
        fp = int((~positive & caught).sum())
        table.append({"threshold": float(t), "missed": fn, "false_alarms": fp, "cost": cost * fn + fp})
    least = min(r["cost"] for r in table)
    band = [r["threshold"] for r in table if r["cost"] == least]
    return band[len(band) // 2], table


def train(examples: Sequence[Example], embed: Callable[[list[str]], np.ndarray], model_name: str) -> tuple[Classifier, dict]:
    """Fit the classifier and choose its thresholds; returns it with the cross-validated report."""
    texts = [e.text for e in examples]
    vectors = np.asarray(embed(texts), dtype=np.float64)
    decided = [route_rules(t) for t in texts]
    sentence_lists = [list(judged_texts(t, d)[1:]) for t, d in zip(texts, decided)]
    flat = [s for ss in sentence_lists for s in ss]
    x = features(texts, vectors)
    sx = features(flat, np.asarray(embed(flat), dtype=np.float64)) if flat else None
    parts, at = [], 0
    for ss in sentence_lists:
        parts.append(np.arange(at, at + len(ss)))
        at += len(ss)
    classes = list(ROUTE_KINDS)
    y = np.array([classes.index(e.kind) for e in examples])
    s = np.array([e.signal for e in examples])
    s_int = s.astype(int)
    folds = _folds(y)

    # The engine also judges each sentence on its own, so the kind model learns what a sentence of an
    # informational message looks like ("I'm a pharmacist."): every such sentence is an answer too.  Sentences
    # of other messages are not labelled (a crisis message's "anyway, what is ketamine?" is no crisis).
    answer_sentences = {i: parts[i] for i, e in enumerate(examples) if e.kind == "answer" and len(parts[i])}

    def fit_rows(rows: np.ndarray, labels: np.ndarray, c: float, with_sentences: bool):
        if not with_sentences or sx is None:
            return _fit(x[rows], labels[rows], c)
        extra = np.concatenate([answer_sentences[i] for i in rows if i in answer_sentences] or [np.zeros(0, int)])
        from scipy import sparse

        xx = sparse.vstack([x[rows], sx[extra]], format="csr")
        return _fit(xx, np.concatenate([labels[rows], np.full(len(extra), classes.index("answer"))]), c)

    def oof(c: float, labels: np.ndarray, with_sentences: bool) -> np.ndarray:
        out = np.zeros((len(labels), len(set(labels.tolist()))))
        for test in folds:
            train_rows = np.setdiff1d(np.arange(len(labels)), test)
            m = fit_rows(train_rows, labels, c, with_sentences)
            out[test] = _max_over_parts(m, x[test], sx, [parts[i] for i in test])
        return out

    def log_loss(p: np.ndarray, labels: np.ndarray) -> float:
        return float(-np.mean(np.log(np.clip(p[np.arange(len(labels)), labels], 1e-12, 1))))

    # C by the out-of-fold log-loss; the out-of-fold probabilities of the chosen C set the thresholds.
    oof_kind = {c: oof(c, y, True) for c in C_GRID}
    c_scores = {c: log_loss(p, y) for c, p in oof_kind.items()}
    c_kind = min(c_scores, key=c_scores.get)
    oof_signal = {c: oof(c, s_int, False) for c in C_GRID}
    c_signal_scores = {c: log_loss(p, s_int) for c, p in oof_signal.items()}
    c_signal = min(c_signal_scores, key=c_signal_scores.get)
    p, ps = oof_kind[c_kind], oof_signal[c_signal][:, 1]
    rules = [d.kind for d in decided]
    thresholds, tradeoffs = _choose_thresholds(examples, p, rules)
    signal_threshold, tradeoffs["signal"] = _threshold(ps, s, SIGNAL_MISS_COST)

    final = fit_rows(np.arange(len(y)), y, c_kind, True)
    final_signal = _fit(x, s_int, c_signal)
    order = [list(final.classes_).index(classes.index(k)) for k in classes]
    coef = final.coef_[order]
    used = np.any(coef != 0, axis=0) | (final_signal.coef_[0] != 0)
    used[: vectors.shape[1]] = True  # the embedding's columns always, so the serving path can take them as a block
    columns = np.flatnonzero(used)
    clf = Classifier(
        classes=tuple(classes),
        dim=vectors.shape[1],
        columns=columns,
        coef=coef[:, columns],
        intercept=final.intercept_[order],
        signal_coef=final_signal.coef_[0][columns],
        signal_intercept=float(final_signal.intercept_[0]),
        thresholds=thresholds,
        signal_threshold=signal_threshold,
        model=model_name,
        data_hash=data_hash(examples),
    )
    report = _report(examples, p, ps, rules, thresholds, signal_threshold, tradeoffs, c_kind, c_signal, c_scores,
                     vectors, y, folds)
    return clf, report


def _combined(p: np.ndarray, rules: list[str], thresholds: dict[str, float]) -> list[str]:
    """The router's route per phrasing: the rules' kind, raised by the classifier where it is over a threshold."""
    out = []
    for r_kind, c_kind in zip(rules, _route_oof(p, thresholds)):
        out.append(c_kind if RANK[c_kind] < RANK[r_kind] else r_kind)
    return out


def _cost(examples: Sequence[Example], routes: list[str]) -> float:
    return sum(COST[e.kind][r] for e, r in zip(examples, routes))


def _choose_thresholds(examples, p: np.ndarray, rules: list[str]) -> tuple[dict[str, float], dict[str, list[dict]]]:
    thresholds = {k: 1.01 for k in RAISES}  # start from "the classifier raises nothing"
    tradeoffs: dict[str, list[dict]] = {}
    for kind in (*RAISES, "crisis"):
        table = []
        for t in GRID:
            trial = {**thresholds, kind: float(t)}
            routes = _combined(p, rules, trial)
            conf = _confusion(examples, routes)
            table.append({
                "threshold": float(t), "cost": _cost(examples, routes),
                "missed": sum(conf[kind][g] for g in ROUTE_KINDS if RANK[g] > RANK[kind]),
                "false_refusals": sum(conf["answer"][g] for g in RAISES),
            })
        least = min(r["cost"] for r in table)
        band = [r["threshold"] for r in table if r["cost"] == least]
        thresholds[kind] = band[len(band) // 2]
        tradeoffs[kind] = table
    return thresholds, tradeoffs


def _route_oof(p: np.ndarray, thresholds: dict[str, float]) -> list[str]:
    classes = list(ROUTE_KINDS)
    return [next((k for k in RAISES if row[classes.index(k)] >= thresholds[k]), "answer") for row in p]


def _nearest_example_oof(x: np.ndarray, y: np.ndarray, folds: list[np.ndarray], min_similarity: float = 0.55) -> list[str]:
    """The nearest-labelled-example guard this classifier replaces, out of fold: raise to the nearest
    phrasing's kind when it is crisis or refused and at least `min_similarity` close."""
    classes = list(ROUTE_KINDS)
    out = ["answer"] * len(y)
    for test in folds:
        train_rows = np.setdiff1d(np.arange(len(y)), test)
        sims = x[test] @ x[train_rows].T
        j = sims.argmax(axis=1)
        for i, row, jj in zip(test, sims, j):
            kind = classes[y[train_rows[jj]]]
            if row[jj] >= min_similarity and kind in ("crisis", "refused"):
                out[i] = kind
    return out


def _confusion(examples: Sequence[Example], got: list[str]) -> dict:
    return {k: {g: sum(1 for e, r in zip(examples, got) if e.kind == k and r == g) for g in ROUTE_KINDS} for k in ROUTE_KINDS}


def _report(examples, p, ps, rules, thresholds, signal_threshold, tradeoffs, c_kind, c_signal, c_scores, x, y, folds) -> dict:
    got = _route_oof(p, thresholds)
    guard = _nearest_example_oof(x, y, folds)
    rules_and_guard = [g if RANK[g] < RANK[r] else r for r, g in zip(rules, guard)]
    counts = {k: sum(e.kind == k for e in examples) for k in ROUTE_KINDS}
    signal = np.array([e.signal for e in examples])

    def summary(routes: list[str]) -> dict:
        conf = _confusion(examples, routes)
        return {
            "recall": {k: conf[k][k] / counts[k] for k in ROUTE_KINDS if counts[k]},
            "answer_raised": sum(conf["answer"][k] for k in RAISES) / counts["answer"],
            "confusion": conf,
        }

    def near(kind: str) -> list[dict]:
        t = thresholds[kind] if kind in thresholds else signal_threshold
        return [r for r in tradeoffs[kind] if abs(r["threshold"] - t) < 0.155 and round(r["threshold"] * 100) % 5 == 0]

    return {
        "phrasings": len(examples),
        "counts": counts,
        "signal_phrasings": int(signal.sum()),
        "folds": FOLDS,
        "C": {"kinds": c_kind, "signal": c_signal, "log_loss_by_C": c_scores},
        "cost": COST,
        "signal_miss_cost": SIGNAL_MISS_COST,
        "thresholds": thresholds,
        "signal_threshold": signal_threshold,
        "rules_alone": summary(rules),
        "rules_and_nearest_example_guard_out_of_fold": summary(rules_and_guard),
        "rules_and_classifier_out_of_fold": summary(_combined(p, rules, thresholds)),
        "classifier_alone_out_of_fold": summary(got),
        "nearest_example_guard_alone_out_of_fold": summary(guard),
        "signal_out_of_fold": {
            "recall": float(((ps >= signal_threshold) & signal).sum() / max(1, signal.sum())),
            "false_alarms": float(((ps >= signal_threshold) & ~signal).sum() / max(1, (~signal).sum())),
        },
        "tradeoffs_near_the_chosen_thresholds": {k: near(k) for k in (*RAISES, "signal")},
    }
