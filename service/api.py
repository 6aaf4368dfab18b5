"""The service's Python API: what tools outside the service (the evaluation) may call.

    ingest(settings, embedder=None)    build or update the index that settings point at
    open_answerer(settings, **options) the ask pipeline the HTTP service uses, optionally varied
    KINDS                              every kind of response (safety.types)
    Router                             the safety router; Router() alone is the rules without the learned layer
    article_texts(answerer)            cleaned text of every article, as GET /articles/{id} returns it
    int8_embedder(settings)            the int8-quantized encoder, which `verbatim eval` compares with the float one
    serving_embedder(settings, batching=False)
                                       the model as the server runs it (the benchmark's encode floor);
                                       with batching, wrapped in the server's batching queue
    corpus_sentences(corpus_dir)       the sentences of the corpus's prose (synthetic benchmark corpora)
    index_vectors(index_dir)           every vector of the built index: passages, then sentences
    vector_index                       the FAISS indexes retrieval uses (`index.ann`: build, search,
                                       kind_of, params, KINDS), for the benchmark that times them alone
    VECTOR_INDEX_KINDS                 the FAISS index kinds VERBATIM_ANN offers (besides auto)
    Ranker, fit_ranker, RANKER_PATH    the learned ranker (`index.rank`): its model, its fitting, where it is kept;
                                       `Answerer.training_rows` gives its labelled candidates
    NO_ANSWER_FEATURES, NO_ANSWER_PATH the learned no-answer test; `Answerer.no_answer_row` gives a question's row
    VERDICTS                           the claim check's verdicts (`Answerer.verify`): exact, near, not_found
"""
from __future__ import annotations

import numpy as np

from index import ann as vector_index
from index.ann import KINDS as VECTOR_INDEX_KINDS
from index.build import ChunkSettings
from index.embed import BatchingEmbedder, Embedder, make_embedder, make_int8_embedder
from index.rank import MODEL_PATH as RANKER_PATH, NO_ANSWER_FEATURES, NO_ANSWER_PATH, Ranker, fit as fit_ranker
from index.store import IndexLoadError, load_index
from index.update import UpdateReport, update_index
from service.answer import Answerer
from service.schemas import VERDICTS
from safety import KINDS, Router, load_router
from service.settings import Settings

__all__ = ["KINDS", "NO_ANSWER_FEATURES", "NO_ANSWER_PATH", "RANKER_PATH", "VECTOR_INDEX_KINDS", "Answerer", "Ranker", "Router", "IndexLoadError", "Settings", "article_texts",
           "VERDICTS", "corpus_sentences", "fit_ranker", "index_vectors", "ingest", "int8_embedder", "open_answerer", "serving_embedder",
           "vector_index"]


def ingest(settings: Settings, embedder: Embedder | None = None) -> UpdateReport:
    """Build or update the index at ``settings.index_dir``; pass ``embedder`` to reuse a loaded model."""
    chunk = ChunkSettings(settings.max_tokens, settings.target_tokens, settings.fixed_chars, settings.fixed_overlap, settings.ann)
    embedder = embedder or make_embedder(settings.backend, settings.model_cache, settings.threads)
    return update_index(settings.corpus_dir, settings.index_dir, embedder, chunk, settings.max_file_bytes)


def open_answerer(
    settings: Settings,
    embedder: Embedder | None = None,
    router: Router | None = None,
    **options,
) -> Answerer:
    """The ask pipeline over the index in ``settings``, with the safety router the server uses.  ``options``
    are Answerer's: mode, include_references, min_cosine, min_coverage, unknown_term_zipf, ranker, no_answer_model.  Pass
    ``embedder`` and ``router`` to share loaded ones."""
    embedder = embedder or make_embedder(settings.backend, settings.model_cache, settings.threads)
    index = load_index(settings.index_dir, expect_model=embedder.name)
    router = router or load_router(model=embedder.name, dim=embedder.dim, path=settings.safety_model)
    return Answerer(index, embedder, router=router, **options)


def article_texts(answerer: Answerer) -> dict[str, str]:
    return {a.id: a.text for a in answerer.index.data.articles}


def int8_embedder(settings: Settings) -> Embedder:
    """The int8-quantized encoder (`index.embed.make_int8_embedder`), for comparing it with the float one."""
    return make_int8_embedder(settings.model_cache, settings.threads)


def serving_embedder(settings: Settings, batching: bool = False) -> Embedder:
    emb = make_embedder(settings.backend, settings.model_cache, settings.threads)
    return BatchingEmbedder(emb) if batching else emb


def index_vectors(index_dir) -> np.ndarray:
    """The passage vectors, then the sentence vectors, of the index current at ``index_dir``, loaded
    and checked as the server loads it (`IndexLoadError`, one line, when it is missing or broken)."""
    data = load_index(index_dir).data
    return np.vstack([data.vectors, data.sentence_vectors]).astype(np.float32, copy=False)


def corpus_sentences(corpus_dir) -> list[str]:
    from ingest.pipeline import ingest_corpus
    from ingest.records import PROSE_KINDS

    result = ingest_corpus(corpus_dir)
    texts = {a.id: a.text for a in result.articles}
    return [
        " ".join(texts[p.article_id][s:e].split())
        for p in result.passages
        if p.kind in PROSE_KINDS
        for s, e in p.sentences
    ]
