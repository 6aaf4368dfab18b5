"""Shared fixtures.  The real model loads once per session; unit tests use a fake embedder."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def corpus_result():
    """The real corpus ingested once (no embeddings involved)."""
    from ingest.pipeline import ingest_corpus

    return ingest_corpus(CORPUS)


@pytest.fixture(scope="session")
def articles(corpus_result):
    return {a.id: a for a in corpus_result.articles}


@pytest.fixture(scope="session")
def real_embedder():
    """The bundled all-MiniLM-L6-v2 through the serving backend (ONNX Runtime), loaded once for the whole run."""
    from index.embed import make_embedder
    from service.settings import Settings

    s = Settings()
    emb = make_embedder(s.backend, s.model_cache)
    emb.load()
    return emb


@pytest.fixture(scope="session")
def torch_embedder():
    """The same model through sentence-transformers (torch): the reference the ONNX backend must match."""
    from index.embed import MiniLMEmbedder

    emb = MiniLMEmbedder(threads=1)
    emb.load()
    return emb


@pytest.fixture(scope="session")
def real_index_dir(tmp_path_factory, real_embedder):
    """The real corpus indexed with the real model, once per run."""
    from index.build import ChunkSettings
    from index.update import update_index
    from ingest.chunk import DEFAULT_MAX_TOKENS, DEFAULT_TARGET_TOKENS

    root = tmp_path_factory.mktemp("index")
    update_index(CORPUS, root, real_embedder, ChunkSettings(DEFAULT_MAX_TOKENS, DEFAULT_TARGET_TOKENS), 20 * 2**20)
    return root


@pytest.fixture(scope="session")
def real_index(real_index_dir, real_embedder):
    from index.store import load_index

    return load_index(real_index_dir, expect_model=real_embedder.name)


@pytest.fixture(scope="session")
def app_state(real_index_dir):
    """What `verbatim serve` loads (index, model, routing guard), loaded once for the whole run."""
    from service.app import load_state
    from service.settings import Settings

    return load_state(Settings(index_dir=real_index_dir))


@pytest.fixture(scope="session")
def api_client(real_index_dir, app_state):
    """The HTTP app over the real index, through FastAPI's TestClient.  Every request comes from one
    address here, so the per-client rate limit is off (tests/service/test_limits.py tests it)."""
    from fastapi.testclient import TestClient

    from service.app import create_app
    from service.settings import Settings

    with TestClient(create_app(Settings(index_dir=real_index_dir, rate_limit=0), state=app_state)) as c:
        yield c


@pytest.fixture(scope="session")
def staff_corpus_dir(tmp_path_factory) -> Path:
    """The bundled articles, the two test articles that cite real papers (tests/fixtures/cited/, test data),
    and those papers (tests/fixtures/papers/): what `verbatim eval --staff` indexes."""
    from eval.staff import staff_corpus

    return staff_corpus(tmp_path_factory.mktemp("staff") / "corpus", CORPUS)


@pytest.fixture(scope="session")
def staff_index_dir(tmp_path_factory, staff_corpus_dir, real_embedder):
    from index.build import ChunkSettings
    from index.update import update_index
    from ingest.chunk import DEFAULT_MAX_TOKENS, DEFAULT_TARGET_TOKENS

    root = tmp_path_factory.mktemp("staff-index")
    update_index(staff_corpus_dir, root, real_embedder, ChunkSettings(DEFAULT_MAX_TOKENS, DEFAULT_TARGET_TOKENS), 20 * 2**20)
    return root


@pytest.fixture(scope="session")
def staff_client(staff_index_dir, staff_corpus_dir):
    from fastapi.testclient import TestClient

    from service.app import create_app
    from service.settings import Settings

    with TestClient(create_app(Settings(index_dir=staff_index_dir, corpus_dir=staff_corpus_dir, rate_limit=0))) as c:
        yield c
