"""Turn ingested records into index data, embedding only passages not embedded before."""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from index.embed import Embedder
from index.evidence import attach_evidence
from index.store import IndexData, LoadedIndex
from index.lexical import LEXICAL_VERSION
from index.text import INDEX_TEXT_VERSION, index_texts
from ingest.chunk import ENCODING
from ingest.pipeline import IngestResult
from ingest.records import Passage
from ingest.works import find_works


@dataclass(frozen=True)
class ChunkSettings:
    max_tokens: int
    target_tokens: int
    fixed_chars: int | None = None  # fixed character windows instead of passages (evaluation only)
    fixed_overlap: int = 0
    ann: str = "auto"  # vector index kind (index/ann.py): flat, hnsw, ivf, or auto by corpus size

    def as_manifest(self, embedder: Embedder) -> dict:
        return {
            **asdict(self),
            "encoding": ENCODING,
            "embedder_max_seq_length": embedder.max_seq_length,
            "index_text_version": INDEX_TEXT_VERSION,
            "lexical_version": LEXICAL_VERSION,
        }


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


def sentence_offsets(passages: list[Passage]) -> list[int]:
    """Row offsets into the sentence matrix: passage i owns rows offsets[i] to offsets[i + 1]."""
    out = [0]
    for p in passages:
        out.append(out[-1] + len(p.sentences))
    return out


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
    """Vectors for every passage and its sentences, reused by passage id from ``previous`` when the model matches."""
    old: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if (
        previous is not None
        and previous.data.model == model_info(embedder)
        and previous.data.chunking.get("index_text_version") == INDEX_TEXT_VERSION
    ):
        offsets = sentence_offsets(previous.data.passages)
        for i, p in enumerate(previous.data.passages):
            old[p.id] = (previous.data.vectors[i], previous.data.sentence_vectors[offsets[i] : offsets[i + 1]])
    passages = result.passages
    todo = [i for i, p in enumerate(passages) if p.id not in old]
    # Texts to embed: each new passage, then each of its sentences that is not the whole passage.
    article_text = {a.id: a.text for a in result.articles}
    enriched = index_texts(passages, result.articles)
    texts = [enriched[i] for i in todo]
    sentence_jobs: list[tuple[int, int]] = []  # (passage index, sentence index) for texts beyond the passages
    for i in todo:
        p = passages[i]
        for j, (s, e) in enumerate(p.sentences):
            if (s, e) != (p.char_start, p.char_end):
                sentence_jobs.append((i, j))
                texts.append(article_text[p.article_id][s:e])
    encoded = embedder.encode(texts, progress=progress) if texts else np.zeros((0, embedder.dim), dtype=np.float32)
    vectors = np.zeros((len(passages), embedder.dim), dtype=np.float32)
    per_sentence: dict[int, np.ndarray] = {}
    for k, i in enumerate(todo):
        vectors[i] = encoded[k]
        per_sentence[i] = np.tile(encoded[k], (len(passages[i].sentences), 1))  # single-sentence passages
    for k, (i, j) in enumerate(sentence_jobs, start=len(todo)):
        per_sentence[i][j] = encoded[k]
    for i, p in enumerate(passages):
        if p.id in old:
            vectors[i], per_sentence[i] = old[p.id]
    sentence_vectors = (
        np.concatenate([per_sentence[i] for i in range(len(passages))]).astype(np.float32)
        if passages
        else np.zeros((0, embedder.dim), dtype=np.float32)
    )
    # Works and their primary evidence: recomputed on every build (a few ms per citing sentence), since a
    # new article can cite, or be, a paper that an old one cites.
    works = attach_evidence(
        find_works(result.articles, passages), passages, vectors, sentence_vectors, sentence_offsets(passages), article_text
    )
    data = IndexData(
        articles=result.articles,
        passages=result.passages,
        works=works,
        vectors=vectors,
        sentence_vectors=sentence_vectors,
        model=model_info(embedder),
        chunking=chunking,
        corpus=result.file_hashes,
        skipped=[{"file": s.file, "reason": s.reason} for s in result.skipped],
    )
    return data, BuildStats(embedded=len(todo), reused=len(result.passages) - len(todo))
