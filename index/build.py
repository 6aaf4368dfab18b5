"""Turn ingested records into index data, embedding only passages not embedded before."""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from index.embed import Embedder
from index.store import IndexData, LoadedIndex
from ingest.chunk import ENCODING
from ingest.pipeline import IngestResult


@dataclass(frozen=True)
class ChunkSettings:
    max_tokens: int
    target_tokens: int

    def as_manifest(self, embedder: Embedder) -> dict:
        return {**asdict(self), "encoding": ENCODING, "embedder_max_seq_length": embedder.max_seq_length}


def model_info(embedder: Embedder) -> dict:
    return {"name": embedder.name, "dim": embedder.dim, "max_seq_length": embedder.max_seq_length}


def is_current(previous: dict | None, corpus: dict[str, str], chunking: dict, embedder: Embedder, format_version: int) -> bool:
    """True when the saved index was built from these same files, settings and model."""
    return bool(
        previous
        and previous.get("format_version") == format_version
        and previous.get("corpus") == corpus
        and previous.get("chunking") == chunking
        and previous.get("model") == model_info(embedder)
    )


@dataclass
class BuildStats:
    embedded: int = 0
    reused: int = 0


def build_data(
    result: IngestResult,
    embedder: Embedder,
    chunking: dict,
    previous: LoadedIndex | None = None,
    progress: bool = False,
) -> tuple[IndexData, BuildStats]:
    """Vectors for every passage: reused by passage id from ``previous`` when the model matches."""
    old: dict[str, np.ndarray] = {}
    if previous is not None and previous.data.model == model_info(embedder):
        old = {p.id: previous.data.vectors[i] for i, p in enumerate(previous.data.passages)}
    todo = [i for i, p in enumerate(result.passages) if p.id not in old]
    vectors = np.zeros((len(result.passages), embedder.dim), dtype=np.float32)
    for i, p in enumerate(result.passages):
        if p.id in old:
            vectors[i] = old[p.id]
    if todo:
        vectors[todo] = embedder.encode([result.passages[i].text for i in todo], progress=progress)
    data = IndexData(
        articles=result.articles,
        passages=result.passages,
        vectors=vectors,
        model=model_info(embedder),
        chunking=chunking,
        corpus=result.file_hashes,
        skipped=[{"file": s.file, "reason": s.reason} for s in result.skipped],
    )
    return data, BuildStats(embedded=len(todo), reused=len(result.passages) - len(todo))
