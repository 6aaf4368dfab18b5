"""index.ann: choosing, building, configuring and searching the approximate indexes."""
from __future__ import annotations

import faiss
import numpy as np
import pytest

from index import ann

DIM = 384


def clustered(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` vectors and 200 held-out queries with cluster structure, like real embeddings (not uniform noise).

    The benchmark's recipe (normalised mixtures of 2-4 base vectors plus
    noise) on a random base of 40 clusters of 5 vectors each.
    """
    from eval.bench_search import mixtures

    rng = np.random.default_rng([seed, 99])
    centres = rng.standard_normal((40, DIM), dtype=np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    spread = rng.standard_normal((200, DIM), dtype=np.float32)
    spread *= 0.6 / np.linalg.norm(spread, axis=1, keepdims=True)
    base = np.repeat(centres, 5, axis=0) + spread
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    return mixtures(base, n, np.random.default_rng([seed, 0])), mixtures(base, 200, np.random.default_rng([seed, 1]))


def exact(x: np.ndarray, q: np.ndarray, k: int) -> np.ndarray:
    return faiss.knn(q, x, k, metric=faiss.METRIC_INNER_PRODUCT)[1]


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    k = truth.shape[1]
    return sum(len(set(f.tolist()) & set(t.tolist())) for f, t in zip(found, truth)) / (k * len(truth))


@pytest.fixture(scope="module")
def small():
    return clustered(3000, seed=1)


@pytest.fixture(scope="module")
def medium():
    """~20k vectors, each approximate kind built once for the recall tests."""
    x, q = clustered(20_000, seed=2)
    return x, q, {kind: ann.build(x, kind) for kind in ("hnsw", "ivf")}


# -- choose ------------------------------------------------------------------------------------------


def test_choose_auto_switches_at_the_threshold():
    assert ann.choose(0) == "flat"
    assert ann.choose(ann.AUTO_THRESHOLD - 1) == "flat"
    assert ann.choose(ann.AUTO_THRESHOLD) == ann.AUTO_KIND
    assert ann.choose(10 * ann.AUTO_THRESHOLD, "auto") == ann.AUTO_KIND
    assert ann.AUTO_KIND in ("hnsw", "ivf")


@pytest.mark.parametrize("kind", ann.KINDS)
def test_choose_keeps_an_explicit_kind(kind):
    assert ann.choose(5, kind) == kind
    assert ann.choose(10**7, kind) == kind


@pytest.mark.parametrize("bad", ["", "HNSW", "ivfpq", "exact", None])
def test_choose_rejects_unknown_kinds_naming_the_allowed_ones(bad):
    with pytest.raises(ValueError) as e:
        ann.choose(100, bad)
    for kind in ("auto", *ann.KINDS):
        assert kind in str(e.value)
    with pytest.raises(ValueError):
        ann.build(np.zeros((2, DIM), np.float32), bad)


def test_choose_rejects_a_negative_count():
    with pytest.raises(ValueError):
        ann.choose(-1)


def test_ivf_nlist_keeps_enough_vectors_per_list():
    assert ann.ivf_nlist(0) == 1
    for n in (1, 10, 1000, 5000, 20_000, 100_000, 1_000_000, 10_000_000):
        nlist = ann.ivf_nlist(n)
        assert nlist & (nlist - 1) == 0 and 1 <= nlist <= ann.IVF_MAX_NLIST
        assert nlist == 1 or n >= ann.IVF_MIN_PER_LIST * nlist


def test_ivf_nprobe_scans_enough_vectors():
    for n in (1000, 8000, 10_000, 100_000, 1_000_000):
        nlist = ann.ivf_nlist(n)
        nprobe = ann.ivf_nprobe(nlist, n)
        assert ann.IVF_NPROBE <= nprobe or nprobe == nlist
        assert nprobe * n / nlist >= ann.IVF_MIN_SCAN or nprobe == nlist
    assert ann.ivf_nprobe(2048, 1_000_000) == ann.IVF_NPROBE


# -- build -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ann.KINDS)
def test_build_holds_every_vector_in_order_with_the_exact_top1(kind, small):
    x, _ = small
    index = ann.build(x, kind)
    assert ann.kind_of(index) == kind
    assert index.ntotal == len(x) and index.d == DIM
    assert index.metric_type == faiss.METRIC_INNER_PRODUCT
    # queries close to known rows: the exact top-1 is that row, and every kind finds it
    rng = np.random.default_rng(5)
    rows = rng.choice(len(x), 100, replace=False)
    q = x[rows] + rng.standard_normal((100, DIM), dtype=np.float32) * np.float32(0.02)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    truth = exact(x, q, 1)[:, 0]
    assert (truth == rows).all()
    _, ids = ann.search(index, q, 10)
    assert (ids[:, 0] == truth).all()


def test_build_auto_follows_choose():
    x = np.eye(4, DIM, dtype=np.float32)
    assert ann.kind_of(ann.build(x)) == "flat"


@pytest.mark.parametrize("kind", ["hnsw", "ivf"])
def test_recall_at_10_and_50_on_20k(kind, medium):
    x, q, built = medium
    index = built[kind]
    assert ann.kind_of(index) == kind and index.ntotal == len(x)
    truth = exact(x, q, 50)
    assert recall(ann.search(index, q, 10)[1], truth[:, :10]) >= 0.95
    assert recall(ann.search(index, q, 50)[1], truth) >= 0.95


@pytest.mark.parametrize("kind", ["hnsw", "ivf"])
def test_k_200_returns_200_good_candidates(kind, medium):
    """The searcher over-fetches up to 200: HNSW needs efSearch >= k, which ann.search passes per call."""
    x, q, built = medium
    index = built[kind]
    _, ids = ann.search(index, q[:50], 200)
    assert ids.shape == (50, 200) and (ids >= 0).all()
    assert recall(ids, exact(x, q[:50], 200)) >= 0.9
    if kind == "hnsw":
        assert index.hnsw.efSearch == ann.HNSW_EF_SEARCH  # the index's own setting is untouched


@pytest.mark.parametrize("kind", ["hnsw", "ivf"])
def test_serialise_round_trip_keeps_parameters_and_results(kind, small):
    x, q = small
    index = ann.build(x, kind)
    before = ann.search(index, q, 50)
    # a copy written with other search settings: they are written, and configure resets them
    if kind == "hnsw":
        index.hnsw.efSearch = 7
    else:
        index.nprobe = 1
    back = faiss.deserialize_index(faiss.serialize_index(index))
    assert ann.kind_of(back) == kind and back.ntotal == len(x)
    if kind == "hnsw":
        assert back.hnsw.efSearch == 7
    else:
        assert back.nprobe == 1
    ann.configure(back)
    ann.configure(index)
    assert ann.params(back) == ann.params(index)
    if kind == "hnsw":
        assert back.hnsw.efSearch == ann.HNSW_EF_SEARCH
        assert ann.params(back)["M"] == ann.HNSW_M
    else:
        assert back.nprobe == ann.ivf_nprobe(back.nlist, back.ntotal)
    after = ann.search(back, q, 50)
    np.testing.assert_array_equal(after[1], before[1])
    np.testing.assert_array_equal(after[0], before[0])


def test_configure_overrides_and_clamps():
    x, _ = clustered(2000, seed=3)
    h = ann.configure(ann.build(x, "hnsw"), ef_search=123)
    assert h.hnsw.efSearch == 123
    i = ann.configure(ann.build(x, "ivf"), nprobe=10**6)
    assert i.nprobe == i.nlist
    f = ann.build(x, "flat")
    assert ann.configure(f) is f


def test_ivf_is_deterministic_and_seeded():
    x, _ = clustered(4000, seed=4)
    a = faiss.serialize_index(ann.build(x, "ivf", seed=0))
    b = faiss.serialize_index(ann.build(x, "ivf", seed=0))
    c = faiss.serialize_index(ann.build(x, "ivf", seed=1))
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_hnsw_single_thread_build_is_deterministic():
    x, _ = clustered(2000, seed=6)
    threads = faiss.omp_get_max_threads()
    a = faiss.serialize_index(ann.build(x, "hnsw", threads=1))
    b = faiss.serialize_index(ann.build(x, "hnsw", threads=1))
    assert np.array_equal(a, b)
    assert faiss.omp_get_max_threads() == threads  # restored


# -- tiny inputs -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["auto", *ann.KINDS])
def test_empty_input_gives_an_empty_flat_index(kind):
    index = ann.build(np.zeros((0, DIM), np.float32), kind)
    assert ann.kind_of(index) == "flat" and index.ntotal == 0 and index.d == DIM
    scores, ids = ann.search(index, np.ones((1, DIM), np.float32), 5)
    assert (ids == -1).all()


@pytest.mark.parametrize("kind", ["auto", *ann.KINDS])
def test_one_vector_gives_a_flat_index_that_finds_it(kind):
    v = np.zeros((1, DIM), np.float32)
    v[0, 3] = 1.0
    index = ann.build(v, kind)
    assert ann.kind_of(index) == "flat" and index.ntotal == 1
    scores, ids = ann.search(index, v, 10)
    assert ids[0, 0] == 0 and scores[0, 0] == pytest.approx(1.0)
    assert (ids[0, 1:] == -1).all()


@pytest.mark.parametrize("kind", ["hnsw", "ivf"])
def test_fewer_vectors_than_min_approx_fall_back_to_flat(kind):
    x, _ = clustered(ann.MIN_APPROX - 1, seed=7)
    index = ann.build(x, kind)
    assert ann.kind_of(index) == "flat" and index.ntotal == len(x)


def test_ivf_with_few_vectors_gets_few_lists():
    x, q = clustered(ann.MIN_APPROX, seed=8)
    index = ann.build(x, "ivf")
    assert ann.kind_of(index) == "ivf"
    assert index.nlist == ann.ivf_nlist(len(x)) and len(x) >= ann.IVF_MIN_PER_LIST * index.nlist
    _, ids = ann.search(index, q, 200)
    assert (ids >= 0).all()


def test_bad_shapes_and_k_are_rejected():
    with pytest.raises(ValueError):
        ann.build(np.zeros(DIM, np.float32))
    index = ann.build(np.eye(3, DIM, dtype=np.float32))
    with pytest.raises(ValueError):
        ann.search(index, np.ones((1, DIM), np.float32), 0)


def test_kind_of_rejects_other_indexes():
    with pytest.raises(ValueError):
        ann.kind_of(faiss.IndexLSH(DIM, 16))


@pytest.mark.parametrize("kind", ann.KINDS)
def test_vectors_can_be_reconstructed_after_a_round_trip(kind, small):
    """The store reads the vectors back with reconstruct_n: every kind keeps them exactly, in order."""
    x, _ = small
    back = faiss.deserialize_index(faiss.serialize_index(ann.build(x, kind)))
    np.testing.assert_array_equal(back.reconstruct_n(0, back.ntotal), x)
