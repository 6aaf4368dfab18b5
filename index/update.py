"""Bring the saved index up to date with the corpus: ingest, embed what is new, swap in."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from index.build import BuildStats, ChunkSettings, build_data, is_current
from index.embed import Embedder
from index.passages import PassageTable
from index.store import FORMAT_VERSION, PASSAGE_COLUMNS, PASSAGE_VECTORS, SENTENCE_DTYPE, IndexLoadError, counts, load_index, read_manifest, write_index
from ingest.pipeline import IngestResult, ingest_corpus


class NothingToIndex(Exception):
    """No corpus file could be ingested; the previous index is left as it was."""


@dataclass
class UpdateReport:
    result: IngestResult
    up_to_date: bool
    version: str
    path: Path
    stats: BuildStats = field(default_factory=BuildStats)
    seconds: dict[str, float] = field(default_factory=dict)  # ingest, model_load, embed, write, total
    counts: dict[str, int] = field(default_factory=dict)  # the manifest's counts (passages, works, ...)


def update_index(
    corpus_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    chunk: ChunkSettings,
    max_file_bytes: int,
    on_file: Callable[[str], None] = lambda _f: None,
    progress: bool = False,
) -> UpdateReport:
    t0 = time.perf_counter()
    if not Path(corpus_dir).is_dir():
        raise NothingToIndex(f"corpus folder {corpus_dir} does not exist")
    result = ingest_corpus(
        Path(corpus_dir),
        max_tokens=chunk.max_tokens,
        target_tokens=chunk.target_tokens,
        fits=embedder.fits,
        max_file_bytes=max_file_bytes,
        progress=on_file,
        fixed_chars=chunk.fixed_chars,
        fixed_overlap=chunk.fixed_overlap,
    )
    t_ingest = time.perf_counter() - t0
    if not result.articles:
        raise NothingToIndex(f"no article could be ingested from {corpus_dir}; the index was not changed")
    chunking = chunk.as_manifest(embedder)
    previous_manifest = read_manifest(index_dir)
    if is_current(previous_manifest, result.file_hashes, chunking, embedder, FORMAT_VERSION):
        try:  # the manifest matches; make sure the files behind it are sound too
            previous = load_index(index_dir, expect_model=embedder.name)
            # Written before terms.json, topics.json or passages.columns.npz, with float32 sentence vectors, or
            # an IVF/HNSW index before passage_vectors.npy: written again below, reusing every vector.
            if (previous.terms is None or previous.data.topics is None or previous.data.sentence_vectors.dtype != SENTENCE_DTYPE
                    or PASSAGE_COLUMNS not in previous.manifest["files"]
                    or ((previous.manifest.get("vector_index") or {}).get("kind", "flat") != "flat"
                        and PASSAGE_VECTORS not in previous.manifest["files"])):
                raise IndexLoadError("an older layout")
            total = time.perf_counter() - t0
            return UpdateReport(
                result, True, previous.version, previous.path, BuildStats(reused=len(previous.data.passages)),
                {"ingest": t_ingest, "total": total}, dict(previous.manifest["counts"]),
            )
        except IndexLoadError:
            pass
    try:
        previous = load_index(index_dir, expect_model=embedder.name)
    except IndexLoadError:
        previous = None
    t1 = time.perf_counter()
    known = set(PassageTable.of(previous.data.passages).ids) if previous else set()
    needs_model = any(p.id not in known for p in result.passages)
    if needs_model:
        embedder.load()  # now, so that the timings separate model load from embedding
    t_model = time.perf_counter() - t1
    t2 = time.perf_counter()
    data, stats = build_data(result, embedder, chunking, previous, progress=progress)
    t_embed = time.perf_counter() - t2
    t3 = time.perf_counter()
    path = write_index(Path(index_dir), data)
    t_write = time.perf_counter() - t3
    return UpdateReport(
        result, False, path.name, path, stats,
        {"ingest": t_ingest, "model_load": t_model, "embed": t_embed, "write": t_write, "total": time.perf_counter() - t0},
        counts(data),
    )
