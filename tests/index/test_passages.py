"""The passage table: columns stored at ingest, each passage parsed from its line only when it is read."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from index.build import ChunkSettings, sentence_offsets
from index.passages import PassageTable
from index.store import CURRENT, MANIFEST, PASSAGE_COLUMNS, PASSAGES, VERSIONS, IndexLoadError, load_index, sha256_file
from index.update import update_index
from ingest.records import PROSE_KINDS, Passage
from tests.fakes import HashEmbedder

CHUNK = ChunkSettings(160, 110)
LIMIT = 20 * 2**20


def _passages() -> list[Passage]:
    out = []
    for i in range(40):
        kind = ("text", "caption", "reference")[i % 3]
        text = f"Passage {i} of article {i % 4}: ketamine ‘quoted’ — é\u2028 line {i}."
        out.append(Passage(id=f"p{i:03d}", article_id=f"a{i % 4}", kind=kind, text=text, char_start=10 * i,
                           char_end=10 * i + len(text), section=None if i % 5 else f"Section {i}", page=i % 7 or None,
                           ref_ids=[f"a{i % 4}-r{j}" for j in range(i % 3)], n_tokens=5 + i,
                           sentences=[(10 * i + j, 10 * i + j + 1) for j in range(i % 4)]))
    return out


@pytest.fixture
def stored(tmp_path) -> tuple[list[Passage], Path, Path]:
    passages = _passages()
    lines, columns = tmp_path / PASSAGES, tmp_path / PASSAGE_COLUMNS
    PassageTable.write(columns, lines, passages)
    return passages, lines, columns


def test_an_opened_table_reads_back_every_passage_and_column(stored):
    passages, lines, columns = stored
    table, eager = PassageTable.open(lines, columns), PassageTable.of(passages)
    assert len(table) == 40 and list(table) == passages and table == passages and table == eager
    assert table[-1] == passages[-1] and table[3:7] == passages[3:7] and table[::13] == passages[::13]
    with pytest.raises(IndexError):
        table[40]
    for t in (table, eager):
        assert t.ids == [p.id for p in passages]
        assert [t.article_of(i) for i in range(40)] == [p.article_id for p in passages]
        assert [t.kind_of(i) for i in range(40)] == [p.kind for p in passages]
        assert t.n_tokens.tolist() == [p.n_tokens for p in passages]
        assert t.sentence_offsets.tolist() == sentence_offsets(passages)
        assert t.ref_ids == {i: p.ref_ids for i, p in enumerate(passages) if p.ref_ids}
        assert t.row_of == {p.id: i for i, p in enumerate(passages)}
        assert t.kind_mask(PROSE_KINDS).tolist() == [p.kind in PROSE_KINDS for p in passages]
        assert t.kind_mask(set()).tolist() == [False] * 40
        assert t.article_mask({"a1", "a3", "absent"}).tolist() == [p.article_id in {"a1", "a3"} for p in passages]
        assert t.rows_of_article("a2").tolist() == [i for i, p in enumerate(passages) if p.article_id == "a2"]
        assert t.rows_of_article("absent").tolist() == []
    # the lines are JSON Lines as before: one passage each, split at newlines only (U+2028 is inside a passage)
    assert [Passage.from_dict(json.loads(x)) for x in lines.read_bytes().split(b"\n") if x] == passages


def test_a_passage_is_parsed_only_when_read(stored):
    """Proof that opening reads no line: a line spoiled after writing (same length) fails only when read."""
    passages, lines, columns = stored
    data = bytearray(lines.read_bytes())
    start = data.index(b'{"id": "p007"')
    data[start] = ord("X")
    lines.write_bytes(bytes(data))
    table = PassageTable.open(lines, columns)
    assert table[6] == passages[6] and table[8] == passages[8] and table.ids[7] == "p007"
    with pytest.raises(json.JSONDecodeError):
        table[7]


def test_columns_that_do_not_match_the_lines_are_refused(stored):
    passages, lines, columns = stored
    lines.write_bytes(lines.read_bytes()[:-10])
    with pytest.raises(ValueError, match=f"do not match {PASSAGES}"):
        PassageTable.open(lines, columns)


def test_an_empty_table(tmp_path):
    lines, columns = tmp_path / PASSAGES, tmp_path / PASSAGE_COLUMNS
    PassageTable.write(columns, lines, [])
    table = PassageTable.open(lines, columns)
    assert len(table) == 0 and list(table) == [] and table.sentence_offsets.tolist() == [0]
    assert table.kind_mask(PROSE_KINDS).tolist() == [] and table.rows_of_article("a").tolist() == []


# -- in an index folder ---------------------------------------------------------------------


@pytest.fixture
def built(tmp_path, corpus_dir):
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    root = tmp_path / "index"
    report = update_index(corpus, root, HashEmbedder(), CHUNK, LIMIT)
    return corpus, root, report


def _drop_columns(root: Path, folder: Path) -> None:
    """Make the folder as an index written before passages.columns.npz, under another version's name (its
    version is a hash of its files)."""
    (folder / PASSAGE_COLUMNS).unlink()
    manifest = json.loads((folder / MANIFEST).read_text())
    del manifest["files"][PASSAGE_COLUMNS]
    (folder / MANIFEST).write_text(json.dumps(manifest))
    old = folder.with_name("0123456789ab")
    folder.rename(old)
    (root / CURRENT).unlink()
    (root / CURRENT).symlink_to(Path(VERSIONS) / old.name)


def test_an_index_loads_its_passages_lazily_and_equal_to_what_was_built(built):
    _, root, report = built
    folder = (root / CURRENT).resolve()
    assert PASSAGE_COLUMNS in json.loads((folder / MANIFEST).read_text())["files"]
    idx = load_index(root)
    assert isinstance(idx.data.passages, PassageTable) and idx.data.passages == report.result.passages


def test_an_index_without_the_columns_file_still_loads_and_the_next_ingest_adds_it(built):
    corpus, root, report = built
    folder = (root / CURRENT).resolve()
    _drop_columns(root, folder)
    assert load_index(root).data.passages == report.result.passages
    again = update_index(corpus, root, HashEmbedder(), CHUNK, LIMIT)
    assert not again.up_to_date and again.stats.embedded == 0  # written again, every vector reused
    assert PASSAGE_COLUMNS in json.loads(((root / CURRENT).resolve() / MANIFEST).read_text())["files"]
    assert load_index(root).data.passages == report.result.passages


def test_a_columns_file_that_disagrees_is_a_one_line_refusal(built):
    _, root, _ = built
    folder = (root / CURRENT).resolve()
    with np.load(folder / PASSAGE_COLUMNS) as z:
        arrays = dict(z)
    arrays["offsets"] = arrays["offsets"][:-1]  # one row short
    with open(folder / PASSAGE_COLUMNS, "wb") as f:
        np.savez(f, **arrays)
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["files"][PASSAGE_COLUMNS] = sha256_file(folder / PASSAGE_COLUMNS)  # consistent digests: only the content is wrong
    (folder / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(IndexLoadError) as e:
        load_index(root)
    assert "unreadable" in str(e.value) and "\n" not in str(e.value) and "verbatim ingest" in str(e.value)
