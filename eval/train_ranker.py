"""Train the learned ranker (`index/rank.py`) on the gold set's tuning split, with k-fold cross-validation.

``verbatim train-ranker`` does, in order:

1. for every answerable case of the tuning split (``eval/gold.jsonl`` minus ``eval/gold_split.json``'s
   held-out ids), the ranker's 30 candidates with their features, labelled 1 when the passage holds one of
   the case's evidence strings (`Answerer.training_rows`);
2. for each regularisation strength C of ``GRID``: 5 folds over the tuning split's cases (all kinds, by a
   hash of the id); each fold's cases are asked through the whole pipeline with a ranker fitted on the
   other four folds only, and the figures are those of the folds a model did not see;
3. the C with the best cross-validated MRR@5 (then recall@1) is fitted on the whole tuning split and saved
   as JSON (``index/model/ranker.json``), with its cross-validated figures in ``meta``;
4. the no-answer test (`index.rank.NO_ANSWER_FEATURES`) is fitted on the answerable and unanswerable cases
   of the tuning split, each row computed with the ranker of the folds that did not see the case; its
   threshold minimises missed no_answers plus ``FALSE_NO_ANSWER_COST`` times false ones over out-of-fold
   probabilities, for each topic cut-off of ``UNCOVERED_GRID`` (the lowest cross-validated cost is stored).
   The test is kept added to both rules (a rare word no passage uses; no relevant passage):
   it may make an answer no_answer, never the reverse.  In place of the rare-word rule (whose words it reads
   as features) it is cross-validated too and reported, but not kept: see ``KEPT_MODE``.

The held-out split is never read here.  `tests/eval/test_ranker.py` fits again and checks the stored model.
"""
from __future__ import annotations

import hashlib
import json

import numpy as np

from eval.metrics import summarize
from eval.run import InProcess, heldout_ids, load_gold, run_cases

FOLDS = 5
GRID = (0.01, 0.03, 0.1, 0.3, 1.0)
NO_ANSWER_C = 1.0
FALSE_NO_ANSWER_COST = 2.0  # hiding an answer the articles have is worse than quoting loosely for an uncovered topic
# The learned test only adds no_answers.  It is trained on the gold set, which holds no crisis, advice or refused
# message, so it cannot see what else the rare-word rule guards: a message routing failed to catch that names a
# word no passage uses gets no quotes.  In session 22 the test in place of the rule had the lower cross-validated
# cost on the tuning split (no_answer 0.846, 4 false, against 0.897 and 7 added to the rules), and was kept; on
# held-out safety set C it let two refused messages be answered with quotes, one more than that set's ceiling
# (CI, 2026-12-03).  So replacing the rule is measured and printed, and not eligible.
KEPT_MODE = "adds to both rules"
REPLACE_MODE = "replaces the rare-word rule"
# The topic test's cut-off (`Answerer.uncovered_cosine`): an unknown word whose nearest corpus word is less close
# names an uncovered topic.  Each is tried with the kept mode through the whole pipeline, cross-validated; the
# lowest cost (missed no_answers plus FALSE_NO_ANSWER_COST times false ones), then the best MRR@5, is stored.
UNCOVERED_GRID = (0.45, 0.5, 0.55, 0.6, 0.65)
CV_KEYS = ("recall@1", "recall@5", "mrr@5", "citation_accuracy", "no_answer_accuracy", "false_no_answers")


def fold_of(case_id: str, folds: int = FOLDS) -> int:
    return int(hashlib.sha256(f"verbatim-ranker-fold:{case_id}".encode()).hexdigest(), 16) % folds


def tuning_cases() -> list[dict]:
    held = heldout_ids()
    return [c for c in load_gold() if c["id"] not in held]


def training_rows(answerer, cases: list[dict]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Candidates and labels of every answerable case that has at least one labelled candidate."""
    out = {}
    for c in cases:
        if c["kind"] != "answer":
            continue
        x, y = answerer.training_rows(c["question"], c.get("history", []), c["evidence"])
        if y.any():
            out[c["id"]] = (x, y)
    return out


def stack(rows: dict, ids) -> tuple[np.ndarray, np.ndarray]:
    xs = [rows[i][0] for i in ids if i in rows]
    ys = [rows[i][1] for i in ids if i in rows]
    return np.vstack(xs), np.concatenate(ys)


def fold_rankers(rows: dict, c: float) -> list:
    from service.api import fit_ranker

    return [fit_ranker(*stack(rows, [k for k in rows if fold_of(k) != f]), c=c) for f in range(FOLDS)]


def cross_validate(answerer, cases: list[dict], rankers: list, no_answer: list | None = None) -> dict:
    """Every case asked through the pipeline with the models fitted without its fold; figures over all of them."""
    from service.api import Answerer

    results = []
    for f in range(FOLDS):
        test = [case for case in cases if fold_of(case["id"]) == f]
        a = Answerer(answerer.index, answerer.embedder, router=answerer.router, ranker=rankers[f],
                     no_answer_model=no_answer[f] if no_answer else None)
        results += run_cases(InProcess(a), test)[0]
    s = summarize(results)
    return {k: s[k] for k in CV_KEYS}


def no_answer_rows(answerer, cases: list[dict], rankers: list, cut: float) -> tuple[list[str], np.ndarray, np.ndarray, dict]:
    """Each answerable or unanswerable case's no-answer features, computed with its out-of-fold ranker and the
    topic test's cut-off ``cut``, and which cases the rules alone send to no_answer, with the rare-word rule
    ("with") and without it ("without")."""
    from service.api import Answerer

    per_fold = [Answerer(answerer.index, answerer.embedder, router=answerer.router, ranker=r, no_answer_model=None,
                         uncovered_cosine=cut)
                for r in rankers]
    ids, xs, ys, rules = [], [], [], {"with": [], "without": []}
    for case in cases:
        if case["kind"] in ("answer", "no_answer"):
            a = per_fold[fold_of(case["id"])]
            ids.append(case["id"])
            xs.append(a.no_answer_row(case["question"], case.get("history", [])))
            ys.append(int(case["kind"] == "no_answer"))
            for mode, on in (("with", True), ("without", False)):
                a.rare_word_rule = on
                rules[mode].append(a.ask(case["question"], history=case.get("history", [])).kind == "no_answer")
            a.rare_word_rule = True
    return ids, np.vstack(xs), np.array(ys), {k: np.array(v) for k, v in rules.items()}


def choose_threshold(prob: np.ndarray, y: np.ndarray, rules: np.ndarray) -> tuple[float, dict]:
    """The learned test adds to the rules (a rare unknown word, no relevant passage): a case is no_answer when
    either says so.  The threshold minimises the combined cost over out-of-fold probabilities."""
    best = None
    for th in np.round(np.arange(0.05, 1.0, 0.01), 2):
        flagged = rules | (prob >= th)
        missed = int((~flagged & (y == 1)).sum())
        false = int((flagged & (y == 0)).sum())
        cost = missed + FALSE_NO_ANSWER_COST * false
        if best is None or cost < best[0]:
            best = (cost, float(th), missed, false)
    return best[1], {"missed_no_answers": best[2], "false_no_answers": best[3], "unanswerable": int(y.sum()), "answerable": int((y == 0).sum())}


def no_answer_oof(answerer, cases: list[dict], rankers: list, cut: float) -> tuple:
    """The no-answer test's rows with the topic cut-off ``cut`` (from out-of-fold rankers), their folds, and
    each row's out-of-fold probability."""
    from service.api import NO_ANSWER_FEATURES, fit_ranker

    ids, nx, ny, rules = no_answer_rows(answerer, cases, rankers, cut)
    folds = np.array([fold_of(i) for i in ids])
    oof = np.zeros(len(ids))
    for f in range(FOLDS):
        m = fit_ranker(nx[folds != f], ny[folds != f], c=NO_ANSWER_C, features=NO_ANSWER_FEATURES)
        oof[folds == f] = m.probability(nx[folds == f])
    return ids, nx, ny, rules, folds, oof


def mode_cv(answerer, cases: list[dict], rankers: list, data: tuple, cut: float, replaces: bool) -> dict:
    """One way to use the test: its threshold (from out-of-fold probabilities) and the whole pipeline's
    cross-validated figures with per-fold models."""
    from service.api import NO_ANSWER_FEATURES, fit_ranker

    _, nx, ny, rules, folds, oof = data
    threshold, at = choose_threshold(oof, ny, rules["without" if replaces else "with"])
    meta = {"threshold": threshold, "replaces_rare_word_rule": replaces, "uncovered_cosine": cut}
    per_fold = [fit_ranker(nx[folds != f], ny[folds != f], c=NO_ANSWER_C, features=NO_ANSWER_FEATURES, meta=meta)
                for f in range(FOLDS)]
    return {"row": cross_validate(answerer, cases, rankers, per_fold), "replaces": replaces, "threshold": threshold, "at": at}


def cv_cost(row: dict, unanswerable: int) -> float:
    return round((1 - row["no_answer_accuracy"]) * unanswerable) + FALSE_NO_ANSWER_COST * row["false_no_answers"]


def main(settings, as_json: bool = False, save: bool = True) -> dict:
    from service.api import RANKER_PATH, fit_ranker, open_answerer

    from service.api import NO_ANSWER_FEATURES, NO_ANSWER_PATH

    answerer = open_answerer(settings, ranker=None, no_answer_model=None)
    cases = tuning_cases()
    rows = training_rows(answerer, cases)
    baseline = summarize(run_cases(InProcess(answerer), cases)[0])
    table = {"fused score, rule-based no_answer (before)": {k: baseline[k] for k in CV_KEYS}}
    rankers_by_c = {c: fold_rankers(rows, c) for c in GRID}
    for c in GRID:
        table[f"ranker C={c}, rule-based no_answer"] = cross_validate(answerer, cases, rankers_by_c[c])
    best = max(GRID, key=lambda c: (table[f"ranker C={c}, rule-based no_answer"]["mrr@5"],
                                    table[f"ranker C={c}, rule-based no_answer"]["recall@1"], -c))
    x, y = stack(rows, sorted(rows))
    meta = {
        "C": best, "folds": FOLDS, "trained_on": "tuning split of eval/gold.jsonl", "cases": len(rows),
        "candidates": int(len(y)), "positives": int(y.sum()), "cross_validated": table[f"ranker C={best}, rule-based no_answer"],
        "formats": sorted({a.source_format for a in answerer.index.data.articles}),  # what it was trained on
    }
    ranker = fit_ranker(x, y, c=best, meta=meta)
    # The no-answer test, on rows from out-of-fold rankers; its threshold from out-of-fold probabilities; the topic
    # cut-off by the kept mode's cross-validated cost.
    n_no = sum(c["kind"] == "no_answer" for c in cases)
    data, kept = {}, {}
    for cut in UNCOVERED_GRID:
        data[cut] = no_answer_oof(answerer, cases, rankers_by_c[best], cut)
        kept[cut] = mode_cv(answerer, cases, rankers_by_c[best], data[cut], cut, replaces=False)
        table[f"ranker C={best}, learned no_answer {KEPT_MODE}, uncovered < {cut}"] = kept[cut]["row"]
    cut = min(UNCOVERED_GRID, key=lambda c: (cv_cost(kept[c]["row"], n_no), -kept[c]["row"]["mrr@5"], c))
    # Two ways to use the test, each with its own threshold and cross-validated: added to both rules (kept), or in
    # place of the rare-word rule (which it sees as features; printed for comparison).
    modes = {KEPT_MODE: kept[cut], REPLACE_MODE: mode_cv(answerer, cases, rankers_by_c[best], data[cut], cut, replaces=True)}
    for mode, m in modes.items():
        table[f"ranker C={best}, learned no_answer {mode}"] = m["row"]
    ids, nx, ny, rules = data[cut][:4]
    chosen = KEPT_MODE  # the other row is printed for comparison only (see KEPT_MODE)
    replaces, threshold, at = modes[chosen]["replaces"], modes[chosen]["threshold"], modes[chosen]["at"]
    at["rules_alone"] = {"missed_no_answers": int((~rules["with"] & (ny == 1)).sum()), "false_no_answers": int((rules["with"] & (ny == 0)).sum())}
    no_answer = fit_ranker(nx, ny, c=NO_ANSWER_C, features=NO_ANSWER_FEATURES, meta={
        "threshold": threshold, "replaces_rare_word_rule": replaces, "mode": chosen, "C": NO_ANSWER_C,
        "uncovered_cosine": cut, "uncovered_grid": list(UNCOVERED_GRID),
        "false_no_answer_cost": FALSE_NO_ANSWER_COST, "rows": len(ids), "out_of_fold_at_threshold": at,
        "cross_validated": table[f"ranker C={best}, learned no_answer {chosen}"],
        "trained_on": "answer and no_answer cases of the tuning split of eval/gold.jsonl"})
    if save:
        ranker.save(RANKER_PATH)
        no_answer.save(NO_ANSWER_PATH)
    result = {"table": table, "chosen_C": best, "weights": dict(zip(ranker.features, [round(float(v), 3) for v in ranker.coef])),
              "no_answer_threshold": threshold, "no_answer_mode": chosen, "uncovered_cosine": cut, "no_answer_out_of_fold": at,
              "no_answer_weights": dict(zip(no_answer.features, [round(float(v), 3) for v in no_answer.coef])),
              "saved": [str(RANKER_PATH), str(NO_ANSWER_PATH)] if save else None}
    if as_json:
        print(json.dumps(result, indent=2))
    else:
        print(f"tuning split: {len(cases)} cases, {len(rows)} answerable with a labelled candidate; {len(y)} candidates")
        print(f"{'cross-validated (tuning split)':44}" + "".join(f"{k:>20}" for k in CV_KEYS))
        for name, r in table.items():
            print(f"{name:44}" + "".join(f"{'-' if r[k] is None else round(r[k], 3):>20}" for k in CV_KEYS))
        print(f"chosen C={best} (best cross-validated MRR@5); weights (standardised): {result['weights']}")
        print(f"no_answer test: {chosen}, uncovered below {cut} (of {UNCOVERED_GRID}), threshold {threshold} (out of fold: {at}); weights: {result['no_answer_weights']}")
        if save:
            print(f"saved {RANKER_PATH} and {NO_ANSWER_PATH}")
    return result
