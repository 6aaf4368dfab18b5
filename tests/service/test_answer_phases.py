"""`Answerer.begin` + `complete` (what the server runs around its awaited encode) answer exactly as `ask` does."""
from __future__ import annotations

import pytest

from eval.run import load_gold
from service.answer import Answerer, Pending
from service.schemas import AskResponse

pytestmark = pytest.mark.integration


class NoEncode:
    """An embedder that must not be called."""

    def __getattr__(self, name):
        raise AssertionError(f"the model was used ({name}) for a question that needs no encode")


def test_two_phases_give_the_same_answers_as_ask_on_the_gold_set(app_state):
    a = app_state.answerer
    kinds = set()
    for case in load_gold():
        q, hist = case["question"], case.get("history", [])
        pending = a.begin(q, 5, hist)
        two = pending if isinstance(pending, AskResponse) else a.complete(pending, a.embedder.encode(pending.texts))
        assert two == a.ask(q, 5, hist), q
        kinds.add(two.kind)
    assert {"answer", "crisis", "no_answer"} <= kinds


def test_a_crisis_is_answered_by_begin_without_the_model(app_state):
    a = app_state.answerer
    quiet = Answerer(a.index, NoEncode(), router=a.router, searcher=a.searcher)
    out = quiet.begin("I want to end my life tonight")
    assert isinstance(out, AskResponse) and out.kind == "crisis" and out.passages == []


def test_pending_carries_the_routing_texts_first_and_the_retrieval_query_last(app_state):
    a = app_state.answerer
    plain = a.begin("Does ketamine reduce drinking?")
    assert isinstance(plain, Pending) and plain.texts == ["Does ketamine reduce drinking?"] and plain.query_row == 0
    framed = a.begin("I'm a nurse: which contraindications do the articles list?")
    assert isinstance(framed, Pending) and len(framed.texts) == 2
    assert framed.texts[0].startswith("I'm a nurse") and framed.texts[1] == framed.query and framed.query_row == 1
    # several sentences: the message, then each sentence for the learned layer, then the query
    two = a.begin("I'm three years sober now. Does ketamine reduce drinking?")
    assert isinstance(two, Pending)
    assert two.texts[:3] == ["I'm three years sober now. Does ketamine reduce drinking?", "I'm three years sober now.",
                             "Does ketamine reduce drinking?"]
    assert two.screen.texts == tuple(two.texts[:3]) and two.texts[two.query_row] == two.query
    with pytest.raises(ValueError, match="empty"):
        a.begin("   ")
