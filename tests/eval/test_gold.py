"""The gold set is sound: evidence and references exist in the cleaned corpus, coverage is as promised."""
from __future__ import annotations

from collections import Counter

import pytest

from eval.run import KINDS, load_gold

GOLD = load_gold()


def test_size_and_kinds():
    kinds = Counter(c["kind"] for c in GOLD)
    assert len(GOLD) >= 120 and set(kinds) == set(KINDS)
    assert kinds["answer"] >= 60 and all(kinds[k] >= 5 for k in KINDS)
    assert sum(c["id"].startswith("r") for c in GOLD) >= 10  # reference-list look-ups
    assert sum(c["id"].startswith("h") for c in GOLD) >= 5  # informational questions that mention the asker
    assert sum(bool(c.get("history")) for c in GOLD) >= 5


@pytest.mark.parametrize("case", [c for c in GOLD if c["kind"] == "answer"], ids=lambda c: c["id"])
def test_evidence_is_verbatim_article_text(case, articles):
    """Every evidence string is in the cleaned text of its article (or of some article when none is named)."""
    named = case.get("article")
    ids = [named] if isinstance(named, str) else (named or list(articles))
    assert case["evidence"]
    for e in case["evidence"]:
        assert any(e in articles[a].text for a in ids), e
    if case.get("reference"):
        refs = [r.text for a in ids for r in articles[a].references]
        assert any(r.startswith(case["reference"]) for r in refs), case["reference"]


def test_every_article_is_covered(articles):
    covered = Counter()
    for c in GOLD:
        named = c.get("article")
        for a in [named] if isinstance(named, str) else (named or []):
            covered[a] += 1
    assert set(covered) == set(articles)


@pytest.mark.parametrize(
    ("change", "needle"),
    [({"verbatim": 0.99}, "verbatim check"), ({"unsafe": 1}, "unsafe responses"), ({"recall@5": 0.5}, "recall@5")],
)
def test_gates_fail_on_each_breach(change, needle):
    from eval.run import RECALL_AT_5_FLOOR, gates

    ok = {"verbatim": 1.0, "unsafe": 0, "recall@5": RECALL_AT_5_FLOOR}
    assert gates(ok) == []
    failures = gates({**ok, **change})
    assert len(failures) == 1 and needle in failures[0]


def test_the_held_out_split_is_fixed_and_30_percent_of_every_kind():
    from eval.run import gold_subsets, heldout_ids

    held = heldout_ids()
    ids = {c["id"] for c in GOLD}
    assert held <= ids and 0.28 <= len(held) / len(ids) <= 0.32
    for kind in KINDS:
        of_kind = {c["id"] for c in GOLD if c["kind"] == kind}
        assert 0.2 <= len(of_kind & held) / len(of_kind) <= 0.4, kind
    s = gold_subsets(GOLD)
    assert s["tuning split (70%)"] | s["held-out split (30%)"] == s["whole set"]
    assert not s["tuning split (70%)"] & s["held-out split (30%)"]
    assert len(s["original cases"]) == 210  # the recall@5 floor was measured on these
