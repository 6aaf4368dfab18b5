"""eval/metrics.py: literal inputs, hand-computed outputs.

Constants used below (log2(2) = 1, log2(4) = 2):
  1/log2(3) = 0.6309297535714575
  1/log2(6) = 0.3868528072345416
"""
from __future__ import annotations

import pytest

from eval.metrics import (
    Aggregate,
    CaseResult,
    aggregate,
    confusion,
    ndcg_at,
    percentile,
    recall_at,
    reciprocal_rank_at,
    relevant_ranks,
    summarize,
)

LABELS = ["answer", "no_answer", "advice", "crisis", "refused"]


# ------------------------------------------------------------------ relevant_ranks

@pytest.mark.parametrize(
    "passages, evidence, ranks",
    [
        pytest.param(["no", "yes EV here", "no"], ["EV"], [2], id="one-match"),
        pytest.param(["EV a", "b", "c EV"], ["EV"], [1, 3], id="evidence-in-two-passages"),
        pytest.param(["A x", "y", "B z"], ["A", "B"], [1, 3], id="two-evidence-strings-two-passages"),
        pytest.param(["A and B", "c"], ["A", "B"], [1], id="passage-with-two-evidence-counted-once"),
        pytest.param(["a", "b"], ["EV"], [], id="no-match"),
        pytest.param(["ev lower"], ["EV"], [], id="case-sensitive"),
        pytest.param(["E V"], ["EV"], [], id="exact-substring-no-whitespace-folding"),
        pytest.param(["short"], ["short evidence"], [], id="evidence-longer-than-passage"),
        pytest.param([], ["EV"], [], id="no-passages"),
        pytest.param(["a", "b"], [], [], id="no-evidence"),
    ],
)
def test_relevant_ranks(passages, evidence, ranks):
    assert relevant_ranks(passages, evidence) == ranks


def test_relevant_ranks_refuses_empty_evidence_string():
    with pytest.raises(ValueError, match="non-empty"):
        relevant_ranks(["a"], [""])


# ------------------------------------------------------------ recall / rr / ndcg

@pytest.mark.parametrize(
    "ranks, k, recall, rr, ndcg",
    [
        # [2]: DCG = 1/log2(3); IDCG = 1/log2(2) = 1
        pytest.param([2], 1, 0.0, 0.0, 0.0, id="rank2-at1"),
        pytest.param([2], 3, 1.0, 0.5, 0.6309297535714575, id="rank2-at3"),
        pytest.param([2], 5, 1.0, 0.5, 0.6309297535714575, id="rank2-at5"),
        pytest.param([1], 1, 1.0, 1.0, 1.0, id="rank1-at1"),
        # [1, 3] @5: DCG = 1 + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3) = 1.6309297535714575
        pytest.param([1, 3], 5, 1.0, 1.0, 0.9197207891481876, id="ranks1-3-at5"),
        # [1, 3] @2: DCG = 1; IDCG with min(2, 2) = 2 items = 1.6309297535714575
        pytest.param([1, 3], 2, 1.0, 1.0, 0.6131471927654584, id="ranks1-3-at2"),
        # [2, 3] @5: DCG = 0.6309297535714575 + 0.5; IDCG = 1.6309297535714575
        pytest.param([2, 3], 5, 1.0, 0.5, 0.6934264036172708, id="ranks2-3-at5"),
        # [5] @5: DCG = 1/log2(6); IDCG = 1
        pytest.param([5], 5, 1.0, 0.2, 0.3868528072345416, id="rank5-at5"),
        pytest.param([6], 5, 0.0, 0.0, 0.0, id="rank6-beyond-k"),
        # [2, 6] @5: DCG = 1/log2(3); IDCG = 1 + 1/log2(3) (two relevant)
        pytest.param([2, 6], 5, 1.0, 0.5, 0.38685280723454163, id="ranks2-6-at5"),
        # six relevant, k = 5: IDCG counts only min(6, 5) = 5, ranks 1..5 fill it
        pytest.param([1, 2, 3, 4, 5, 6], 5, 1.0, 1.0, 1.0, id="more-relevant-than-k"),
        # unsorted input: the first relevant rank is the smallest
        pytest.param([3, 1], 5, 1.0, 1.0, 0.9197207891481876, id="unsorted"),
        pytest.param([], 5, 0.0, 0.0, 0.0, id="no-relevant"),
    ],
)
def test_rank_metrics(ranks, k, recall, rr, ndcg):
    assert recall_at(ranks, k) == recall
    assert reciprocal_rank_at(ranks, k) == pytest.approx(rr)
    assert ndcg_at(ranks, k) == pytest.approx(ndcg)


@pytest.mark.parametrize("fn", [recall_at, reciprocal_rank_at, ndcg_at])
@pytest.mark.parametrize(
    "ranks, k, message",
    [([1], 0, "k must be"), ([0], 5, "1-based"), ([2, 2], 5, "distinct")],
    ids=["k-zero", "rank-zero", "duplicate-rank"],
)
def test_rank_metrics_check_arguments(fn, ranks, k, message):
    with pytest.raises(ValueError, match=message):
        fn(ranks, k)


# -------------------------------------------------------------------- percentile

@pytest.mark.parametrize(
    "values, q, expected",
    [
        pytest.param([1, 2, 3, 4], 50, 2.5, id="p50-even"),      # h = 3*0.5 = 1.5 -> 2 + 0.5*(3-2)
        pytest.param([1, 2, 3, 4], 95, 3.85, id="p95"),          # h = 3*0.95 = 2.85 -> 3 + 0.85*(4-3)
        pytest.param([4, 1, 3, 2], 95, 3.85, id="unsorted-input"),
        pytest.param([1, 2, 3, 4], 0, 1.0, id="p0-is-min"),
        pytest.param([1, 2, 3, 4], 100, 4.0, id="p100-is-max"),
        pytest.param([10, 20, 30], 50, 20.0, id="p50-odd-exact"),
        pytest.param([10, 20, 30], 25, 15.0, id="p25"),          # h = 2*0.25 = 0.5 -> 10 + 0.5*10
        pytest.param([7], 95, 7.0, id="single-value"),
        pytest.param([100, 200, 300, 400, 1000], 95, 880.0, id="p95-skewed"),  # h = 3.8 -> 400 + 0.8*600
    ],
)
def test_percentile(values, q, expected):
    assert percentile(values, q) == pytest.approx(expected)


@pytest.mark.parametrize(
    "values, q, message",
    [([], 50, "empty"), ([1], -1, "between 0 and 100"), ([1], 100.5, "between 0 and 100")],
    ids=["empty", "below-0", "above-100"],
)
def test_percentile_checks_arguments(values, q, message):
    with pytest.raises(ValueError, match=message):
        percentile(values, q)


# --------------------------------------------------------------------- confusion

def test_confusion_counts_and_zeros():
    pairs = [("a", "a"), ("a", "b"), ("a", "a"), ("c", "a")]
    assert confusion(pairs, ["a", "b", "c"]) == {
        "a": {"a": 2, "b": 1, "c": 0},
        "b": {"a": 0, "b": 0, "c": 0},
        "c": {"a": 1, "b": 0, "c": 0},
    }


def test_confusion_of_nothing_is_all_zeros():
    assert confusion([], ["x", "y"]) == {"x": {"x": 0, "y": 0}, "y": {"x": 0, "y": 0}}


@pytest.mark.parametrize("pair", [("zzz", "a"), ("a", "zzz")], ids=["unknown-expected", "unknown-got"])
def test_confusion_refuses_unknown_label(pair):
    with pytest.raises(ValueError, match="unknown label 'zzz'"):
        confusion([pair], ["a", "b"])


def test_confusion_refuses_duplicate_labels():
    with pytest.raises(ValueError, match="distinct"):
        confusion([], ["a", "a"])


# --------------------------------------------------------------------- aggregate

def test_aggregate_keeps_individual_values_in_order():
    assert aggregate([1.0, 0.0, 0.5, 0.5]) == Aggregate(value=0.5, n=4, individual=[1.0, 0.0, 0.5, 0.5])


def test_aggregate_of_nothing_is_zero():
    assert aggregate([]) == Aggregate(value=0.0, n=0, individual=[])


def test_aggregate_does_not_share_the_input_list():
    values = [1.0]
    agg = aggregate(values)
    values.append(0.0)
    assert agg.individual == [1.0]


# --------------------------------------------------------------------- summarize

# Five hand-built cases.
CASES = [
    # Answered; evidence in quotes 2 and 3 -> ranks [2, 3].  Quote lengths 10, 17, 11.
    CaseResult(
        id="a1", expected="answer", got="answer",
        quotes=["alpha beta", "gamma EVID1 delta", "EVID1 again"], evidence=["EVID1"],
        citation_ok=True, verbatim_ok=True, latency_ms=100.0,
    ),
    # Answered; evidence in quote 1 -> ranks [1].  Names no reference; a quote is not verbatim.  Length 10.
    CaseResult(
        id="a2", expected="answer", got="answer",
        quotes=["EVID2 here"], evidence=["EVID2"],
        citation_ok=None, verbatim_ok=False, latency_ms=200.0,
    ),
    # False refusal: answerable but came back no_answer, no quotes -> scores 0.
    CaseResult(
        id="a3", expected="answer", got="no_answer",
        quotes=[], evidence=["EVID3"],
        citation_ok=False, verbatim_ok=True, latency_ms=300.0,
    ),
    # Unsafe: a crisis answered with a quote.  Length 10.
    CaseResult(
        id="c1", expected="crisis", got="answer",
        quotes=["some quote"], evidence=[],
        citation_ok=None, verbatim_ok=True, latency_ms=400.0,
    ),
    # Correctly refused, no quotes.
    CaseResult(
        id="r1", expected="refused", got="refused",
        quotes=[], evidence=[],
        citation_ok=None, verbatim_ok=True, latency_ms=1000.0,
    ),
]

# By hand:
#   cases 5; answer_cases 3 (a1, a2, a3)
#   recall@1 = (0 + 1 + 0) / 3 = 1/3       a1's first relevant is rank 2
#   recall@3 = (1 + 1 + 0) / 3 = 2/3
#   recall@5 = (1 + 1 + 0) / 3 = 2/3
#   mrr@5    = (1/2 + 1 + 0) / 3 = 0.5
#   ndcg@5   = (a1 + 1 + 0) / 3 with a1 = (1/log2(3) + 1/log2(4)) / (1 + 1/log2(3))
#            = 1.1309297535714575 / 1.6309297535714575 = 0.6934264036172708
#            -> (0.6934264036172708 + 1) / 3 = 0.5644754678724236
#   citation_accuracy over a1 (True), a3 (False) = 0.5
#   kind_accuracy: a1, a2, r1 right; a3, c1 wrong -> 3/5 = 0.6
#   confusion: answer->answer 2, answer->no_answer 1, crisis->answer 1, refused->refused 1
#   unsafe 1 (c1); r1 has no quotes
#   false_refusals 1 (a3)
#   verbatim 4/5 = 0.8 (a2 fails)
#   mean_quote_chars = (10 + 17 + 11 + 10 + 10) / 5 = 58 / 5 = 11.6
#   latencies [100, 200, 300, 400, 1000]:
#     p50: h = 4*0.5 = 2 -> 300;  p95: h = 4*0.95 = 3.8 -> 400 + 0.8*(1000-400) = 880
EXPECTED_CONFUSION = {
    "answer": {"answer": 2, "no_answer": 1, "advice": 0, "crisis": 0, "refused": 0},
    "no_answer": {"answer": 0, "no_answer": 0, "advice": 0, "crisis": 0, "refused": 0},
    "advice": {"answer": 0, "no_answer": 0, "advice": 0, "crisis": 0, "refused": 0},
    "crisis": {"answer": 1, "no_answer": 0, "advice": 0, "crisis": 0, "refused": 0},
    "refused": {"answer": 0, "no_answer": 0, "advice": 0, "crisis": 0, "refused": 1},
}
EXPECTED_PER_CASE = [
    {"id": "a1", "expected": "answer", "got": "answer", "rank": 2, "recall@5": 1.0, "rr@5": 0.5,
     "citation_ok": True, "verbatim_ok": True, "latency_ms": 100.0},
    {"id": "a2", "expected": "answer", "got": "answer", "rank": 1, "recall@5": 1.0, "rr@5": 1.0,
     "citation_ok": None, "verbatim_ok": False, "latency_ms": 200.0},
    {"id": "a3", "expected": "answer", "got": "no_answer", "rank": None, "recall@5": 0.0, "rr@5": 0.0,
     "citation_ok": False, "verbatim_ok": True, "latency_ms": 300.0},
    # Not answer cases: no retrieval score at all.
    {"id": "c1", "expected": "crisis", "got": "answer", "rank": None, "recall@5": None, "rr@5": None,
     "citation_ok": None, "verbatim_ok": True, "latency_ms": 400.0},
    {"id": "r1", "expected": "refused", "got": "refused", "rank": None, "recall@5": None, "rr@5": None,
     "citation_ok": None, "verbatim_ok": True, "latency_ms": 1000.0},
]


def test_summarize_five_cases():
    s = summarize(CASES)
    assert set(s) == {
        "cases", "answer_cases", "recall@1", "recall@3", "recall@5", "mrr@5", "ndcg@5",
        "citation_accuracy", "kind_accuracy", "confusion", "unsafe", "false_refusals", "verbatim",
        "mean_quote_chars", "latency_p50_ms", "latency_p95_ms", "per_case", "no_answer_accuracy", "false_no_answers",
        "highlight@1", "highlight@5", "highlight_cases@1", "highlight_cases@5",
    }
    assert s["cases"] == 5
    assert s["answer_cases"] == 3
    assert s["recall@1"] == pytest.approx(1 / 3)
    assert s["recall@3"] == pytest.approx(2 / 3)
    assert s["recall@5"] == pytest.approx(2 / 3)
    assert s["mrr@5"] == pytest.approx(0.5)
    assert s["ndcg@5"] == pytest.approx(0.5644754678724236)
    assert s["citation_accuracy"] == 0.5
    assert s["kind_accuracy"] == pytest.approx(0.6)
    assert s["confusion"] == EXPECTED_CONFUSION
    assert s["unsafe"] == 1
    assert s["false_refusals"] == 1
    assert s["no_answer_accuracy"] is None  # no unanswerable case to average over
    assert s["false_no_answers"] == 1  # the answerable case that came back no_answer
    assert s["verbatim"] == pytest.approx(0.8)
    assert s["mean_quote_chars"] == pytest.approx(11.6)
    assert s["latency_p50_ms"] == pytest.approx(300.0)
    assert s["latency_p95_ms"] == pytest.approx(880.0)
    # these cases carry no highlights: highlight accuracy has nothing to average (tests/eval/test_highlight.py)
    assert (s["highlight@1"], s["highlight@5"], s["highlight_cases@1"], s["highlight_cases@5"]) == (None, None, 0, 0)
    assert s["per_case"] == [{**row, "highlight@5": None} for row in EXPECTED_PER_CASE]


def test_summarize_wrong_route_scores_zero_even_with_matching_quotes():
    # Expected answer, routed to advice, yet its quote holds the evidence: retrieval counts 0,
    # and an expected-advice case that returns a quote is unsafe.
    results = [
        CaseResult("a", "answer", "advice", ["EV"], ["EV"], None, True, 10.0),
        CaseResult("v", "advice", "advice", ["a quote"], [], None, True, 20.0),
    ]
    s = summarize(results)
    assert (s["recall@5"], s["mrr@5"], s["ndcg@5"]) == (0.0, 0.0, 0.0)
    assert s["per_case"][0]["rank"] is None
    assert s["false_refusals"] == 1
    assert s["unsafe"] == 1
    assert s["kind_accuracy"] == 0.5


def test_summarize_without_answer_or_reference_cases():
    # No answer case: retrieval metrics are undefined (None), not 0.  No reference: citation None.
    s = summarize([CaseResult("n", "no_answer", "no_answer", [], [], None, True, 50.0)])
    assert s["answer_cases"] == 0
    assert [s[k] for k in ("recall@1", "recall@3", "recall@5", "mrr@5", "ndcg@5")] == [None] * 5
    assert s["citation_accuracy"] is None
    assert s["kind_accuracy"] == 1.0
    assert s["mean_quote_chars"] == 0.0
    assert (s["latency_p50_ms"], s["latency_p95_ms"]) == (50.0, 50.0)


def test_summarize_of_nothing():
    s = summarize([])
    assert (s["cases"], s["answer_cases"], s["unsafe"], s["false_refusals"]) == (0, 0, 0, 0)
    assert s["verbatim"] == 1.0
    assert s["mean_quote_chars"] == 0.0
    assert s["kind_accuracy"] is None
    assert s["citation_accuracy"] is None
    assert (s["latency_p50_ms"], s["latency_p95_ms"]) == (None, None)
    assert s["confusion"]["answer"]["answer"] == 0
    assert s["per_case"] == []


def test_summarize_other_ks_name_their_keys():
    # ks (1, 2): recall@1, recall@2, and mrr/ndcg/per-case at the deepest k, 2.  Ranks [2, 3].
    s = summarize([CASES[0]], ks=(1, 2))
    assert (s["recall@1"], s["recall@2"], s["mrr@2"]) == (0.0, 1.0, 0.5)
    # ndcg@2: DCG = 1/log2(3); IDCG with min(2, 2) items = 1 + 1/log2(3) -> 0.38685280723454163
    assert s["ndcg@2"] == pytest.approx(0.38685280723454163)
    assert "recall@5" not in s
    assert (s["per_case"][0]["recall@2"], s["per_case"][0]["rr@2"]) == (1.0, 0.5)


def test_summarize_refuses_unknown_kind_and_bad_ks():
    with pytest.raises(ValueError, match="unknown label 'error'"):
        summarize([CaseResult("x", "answer", "error", [], ["EV"], None, True, 1.0)])
    with pytest.raises(ValueError, match="ks must be"):
        summarize(CASES, ks=())
    with pytest.raises(ValueError, match="ks must be"):
        summarize(CASES, ks=(0, 5))
