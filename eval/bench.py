"""`verbatim bench`: how fast Verbatim is, measured end to end on this machine.

Sections, all in one run (each can be skipped):

floor    the median time to encode one question with the serving backend, in this
         process, sampled at the start and again before each HTTP row (pooled); every
         /ask latency is also given as a ratio to it.  Also the encoder's ceiling: the
         questions per second it sustains with 16 concurrent callers through the
         server's batching, which bounds what 16 HTTP clients can get; and, around each
         HTTP row of several clients, the ceiling at that many callers just before and
         just after the row, which that row's ratio is taken to.
ingest   `verbatim ingest` in a subprocess, from an empty index: wall time, peak memory
         (the child's own maximum resident set, by `run_measured`), passages per second of embedding.
         For the bundled corpus and for synthetic corpora: articles whose paragraphs are
         3 to 5 real sentences of the corpus drawn at random (seeded), about one passage each.
http     `verbatim serve` in a subprocess, the answer cache off so that every request
         does the full work; for each client count, a warm-up and then `eval.load`
         for the set duration, cycling through the gold questions.  The CPU time the
         server and the load generator spent per answer is reported with each row, as are
         the server's own p99 (Server-Timing) and the share of the machine's CPU time the
         hypervisor stole during the row (/proc/stat), which tells stalls of the machine
         from stalls of the service; with one client, also the stolen share while the
         slowest 1% of the answers ran, against the fastest half.
cache    the same server with the cache on: the server-side time (Server-Timing)
         of a repeated question.
cold     from starting `verbatim serve` to the first answered POST /ask (median of runs).
search   vector search alone, by `eval.bench_search` (each index kind, recall@10 vs exact).
scale    a large index in the real format, its vectors from a hash of each text (`eval.bench_scale`):
         the build's peak memory, then `verbatim serve`'s start on it and its RSS after the first answer.

Results: a table on stdout and ``bench.json`` in ``--out``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from eval.load import percentile, run_load
from eval.run import load_gold

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "data" / "bench"
SECTIONS = ("floor", "ingest", "http", "cache", "cold", "search", "scale")


def _log(msg: str) -> None:
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(settings, **extra) -> dict:
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "VERBATIM_INDEX_DIR": str(settings.index_dir),
        "VERBATIM_MODEL_CACHE": str(settings.model_cache),
        "VERBATIM_BACKEND": settings.backend,
    }
    env.update({k: str(v) for k, v in extra.items()})
    return env


# -- floor ---------------------------------------------------------------------------------------


class Floor:
    """The encode floor: one question at a time through the serving backend, in this process.

    Samples are taken at the start and again before each HTTP row (with the server idle), and
    pooled: on a shared machine, a floor taken once at the start drifts from the rows it divides."""

    def __init__(self, settings, questions: list[str]):
        from service.api import serving_embedder

        self.settings, self.questions = settings, questions
        self.emb = serving_embedder(settings)
        self.emb.load()
        for q in questions[:5]:
            self.emb.encode([q], lone=True)
        self.times: list[float] = []

    def sample(self, n: int) -> float:
        """Encode ``n`` questions one at a time; returns their median in ms (all are kept)."""
        times = []
        for i in range(n):
            q = self.questions[(len(self.times) + i) % len(self.questions)]
            t = time.perf_counter()
            self.emb.encode([q], lone=True)  # as the server encodes a question with nothing else in progress
            times.append((time.perf_counter() - t) * 1000)
        self.times += times
        return statistics.median(times)

    def ceiling(self, concurrent: int, seconds: float) -> dict:
        """Questions per second the serving encoder (with the server's batching) sustains when
        ``concurrent`` threads each encode one question after another: what the model alone allows
        a server with that many clients, before any HTTP or answer work."""
        from service.api import serving_embedder

        emb = serving_embedder(self.settings, batching=True)
        emb.load()
        done = [0] * concurrent
        stop = time.perf_counter() + seconds

        def run(c: int) -> None:
            i = c * 13
            while time.perf_counter() < stop:
                emb.encode([self.questions[i % len(self.questions)]])
                i += 1
                done[c] += 1

        threads = [threading.Thread(target=run, args=(c,)) for c in range(concurrent)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0
        return {"concurrent": concurrent, "seconds": round(elapsed, 2), "questions_per_s": round(sum(done) / elapsed, 1),
                "mean_batch": round(emb.texts / emb.batches, 2) if emb.batches else None}

    def result(self) -> dict:
        t = self.times
        return {"backend": self.settings.backend, "encodes": len(t), "p50_ms": round(statistics.median(t), 3),
                "p95_ms": round(percentile(t, 95), 3), "p99_ms": round(percentile(t, 99), 3)}


# -- ingest --------------------------------------------------------------------------------------


def _paragraph(rng: random.Random, sentences: list[str]) -> list[str]:
    """The sentences of one synthetic paragraph: 3 to 5 corpus sentences drawn at random."""
    return [rng.choice(sentences) for _ in range(rng.randint(3, 5))]


def synthetic_corpus(dest: Path, passages: int, seed: int = 0) -> int:
    """Write articles of real corpus sentences recombined, about ``passages`` paragraphs in all."""
    from service.api import corpus_sentences

    sentences = corpus_sentences(ROOT / "corpus")
    rng = random.Random(seed)
    dest.mkdir(parents=True, exist_ok=True)
    per_article, written, a = 100, 0, 0
    while written < passages:
        paras = min(per_article, passages - written)
        lines = [f"Synthetic Article {a}", ""]
        for p in range(paras):
            if p % 10 == 0:
                lines += [f"Section {p // 10 + 1}", ""]
            lines += [" ".join(_paragraph(rng, sentences)), ""]
        (dest / f"synthetic-{a:05d}.txt").write_text("\n".join(lines), encoding="utf-8")
        written += paras
        a += 1
    return a


def batch_ceiling(emb, passages: int, seed: int = 1) -> dict:
    """Texts per second the bulk encoder ``emb`` sustains on its own (``encode`` on one list, as ingest calls
    it, with the same lanes), over texts like a synthetic ingest's: synthetic paragraphs, and each of their
    sentences. Ingest's embedding rate is divided by it."""
    from service.api import corpus_sentences

    sentences = corpus_sentences(ROOT / "corpus")
    rng = random.Random(seed)
    texts: list[str] = []
    for _ in range(passages):
        chosen = _paragraph(rng, sentences)
        texts += [" ".join(chosen), *chosen]
    emb.encode(texts[:64])  # sessions made and warm before timing
    t = time.perf_counter()
    emb.encode(texts)
    seconds = time.perf_counter() - t
    return {"texts": len(texts), "seconds": round(seconds, 2), "texts_per_s": round(len(texts) / seconds, 1)}


# Runs argv[2:] and writes its peak RSS (KB) to argv[1].  A child's ru_maxrss (wait4) also counts what it
# inherited: Linux carries the peak of the memory a process had before exec into it, and a child forked from
# the bench holds the bench's pages at that moment.  After the search section (1M vectors), a 100k-passage
# build read 5,953 MB this way, against 1,118 MB measured inside it.  This small launcher is what forks the
# measured child, so the child's peak is its own (plus the launcher's few MB).
_PEAK_LAUNCHER = (
    "import os, subprocess, sys\n"
    "p = subprocess.Popen(sys.argv[2:])\n"
    "_, status, usage = os.wait4(p.pid, 0)\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(status) % 256)\n"
)


def run_measured(cmd: list[str], env: dict, stderr) -> tuple[int, bytes, float]:
    """Run ``cmd`` to its end: (exit code, its stdout, its own peak RSS in MB)."""
    with tempfile.TemporaryDirectory() as tmp:
        peak = Path(tmp) / "peak"
        proc = subprocess.Popen([sys.executable, "-c", _PEAK_LAUNCHER, str(peak), *cmd], env=env,
                                stdout=subprocess.PIPE, stderr=stderr)
        stdout, _ = proc.communicate()
        peak_mb = int(peak.read_text()) / 1024 if peak.exists() else float("nan")
    return proc.returncode, stdout, round(peak_mb, 1)


def ingest_once(corpus: Path, settings, index_dir: Path) -> dict:
    env = _env(settings, VERBATIM_CORPUS_DIR=corpus, VERBATIM_INDEX_DIR=index_dir, VERBATIM_MAX_FILE_BYTES=2**30)
    with tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        returncode, stdout, peak_mb = run_measured([sys.executable, "-m", "service.cli", "ingest", "--json", "--quiet"],
                                                   env, err)
        seconds = time.perf_counter() - t
        if returncode not in (0, 3):
            err.seek(0)
            raise RuntimeError(f"verbatim ingest failed ({returncode}): {err.read().decode()[-500:]}")
    report = json.loads(stdout)
    embed_s = report["seconds"].get("embed") or 0.0
    texts = report.get("texts_embedded", 0)
    return {
        "passages": report["passages"],
        "articles": len(report["articles"]),
        "seconds": round(seconds, 2),
        "embed_seconds": round(embed_s, 2),
        "passages_per_s": round(report["embedded"] / embed_s, 1) if embed_s else None,
        "texts": texts,
        "texts_per_s": round(texts / embed_s, 1) if embed_s else None,  # over the embedding step
        "texts_per_s_overall": round(texts / seconds, 1) if seconds else None,  # over the whole ingest, process start included
        "peak_rss_mb": peak_mb,
    }


def ingest_section(settings, sizes: list[int], ceiling_passages: int = 500) -> list[dict]:
    """One row per corpus; each synthetic row also holds the bulk encoder's ceiling measured just before
    it, and its embedding rate as a share of that ceiling."""
    from service.api import serving_embedder

    rows = []
    emb = serving_embedder(settings) if sizes else None  # the model ingest runs, loaded once for every ceiling
    with tempfile.TemporaryDirectory(prefix="verbatim-bench-") as tmp:
        tmp = Path(tmp)
        _log("ingest: the bundled corpus")
        rows.append({"corpus": "bundled", **ingest_once(ROOT / "corpus", settings, tmp / "index-corpus")})
        for n in sizes:
            corpus = tmp / f"synthetic-{n}"
            synthetic_corpus(corpus, n)
            _log(f"ingest: the bulk encoder alone on {ceiling_passages} synthetic passages and their sentences")
            ceiling = batch_ceiling(emb, ceiling_passages)
            _log(f"ingest: synthetic corpus of about {n:,} passages")
            row = {"corpus": f"synthetic {n:,}", **ingest_once(corpus, settings, tmp / f"index-{n}"), "ceiling": ceiling}
            if row["texts_per_s"]:
                row["ratio_to_ceiling"] = round(row["texts_per_s"] / ceiling["texts_per_s"], 2)
                row["overall_ratio_to_ceiling"] = round(row["texts_per_s_overall"] / ceiling["texts_per_s"], 2)
            rows.append(row)
            shutil.rmtree(corpus)
            shutil.rmtree(tmp / f"index-{n}", ignore_errors=True)
    return rows


# -- serving -------------------------------------------------------------------------------------


class Server:
    """`verbatim serve` in a subprocess on a free port (the benchmark's, and the load tests').

    ``env`` overrides ``VERBATIM_*`` settings; the rate limit is off unless given, since every
    client of a load run shares one address.  The server's stderr goes to a temporary file, so a
    long run can never block on a full pipe."""

    def __init__(self, settings, ready: str = "answer", workers: int = 1, **env):
        """``ready``: `start` returns once a question is answered ("answer", the cold-start measure), once
        /ask responds with any kind ("response": an index whose vectors are not the model's may well say
        no_answer), or once /health answers ("health": no question is spent, e.g. against a rate limit)."""
        if ready not in ("answer", "response", "health"):
            raise ValueError("ready must be 'answer', 'response' or 'health'")
        self.ready = ready
        self.workers = workers
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = _env(settings, **{"VERBATIM_RATE_LIMIT": 0, **env, "VERBATIM_PORT": self.port})
        self.proc: subprocess.Popen | None = None
        self._stderr = None

    def start(self) -> float:
        """Start it; returns seconds from process start to the first answered question."""
        t0 = time.perf_counter()
        self._stderr = tempfile.TemporaryFile()
        cmd = [sys.executable, "-m", "service.cli", "serve"] + (["--workers", str(self.workers)] if self.workers > 1 else [])
        self.proc = subprocess.Popen(cmd, env=self.env, stdout=subprocess.DEVNULL, stderr=self._stderr)
        body = {"question": "Does a single ketamine dose reduce drinking?"}
        while True:
            if self.proc.poll() is not None:
                self._stderr.seek(0)
                raise RuntimeError(f"verbatim serve exited: {self._stderr.read().decode()[-500:]}")
            try:
                if self.workers > 1:
                    if self.ready_workers() >= self.workers and self.ready == "health":
                        return time.perf_counter() - t0
                    if self.ready_workers() < self.workers:
                        raise httpx.HTTPError("workers still loading")
                if self.ready == "health":
                    if httpx.get(f"{self.url}/health", timeout=30).status_code == 200:
                        return time.perf_counter() - t0
                else:
                    r = httpx.post(f"{self.url}/ask", json=body, timeout=30)
                    if r.status_code == 200 and (self.ready == "response" or r.json()["kind"] == "answer"):
                        return time.perf_counter() - t0
            except httpx.HTTPError:
                pass
            if time.perf_counter() - t0 > 300:
                raise RuntimeError("verbatim serve did not answer within 300 s")
            time.sleep(0.02)

    def log(self) -> str:
        """What the server wrote on stderr so far."""
        if self._stderr is None:
            return ""
        fd = self._stderr.fileno()  # pread: the server writes through the same file offset, which must not move
        return os.pread(fd, os.fstat(fd).st_size, 0).decode(errors="replace")

    def ready_workers(self) -> int:
        """Workers of `serve --workers N` that said they are ready (their supervisor logs each one)."""
        return self.log().count(") ready, index ")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._stderr:
            self._stderr.close()
            self._stderr = None

    def version(self) -> str:
        return httpx.get(f"{self.url}/health", timeout=5).json()["index_version"]

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()


def http_section(settings, bodies: list[dict], clients: list[int], duration: float | None, requests: int | None,
                 warmup: int, client: str, floor: Floor | None, floor_n: int,
                 servers: list[tuple[int, int | None]] = ((1, None),), ceiling_s: float = 0.0) -> list[dict]:
    """Every client count against each server in ``servers``: (worker processes, encoder threads per worker or
    None for the default), one server after another, in this one run.

    With ``ceiling_s``, each row of more than one client is bracketed by the encoder's ceiling at that many
    concurrent questions, measured for ``ceiling_s`` seconds just before and just after the row (the server
    idle), and the row's ratio is to the mean of the two: on these shared cores the ceiling moved between 183
    and 365 questions/s from one run to the next, so a ceiling measured minutes away says little of the row."""
    rows = []
    for workers, threads in servers:
        env = {"VERBATIM_CACHE_SIZE": 0, **({"VERBATIM_THREADS": threads} if threads else {})}
        with Server(settings, workers=workers, **env) as srv:
            for c in clients:
                run_load(srv.url, bodies, clients=c, requests=max(warmup, c), client=client)
                row_floor = floor.sample(floor_n) if floor else None  # the server is idle now
                bracket = bool(floor and ceiling_s and c > 1)
                before = floor.ceiling(c, ceiling_s) if bracket else None
                _log(f"http: {workers} worker(s), threads {threads or 'default'}, {c} client(s)"
                     + (f" for {duration:g} s" if duration else f", {requests} requests"))
                r = run_load(srv.url, bodies, clients=c, duration=duration, requests=requests, pid=srv.proc.pid,
                             client=client)
                row = {**r.to_dict(), "workers": workers, "threads": threads, "floor_p50_ms_before": _r3(row_floor)}
                if bracket:
                    after = floor.ceiling(c, ceiling_s)
                    mean = (before["questions_per_s"] + after["questions_per_s"]) / 2
                    row.update(ceiling_before=before, ceiling_after=after,
                               ratio_to_ceiling=round(row["rps"] / mean, 3) if mean else None)
                rows.append(row)
    return rows


def _r3(v: float | None) -> float | None:
    return None if v is None else round(v, 3)


def cache_section(settings, bodies: list[dict], n: int, client: str) -> dict:
    with Server(settings) as srv:
        for b in bodies[:20]:
            httpx.post(f"{srv.url}/ask", json=b, timeout=30)
        r = run_load(srv.url, bodies[:20], clients=1, requests=n, pid=srv.proc.pid, client=client)
    return r.to_dict()


def cold_section(settings, runs: int) -> dict:
    times = []
    for i in range(runs):
        srv = Server(settings)
        try:
            times.append(srv.start())
        finally:
            srv.stop()
        _log(f"cold start {i + 1}/{runs}: {times[-1]:.2f} s")
    return {"runs": runs, "median_s": round(statistics.median(times), 2), "all_s": [round(t, 2) for t in times]}


def search_section(settings, sizes: list[int], questions: list[str], hnsw_max: int) -> list[dict]:
    """Each index kind at each size, queried with the gold questions; HNSW only up to ``hnsw_max``
    vectors (its build at 1M takes about 20 minutes on 2 cores, and ``auto`` never picks it)."""
    from eval import bench_search
    from service.api import VECTOR_INDEX_KINDS, serving_embedder

    queries = serving_embedder(settings).encode(questions)
    rows = []
    for group in ([n for n in sizes if n <= hnsw_max], [n for n in sizes if n > hnsw_max]):
        if group:
            kinds = VECTOR_INDEX_KINDS if group[0] <= hnsw_max else tuple(k for k in VECTOR_INDEX_KINDS if k != "hnsw")
            rows += bench_search.run(sizes=group, kinds=kinds, queries=queries,
                                     index_dir=Path(settings.index_dir), log=lambda m: _log(f"search: {m}"))
    return rows


# -- report --------------------------------------------------------------------------------------


def _f(v, fmt="{:.1f}") -> str:
    return "–" if v is None else fmt.format(v)


def table(res: dict) -> str:
    lines = [f"Verbatim benchmark, {res['when']}, {res['machine']['cores']} cores, backend {res['backend']}"]
    fl = res.get("floor")
    if fl:
        lines.append(f"floor: one question encoded in {fl['p50_ms']:.2f} ms (p50), {fl['p95_ms']:.2f} ms (p95), "
                     f"{fl['p99_ms']:.2f} ms (p99), {fl['encodes']} encodes taken through the run")
    ce = res.get("ceiling")
    if ce:
        lines.append(f"encoder ceiling: {ce['questions_per_s']:.1f} questions/s with {ce['concurrent']} concurrent "
                     f"callers through the server's batching (mean batch {_f(ce['mean_batch'], '{:.1f}')}), "
                     f"no HTTP and no answer work")
    if res.get("ingest"):
        lines += ["", "ingest (verbatim ingest, empty index); ceiling: the bulk encoder alone, just before the row",
                  f"{'corpus':<18}{'passages':>9}{'seconds':>9}{'embed s':>9}{'passages/s':>11}{'texts/s':>9}"
                  f"{'ceiling texts/s':>16}{'embed/ceiling':>14}{'whole/ceiling':>14}{'peak MB':>9}"]
        for r in res["ingest"]:
            ce = (r.get("ceiling") or {}).get("texts_per_s")
            lines.append(f"{r['corpus']:<18}{r['passages']:>9}{r['seconds']:>9.1f}{r['embed_seconds']:>9.1f}"
                         f"{_f(r['passages_per_s']):>11}{_f(r.get('texts_per_s')):>9}{_f(ce):>16}"
                         f"{_f(r.get('ratio_to_ceiling'), '{:.2f}'):>14}{_f(r.get('overall_ratio_to_ceiling'), '{:.2f}'):>14}{r['peak_rss_mb']:>9.0f}")
    if res.get("http"):
        f50 = fl["p50_ms"] if fl else None
        gen = res.get("load", {}).get("generator", "?")
        lines += ["", f"POST /ask over HTTP, cache off (every request does the full work); load generator: {gen}",
                  f"{'workers':>7}{'thr':>4}{'clients':>8}{'secs':>6}{'requests':>9}{'answered/s':>11}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
                  f"{'errors':>7}{'shed':>6}{'p50/floor':>10}{'p99/floor':>10}{'server p99':>11}{'steal %':>8}"
                  f"{'CPU ms/answer srv+gen':>22}  server RSS MB start/max/end"]
        for r in res["http"]:
            rss = r["rss_mb"]
            lines.append(
                f"{r.get('workers', 1):>7}{r.get('threads') or '-':>4}{r['clients']:>8}{r['seconds']:>6.0f}{r['requests']:>9}{r['rps']:>11.1f}{_f(r['p50_ms']):>8}"
                f"{_f(r['p95_ms']):>8}{_f(r['p99_ms']):>8}{r['errors']:>7}{r['shed']:>6}"
                f"{_f(r['p50_ms'] / f50 if f50 and r['p50_ms'] else None, '{:.2f}'):>10}"
                f"{_f(r['p99_ms'] / f50 if f50 and r['p99_ms'] else None, '{:.2f}'):>10}"
                f"{_f(r.get('server_p99_ms')):>11}{_f(r.get('steal_pct')):>8}"
                f"{_f(r.get('server_cpu_ms')):>16}+{_f(r.get('client_cpu_ms')):<5}"
                f"  {_f(rss.get('start'), '{:.0f}')}/{_f(rss.get('max'), '{:.0f}')}/{_f(rss.get('end'), '{:.0f}')}"
            )
        ce = res.get("ceiling")
        for r in res["http"]:
            who = f"{r['clients']} clients, {r.get('workers', 1)} worker(s), threads {r.get('threads') or 'default'}"
            if r.get("ratio_to_ceiling") is not None:
                lines.append(f"{who}: answered/s / encoder ceiling at {r['clients']} concurrent = {r['ratio_to_ceiling']:.2f} "
                             f"(ceiling {r['ceiling_before']['questions_per_s']:.1f} just before the row, "
                             f"{r['ceiling_after']['questions_per_s']:.1f} just after)")
            elif ce and r["clients"] == 16:
                lines.append(f"{who}: answered/s / encoder ceiling = {r['rps'] / ce['questions_per_s']:.2f}")
        one = next((r for r in res["http"] if r["clients"] == 1 and r.get("steal_by_speed")), None)
        if one:
            sb = one["steal_by_speed"]
            lines.append(f"one client: CPU time stolen by the hypervisor while the fastest half of the answers ran "
                         f"{_f(sb['fastest_half_pct'])}%, while the slowest 1% ran {_f(sb['slowest_1pct_pct'])}% "
                         f"({sb['slowest_1pct_with_steal']:.0f}% of those {sb['slowest_1pct_n']} answers had some stolen)")
    c = res.get("cache")
    if c:
        lines += ["", f"repeated question, cache on: server-side p50 {_f(c['server_p50_ms'], '{:.3f}')} ms, "
                      f"client p50 {_f(c['p50_ms'], '{:.2f}')} ms, {c['cache_hits']} of {c['answered']} from the cache"]
    cold = res.get("cold")
    if cold:
        lines += ["", f"cold start (process start to first answer): median {cold['median_s']:.2f} s of {cold['runs']} "
                      f"({', '.join(f'{t:.2f}' for t in cold['all_s'])})"]
    if res.get("search"):
        from eval.bench_search import format_table

        lines += ["", "vector search alone (one query at a time, k=10)", format_table(res["search"])]
    if res.get("scale"):
        from eval.bench_scale import format_rows

        lines += ["", "scale: synthetic index in the real format, vectors from a hash of each text (not the model)",
                  format_rows(res["scale"])]
    return "\n".join(lines)


def main(argv: list[str] | None = None, settings=None) -> int:
    ap = argparse.ArgumentParser(prog="verbatim bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="a smoke run of every section, in well under a minute of load")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where bench.json goes (default data/bench/)")
    ap.add_argument("--skip", default="", help=f"comma-separated sections to skip: {', '.join(SECTIONS)}")
    ap.add_argument("--clients", default="1,4,16,64", help="concurrent clients, comma-separated")
    ap.add_argument("--duration", type=float, default=20.0, help="seconds of load per client count")
    ap.add_argument("--ingest-sizes", default="10000,100000", help="synthetic corpus sizes, in passages")
    ap.add_argument("--search-sizes", default="10000,100000,1000000", help="vector counts for the search section")
    ap.add_argument("--scale-sizes", default="100000", help="passages of the scale section's indexes (1000000 needs "
                    "about 20 GB and half an hour)")
    ap.add_argument("--cold-runs", type=int, default=3)
    ap.add_argument("--client", choices=("raw", "httpx"), default="raw",
                    help="load generator: a minimal asyncio HTTP/1.1 client (default) or httpx, which costs "
                         "several times more CPU per request on the cores the server also uses")
    ap.add_argument("--workers", default="1", help="worker processes of the server (`verbatim serve --workers`), "
                    "comma-separated: each count gets a server of its own, measured one after another in this run")
    ap.add_argument("--threads", default="default", help="encoder threads per worker (VERBATIM_THREADS), comma-separated; "
                    "'default' leaves it to the server (cores / workers); every workers x threads pair is measured")
    ap.add_argument("--hnsw-max", type=int, default=100_000, help="largest size at which HNSW is built (slow to build)")
    args = ap.parse_args(argv)
    if settings is None:
        from service.api import Settings

        settings = Settings()
    skip = {s for s in args.skip.split(",") if s}
    unknown = skip - set(SECTIONS)
    if unknown:
        ap.error(f"unknown section(s) {', '.join(sorted(unknown))}; the sections are {', '.join(SECTIONS)}")
    try:
        clients = [int(c) for c in args.clients.split(",") if c]
        ingest_sizes = [int(c) for c in args.ingest_sizes.split(",") if c]
        search_sizes = [int(c) for c in args.search_sizes.split(",") if c]
        scale_sizes = [int(c) for c in args.scale_sizes.split(",") if c]
        workers = [int(c) for c in args.workers.split(",") if c]
        threads = [None if t == "default" else int(t) for t in args.threads.split(",") if t]
    except ValueError:
        ap.error("--clients, --workers, --threads and the sizes are comma-separated whole numbers ('default' for threads)")
    if not workers or not all(1 <= w <= 64 for w in workers) or not threads or not all(t is None or 1 <= t <= 64 for t in threads):
        ap.error("--workers and --threads take whole numbers from 1 to 64")
    if not (Path(settings.index_dir) / "current").exists():
        print(f"verbatim: no index at {settings.index_dir}: run `verbatim ingest`", file=sys.stderr)
        return 1
    duration, requests = args.duration, None
    if args.quick:
        clients, duration, requests = [1, 4], None, 12
        ingest_sizes, search_sizes, scale_sizes, args.cold_runs = [100], [2000], [2000], 1
    gold = load_gold()
    questions = [c["question"] for c in gold]
    bodies = [{"question": c["question"], "history": c.get("history", [])} for c in gold]
    res: dict = {
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "backend": settings.backend,
        "quick": args.quick,
        "load": {"duration_s": duration, "requests": requests, "questions": len(bodies),
                 "generator": "asyncio, raw HTTP/1.1" if args.client == "raw" else "asyncio + httpx"},
    }
    fl = None
    if "floor" not in skip:
        fl = Floor(settings, questions)
        fl.sample(20 if args.quick else 300)
        res["ceiling"] = fl.ceiling(16, 1.0 if args.quick else 10.0)
    if "ingest" not in skip:
        res["ingest"] = ingest_section(settings, ingest_sizes, 50 if args.quick else 500)
    if "http" not in skip:
        res["http"] = http_section(settings, bodies, clients, duration, requests, warmup=5 if args.quick else 50,
                                   client=args.client, floor=fl, floor_n=10 if args.quick else 100,
                                   servers=[(w, t) for w in workers for t in threads],
                                   ceiling_s=1.0 if args.quick else 10.0)
    if fl:
        res["floor"] = fl.result()
    if "cache" not in skip:
        res["cache"] = cache_section(settings, bodies, 20 if args.quick else 500, args.client)
    if "cold" not in skip:
        res["cold"] = cold_section(settings, args.cold_runs)
    if "search" not in skip:
        res["search"] = search_section(settings, search_sizes, questions, args.hnsw_max)
    if "scale" not in skip:
        from eval.bench_scale import scale_section

        res["scale"] = scale_section(settings, scale_sizes, args.cold_runs, log=_log)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(res, indent=2), encoding="utf-8")
    print(table(res))
    print(f"\nwritten: {args.out / 'bench.json'}")
    return 0
