"""The `scale` section of `verbatim bench`: a large index's start and memory, without hours of embedding.

An index of ``n`` passages is built in the real format by the real ingest (`service.api.ingest`): the
synthetic corpus of `eval.bench.synthetic_corpus` (real sentences of the bundled articles, recombined),
chunked, with references, works, BM25 and the vector index, as any corpus.  Only the vectors differ: each
text gets a unit vector drawn from a generator seeded by a hash of the text (`HashVectors`), so that 1M
passages build in about half an hour instead of 13 hours of the model.  What the section measures does not
depend on the vectors' values: the build's peak memory, the start of `verbatim serve` on that index (process
start to the first response to POST /ask) and the server's resident memory after it.  Answers on such an index mean
nothing; the question is embedded by the real model as always.

``python -m eval.bench_scale DEST N`` builds one such index (the section runs it in a subprocess, whose own peak
memory `eval.bench.run_measured` reports) and prints its ingest report as JSON.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


class HashVectors:
    """The serving embedder's name, dimension and tokenizer (so that chunking is the real one), with vectors
    from a hash of each text instead of the model."""

    def __init__(self, real):
        self._real = real
        self.name, self.dim, self.max_seq_length = real.name, real.dim, real.max_seq_length

    def fits(self, text: str) -> bool:
        return self._real.fits(text)

    def count_tokens(self, text: str) -> int:
        return self._real.count_tokens(text)

    def load(self) -> None:
        """Nothing to load: no model runs."""

    def encode(self, texts: list[str], batch_size: int | None = None, progress: bool = False, lone: bool = False) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little")
            v = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
            out[i] = v / np.linalg.norm(v)
        return out


def build(dest: Path, n: int) -> dict:
    """A synthetic corpus of about ``n`` passages in ``dest/corpus``, ingested into ``dest/index``."""
    from eval.bench import synthetic_corpus
    from service.api import Settings, ingest, serving_embedder

    synthetic_corpus(dest / "corpus", n)
    settings = Settings().model_copy(update={"corpus_dir": dest / "corpus", "index_dir": dest / "index",
                                             "max_file_bytes": 2**30})
    t = time.perf_counter()
    report = ingest(settings, HashVectors(serving_embedder(settings)))
    return {"passages": len(report.result.passages), "seconds": round(time.perf_counter() - t, 1),
            "index_mb": round(sum(p.stat().st_size for p in report.path.rglob("*") if p.is_file()) / 2**20, 1)}


def scale_section(settings, sizes: list[int], runs: int, log=lambda _m: None) -> list[dict]:
    from eval.bench import Server, _env, run_measured
    from eval.load import rss_mb

    rows = []
    with tempfile.TemporaryDirectory(prefix="verbatim-scale-") as tmp:
        for n in sizes:
            dest = Path(tmp) / f"n{n}"
            log(f"scale: building a {n:,}-passage index (hash vectors, real format)")
            with tempfile.TemporaryFile() as err:
                returncode, stdout, peak_mb = run_measured([sys.executable, "-m", "eval.bench_scale", str(dest), str(n)],
                                                           _env(settings), err)
                if returncode != 0:
                    err.seek(0)
                    raise RuntimeError(f"building the {n:,}-passage index failed: {err.read().decode()[-500:]}")
            row = {**json.loads(stdout), "build_peak_rss_mb": peak_mb}
            served = settings.model_copy(update={"index_dir": dest / "index", "corpus_dir": dest / "corpus"})
            starts, rss = [], []
            for i in range(runs):
                srv = Server(served, ready="response")
                try:
                    starts.append(srv.start())
                    mb = rss_mb(srv.proc.pid)
                    rss.append(None if mb is None else round(mb, 1))
                finally:
                    srv.stop()
                log(f"scale: {n:,} passages, start {i + 1}/{runs}: {starts[-1]:.2f} s, RSS {rss[-1]} MB")
            row.update(start_median_s=round(statistics.median(starts), 2), start_all_s=[round(s, 2) for s in starts],
                       server_rss_mb=statistics.median(r for r in rss if r is not None) if any(rss) else None)
            rows.append(row)
            shutil.rmtree(dest, ignore_errors=True)
    return rows


def format_rows(rows: list[dict]) -> str:
    lines = [f"{'passages':>9}{'build s':>9}{'build peak MB':>14}{'index MB':>10}{'start s (median)':>18}{'server RSS MB':>15}"]
    for r in rows:
        lines.append(f"{r['passages']:>9}{r['seconds']:>9.1f}{r['build_peak_rss_mb']:>14.0f}{r['index_mb']:>10.0f}"
                     f"{r['start_median_s']:>18.2f}{r['server_rss_mb'] or 0:>15.0f}")
    return "\n".join(lines)


if __name__ == "__main__":
    import logging

    logging.disable(logging.WARNING)
    if len(sys.argv) != 3 or not sys.argv[2].isdigit():
        print("usage: python -m eval.bench_scale DEST PASSAGES", file=sys.stderr)
        raise SystemExit(2)
    print(json.dumps(build(Path(sys.argv[1]), int(sys.argv[2]))))
