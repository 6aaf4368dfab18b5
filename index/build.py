"""Turn ingested records into index data, embedding only passages not embedded before."""
from __future__ import annotations

import itertools
import sys
from dataclasses import asdict, dataclass

import numpy as np

from index.embed import Embedder
from index.evidence import attach_evidence
from index.passages import PassageTable
from index.store import SENTENCE_DTYPE, IndexData, LoadedIndex
from index.lexical import LEXICAL_VERSION, tokenize
from index.topics import corpus_words, neighbours
from index.text import INDEX_TEXT_VERSION, index_text
from ingest.chunk import ENCODING
from ingest.pipeline import IngestResult
from ingest.records import Passage
from ingest.works import find_works


# Texts per call of the encoder while building: bounds the texts and new vectors held at once.  Within a
# call the encoder sorts texts by length into batches; 8,192 texts keep nearly all of that benefit.
EMBED_CHUNK = 8_192


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
    embedded: int = 0  # passages
    reused: int = 0
    texts: int = 0  # texts the model encoded: the new passages and those of their sentences that are not the whole passage
    words: int = 0  # words the model encoded for the topic table (`index.topics`): none when it was kept


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
        table = PassageTable.of(previous.data.passages)  # its ids and offsets, without parsing every passage
        offsets = table.sentence_offsets
        for i, pid in enumerate(table.ids):
            old[pid] = (previous.data.vectors[i], previous.data.sentence_vectors[offsets[i] : offsets[i + 1]])
    passages = result.passages
    todo = [i for i, p in enumerate(passages) if p.id not in old]
    offsets = sentence_offsets(passages)
    # The index's arrays, allocated once and filled in place: the only full-size copy of the vectors that
    # a build holds (at 100k passages the old way held four of the sentence vectors, 3.2 GB at its peak).
    vectors = np.zeros((len(passages), embedder.dim), dtype=np.float32)
    sentence_vectors = np.zeros((offsets[-1], embedder.dim), dtype=SENTENCE_DTYPE)
    for i, p in enumerate(passages):
        if p.id in old:
            vectors[i], sentence_vectors[offsets[i] : offsets[i + 1]] = old[p.id]
    article_text = {a.id: a.text for a in result.articles}
    by_id = {a.id: a for a in result.articles}

    def jobs():
        """(text, passage index, sentence index or -1): each new passage, then each of its sentences that
        is not the whole passage (a sentence that is the whole passage takes the passage's vector)."""
        for i in todo:
            yield index_text(passages[i], by_id[passages[i].article_id]), i, -1
        for i in todo:
            p = passages[i]
            for j, (s, e) in enumerate(p.sentences):
                if (s, e) != (p.char_start, p.char_end):
                    yield article_text[p.article_id][s:e], i, j

    bar = None
    if progress:  # one bar over the chunks, when there are several; a smaller job shows the encoder's own
        total = sum(1 for _job in jobs())
        if total > EMBED_CHUNK:
            from tqdm import tqdm

            bar = tqdm(total=total, desc="embed", unit="text", file=sys.stderr, leave=False)
    pending, texts = jobs(), 0
    try:
        while chunk := list(itertools.islice(pending, EMBED_CHUNK)):
            texts += len(chunk)
            encoded = embedder.encode([t for t, _i, _j in chunk], progress=progress and bar is None)
            for vec, (_t, i, j) in zip(encoded, chunk):
                if j >= 0:
                    sentence_vectors[offsets[i] + j] = vec
                    continue
                vectors[i] = vec
                p = passages[i]
                for k, span in enumerate(p.sentences):
                    if span == (p.char_start, p.char_end):
                        sentence_vectors[offsets[i] + k] = vec
            if bar is not None:
                bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()
    # Works and their primary evidence: recomputed on every build (a few ms per citing sentence), since a
    # new article can cite, or be, a paper that an old one cites.
    works = attach_evidence(
        find_works(result.articles, passages), passages, vectors, sentence_vectors, offsets, article_text
    )
    # The topic test's table (`index.topics`): kept from the previous index when the model and the corpus's
    # words are the same, else computed again (the English words' vectors are cached with the model).
    vocabulary = corpus_words({t for p in passages for t in tokenize(p.text)})
    if (previous is not None and previous.data.model == model_info(embedder) and previous.data.topics is not None
            and _vocabulary(previous) == vocabulary):
        topics, words = previous.data.topics, 0
    else:
        topics, words = neighbours(embedder, vocabulary)
    data = IndexData(
        topics=topics,
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
    return data, BuildStats(embedded=len(todo), reused=len(result.passages) - len(todo), texts=texts, words=words)


def _vocabulary(index: LoadedIndex) -> list[str]:
    counted = index.terms if index.terms is not None else {t for p in index.data.passages for t in tokenize(p.text)}
    return corpus_words(counted)
