"""Highlight accuracy (eval/metrics.py): small hand-made passages and responses, outputs counted by hand.

A highlight is (start, end) within its quote.  It "holds" the evidence when it contains a whole occurrence of
an evidence string (containment: a partial overlap is a miss), matched exactly as `relevant_ranks` matches.
"""
from __future__ import annotations

import pytest

from eval.metrics import CaseResult, evidence_spans, highlight_hit, highlight_holds, relevant_ranks, summarize
from eval.run import run_cases

#           0         1         2         3         4
#           0123456789012345678901234567890123456789012345
QUOTE = "First one. The EV is here. Last one."
EV_AT = (15, 17)  # "EV"
SECOND = (11, 26)  # "The EV is here."


# ------------------------------------------------------------------ evidence_spans

def test_quote_offsets_used_below():
    assert QUOTE[slice(*EV_AT)] == "EV" and QUOTE[slice(*SECOND)] == "The EV is here."


@pytest.mark.parametrize(
    "passage, evidence, spans",
    [
        pytest.param(QUOTE, ["EV"], [EV_AT], id="one"),
        pytest.param("EV and EV", ["EV"], [(0, 2), (7, 9)], id="every-occurrence"),
        pytest.param("aaa", ["aa"], [(0, 2), (1, 3)], id="overlapping-occurrences"),
        pytest.param("x A y B", ["B", "A"], [(2, 3), (6, 7)], id="two-strings-sorted-by-offset"),
        pytest.param("E  V", ["E V"], [], id="no-whitespace-folding"),
        pytest.param("ev", ["EV"], [], id="case-sensitive"),
        pytest.param("the “EV”", ['"EV"'], [], id="no-quote-folding"),
    ],
)
def test_evidence_spans(passage, evidence, spans):
    assert evidence_spans(passage, evidence) == spans
    # the one matching rule: a passage is relevant exactly when it has a span
    assert relevant_ranks([passage], evidence) == ([1] if spans else [])


def test_evidence_spans_refuses_empty_evidence():
    with pytest.raises(ValueError, match="non-empty"):
        evidence_spans("a", [""])


# ------------------------------------------------------------------ highlight_holds

@pytest.mark.parametrize(
    "highlight, holds",
    [
        pytest.param(SECOND, True, id="the-sentence-holding-it"),
        pytest.param(EV_AT, True, id="exactly-the-evidence"),
        pytest.param((0, len(QUOTE)), True, id="the-whole-quote"),
        pytest.param((0, 10), False, id="miss-another-sentence"),
        pytest.param((27, 36), False, id="miss-after"),
        pytest.param((0, 16), False, id="partial-overlap-ends-inside"),
        pytest.param((16, 26), False, id="partial-overlap-starts-inside"),
        pytest.param((15, 16), False, id="highlight-inside-the-evidence"),
        pytest.param((15, 15), False, id="empty-highlight"),
    ],
)
def test_highlight_holds(highlight, holds):
    assert highlight_holds(QUOTE, highlight, ["EV"]) is holds


def test_highlight_holds_any_occurrence_and_any_string():
    # the first "EV" is outside the highlight, the second inside
    assert highlight_holds("EV. then EV.", (9, 12), ["EV"]) is True
    # "A" is not in the highlight, "B" is
    assert highlight_holds("A. B.", (3, 5), ["A", "B"]) is True
    assert highlight_holds("A. B.", (3, 5), ["A"]) is False


def test_highlight_holds_refuses_a_highlight_outside_the_quote():
    with pytest.raises(ValueError, match="not within"):
        highlight_holds("short", (2, 6), ["s"])
    with pytest.raises(ValueError, match="not within"):
        highlight_holds("short", (3, 2), ["s"])


# ------------------------------------------------------------------ highlight_hit

HIT, MISS = SECOND, (0, 10)
OTHER = "Nothing relevant. At all."


@pytest.mark.parametrize(
    "quotes, highlights, k, expected",
    [
        pytest.param([QUOTE], [HIT], 1, 1.0, id="first-passage-holds-and-highlights"),
        pytest.param([QUOTE], [MISS], 1, 0.0, id="first-passage-holds-highlight-misses"),
        pytest.param([OTHER, QUOTE], [(0, 17), HIT], 1, None, id="not-in-top-1-left-out"),
        pytest.param([OTHER, QUOTE], [(0, 17), HIT], 5, 1.0, id="second-passage-at-5"),
        # only the FIRST passage holding the evidence counts, even when a later one highlights it
        pytest.param([QUOTE, QUOTE], [MISS, HIT], 5, 0.0, id="first-relevant-passage-decides"),
        pytest.param([OTHER] * 5 + [QUOTE], [(0, 17)] * 5 + [HIT], 5, None, id="relevant-only-at-6-left-out"),
        pytest.param([OTHER], [(0, 17)], 5, None, id="no-passage-holds-it"),
        pytest.param([], [], 5, None, id="no-passages"),
    ],
)
def test_highlight_hit(quotes, highlights, k, expected):
    assert highlight_hit(relevant_ranks(quotes, ["EV"]), quotes, highlights, ["EV"], k) == expected


# ------------------------------------------------------------------ summarize

def _case(id, quotes, highlights, expected="answer", got="answer", evidence=("EV",)):
    return CaseResult(id=id, expected=expected, got=got, quotes=quotes, evidence=list(evidence) if expected == "answer" else [],
                      citation_ok=None, verbatim_ok=True, latency_ms=1.0, highlights=highlights)


RESPONSES = [
    _case("top1-hit", [QUOTE, OTHER], [HIT, (0, 17)]),                     # @1: 1   @5: 1
    _case("top1-partial", [QUOTE], [(0, 16)]),                               # @1: 0   @5: 0  (overlap only)
    _case("rank2-hit", [OTHER, QUOTE], [(0, 17), HIT]),                      # @1: out @5: 1
    _case("rank2-miss", [OTHER, QUOTE], [(0, 17), MISS]),                    # @1: out @5: 0
    _case("rank2-miss-rank3-hit", [OTHER, QUOTE, QUOTE], [(0, 17), MISS, HIT]),  # @1: out @5: 0
    _case("none-holds", [OTHER, OTHER], [(0, 17), (18, 25)]),                # out of both
    _case("routed-away", [], [], got="no_answer"),                           # out of both
    # Not an answer case: its quote holds "EV" but it has no evidence to score, so it is out of both.
    _case("crisis-quoted", [QUOTE], [MISS], expected="crisis", got="answer"),
]
# By hand: @1 over top1-hit, top1-partial -> 1/2; @5 over the first five -> 2/5.


def test_summarize_highlight_accuracy_by_hand():
    s = summarize(RESPONSES)
    assert (s["highlight_cases@1"], s["highlight@1"]) == (2, 0.5)
    assert (s["highlight_cases@5"], s["highlight@5"]) == (5, pytest.approx(0.4))
    assert [row["highlight@5"] for row in s["per_case"]] == [1.0, 0.0, 1.0, 0.0, 0.0, None, None, None]
    # the denominators are the cases recall@1 and recall@5 count as found
    assert s["recall@1"] * s["answer_cases"] == pytest.approx(s["highlight_cases@1"])
    assert s["recall@5"] * s["answer_cases"] == pytest.approx(s["highlight_cases@5"])


def test_summarize_highlight_accuracy_none_without_a_case_to_average():
    only_out = summarize([RESPONSES[5], RESPONSES[6]])
    assert (only_out["highlight@1"], only_out["highlight@5"]) == (None, None)
    assert (only_out["highlight_cases@1"], only_out["highlight_cases@5"]) == (0, 0)
    # a result without highlights (None) is left out, not scored 0
    unknown = CaseResult("u", "answer", "answer", [QUOTE], ["EV"], None, True, 1.0)
    assert summarize([unknown, RESPONSES[0]])["highlight@5"] == 1.0
    assert summarize([unknown])["highlight@5"] is None


def test_summarize_refuses_highlights_that_do_not_match_the_quotes():
    with pytest.raises(ValueError, match="1 highlights for 2 quotes"):
        summarize([_case("x", [QUOTE, OTHER], [HIT])])


def test_summarize_at_other_ks():
    s = summarize([RESPONSES[3]], ks=(1, 2))
    assert (s["highlight@1"], s["highlight@2"], s["highlight_cases@2"]) == (None, 0.0, 1)
    assert "highlight@5" not in s


# ------------------------------------------------------------------ run_cases reads the API's highlights

class FakeTarget:
    """Answers like `POST /ask` does: passages with quote, span, highlight (offsets within the quote)."""

    TEXT = "Intro. " + QUOTE

    def ask(self, question, history, top_k=5):
        start = len("Intro. ")
        passage = {"quote": QUOTE, "span": {"start": start, "end": start + len(QUOTE)},
                   "highlight": {"start": SECOND[0], "end": SECOND[1]} if question == "hit" else {"start": 0, "end": 10},
                   "article": {"id": "art"}, "citations": []}
        return {"kind": "answer", "passages": [passage]}

    def article_text(self, article_id):
        return self.TEXT


def test_run_cases_scores_the_highlights_the_api_returns():
    gold = [{"id": "h", "question": "hit", "kind": "answer", "evidence": ["EV"]},
            {"id": "m", "question": "miss", "kind": "answer", "evidence": ["EV"]}]
    results, _ = run_cases(FakeTarget(), gold)
    assert [r.highlights for r in results] == [[SECOND], [(0, 10)]]
    assert all(r.verbatim_ok for r in results)
    s = summarize(results)
    assert (s["highlight@1"], s["highlight@5"], s["highlight_cases@5"]) == (0.5, 0.5, 2)
