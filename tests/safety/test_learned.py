"""safety/learned.py and safety/train.py: the stored classifier is what its training script makes from its
data, it is stored as plain arrays, and it can only raise a route."""
from __future__ import annotations

import numpy as np
import pytest

from safety import Router
from safety.engine import route_rules
from safety.learned import MODEL_PATH, Classifier, ModelError
from safety.train import GRID, Example, data_hash, load_examples, train
from safety.types import RANK, ROUTE_KINDS
from tests.fakes import HashEmbedder


def _tiny() -> list[Example]:
    rows = []
    for i in range(12):
        rows += [
            Example(f"i want to end it all tonight {i}", "crisis", True),
            Example(f"where do i buy ket from a dealer {i}", "refused", False),
            Example(f"should i take ketamine with my meds {i}", "advice", False),
            Example(f"what did the studies find about alcohol {i}", "answer", False),
        ]
    return rows


def test_training_on_a_fake_embedder_is_deterministic_and_round_trips_as_plain_arrays(tmp_path):
    emb = HashEmbedder()
    a, report = train(_tiny(), emb.encode, emb.name)
    b, _ = train(_tiny(), emb.encode, emb.name)
    np.testing.assert_array_equal(a.coef, b.coef)
    assert a.thresholds == b.thresholds and set(a.thresholds) == {"crisis", "refused", "advice"}
    assert all(t in GRID or t > 1 for t in a.thresholds.values())
    assert report["phrasings"] == 48 and report["folds"] == 5
    path = tmp_path / "c.npz"
    a.save(path)
    with np.load(path, allow_pickle=False) as z:  # loads without pickle: plain arrays only
        assert all(z[k].dtype != object for k in z.files)
    c = Classifier.load(path, expect_model=emb.name, expect_dim=emb.dim)
    np.testing.assert_array_equal(c.coef, a.coef)
    assert c.thresholds == a.thresholds and c.columns.tolist() == a.columns.tolist()
    with pytest.raises(ModelError, match="trained on"):
        Classifier.load(path, expect_model="another/model")
    with pytest.raises(ModelError, match="dimensional"):
        Classifier.load(path, expect_dim=8)
    with pytest.raises(ModelError, match="train-safety"):
        Classifier.load(tmp_path / "missing.npz")


class _Says:
    """A stand-in classifier whose opinion is fixed (the engine's raise-only logic is what is tested)."""

    def __init__(self, kind, signal=False):
        from safety.learned import Opinion

        self.o = Opinion(kind=kind, probabilities={}, signal=signal, signal_probability=0.0)

    def opinion(self, texts, vectors):
        return self.o


@pytest.mark.parametrize("says", [None, *ROUTE_KINDS[:-1]])
@pytest.mark.parametrize("message", ["should i take ketamine", "where can i buy ket", "what is ketamine", "i want to die"])
def test_the_learned_layer_only_raises_a_route(says, message):
    router = Router(_Says(says))
    rules = route_rules(message)
    screen = router.screen(message)
    out = router.decide(screen, np.zeros((len(screen.texts), 4)))
    assert RANK[out.kind] <= RANK[rules.kind]
    if says is not None:
        assert RANK[out.kind] <= RANK[says]
    assert out.signal >= rules.signal


def test_a_learned_signal_is_kept_and_a_message_of_several_sentences_is_read_sentence_by_sentence():
    router = Router(_Says(None, signal=True))
    screen = router.screen("Rough year. What do the studies say about relapse?")
    assert screen.texts == ("Rough year. What do the studies say about relapse?", "Rough year.", "What do the studies say about relapse?")
    assert router.decide(screen, np.zeros((3, 4))).signal is True
    with pytest.raises(ValueError, match="vectors"):
        router.decide(screen, np.zeros((1, 4)))


def test_the_labelled_data_has_the_size_the_method_needs():
    examples = load_examples()
    assert len(examples) >= 2000
    assert {e.kind for e in examples} == set(ROUTE_KINDS)


@pytest.mark.integration
@pytest.mark.slow
def test_retraining_from_the_labelled_data_gives_the_stored_classifier(real_embedder):
    stored = Classifier.load(MODEL_PATH, expect_model=real_embedder.name, expect_dim=real_embedder.dim)
    examples = load_examples()
    assert stored.data_hash == data_hash(examples), "safety/data changed: run `verbatim train-safety`"
    fresh, _ = train(examples, real_embedder.encode, real_embedder.name)
    assert fresh.thresholds == stored.thresholds and fresh.signal_threshold == stored.signal_threshold
    assert fresh.columns.tolist() == stored.columns.tolist()
    np.testing.assert_allclose(fresh.coef, stored.coef, atol=1e-4)
    np.testing.assert_allclose(fresh.intercept, stored.intercept, atol=1e-4)
    np.testing.assert_allclose(fresh.signal_coef, stored.signal_coef, atol=1e-4)
    # and the two decide alike on every labelled phrasing
    texts = [e.text for e in examples[::7]]
    vectors = real_embedder.encode(texts)
    for t, v in zip(texts, vectors):
        assert fresh.opinion([t], v[None]).kind == stored.opinion([t], v[None]).kind, t


@pytest.mark.parametrize(
    "text", ["does a single ketamine dose reduce drinking?", "i w4nt to d1e", "¿dónde puedo comprar ketamina?", "",
             "10.1038/npp.2017.194", "ÉTÉ  été\u200b", "a" * 3000]
)
def test_the_serving_path_computes_the_same_features_as_scikit_learn(text):
    from safety.learned import HASH_FEATURES, hashed

    _assert_hashed_like_scikit_learn([text])
    assert all(0 <= c < 2 * HASH_FEATURES for c in hashed(text))


def _assert_hashed_like_scikit_learn(texts: list[str]) -> None:
    """`hashed` of each text equals the n-gram columns of scikit-learn's `features` (past one embedding column)."""
    from safety.learned import features, hashed

    x = features(texts, np.zeros((len(texts), 1)))
    for i, text in enumerate(texts):
        row = x.getrow(i)
        want = {int(c) - 1: v for c, v in zip(row.indices, row.data) if c >= 1}
        got = hashed(text)
        assert set(got) == set(want) and all(abs(got[c] - want[c]) < 1e-12 for c in want), text


def test_the_serving_path_matches_scikit_learn_on_every_labelled_phrasing():
    _assert_hashed_like_scikit_learn([e.text for e in load_examples()])


def test_serving_a_route_does_not_import_scikit_learn():
    import subprocess
    import sys

    # The stored classifier's whole route, its learned layer included (vectors of zeros: only imports are checked).
    code = ("import sys, numpy as np; from safety import load_router; r = load_router(); "
            "r.route('What does ketamine do to the brain?', (), lambda t: np.zeros((len(t), r.classifier.dim))); "
            "from safety.learned import _hash_column; assert _hash_column.cache_info().currsize > 0; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_opinion_is_the_softmax_of_the_weights_times_the_features():
    emb = HashEmbedder()
    clf, _ = train(_tiny(), emb.encode, emb.name)
    from safety.learned import features

    texts = ["i want to end it all tonight", "what did the studies find about alcohol and ket"]
    vectors = emb.encode(texts)
    x = features(texts, vectors)[:, clf.columns].toarray()
    z = x @ clf.coef.T + clf.intercept
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p = (p / p.sum(axis=1, keepdims=True)).max(axis=0)
    o = clf.opinion(texts, vectors)
    assert all(abs(o.probabilities[k] - p[i]) < 1e-9 for i, k in enumerate(clf.classes))
    s = 1 / (1 + np.exp(-(x @ clf.signal_coef + clf.signal_intercept)))
    assert abs(o.signal_probability - s.max()) < 1e-9
