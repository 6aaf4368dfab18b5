"""Saving, verifying, refusing and atomically swapping the index folder."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from index.build import ChunkSettings
from index.store import (
    CURRENT, DIGEST_THREADS, FORMAT_VERSION, MANIFEST, VERSIONS, IndexLoadError, _by_size, load_index, sha256_file, write_index,
)
from index.update import NothingToIndex, update_index
from tests.fakes import HashEmbedder

CHUNK = ChunkSettings(160, 110)
LIMIT = 20 * 2**20


@pytest.fixture
def corpus_copy(tmp_path, corpus_dir) -> Path:
    dst = tmp_path / "corpus"
    shutil.copytree(corpus_dir, dst)
    return dst


@pytest.fixture
def built(tmp_path, corpus_copy):
    emb = HashEmbedder()
    root = tmp_path / "index"
    report = update_index(corpus_copy, root, emb, CHUNK, LIMIT)
    return root, emb, report


def _current(root: Path) -> Path:
    return (root / CURRENT).resolve()


def _as_an_older_version(root: Path, folder: Path) -> None:
    """Rename the current version folder and point ``current`` at it: as written by older code, its version
    (a hash of its files) is another folder's name."""
    old = folder.with_name("0123456789ab")
    folder.rename(old)
    (root / CURRENT).unlink()
    (root / CURRENT).symlink_to(Path(VERSIONS) / old.name)


def _replace_sentence_vectors(folder: Path, array: np.ndarray) -> None:
    """Write ``array`` as the folder's sentences.npy, with its sha256 in the manifest (so that it loads)."""
    np.save(folder / "sentences.npy", array)
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["files"]["sentences.npy"] = sha256_file(folder / "sentences.npy")
    (folder / MANIFEST).write_text(json.dumps(manifest))


def test_round_trip_keeps_every_record(built, corpus_copy):
    root, emb, report = built
    idx = load_index(root, expect_model=emb.name)
    assert idx.version == report.version == _current(root).name
    assert [p.id for p in idx.data.passages] == [p.id for p in report.result.passages]
    assert [a.text for a in idx.data.articles] == [a.text for a in report.result.articles]
    assert idx.faiss.ntotal == len(idx.data.passages) == idx.manifest["counts"]["passages"]
    np.testing.assert_allclose(np.linalg.norm(idx.data.vectors, axis=1), 1.0, atol=1e-5)
    m = idx.manifest
    assert m["format_version"] == FORMAT_VERSION == 2 and m["model"]["name"] == emb.name and m["model"]["dim"] == emb.dim
    assert sorted(m["corpus"]) == sorted(p.name for p in corpus_copy.glob("*.txt"))
    assert all(len(h) == 64 for h in m["corpus"].values())
    assert {"vectors.faiss", "passages.jsonl", "articles.json"} <= set(m["files"])
    assert any(f.startswith("bm25/") for f in m["files"])


def test_a_text_with_unicode_line_separators_loads_as_it_was_written(tmp_path, corpus_copy):
    """U+2028 and U+0085 (common in text pasted from the web) are written as they are (``ensure_ascii=False``);
    they end no line of passages.jsonl.  Read with `str.splitlines`, such an index was unreadable."""
    path = sorted(corpus_copy.glob("*.txt"))[0]
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[1]
    words = first.split(" ")
    path.write_text(text.replace(first, " ".join(words[:3]) + "\u2028" + " ".join(words[3:6]) + "\u0085" + " ".join(words[6:]), 1),
                    encoding="utf-8")
    report = update_index(corpus_copy, tmp_path / "index", HashEmbedder(), CHUNK, LIMIT)
    idx = load_index(tmp_path / "index")
    assert [p.to_dict() for p in idx.data.passages] == [p.to_dict() for p in report.result.passages]
    assert any("\u2028" in a.text for a in idx.data.articles) and any("\u0085" in a.text for a in idx.data.articles)


def test_unchanged_corpus_embeds_nothing(built, corpus_copy):
    root, emb, first = built
    n_sentences = sum(len(p.sentences) for p in first.result.passages if len(p.sentences) > 1)
    assert emb.encoded == len(first.result.passages) + n_sentences + first.stats.words  # words: the topic table
    again = update_index(corpus_copy, root, emb, CHUNK, LIMIT)
    assert again.up_to_date and again.version == first.version
    assert emb.encoded == len(first.result.passages) + n_sentences + first.stats.words  # not one more text embedded


def test_changed_corpus_embeds_only_new_passages(built, corpus_copy):
    root, emb, first = built
    before = emb.encoded
    (corpus_copy / "extra.txt").write_text("A New Note\n\nKetamine was studied in a small new trial.\n", encoding="utf-8")
    report = update_index(corpus_copy, root, emb, CHUNK, LIMIT)
    assert not report.up_to_date and report.version != first.version
    assert report.stats.embedded == 1 and emb.encoded == before + 1 + report.stats.words
    assert report.stats.reused == len(first.result.passages)
    assert load_index(root).data.vectors.shape[0] == len(first.result.passages) + 1


def test_settings_change_rebuilds(built, corpus_copy):
    root, emb, first = built
    report = update_index(corpus_copy, root, emb, ChunkSettings(120, 80), LIMIT)
    assert not report.up_to_date and report.version != first.version


def test_empty_corpus_leaves_index_alone(built, tmp_path):
    root, emb, first = built
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "blank.txt").write_text("   \n", encoding="utf-8")
    with pytest.raises(NothingToIndex):
        update_index(empty, root, emb, CHUNK, LIMIT)
    assert load_index(root).version == first.version


# --- refusing a broken index, with one line that says why --------------------------------


def _refusal(root: Path) -> str:
    with pytest.raises(IndexLoadError) as e:
        load_index(root)
    msg = str(e.value)
    assert "\n" not in msg and "verbatim ingest" in msg
    return msg


def test_missing_index(tmp_path):
    assert "no index at" in _refusal(tmp_path / "nowhere")


def test_truncated_file(built):
    root, *_ = built
    f = _current(root) / "vectors.faiss"
    f.write_bytes(f.read_bytes()[:100])
    assert "vectors.faiss" in _refusal(root) and "sha256" in _refusal(root)


def test_flipped_byte(built):
    root, *_ = built
    f = _current(root) / "passages.jsonl"
    data = bytearray(f.read_bytes())
    data[len(data) // 2] ^= 0x01
    f.write_bytes(bytes(data))
    assert "passages.jsonl" in _refusal(root)


def test_a_file_that_fails_to_parse_is_named_by_its_digest_not_its_parse_error(built):
    # The digests are computed on another thread while the JSON is parsed: the parse fails first, and the
    # refusal still says which file does not match the manifest.
    root, *_ = built
    f = _current(root) / "passages.jsonl"
    f.write_bytes(f.read_bytes()[:-40])
    msg = _refusal(root)
    assert "passages.jsonl does not match its sha256" in msg and "JSONDecodeError" not in msg


def test_of_two_spoiled_files_the_first_listed_is_named_whichever_thread_hashed_it(built):
    root, *_ = built
    folder = _current(root)
    listed = list(json.loads((folder / MANIFEST).read_text())["files"])
    groups = _by_size(folder, dict.fromkeys(listed, ""), DIGEST_THREADS)
    assert DIGEST_THREADS == 2 and sorted(r for g in groups for r in g) == sorted(listed) and all(groups)
    first = listed[0]
    other = next(r for r in reversed(listed) if not any(first in g and r in g for g in groups))  # the other thread's
    for rel in (other, first):
        f = folder / rel
        f.write_bytes(f.read_bytes() + b" ")
    msg = _refusal(root)
    assert msg.startswith(str(folder / first)) and "sha256" in msg


@pytest.mark.parametrize("broken", [False, True])
def test_a_load_leaves_the_garbage_collector_as_it_found_it(built, broken):
    import gc

    root, *_ = built
    if broken:
        (_current(root) / "works.json").write_text("[")
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            if broken:
                _refusal(root)
            else:
                load_index(root)
            assert gc.isenabled() == enabled
        finally:
            gc.enable()


def test_dimension_mismatch(built):
    root, *_ = built
    m = _current(root) / MANIFEST
    manifest = json.loads(m.read_text())
    manifest["model"]["dim"] = 768
    m.write_text(json.dumps(manifest))
    assert "dimension 64" in _refusal(root)


def test_missing_metadata(built):
    root, *_ = built
    (_current(root) / "articles.json").unlink()
    assert "articles.json is missing" in _refusal(root)


def test_other_format_version(built):
    root, *_ = built
    m = _current(root) / MANIFEST
    manifest = json.loads(m.read_text())
    manifest["format_version"] = 99
    m.write_text(json.dumps(manifest))
    assert "format 99" in _refusal(root)


def test_unreadable_manifest(built):
    root, *_ = built
    (_current(root) / MANIFEST).write_text("{not json")
    assert "unreadable" in _refusal(root)


def test_other_model_refused(built):
    root, *_ = built
    with pytest.raises(IndexLoadError, match="built with test/hash-embedder"):
        load_index(root, expect_model="sentence-transformers/all-MiniLM-L6-v2")


# --- interrupted writes ---------------------------------------------------------------------

STEPS = ["vectors", "passages", "articles", "bm25", "manifest", "renamed", "swapped"]


class Interrupted(BaseException):
    pass


@pytest.mark.parametrize("step", STEPS)
def test_write_interrupted_at_any_step_leaves_a_loadable_index(built, step):
    root, emb, first = built
    old = load_index(root)
    data = old.data
    dropped = data.passages[-1]  # a different index, so a new version
    data.passages = data.passages[:-1]
    data.vectors = data.vectors[:-1]
    data.sentence_vectors = data.sentence_vectors[: len(data.sentence_vectors) - len(dropped.sentences)]

    def stop(at: str) -> None:
        if at == step:
            raise Interrupted(at)

    with pytest.raises(Interrupted):
        write_index(root, data, on_step=stop)
    now = load_index(root)
    # Before the swap the old index is current; once swapped, the new one is.
    expected_new = step == "swapped"
    assert (now.version != first.version) == expected_new
    assert now.faiss.ntotal == len(first.result.passages) - expected_new
    assert not list(root.glob(".tmp-*"))  # the half-written folder was removed


def test_inconsistent_data_is_refused_before_writing(built):
    root, _, first = built
    data = load_index(root).data
    data.vectors = data.vectors[:-1]
    with pytest.raises(ValueError, match="vectors"):
        write_index(root, data)
    assert load_index(root).version == first.version


def test_old_versions_are_pruned(built, corpus_copy):
    root, emb, _ = built
    for i in range(3):
        (corpus_copy / f"note{i}.txt").write_text(f"Note {i}\n\nKetamine note number {i} of three.\n", encoding="utf-8")
        update_index(corpus_copy, root, emb, CHUNK, LIMIT)
    versions = list((root / VERSIONS).iterdir())
    assert len(versions) == 2 and _current(root) in [v.resolve() for v in versions]


def test_word_counts_are_stored_and_equal_a_fresh_count(built):
    """terms.json holds what the answerer would otherwise count at every start (minutes at 1M passages)."""
    from index.lexical import term_counts

    root, emb, _ = built
    idx = load_index(root, expect_model=emb.name)
    assert "terms.json" in idx.manifest["files"]
    assert idx.terms == term_counts(p.text for p in idx.data.passages) and len(idx.terms) > 1000


def _as_written_before(root, name: str) -> None:
    """The current version as an older one that did not write ``name``: the file and its manifest line gone."""
    folder = _current(root)
    manifest = json.loads((folder / MANIFEST).read_text())
    del manifest["files"][name]
    (folder / name).unlink()
    (folder / MANIFEST).write_text(json.dumps(manifest))
    _as_an_older_version(root, folder)


def test_an_index_without_word_counts_is_written_again_without_embedding(built, corpus_copy):
    """An index written before terms.json still loads; the next ingest adds the file and embeds nothing."""
    root, emb, first = built
    _as_written_before(root, "terms.json")
    assert load_index(root).terms is None
    encoded = emb.encoded
    again = update_index(corpus_copy, root, emb, CHUNK, LIMIT)
    assert not again.up_to_date and emb.encoded == encoded
    assert load_index(root).terms is not None


def test_an_index_without_the_topic_table_is_written_again_with_it_embedding_no_passage(built, corpus_copy):
    """An index written before topics.json loads (the no-answer test then reads no neighbours); the next
    ingest adds the table, encoding words for it but no passage or sentence."""
    root, emb, first = built
    table = load_index(root).data.topics
    assert table and all(-1.0 <= v <= 1.0 for v in table.values())
    _as_written_before(root, "topics.json")
    assert load_index(root).data.topics is None
    encoded = emb.encoded
    again = update_index(corpus_copy, root, emb, CHUNK, LIMIT)
    assert not again.up_to_date and again.stats.embedded == 0 and again.stats.texts == 0
    assert emb.encoded == encoded + again.stats.words
    assert load_index(root).data.topics == table


def test_a_rebuild_over_the_same_words_keeps_the_topic_table_without_encoding(built, corpus_copy):
    root, emb, first = built
    table, encoded = load_index(root).data.topics, emb.encoded
    report = update_index(corpus_copy, root, emb, ChunkSettings(120, 80), LIMIT)  # new passages, the same words
    assert not report.up_to_date and report.stats.words == 0 and report.stats.texts > 0
    assert emb.encoded == encoded + report.stats.texts
    assert table and load_index(root).data.topics == table


def test_embedding_in_chunks_fills_the_same_vectors_as_in_one_call(corpus_copy, monkeypatch):
    """build_data encodes EMBED_CHUNK texts at a time into arrays allocated once; the chunk size changes
    nothing in what is stored (a chunk of 7 splits passages from their sentences at every boundary)."""
    import index.build as build
    from ingest.pipeline import ingest_corpus

    result = ingest_corpus(corpus_copy, max_tokens=160, target_tokens=110, fits=HashEmbedder().fits, max_file_bytes=LIMIT)
    one, _ = build.build_data(result, HashEmbedder(), {})
    monkeypatch.setattr(build, "EMBED_CHUNK", 7)
    emb = HashEmbedder()
    chunked, stats = build.build_data(result, emb, {})
    np.testing.assert_array_equal(chunked.vectors, one.vectors)
    np.testing.assert_array_equal(chunked.sentence_vectors, one.sentence_vectors)
    assert stats.embedded == len(result.passages) and emb.encoded - stats.words == stats.texts == len(result.passages) + sum(
        (s, e) != (p.char_start, p.char_end) for p in result.passages for s, e in p.sentences)
    # a sentence that is its whole passage holds the passage's own vector; no row is left empty
    assert np.all(np.linalg.norm(chunked.sentence_vectors, axis=1) > 0.99)


def test_sentence_vectors_are_stored_as_float16_and_equal_the_encodings_rounded(built):
    """Half the memory of float32; the rounding (below 1e-3 an entry) is what was measured to change no
    highlight and no figure on the gold set (docs/performance.md)."""
    from index.build import sentence_offsets

    root, emb, _ = built
    idx = load_index(root, expect_model=emb.name)
    sv = idx.data.sentence_vectors
    assert sv.dtype == np.float16 and np.load(_current(root) / "sentences.npy", mmap_mode="r").dtype == np.float16
    offsets = sentence_offsets(idx.data.passages)
    texts = {a.id: a.text for a in idx.data.articles}
    p = next(p for p in idx.data.passages if len(p.sentences) > 2)
    i = idx.data.passages.index(p)
    s, e = p.sentences[1]
    exact = HashEmbedder().encode([texts[p.article_id][s:e]])[0]
    stored = sv[offsets[i] + 1].astype(np.float32)
    assert np.abs(stored - exact).max() < 1e-3


def test_an_index_with_float32_sentence_vectors_loads_and_is_written_again_without_embedding(built, corpus_copy):
    """An index written before float16 sentence vectors answers as it is; the next ingest halves its
    sentence vectors and embeds nothing."""
    root, emb, _ = built
    folder = _current(root)
    sv = np.load(folder / "sentences.npy").astype(np.float32)
    _replace_sentence_vectors(folder, sv)
    _as_an_older_version(root, folder)
    assert load_index(root).data.sentence_vectors.dtype == np.float32
    encoded = emb.encoded
    again = update_index(corpus_copy, root, emb, CHUNK, LIMIT)
    assert not again.up_to_date and emb.encoded == encoded
    reloaded = load_index(root).data.sentence_vectors
    assert reloaded.dtype == np.float16
    np.testing.assert_array_equal(reloaded, sv.astype(np.float16))


def test_sentence_vectors_of_another_type_are_refused_with_one_line(built):
    root, _emb, _ = built
    folder = _current(root)
    _replace_sentence_vectors(folder, np.load(folder / "sentences.npy").astype(np.float64))
    with pytest.raises(IndexLoadError, match="float16: run `verbatim ingest`"):
        load_index(root)
