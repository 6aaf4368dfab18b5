"""Retrieval and routing metrics for the gold-set evaluation.

Pure functions over plain values: no project imports, no I/O.  Every metric
that averages over questions also keeps the per-question values, so a bad
number can be traced back to the questions that caused it.

Conventions:
  * ranks are 1-based positions in the returned passage list;
  * relevance is binary: a passage is relevant when it contains one of the
    evidence strings as an exact substring;
  * `summarize` scores retrieval only on cases whose expected kind is
    "answer", and a case that was routed to another kind scores 0 there;
  * highlight accuracy asks whether a relevant passage's highlight (offsets
    within its quote) contains a whole occurrence of an evidence string that
    the passage holds, found by the same exact-substring matching.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

LABELS = ["answer", "no_answer", "advice", "crisis", "refused"]
# Kinds that must never come back with quotes.
QUOTELESS = {"advice", "crisis", "refused"}


def _check_evidence(evidence: list[str]) -> None:
    if any(e == "" for e in evidence):
        raise ValueError("evidence strings must be non-empty")


def evidence_spans(passage: str, evidence: list[str]) -> list[tuple[int, int]]:
    """Every (start, end) offset in ``passage`` at which an evidence string occurs, overlapping ones included.

    The one matching rule of this module: an exact substring, case and whitespace as written.  A passage is
    relevant exactly when this list is non-empty.
    """
    _check_evidence(evidence)
    spans = set()
    for e in evidence:
        at = passage.find(e)
        while at != -1:
            spans.add((at, at + len(e)))
            at = passage.find(e, at + 1)
    return sorted(spans)


def relevant_ranks(passages: list[str], evidence: list[str]) -> list[int]:
    """1-based ranks of the passages that contain any evidence string, in order.

    A passage containing several evidence strings is counted once.  An empty
    evidence string would match every passage, so it is refused.
    """
    _check_evidence(evidence)
    return [i for i, p in enumerate(passages, start=1) if evidence_spans(p, evidence)]


def highlight_holds(passage: str, highlight: tuple[int, int], evidence: list[str]) -> bool:
    """Whether the highlight ``(start, end)`` of ``passage`` contains a whole occurrence of an evidence string.

    Containment, not overlap: a highlight that shares only part of the evidence string does not show it.
    """
    start, end = highlight
    if not 0 <= start <= end <= len(passage):
        raise ValueError(f"highlight {highlight} is not within a passage of {len(passage)} characters")
    return any(start <= s and e <= end for s, e in evidence_spans(passage, evidence))


def highlight_hit(ranks: list[int], passages: list[str], highlights: list[tuple[int, int]], evidence: list[str],
                  k: int) -> float | None:
    """Highlight accuracy of one question at k: None when no passage within the top k holds the evidence (the
    question is left out), else 1.0 if the first such passage's highlight holds it, 0.0 if not."""
    _check(ranks, k)
    first = min(ranks, default=None)
    if first is None or first > k:
        return None
    return 1.0 if highlight_holds(passages[first - 1], highlights[first - 1], evidence) else 0.0


def _check(ranks: list[int], k: int) -> None:
    if k < 1:
        raise ValueError("k must be at least 1")
    if any(r < 1 for r in ranks):
        raise ValueError("ranks must be 1-based (at least 1)")
    if len(set(ranks)) != len(ranks):
        raise ValueError("ranks must be distinct")


def recall_at(ranks: list[int], k: int) -> float:
    """1.0 if any relevant rank is within the top k, else 0.0 (hit rate of one question)."""
    _check(ranks, k)
    return 1.0 if any(r <= k for r in ranks) else 0.0


def reciprocal_rank_at(ranks: list[int], k: int) -> float:
    """1 / the first relevant rank if it is within the top k, else 0.0."""
    _check(ranks, k)
    first = min(ranks, default=None)
    return 1.0 / first if first is not None and first <= k else 0.0


def ndcg_at(ranks: list[int], k: int) -> float:
    """Binary-relevance nDCG@k.

    DCG sums 1/log2(rank + 1) over the relevant ranks within k; the ideal DCG
    puts min(len(ranks), k) relevant passages at ranks 1, 2, ...
    """
    _check(ranks, k)
    if not ranks:
        return 0.0
    dcg = sum(1.0 / math.log2(r + 1) for r in ranks if r <= k)
    idcg = sum(1.0 / math.log2(r + 1) for r in range(1, min(len(ranks), k) + 1))
    return dcg / idcg


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile, interpolating linearly between the closest ranks (numpy's default)."""
    if not values:
        raise ValueError("percentile of an empty list is undefined")
    if not 0 <= q <= 100:
        raise ValueError("q must be between 0 and 100")
    xs = sorted(values)
    h = (len(xs) - 1) * q / 100
    lo = math.floor(h)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (h - lo) * (xs[hi] - xs[lo])


def confusion(pairs: list[tuple[str, str]], labels: list[str]) -> dict[str, dict[str, int]]:
    """expected -> got -> count, with every label in both places (zeros included)."""
    if len(set(labels)) != len(labels):
        raise ValueError("labels must be distinct")
    known = set(labels)
    for expected, got in pairs:
        for label in (expected, got):
            if label not in known:
                raise ValueError(f"unknown label {label!r}; allowed: {', '.join(labels)}")
    counts = Counter(pairs)
    return {e: {g: counts[(e, g)] for g in labels} for e in labels}


@dataclass(frozen=True)
class Aggregate:
    value: float  # mean over cases (0.0 when there are no cases)
    n: int  # number of cases
    individual: list[float]  # per case, same order as given


def aggregate(values: list[float]) -> Aggregate:
    """The mean together with the per-case values it came from."""
    individual = [float(v) for v in values]
    value = sum(individual) / len(individual) if individual else 0.0
    return Aggregate(value=value, n=len(individual), individual=individual)


@dataclass(frozen=True)
class CaseResult:
    id: str
    expected: str  # expected kind
    got: str  # returned kind
    quotes: list[str]  # returned passages' quotes, in order
    evidence: list[str]  # evidence strings (answer cases), else []
    citation_ok: bool | None  # None when the case names no reference
    verbatim_ok: bool  # every returned quote equals its article text at its span
    latency_ms: float
    # (start, end) of each quote's highlight, within the quote, in the same order; None when not known
    highlights: list[tuple[int, int]] | None = None


def summarize(results: list[CaseResult], ks=(1, 3, 5)) -> dict:
    """Every summary number of one run, plus `per_case` rows to read failures one by one.

    Retrieval metrics (`recall@k` for each k in ks, `mrr@K`, `ndcg@K` with
    K = max(ks)) are means over the expected-answer cases; a case routed to
    another kind counts 0 whatever its quotes.  A metric with no case to
    average over is None (retrieval metrics without answer cases,
    `citation_accuracy` without a named reference, `kind_accuracy` and the
    latency percentiles without any case).

    Highlight accuracy (`highlight@1`, `highlight@K`): over the expected-answer
    cases that came back as answers with a passage holding the evidence within
    the top 1 (top K), the share whose first such passage's highlight holds a
    whole occurrence of an evidence string (`highlight_hit`).  The other cases
    are left out of it, not scored 0; `highlight_cases@1` and `highlight_cases@K`
    count the cases it averages over.  None without such a case or without
    highlights.
    """
    ks = tuple(ks)
    if not ks or any(k < 1 for k in ks):
        raise ValueError("ks must be a non-empty list of integers of at least 1")
    depth = max(ks)

    answer_ranks: list[list[int]] = []
    highlight_hits: dict[int, list[float]] = {1: [], depth: []}
    per_case = []
    for r in results:
        row = {"id": r.id, "expected": r.expected, "got": r.got, "rank": None, f"recall@{depth}": None, f"rr@{depth}": None,
               f"highlight@{depth}": None}
        if r.highlights is not None and len(r.highlights) != len(r.quotes):
            raise ValueError(f"case {r.id}: {len(r.highlights)} highlights for {len(r.quotes)} quotes")
        if r.expected == "answer":
            # Only an answer delivers its quotes; a wrong route scores 0.
            ranks = relevant_ranks(r.quotes, r.evidence) if r.got == "answer" else []
            answer_ranks.append(ranks)
            row["rank"] = min(ranks, default=None)
            row[f"recall@{depth}"] = recall_at(ranks, depth)
            row[f"rr@{depth}"] = reciprocal_rank_at(ranks, depth)
            if r.highlights is not None:
                for k in highlight_hits:
                    hit = highlight_hit(ranks, r.quotes, r.highlights, r.evidence, k)
                    if hit is not None:
                        highlight_hits[k].append(hit)
                    if k == depth:
                        row[f"highlight@{depth}"] = hit
        row.update(citation_ok=r.citation_ok, verbatim_ok=r.verbatim_ok, latency_ms=r.latency_ms)
        per_case.append(row)

    def over_answers(metric, k: int) -> float | None:
        return aggregate([metric(ranks, k) for ranks in answer_ranks]).value if answer_ranks else None

    cited = [1.0 if r.citation_ok else 0.0 for r in results if r.citation_ok is not None]
    quote_lengths = [len(q) for r in results for q in r.quotes]
    latencies = [r.latency_ms for r in results]

    out: dict = {"cases": len(results), "answer_cases": len(answer_ranks)}
    for k in ks:
        out[f"recall@{k}"] = over_answers(recall_at, k)
    out[f"mrr@{depth}"] = over_answers(reciprocal_rank_at, depth)
    out[f"ndcg@{depth}"] = over_answers(ndcg_at, depth)
    for k, hits in highlight_hits.items():
        out[f"highlight@{k}"] = aggregate(hits).value if hits else None
        out[f"highlight_cases@{k}"] = len(hits)
    out.update(
        citation_accuracy=aggregate(cited).value if cited else None,
        kind_accuracy=aggregate([1.0 if r.got == r.expected else 0.0 for r in results]).value if results else None,
        confusion=confusion([(r.expected, r.got) for r in results], LABELS),
        unsafe=sum(1 for r in results if r.expected in QUOTELESS and r.quotes),
        false_refusals=sum(1 for r in results if r.expected == "answer" and r.got != "answer"),
        # no_answer: of the unanswerable questions, the share that got it; and answerable ones that got it wrongly
        no_answer_accuracy=(aggregate([1.0 if r.got == "no_answer" else 0.0 for r in results if r.expected == "no_answer"]).value
                            if any(r.expected == "no_answer" for r in results) else None),
        false_no_answers=sum(1 for r in results if r.expected == "answer" and r.got == "no_answer"),
        verbatim=aggregate([1.0 if r.verbatim_ok else 0.0 for r in results]).value if results else 1.0,
        mean_quote_chars=aggregate(quote_lengths).value,
        latency_p50_ms=percentile(latencies, 50) if latencies else None,
        latency_p95_ms=percentile(latencies, 95) if latencies else None,
        per_case=per_case,
    )
    return out
