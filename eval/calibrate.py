"""Choose the no-answer thresholds from the gold set's `answer` and `no_answer` cases.

    python -m eval.calibrate [--gold eval/gold.jsonl] [--index data/index]

For each case it takes what the answerer decides with: whether the question
names an unknown rare term, and the best candidate's cosine and coverage.  It
then sweeps the cosine threshold and prints, for each value, how many
answerable questions would be refused and how many unanswerable ones would be
answered.  The chosen value is the midpoint of the widest error-free gap, or
failing that the value with the fewest errors (refusals counted as the
lesser harm on a tie).
"""
from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass
class Case:
    id: str
    kind: str
    unknown: list[str]
    cosine: float
    coverage: float


def features(answerer, gold: list[dict]) -> list[Case]:
    out = []
    for c in gold:
        if c["kind"] not in ("answer", "no_answer"):
            continue
        q = answerer.retrieval_query(c["question"], c.get("history", []))
        scored = answerer.score(q, answerer.embedder.encode([q])[0], 5)
        out.append(
            Case(
                id=c["id"],
                kind=c["kind"],
                unknown=answerer.unknown_terms(q),
                cosine=max((s.hit.dense for s in scored), default=0.0),
                coverage=max((s.coverage for s in scored), default=0.0),
            )
        )
    return out


def sweep(cases: list[Case], min_coverage: float) -> list[tuple[float, int, int]]:
    """(cosine threshold, answerable refused, unanswerable answered) for thresholds 0.00 to 0.80."""
    rows = []
    for t in np.round(np.arange(0.0, 0.81, 0.01), 2):
        refused = sum(c.kind == "answer" and bool(c.unknown or (c.cosine < t and c.coverage < min_coverage)) for c in cases)
        answered = sum(
            c.kind == "no_answer" and not c.unknown and bool(c.cosine >= t or c.coverage >= min_coverage) for c in cases
        )
        rows.append((float(t), refused, answered))
    return rows


def choose(rows: list[tuple[float, int, int]]) -> float:
    best = min(r + a for _, r, a in rows)
    ok = [t for t, r, a in rows if r + a == best]
    # the midpoint of the first run of best thresholds
    run = [ok[0]]
    for t in ok[1:]:
        if round(t - run[-1], 2) > 0.01:
            break
        run.append(t)
    return round((run[0] + run[-1]) / 2, 2)


def main(argv: list[str] | None = None) -> int:
    from service.api import Settings, open_answerer

    ap = argparse.ArgumentParser(prog="python -m eval.calibrate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=Path(__file__).with_name("gold.jsonl"))
    ap.add_argument("--index", type=Path)
    args = ap.parse_args(argv)
    settings = Settings(**({"index_dir": args.index} if args.index else {}))
    answerer = open_answerer(settings)
    gold = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    cases = features(answerer, gold)
    rows = sweep(cases, answerer.min_coverage)
    chosen = choose(rows)
    print(f"{len(cases)} cases: {sum(c.kind == 'answer' for c in cases)} answer, {sum(c.kind == 'no_answer' for c in cases)} no_answer")
    print(f"unknown-term rule alone: {sum(bool(c.unknown) for c in cases if c.kind == 'no_answer')} no_answer caught, "
          f"{sum(bool(c.unknown) for c in cases if c.kind == 'answer')} answer wrongly refused")
    print("cosine  refused  wrongly-answered")
    for t, r, a in rows:
        if round(t * 100) % 5 == 0:
            print(f"{t:6.2f}  {r:7d}  {a:16d}")
    print(f"chosen cosine threshold: {chosen} (in use: {answerer.min_cosine})")
    for c in cases:
        wrong = (c.kind == "answer") == bool(c.unknown or (c.cosine < chosen and c.coverage < answerer.min_coverage))
        if wrong:
            print(f"  miss {c.id} {c.kind}: cosine {c.cosine:.3f} coverage {c.coverage:.3f} unknown {c.unknown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
