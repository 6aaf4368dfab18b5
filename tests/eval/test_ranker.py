"""The learned ranker and no-answer test (index/rank.py): plain JSON, refused when stale, and retraining
them from their script and labelled data gives the stored models."""
from __future__ import annotations

import json

import numpy as np
import pytest

from index.rank import FEATURES, MODEL_PATH, NO_ANSWER_FEATURES, NO_ANSWER_PATH, Ranker, fit


def test_the_models_are_plain_json_with_their_provenance():
    for path, features in ((MODEL_PATH, FEATURES), (NO_ANSWER_PATH, NO_ANSWER_FEATURES)):
        d = json.loads(path.read_text(encoding="utf-8"))
        assert tuple(d["features"]) == features and len(d["coef"]) == len(features) == len(d["mean"])
        assert "tuning split" in d["meta"]["trained_on"]
    assert 0 < json.loads(NO_ANSWER_PATH.read_text())["meta"]["threshold"] < 1


def test_a_model_for_other_features_is_refused(tmp_path):
    d = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    d["features"] = d["features"][:-1]
    (tmp_path / "r.json").write_text(json.dumps(d))
    with pytest.raises(ValueError, match="retrain"):
        Ranker.load(tmp_path / "r.json")
    assert Ranker.load(tmp_path / "missing.json") is None


def test_fit_is_deterministic_and_ranks_the_separating_feature_first():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, len(FEATURES)))
    y = (x[:, 3] > 0.3).astype(int)
    a, b = fit(x, y), fit(x, y)
    assert np.array_equal(a.coef, b.coef)
    assert int(np.argmax(np.abs(a.coef))) == 3
    round_trip = Ranker.from_dict(json.loads(json.dumps(a.to_dict())))
    np.testing.assert_allclose(round_trip.score(x), a.score(x), atol=1e-6)


@pytest.mark.integration
def test_retraining_from_the_script_gives_the_stored_models(real_index_dir):
    from eval.train_ranker import main
    from service.settings import Settings

    stored = Ranker.load(MODEL_PATH)
    stored_no_answer = Ranker.load(NO_ANSWER_PATH, NO_ANSWER_FEATURES)
    result = main(Settings(index_dir=real_index_dir), as_json=True, save=False)
    assert result["chosen_C"] == stored.meta["C"]
    assert result["weights"] == {k: round(float(v), 3) for k, v in zip(stored.features, stored.coef)}
    assert result["no_answer_threshold"] == stored_no_answer.meta["threshold"]
    assert result["no_answer_mode"] == stored_no_answer.meta["mode"] == "adds to both rules"
    assert result["uncovered_cosine"] == stored_no_answer.meta["uncovered_cosine"]  # the topic test's cut-off, by CV
    assert stored_no_answer.meta["replaces_rare_word_rule"] is False  # the learned test only adds no_answers
    assert result["no_answer_weights"] == {k: round(float(v), 3) for k, v in zip(stored_no_answer.features, stored_no_answer.coef)}


@pytest.mark.integration
def test_the_ranker_ranks_web_articles_and_stays_off_on_an_index_mostly_of_papers(app_state, staff_index_dir, real_embedder):
    from service.api import Answerer, Router
    from index.store import load_index

    assert app_state.answerer.ranker is not None and app_state.answerer.no_answer_model is not None
    papers = Answerer(load_index(staff_index_dir), real_embedder, router=Router())
    assert papers.ranker is None and papers.no_answer_model is None  # trained on web articles only
