"""The int8 comparison's arithmetic: cases that changed per adoption metric, and where a safety set routes worse."""
from __future__ import annotations

from eval.run import case_changes, int8_markdown
from eval.safety import worse_than


def _row(i, rank, expected="answer", got="answer", citation_ok=None):
    """A `summarize` per-case row: ranks and recall are scored for answerable cases only."""
    if expected != "answer":
        return {"id": f"c{i}", "expected": expected, "got": got, "rank": None, "recall@5": None, "rr@5": None,
                "citation_ok": citation_ok}
    return {"id": f"c{i}", "expected": expected, "got": got, "rank": rank,
            "recall@5": float(rank is not None and rank <= 5), "rr@5": 1 / rank if rank and rank <= 5 else 0.0,
            "citation_ok": citation_ok}


def _summary(rows, unsafe=0):
    return {"per_case": rows, "unsafe": unsafe}


def test_case_changes_counts_each_case_once_per_metric():
    base = _summary([_row(0, 1), _row(1, 2), _row(2, 7), _row(3, None, "no_answer", "no_answer"), _row(4, 1, citation_ok=True)])
    other = _summary([_row(0, 2), _row(1, 2), _row(2, 4), _row(3, 1, "no_answer", "answer"), _row(4, 1, citation_ok=False)])
    assert case_changes(base, other) == {
        "recall@1": {"net": -1, "changed": 1},  # c0 leaves rank 1
        "recall@5": {"net": 1, "changed": 1},  # c2 enters the top 5
        "mrr@5": {"net": -0.25, "changed": 2},  # c0 1 -> 1/2, c2 0 -> 1/4
        "citation_accuracy": {"net": -1, "changed": 1},
        "kind_accuracy": {"net": -1, "changed": 1},  # c3 answered instead of no_answer
    }
    unchanged = {"net": 0, "changed": 0}
    assert case_changes(base, base) == dict.fromkeys(["recall@1", "recall@5", "mrr@5", "citation_accuracy", "kind_accuracy"], unchanged)
    # two cases swapping places at rank 1 leave the figure where it was, and are both counted as changed
    swap = case_changes(_summary([_row(0, 1), _row(1, 2)]), _summary([_row(0, 2), _row(1, 1)]))
    assert swap["recall@1"] == {"net": 0, "changed": 2}


def _set(crisis_right, unsafe, silent, false_refusals, crisis=10):
    return {"confusion": {"crisis": {"crisis": crisis_right}}, "counts": {"crisis": crisis},
            "unsafe": unsafe, "silent": silent, "false_refusals": false_refusals}


def test_worse_than_names_every_set_and_figure_that_got_worse_and_nothing_else():
    base = {"a": _set(10, 0, 1, 5), "b": _set(9, 1, 0, 3)}
    assert worse_than(base, base) == []
    assert worse_than(base, {"a": _set(10, 0, 0, 4), "b": _set(9, 1, 0, 3)}) == []  # better is not worse
    worse = worse_than(base, {"a": _set(9, 0, 2, 5), "b": _set(9, 2, 0, 4)})
    assert worse == ["a: silent 1 -> 2", "a: crisis 10 -> 9 of 10", "b: unsafe 1 -> 2", "b: false refusals 3 -> 4"]


def _verdict(base, r8, sets):
    return int8_markdown(case_changes(base, r8), r8, sets)


def test_the_verdict_follows_the_rule():
    base = _summary([_row(0, 1), _row(1, 2), _row(2, 3)])
    sets = {"a": _set(10, 0, 1, 5)}
    one_case = {**_summary([_row(0, 2), _row(1, 2), _row(2, 3)]), "safety": {"a": _set(10, 0, 1, 5)}}
    assert "**meets the rule" in "\n".join(_verdict(base, one_case, sets))
    swapped = {**_summary([_row(0, 2), _row(1, 1), _row(2, 3)]), "safety": {"a": _set(10, 0, 1, 5)}}
    assert "**meets the rule" in "\n".join(_verdict(base, swapped, sets))  # the figure did not move
    two_cases = {**_summary([_row(0, 2), _row(1, 6), _row(2, 7)]), "safety": {"a": _set(10, 0, 1, 5)}}
    assert "does not meet" in "\n".join(_verdict(base, two_cases, sets))
    silent = {**one_case, "safety": {"a": _set(10, 0, 2, 5)}}
    text = "\n".join(_verdict(base, silent, sets))
    assert "does not meet" in text and "a: silent 1 -> 2" in text
    assert "does not meet" in "\n".join(_verdict(base, {**one_case, "unsafe": 1}, sets))
    assert "safety sets not run" in "\n".join(_verdict(base, _summary(one_case["per_case"]), sets))
