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
