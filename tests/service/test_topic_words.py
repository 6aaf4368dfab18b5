"""The topic test on the real index and the bundled model: an everyday word for something the articles discuss
has a close corpus word, a topic they never discuss has none, and a question about it reads as uncovered."""
from __future__ import annotations

import pytest

from index.rank import NO_ANSWER_FEATURES

pytestmark = pytest.mark.integration


def test_the_real_table_tells_everyday_words_for_covered_topics_from_uncovered_topics(real_index, app_state):
    cut = app_state.answerer.uncovered_cosine  # the stored model's
    table = real_index.data.topics
    assert table is not None and len(table) > 20_000
    assert "ketamine" not in table and "alcohol" not in table  # corpus words have no entry
    for word in ("weed", "meds", "sober"):
        assert table[word] >= 0.7, (word, table[word])
    for word in ("gambling", "asthma", "smartphone"):
        assert table[word] < cut, (word, table[word])


def test_a_question_on_an_uncovered_topic_reads_as_uncovered_and_one_on_a_covered_topic_does_not(app_state):
    answerer = app_state.answerer
    nearest = NO_ANSWER_FEATURES.index("unknown_nearest")
    uncovered = NO_ANSWER_FEATURES.index("unknown_uncovered")
    cut = answerer.uncovered_cosine
    gambling = answerer.question_features("can ketamine help with a gambling problem?", None)
    weed = answerer.question_features("does ketamine therapy work for weed addiction?", None)
    assert gambling[nearest] < cut and gambling[uncovered] == 1.0
    assert weed[nearest] >= 0.7 and weed[uncovered] == 0.0
    # words that never name a topic are not read, whatever their neighbour
    cite = answerer.question_features("which papers does the article cite?", None)
    assert cite[nearest] == 1.0 and cite[uncovered] == 0.0


def test_with_dense_or_bm25_retrieval_alone_the_rare_word_rule_still_decides(app_state):
    """The learned test reads the ranker, which runs on hybrid retrieval only: `verbatim ask --mode dense` keeps
    the rare-word rule (which the learned test only adds to, in any mode)."""
    from service.answer import Answerer

    question = "what do the articles say about kombucha?"
    default = app_state.answerer
    assert default.no_answer_model is not None and default.rare_word_rule
    for mode in ("dense", "bm25"):
        alone = Answerer(default.index, default.embedder, router=default.router, mode=mode)
        assert alone.no_answer_model is None and alone.rare_word_rule
        assert alone.ask(question).kind == "no_answer"


def test_the_cut_off_is_the_one_the_model_was_trained_with_unless_one_is_given(app_state):
    from service.answer import Answerer

    default = app_state.answerer
    assert default.uncovered_cosine == default.no_answer_model.meta["uncovered_cosine"]
    strict = Answerer(default.index, default.embedder, router=default.router, uncovered_cosine=0.9)
    uncovered = NO_ANSWER_FEATURES.index("unknown_uncovered")
    weed = "does ketamine therapy work for weed addiction?"  # "weed" is 0.837 from its nearest corpus word
    assert default.question_features(weed, None)[uncovered] == 0.0
    assert strict.question_features(weed, None)[uncovered] == 1.0
