"""The saved index uses the vector index kind that was asked for, and searches the same through it."""
from __future__ import annotations

import numpy as np
import pytest

from index import ann
from index.build import ChunkSettings
from index.search import Searcher
from index.store import load_index
from index.update import update_index
from tests.fakes import HashEmbedder


def _corpus(tmp_path, n_articles: int = 30):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    words = "ketamine alcohol opioid withdrawal craving relapse therapy dose trial patients depression cocaine".split()
    rng = np.random.default_rng(0)
    for a in range(n_articles):
        paras = [" ".join(rng.choice(words, 80)) + f" topic{a}x{p}." for p in range(40)]
        (corpus / f"a{a:03d}.txt").write_text(f"Article {a}\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")
    return corpus


@pytest.mark.parametrize("kind", ["flat", "hnsw", "ivf"])
def test_index_kind_is_saved_and_search_finds_the_same_best_passage(tmp_path, kind):
    corpus = _corpus(tmp_path)
    emb = HashEmbedder()
    rep = update_index(corpus, tmp_path / kind, emb, ChunkSettings(160, 110, ann=kind), 2**20)
    loaded = load_index(tmp_path / kind)
    n = len(rep.result.passages)
    assert n >= ann.MIN_APPROX  # large enough for an approximate index to be built
    assert ann.kind_of(loaded.faiss) == kind and loaded.manifest["vector_index"]["kind"] == kind
    assert loaded.manifest["chunking"]["ann"] == kind
    # The passages' vectors are a read-only map of a file, never a second copy in memory, and equal faiss's own.
    assert not loaded.data.vectors.flags.owndata and not loaded.data.vectors.flags.writeable
    sample = np.arange(0, n, 97)
    np.testing.assert_array_equal(loaded.data.vectors[sample], np.vstack([loaded.faiss.reconstruct(int(i)) for i in sample]))
    assert ("passage_vectors.npy" in loaded.manifest["files"]) == (kind != "flat")
    searcher = Searcher(loaded, emb)
    # A passage's own text finds that passage first, through whichever index kind holds the vectors.
    picks = np.random.default_rng(1).choice(n, 20, replace=False)
    found = [searcher.search(loaded.data.passages[i].text, top_k=1, mode="dense")[0].passage.id for i in picks]
    assert sum(f == loaded.data.passages[i].id for f, i in zip(found, picks)) >= 19


def test_changing_the_kind_rebuilds_without_re_embedding(tmp_path):
    corpus = _corpus(tmp_path, 3)
    emb = HashEmbedder()
    update_index(corpus, tmp_path / "i", emb, ChunkSettings(160, 110, ann="flat"), 2**20)
    before = emb.encoded
    rep = update_index(corpus, tmp_path / "i", emb, ChunkSettings(160, 110, ann="hnsw"), 2**20)
    assert not rep.up_to_date and rep.stats.embedded == 0 and emb.encoded == before
    # Under ann.MIN_APPROX vectors every kind is exact search.
    assert ann.kind_of(load_index(tmp_path / "i").faiss) == "flat"
