"""A server's answerer answers `WARM_UP_QUESTIONS` at start; that must change no answer a visitor gets."""
from __future__ import annotations

import pytest

from eval.run import load_gold
from service.answer import WARM_UP_QUESTIONS, Answerer

pytestmark = pytest.mark.integration


def test_warming_up_changes_no_answer(app_state):
    a = app_state.answerer
    cold = Answerer(a.index, a.embedder, router=a.router)
    warm = Answerer(a.index, a.embedder, router=a.router)
    warm.warm_up()
    assert warm._tokens.cache_info().currsize > 0 and cold._tokens.cache_info().currsize == 0
    cases = load_gold()[::5] + [{"question": q} for q in WARM_UP_QUESTIONS]
    for case in cases:
        q, hist = case["question"], case.get("history", [])
        assert warm.ask(q, 5, hist) == cold.ask(q, 5, hist), q


def test_the_warm_up_questions_reach_retrieval_and_the_no_answer_test(app_state):
    # Routing sends neither elsewhere: both go through retrieval, so the warm-up loads what answering loads.
    kinds = [app_state.answerer.ask(q).kind for q in WARM_UP_QUESTIONS]
    assert kinds[0] == "answer" and kinds[1] in ("answer", "no_answer"), kinds
