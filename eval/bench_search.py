"""Benchmark of vector search alone, for each index kind of ``index.ann``, at several corpus sizes.

    python -m eval.bench_search [--sizes 10000,100000,1000000] [--kinds flat,hnsw,ivf]
                                [--json out.json] [--questions eval/gold.jsonl | --queries q.npy]

For each size and kind it reports the build time, the index's size in bytes
(what ``faiss.write_index`` writes, which is close to what it holds in
memory), the median and 95th percentile of the time of one search of one
query with k=10 (one query at a time, as the server searches), recall@10
against exact search (and the same at k=50, the number of dense candidates
the searcher fetches), the median process CPU time of a search (steadier
than wall time on a shared machine) and the number of OpenMP threads faiss
used (its default: IVF and HNSW search one query on one thread, exact search
splits it over all of them from 10k vectors on).

The data.  ANN on uniform random 384-d vectors is meaningless (every point is
about as far from every other), so the base set is made from real
all-MiniLM-L6-v2 embeddings: the passage and sentence vectors of the built
index (``data/index``, loaded through ``service.api.index_vectors``: 460 vectors
for the bundled corpus) or any ``base`` array passed in.  Each synthetic
vector is

    k  ~ uniform on {2, 3, 4}
    i1..ik ~ uniform on the real vectors (with replacement)
    w  ~ Dirichlet(1, ..., 1) on k components
    m  = sum_j w_j r_ij,  m = m / |m|
    x  = m + (NOISE / sqrt(d)) g,  g ~ N(0, I_d),  x = x / |x|

with NOISE = 0.5: the Gaussian part has a norm of about 0.5 (each coordinate
has standard deviation 0.5 / sqrt(384) = 0.0255), so cos(x, m) is about
0.89.  With this level the synthetic set's pairwise cosines (5th/50th/95th
percentiles 0.19/0.47/0.65) are close to the real vectors' (0.06/0.37/0.72);
with much less noise the set collapses onto the few hundred real directions
(easy for any index), with much more it becomes the meaningless uniform
case.  The base set is generated once for the largest
size (numpy ``default_rng([seed, 0])``) and each smaller size uses its first n
rows.  Queries are the given real question embeddings (``queries``, e.g.
``--questions eval/gold.jsonl`` embeds the gold questions with the bundled
model), otherwise held-out mixtures from an independent stream
(``default_rng([seed, 1])``).

Measured on the development machine (2 shared cores, faiss-cpu 1.15, 2
OpenMP threads, 1000 held-out mixture queries, 3 x 200 single searches;
build seconds, MB written, wall p50/p95 ms at k=10, recall@10, recall@50):

    size  kind  build s    MB   p50 ms   p95 ms  R@10    R@50
    10k   flat     0.03    15     2.72     3.64  1       1
    10k   hnsw     0.97    17     0.61     0.80  0.9999  0.9962
    10k   ivf      0.26    15     0.70     0.92  0.9992  0.9828   nlist 256, nprobe 105
    100k  flat     0.16   147    28.1     41.1   1       1
    100k  hnsw    14.9    172     0.43     0.98  0.9753  0.9697
    100k  ivf      2.01   149     1.50     2.05  0.9907  0.9838   nlist 512, nprobe 32
    1M    flat     8.2   1465  1024     1754     1       1        (busy machine; 258 ms quieter)
    1M    hnsw   325     1724     1.10     1.74  0.9658  0.9582
    1M    ivf     26.0   1483     3.83     5.60  0.9908  0.9866   nlist 2048, nprobe 32

With the 210 gold questions as queries (``--questions eval/gold.jsonl``)
recall@10 is lower for the approximate kinds: hnsw 0.9967 / 0.9176 / 0.832
(1M from a parameter sweep) and ivf 0.9990 / 0.9810 / 0.9567 at 10k / 100k / 1M (ivf at 1M: 4.37 ms p50).
The parameters and how they were chosen are in ``index/ann.py``'s docstring.
"""
from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path

import numpy as np

from service.api import IndexLoadError, index_vectors
from service.api import vector_index as ann

NOISE = 0.5
MIX_MIN, MIX_MAX = 2, 4
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
DEFAULT_INDEX_DIR = Path(__file__).resolve().parent.parent / "data" / "index"
K = 10
EXTRA_K = (50,)
MIN_TIMED = 20


def real_vectors(index_dir: Path | str = DEFAULT_INDEX_DIR) -> np.ndarray:
    """The passage and sentence vectors of the index built at ``index_dir`` (the folder `verbatim
    ingest` writes), L2-normalised float32, one row each; `IndexLoadError` when there is none."""
    return _normalise(np.array(index_vectors(Path(index_dir)), dtype=np.float32))


def _normalise(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    x /= norms
    return x


def mixtures(base: np.ndarray, n: int, rng: np.random.Generator, noise: float = NOISE, chunk: int = 65_536) -> np.ndarray:
    """``n`` normalised random convex mixtures of 2-4 rows of ``base`` plus Gaussian noise (see the module docstring).

    Written chunk by chunk into one float32 (n, d) array, so 1M x 384 takes
    1.5 GB and little more.
    """
    base = np.ascontiguousarray(base, dtype=np.float32)
    if base.ndim != 2 or len(base) == 0:
        raise ValueError("base must be a non-empty 2-d array of vectors")
    d = base.shape[1]
    out = np.empty((n, d), dtype=np.float32)
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        k = rng.integers(MIX_MIN, MIX_MAX + 1, size=m)
        idx = rng.integers(0, len(base), size=(m, MIX_MAX))
        w = rng.dirichlet(np.ones(MIX_MAX), size=m).astype(np.float32)
        # a Dirichlet(1,...,1) restricted to its first k components and renormalised is Dirichlet(1,...,1) on k
        w[np.arange(MIX_MAX)[None, :] >= k[:, None]] = 0.0
        w /= w.sum(axis=1, keepdims=True)
        block = out[start : start + m]
        np.multiply(base[idx[:, 0]], w[:, :1], out=block)
        for j in range(1, MIX_MAX):
            block += base[idx[:, j]] * w[:, j : j + 1]
        _normalise(block)
        block += rng.standard_normal((m, d), dtype=np.float32) * np.float32(noise / np.sqrt(d))
        _normalise(block)
    return out


def recall(found: np.ndarray, exact: np.ndarray, k: int) -> float:
    """Mean over queries of |found[:k] ∩ exact[:k]| / k (ids, so ties broken differently count as misses)."""
    hits = 0
    for f, e in zip(found[:, :k], exact[:, :k]):
        hits += len(set(f[f >= 0].tolist()) & set(e.tolist()))
    return hits / (k * len(exact)) if len(exact) else float("nan")


def index_bytes(index) -> int:
    """The number of bytes ``faiss.write_index`` writes for ``index``, counted without keeping a copy."""
    import faiss

    total = 0

    def count(chunk: bytes) -> int:
        nonlocal total
        total += len(chunk)
        return len(chunk)

    writer = faiss.PyCallbackIOWriter(count)
    faiss.write_index(index, writer)
    del writer
    return total


def time_single(
    index, queries: np.ndarray, k: int, repeats: int, budget_s: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Wall-clock and process-CPU milliseconds of each one-query search (``repeats`` passes over ``queries``).

    After a short warm-up.  The CPU time (all threads of the process) leaves
    out the time the process waited for a core, so on a shared machine it is
    the steadier figure; the wall-clock time is what a caller waits.

    With ``budget_s``, timing stops once that many seconds have been spent
    (after at least ``MIN_TIMED`` searches): exact search at 1M takes
    ~0.1 s a query and would otherwise dominate the run.
    """
    q = np.ascontiguousarray(queries, dtype=np.float32)
    for i in range(min(5, len(q))):
        ann.search(index, q[i : i + 1], k)
    wall, cpu = [], []
    start = time.perf_counter()
    for _ in range(repeats):
        for i in range(len(q)):
            row = q[i : i + 1]
            c = time.process_time()
            t = time.perf_counter()
            ann.search(index, row, k)
            wall.append((time.perf_counter() - t) * 1e3)
            cpu.append((time.process_time() - c) * 1e3)
            if budget_s is not None and len(wall) >= MIN_TIMED and time.perf_counter() - start > budget_s:
                return np.array(wall), np.array(cpu)
    return np.array(wall), np.array(cpu)


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run(
    sizes=DEFAULT_SIZES,
    kinds=ann.KINDS,
    queries: np.ndarray | None = None,
    seed: int = 0,
    repeats: int = 3,
    base: np.ndarray | None = None,
    n_queries: int = 1000,
    timed_queries: int = 200,
    noise: float = NOISE,
    extra_k=EXTRA_K,
    budget_s: float | None = 60.0,
    index_dir: Path | str = DEFAULT_INDEX_DIR,
    log=_log,
) -> list[dict]:
    """Build each kind of index at each size and measure it; one dict per (size, kind), sizes ascending.

    ``queries`` are real question vectors (normalised here); without them
    ``n_queries`` held-out mixtures are used.  Recall is measured on all the
    queries (searched as one batch); latency on the first ``timed_queries``,
    each searched alone ``repeats`` times.  ``base`` are the real vectors the
    synthetic set is mixed from (default: those of the built index in
    ``index_dir``).
    """
    import faiss

    sizes = sorted(int(s) for s in sizes)
    for kind in kinds:
        if kind not in ann.KINDS:
            raise ValueError(f"index kind must be one of {', '.join(ann.KINDS)}, not {kind!r}")
    if not sizes or sizes[0] < 1:
        raise ValueError("sizes must be positive")
    real = real_vectors(index_dir) if base is None else _normalise(np.array(base, dtype=np.float32))
    log(f"generating {sizes[-1]:,} vectors from {len(real)} real ones (noise {noise})")
    xb = mixtures(real, sizes[-1], np.random.default_rng([seed, 0]), noise)
    if queries is None:
        xq = mixtures(real, n_queries, np.random.default_rng([seed, 1]), noise)
        source = "mixtures"
    else:
        xq = _normalise(np.array(queries, dtype=np.float32).reshape(-1, real.shape[1]))
        source = "given"
    timed = xq[:timed_queries]
    ks = sorted({K, *extra_k})
    threads = faiss.omp_get_max_threads()
    rows = []
    for n in sizes:
        x = xb[:n]  # a view: no copy
        _, exact = faiss.knn(xq, x, min(max(ks), n), metric=faiss.METRIC_INNER_PRODUCT)
        for kind in kinds:
            gc.collect()
            t = time.perf_counter()
            index = ann.build(x, kind, seed=seed)
            build_s = time.perf_counter() - t
            row = {
                "size": n,
                "kind": kind,
                "built": ann.kind_of(index),
                "params": ann.params(index),
                "build_s": round(build_s, 3),
                "memory_bytes": index_bytes(index),
                "threads": threads,
                "faiss": faiss.__version__,
                "queries": len(xq),
                "query_source": source,
                "timed_queries": len(timed),
                "repeats": repeats,
                "noise": noise,
                "seed": seed,
            }
            for k in ks:
                kk = min(k, n)
                _, found = ann.search(index, xq, kk)
                row[f"recall_at_{k}"] = round(recall(found, exact, kk), 4)
                ms, cpu = time_single(index, timed, kk, repeats if k == K else 1, budget_s)
                suffix = "" if k == K else f"_at_{k}"
                row[f"timed_searches{suffix}"] = len(ms)
                row[f"p50_ms{suffix}"] = round(float(np.median(ms)), 4)
                row[f"p95_ms{suffix}"] = round(float(np.percentile(ms, 95)), 4)
                row[f"cpu_p50_ms{suffix}"] = round(float(np.median(cpu)), 4)
            rows.append(row)
            log(format_table([row], header=False))
            del index
    del xb
    gc.collect()
    return rows


def format_table(rows: list[dict], header: bool = True) -> str:
    extra = sorted({int(k[len("recall_at_") :]) for r in rows for k in r if k.startswith("recall_at_")} - {K})
    cols = ["size", "kind", "build s", "memory MB", "p50 ms", "p95 ms", "cpu p50 ms", f"recall@{K}"]
    for k in extra:
        cols += [f"recall@{k}", f"p50 ms@{k}"]
    cols.append("params")
    lines = []
    if header:
        lines.append(" | ".join(cols))
        lines.append(" | ".join("---" for _ in cols))
    for r in rows:
        p = {k: v for k, v in r["params"].items() if k not in ("kind", "ntotal")}
        cells = [
            f"{r['size']:,}",
            r["kind"] if r["built"] == r["kind"] else f"{r['kind']}->{r['built']}",
            f"{r['build_s']:.2f}",
            f"{r['memory_bytes'] / 2**20:.1f}",
            f"{r['p50_ms']:.3f}",
            f"{r['p95_ms']:.3f}",
            f"{r.get('cpu_p50_ms', float('nan')):.3f}",
            f"{r[f'recall_at_{K}']:.4f}",
        ]
        for k in extra:
            cells += [f"{r.get(f'recall_at_{k}', float('nan')):.4f}", f"{r.get(f'p50_ms_at_{k}', float('nan')):.3f}"]
        cells.append(" ".join(f"{k}={v}" for k, v in p.items()) or "-")
        lines.append(" | ".join(cells))
    return "\n".join(lines)


def _question_vectors(path: Path) -> np.ndarray:
    from service.api import Settings, serving_embedder

    questions = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                row = json.loads(line)
            except ValueError as e:
                raise ValueError(f"{path}:{n}: not JSON ({e})") from None
            if not isinstance(row, dict) or not isinstance(row.get("question"), str):
                raise ValueError(f"{path}:{n}: no \"question\" text")
            questions.append(row["question"])
    return serving_embedder(Settings()).encode(questions)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.bench_search", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES), help="comma-separated vector counts")
    ap.add_argument("--kinds", default=",".join(ann.KINDS), help="comma-separated index kinds")
    ap.add_argument("--json", type=Path, help="also write the rows as JSON here")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeats", type=int, default=3, help="passes over the timed queries (k=10)")
    ap.add_argument("--n-queries", type=int, default=1000, help="held-out mixture queries (without --queries/--questions)")
    ap.add_argument("--timed-queries", type=int, default=200)
    ap.add_argument("--noise", type=float, default=NOISE)
    ap.add_argument("--budget", type=float, default=60.0, help="at most this many seconds of timing per size, kind and k")
    ap.add_argument("--index-dir", type=Path, default=DEFAULT_INDEX_DIR, help="built index whose vectors are mixed")
    group = ap.add_mutually_exclusive_group()
    group.add_argument("--queries", type=Path, help=".npy of query vectors")
    group.add_argument("--questions", type=Path, help="JSONL with a 'question' field, embedded with the bundled model")
    a = ap.parse_args(argv)
    try:
        rows = _run_cli(a)
    except (IndexLoadError, OSError, ValueError) as e:  # one line, naming the file or the reason
        print(f"bench_search: {e}", file=sys.stderr)
        return 2
    print(format_table(rows))
    if a.json:
        a.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


def _run_cli(a: argparse.Namespace) -> list[dict]:
    queries = None
    if a.queries:
        queries = np.load(a.queries, allow_pickle=False)
    elif a.questions:
        queries = _question_vectors(a.questions)
    return run(
        sizes=[int(s.replace("_", "")) for s in a.sizes.split(",") if s.strip()],
        kinds=[k.strip() for k in a.kinds.split(",") if k.strip()],
        queries=queries,
        seed=a.seed,
        repeats=a.repeats,
        n_queries=a.n_queries,
        timed_queries=a.timed_queries,
        noise=a.noise,
        budget_s=a.budget,
        index_dir=a.index_dir,
    )


if __name__ == "__main__":
    raise SystemExit(main())
