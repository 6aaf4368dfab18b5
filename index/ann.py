"""Approximate nearest-neighbour indexes for the passage vectors.

The vectors are L2-normalised float32 (all-MiniLM-L6-v2, 384-dim), so inner
product is cosine and every index here uses ``METRIC_INNER_PRODUCT``.  Three
kinds are offered:

``flat``  ``IndexFlatIP``: exact, no build cost, search time linear in n.
``hnsw``  ``IndexHNSWFlat``: a graph over the full-precision vectors.
``ivf``   ``IndexIVFFlat``: k-means lists over the full-precision vectors.

``choose(n, "auto")`` picks ``flat`` below ``AUTO_THRESHOLD`` vectors and
``ivf`` from there on; ``build`` makes the index, ``configure`` sets the
search-time parameters again after ``faiss.read_index`` and ``search`` searches
with an HNSW ``efSearch`` of at least ``k`` (faiss does not raise it itself:
with ``efSearch`` < ``k`` it returns fewer than ``k`` ids, padded with -1).

Every index holds the full float32 vectors in the order given, with ids
0..n-1, so row i of the store's vectors is id i whichever kind is used, and
``index.reconstruct_n(0, index.ntotal)`` gives them back exactly for every kind
(IVF gets a direct map for it, which is serialised with the index).

How the parameters were chosen.  Measured with ``eval/bench_search.py`` on
the development machine (2 shared, busy cores, faiss-cpu 1.15), on synthetic
sets made of mixtures of the real embeddings, with two sets of queries:
held-out mixtures ("mix") and the 210 gold questions embedded with the real
model ("gold", the harder case: questions are not passages).  Median wall
time of one single-query search with k=10; recall@10 against exact search.

* Exact search (single query, gold): 5k vectors 0.5 ms, 7k 1.1 ms, 8k-9k
  1.4-1.8 ms, and at 10k it jumps to 2.6 ms with one thread and 24 ms with
  faiss's default two on the busy machine (16 ms of CPU: from there faiss
  apparently splits one query's scan over its threads, which then wait for
  each other); 100k 20-130 ms, 1M 0.26-1 s.
  IVF at 5k-10k: 0.3-0.4 ms with gold recall@10 0.98-0.99.  Hence
  ``AUTO_THRESHOLD = 8_000``: from there exact search is no longer well under
  1-2 ms.
* IVF at 1M, 2048 lists (40 training points a list; build 24 s on a quiet
  machine, 94-173 s on a loaded one): nprobe 16/24/32/40/48/64 gives mix
  0.983/0.988/0.991/0.993/0.994/0.995, gold 0.914/0.941/0.957/0.971/0.977/
  0.985 (recall@50: gold 0.946 at 32, 0.958 at 40; mix 0.987 at 32).  Time
  is memory bandwidth (each probe scans ~490 full vectors, 0.7 MB): one
  query with nprobe 32 takes 4.1-4.3 ms (4.4 ms next to a busy process),
  with 40 5.5-5.7 ms.  4096 lists cost 3x the build and reach only gold
  0.932 at nprobe 32 (0.969 at 64) for the same volume scanned.  Hence lists
  ~ 2·sqrt(n) and ``IVF_NPROBE = 32``, the largest within 5 ms; at smaller n
  ``IVF_MIN_SCAN`` raises nprobe so that short lists still give recall@50
  >= 0.98.  faiss's ``parallel_mode = 1`` (one query's lists split over the
  2 threads) cut nprobe 40 to 3.2 ms on a quiet machine but gave a p95 of
  32 ms next to one busy process, so searches stay single-threaded
  (``parallel_mode`` is not serialised either).
* HNSW at 1M, M=32, efConstruction=40:
  efSearch 64/128/256/512 gives mix 0.949/0.966/0.975/0.985 but gold only
  0.743/0.832/0.902/0.938, at 0.9/1.1/2.2/7.3 ms; the build took 325 s on a
  quiet machine, 1107 s on a loaded one.  At 100k M=16 was 40% faster
  to build and clearly worse (mix 0.946 at ef 128); efConstruction 80 gained
  about 0.01.  ``HNSW_EF_SEARCH = 128`` meets the target on mixture queries;
  on real questions no efSearch within 5 ms does, which is why ``auto``
  picks IVF (which also builds 6-13x faster).

Serialisation (``faiss.serialize_index`` / ``write_index``), checked with
faiss 1.15: HNSW's ``efSearch`` and ``efConstruction`` and IVF's ``nprobe``
are written and read back; nothing set through ``SearchParameters`` is, and an
index written by other code or with other constants carries whatever it was
written with, so ``configure`` is called after every read.

Determinism: the IVF training sample is drawn with ``numpy.random.default_rng
(seed)`` and k-means runs with ``cp.seed = seed``; with the same input the
index is byte-identical (checked with 2 threads).  HNSW has no seed, but faiss
inserts the vectors from several OpenMP threads at once, each node guarded by
a lock, so the links can in principle depend on how the threads interleave.
In practice two builds of 5k and 20k vectors with 2 threads were
byte-identical and returned identical results for k=10 and k=50; it is not
guaranteed, and ``build(..., threads=1)`` makes it so at the price of a
slower build.
"""
from __future__ import annotations

import math

import numpy as np

KINDS: tuple[str, ...] = ("flat", "hnsw", "ivf")

# From this many vectors on, "auto" uses an approximate index (see the
# module docstring and eval/bench_search.py for the measurements).
AUTO_THRESHOLD = 8_000
AUTO_KIND = "ivf"

# HNSW: neighbours per node, build-time and search-time beam widths.
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 40
HNSW_EF_SEARCH = 128

# IVF: lists ~ IVF_LISTS_PER_SQRT * sqrt(n) (a power of two, at most
# IVF_MAX_NLIST), searched IVF_NPROBE at a time; k-means is trained on at most
# IVF_TRAIN_PER_LIST points per list for IVF_NITER iterations.
IVF_LISTS_PER_SQRT = 2
IVF_MAX_NLIST = 8192
IVF_MIN_PER_LIST = 39  # faiss warns below 39 training points per centroid
IVF_TRAIN_PER_LIST = 40
IVF_NITER = 10
IVF_NPROBE = 32
# ...or more lists when the lists are short: at least IVF_MIN_SCAN vectors are
# scanned (at 10k vectors 40 of 256 lists scan 1.6k and recall@50 is 0.94;
# scanning 4k costs ~0.5 ms and gives 0.98).
IVF_MIN_SCAN = 4096

# Below this many vectors an approximate index is pointless (a flat search
# takes microseconds) and IVF cannot be trained: every kind builds ``flat``.
MIN_APPROX = 1_000


def _check_kind(kind: str, allow_auto: bool = True) -> None:
    allowed = ("auto", *KINDS) if allow_auto else KINDS
    if kind not in allowed:
        raise ValueError(f"index kind must be one of {', '.join(allowed)}, not {kind!r}")


def choose(n: int, kind: str = "auto") -> str:
    """The kind of index to build for ``n`` vectors: ``kind`` itself unless it is ``"auto"``.

    ``"auto"`` is ``flat`` below ``AUTO_THRESHOLD`` vectors and ``AUTO_KIND``
    from there on.  An explicit kind is returned as it is (``build`` still
    falls back to ``flat`` for fewer than ``MIN_APPROX`` vectors).
    """
    _check_kind(kind)
    if n < 0:
        raise ValueError("n must not be negative")
    if kind != "auto":
        return kind
    return AUTO_KIND if n >= AUTO_THRESHOLD else "flat"


def ivf_nlist(n: int) -> int:
    """The number of IVF lists for ``n`` vectors: a power of two near 2·sqrt(n), each list ≥ 39 vectors."""
    if n <= 0:
        return 1
    target = IVF_LISTS_PER_SQRT * math.sqrt(n)
    nlist = 1 << max(0, round(math.log2(target)))
    nlist = min(nlist, IVF_MAX_NLIST)
    while nlist > 1 and n < IVF_MIN_PER_LIST * nlist:
        nlist //= 2
    return nlist


def _as_matrix(vectors: np.ndarray) -> np.ndarray:
    x = np.ascontiguousarray(vectors, dtype=np.float32)
    if x.ndim != 2:
        raise ValueError(f"vectors must be a 2-d array, not {x.ndim}-d")
    return x


def build(vectors: np.ndarray, kind: str = "auto", seed: int = 0, threads: int | None = None):
    """An inner-product faiss index holding ``vectors`` with ids 0..n-1, searchable at once.

    ``kind`` is one of ``KINDS`` or ``"auto"`` (see ``choose``).  Fewer than
    ``MIN_APPROX`` vectors always give a ``flat`` index (this covers n = 0 and
    n = 1).  ``seed`` fixes the IVF training sample and k-means; ``threads``
    (default: faiss's current number) is the number of OpenMP threads used for
    the build only, restored afterwards; ``threads=1`` makes HNSW deterministic.
    """
    import faiss

    x = _as_matrix(vectors)
    n, dim = x.shape
    chosen = choose(n, kind)
    if n < MIN_APPROX:
        chosen = "flat"
    saved = faiss.omp_get_max_threads()
    if threads is not None:
        faiss.omp_set_num_threads(int(threads))
    try:
        if chosen == "flat":
            index = faiss.IndexFlatIP(dim)
            if n:
                index.add(x)
        elif chosen == "hnsw":
            index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            index.add(x)
        else:
            nlist = ivf_nlist(n)
            quantizer = faiss.IndexFlatIP(dim)
            index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
            index.cp.seed = int(seed)
            index.cp.niter = IVF_NITER
            index.cp.spherical = True
            index.cp.max_points_per_centroid = IVF_TRAIN_PER_LIST
            ntrain = min(n, IVF_TRAIN_PER_LIST * nlist)
            if ntrain < n:
                rng = np.random.default_rng(seed)
                sample = np.sort(rng.choice(n, size=ntrain, replace=False))
                index.train(x[sample])
            else:
                index.train(x)
            index.add(x)
            # ids are 0..n-1, so an array direct map (8 bytes a vector) makes
            # reconstruct / reconstruct_n work, as they do for flat and HNSW
            index.make_direct_map()
    finally:
        if threads is not None:
            faiss.omp_set_num_threads(saved)
    return configure(index)


def kind_of(index) -> str:
    """``"flat"``, ``"hnsw"`` or ``"ivf"`` for an index made by ``build`` (or read back)."""
    import faiss

    if isinstance(index, faiss.IndexHNSW):
        return "hnsw"
    if isinstance(index, faiss.IndexIVF):
        return "ivf"
    if isinstance(index, faiss.IndexFlat):
        return "flat"
    raise ValueError(f"not an index made by index.ann: {type(index).__name__}")


def configure(index, ef_search: int | None = None, nprobe: int | None = None):
    """Set the search-time parameters on ``index`` (after ``faiss.read_index``) and return it.

    HNSW gets ``efSearch = ef_search or HNSW_EF_SEARCH``; IVF gets ``nprobe``
    or else ``ivf_nprobe(nlist, ntotal)``, at most its number of lists.  A
    flat index is returned unchanged.
    """
    kind = kind_of(index)
    if kind == "hnsw":
        index.hnsw.efSearch = int(ef_search or HNSW_EF_SEARCH)
    elif kind == "ivf":
        index.nprobe = max(1, min(int(nprobe or ivf_nprobe(index.nlist, index.ntotal)), index.nlist))
    return index


def ivf_nprobe(nlist: int, n: int) -> int:
    """Lists to search: ``IVF_NPROBE``, or enough to scan about ``IVF_MIN_SCAN`` vectors; at most ``nlist``."""
    need = math.ceil(IVF_MIN_SCAN * nlist / n) if n > 0 else nlist
    return max(1, min(nlist, max(IVF_NPROBE, need)))


def params(index) -> dict:
    """The parameters of ``index`` worth reporting (kind, size and search settings)."""
    kind = kind_of(index)
    out: dict = {"kind": kind, "ntotal": int(index.ntotal)}
    if kind == "hnsw":
        out.update(M=int(index.hnsw.nb_neighbors(1)), efConstruction=int(index.hnsw.efConstruction), efSearch=int(index.hnsw.efSearch))
    elif kind == "ivf":
        out.update(nlist=int(index.nlist), nprobe=int(index.nprobe))
    return out


def search(index, queries: np.ndarray, k: int):
    """``index.search(queries, k)`` with an HNSW ``efSearch`` of at least ``k``.

    faiss 1.15 does not widen the beam for a large ``k`` by itself: with
    ``efSearch`` < ``k`` it returns fewer than ``k`` ids (padded with -1) and a
    poor recall.  The wider beam is passed per call, so the index's own
    setting (and other threads' searches) are untouched.  Returns
    ``(scores, ids)`` like faiss (ids -1 past ``ntotal``).
    """
    import faiss

    q = _as_matrix(queries)
    k = int(k)
    if k < 1:
        raise ValueError("k must be at least 1")
    if isinstance(index, faiss.IndexHNSW) and k > index.hnsw.efSearch:
        return index.search(q, k, params=faiss.SearchParametersHNSW(efSearch=k))
    return index.search(q, k)
