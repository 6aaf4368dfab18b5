"""An index's passages as a table: the columns a server reads for every passage, and each passage parsed
from its line of ``passages.jsonl`` only when it is asked for.

A server needs a few fields of every passage at start (its id, article, kind, token and sentence counts,
and the references it cites), and whole passages only for the few dozen candidates of a question.  Parsing
every line into a `Passage` took about 1.3 s of a 100k-passage start and kept 100k objects alive; the
columns are stored at ingest (``passages.columns.npz``, plain arrays) with each line's byte offset, and
the file is memory-mapped.  An index written before the columns file is parsed whole, as it was.

`PassageTable.of` gives a table for any sequence of passages (an index built in memory, a test's list): the
same columns, computed from the objects.
"""
from __future__ import annotations

import json
import mmap
import threading
from array import array
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator, overload

import numpy as np

from ingest.records import PASSAGE_KINDS, Passage

COLUMNS_VERSION = 1
# How many parsed passages a lazy table keeps (about 2 KB each, 32 MB in all): a question reads a few dozen,
# the source viewer an article's.
CACHE = 16384


class PassageTable(Sequence[Passage]):
    """A read-only sequence of passages, with their columns as arrays.

    ``row_of`` maps a passage id to its row; ``kind_mask`` and ``article_mask`` say which rows are of some
    kinds or articles; ``sentence_offsets`` gives each passage's rows in the sentence matrix."""

    def __init__(self, ids: list[str], article_names: list[str], article_codes: np.ndarray, kind_codes: np.ndarray,
                 n_tokens: np.ndarray, n_sentences: np.ndarray, ref_ids: dict[int, list[str]],
                 get: Callable[[int], Passage]):
        n = len(ids)
        for name, column in (("article", article_codes), ("kind", kind_codes), ("n_tokens", n_tokens),
                             ("n_sentences", n_sentences)):
            if column.shape != (n,):
                raise ValueError(f"passage column {name} has {column.shape[0] if column.ndim else 0} rows, not {n}")
        if n and (int(article_codes.min()) < 0 or int(article_codes.max()) >= len(article_names)):
            raise ValueError("passage column article names an article outside the table")
        if n and int(kind_codes.max()) >= len(PASSAGE_KINDS):
            raise ValueError("passage column kind names an unknown kind")
        self.ids = ids
        self.article_names = article_names
        self.article_codes = article_codes
        self.kind_codes = kind_codes
        self.n_tokens = n_tokens
        self.n_sentences = n_sentences
        self.ref_ids = ref_ids  # row -> the references it cites, for the rows that cite any
        self._get = get
        self.row_of: dict[str, int] = {pid: i for i, pid in enumerate(ids)}
        self._offsets: np.ndarray | None = None
        self._rows_by_article: dict[str, np.ndarray] | None = None
        self._lock = threading.Lock()

    # -- construction ---------------------------------------------------------------------

    @classmethod
    def of(cls, passages: Sequence[Passage]) -> "PassageTable":
        """A table over ``passages``: itself if it is one, else the columns computed from the objects."""
        if isinstance(passages, PassageTable):
            return passages
        items = list(passages)
        names: dict[str, int] = {}
        codes = np.array([names.setdefault(p.article_id, len(names)) for p in items], dtype=np.int32)
        kinds = {k: i for i, k in enumerate(PASSAGE_KINDS)}
        return cls(
            ids=[p.id for p in items], article_names=list(names), article_codes=codes,
            kind_codes=np.array([kinds[p.kind] for p in items], dtype=np.uint8),
            n_tokens=np.array([p.n_tokens for p in items], dtype=np.int32),
            n_sentences=np.array([len(p.sentences) for p in items], dtype=np.int32),
            ref_ids={i: list(p.ref_ids) for i, p in enumerate(items) if p.ref_ids}, get=items.__getitem__,
        )

    @classmethod
    def open(cls, lines: Path, columns: Path) -> "PassageTable":
        """The table of an index folder: ``columns`` (`write`'s arrays), ``lines`` memory-mapped.  Raises
        ValueError or OSError when the two do not agree or cannot be read."""
        with np.load(columns, allow_pickle=False) as z:
            version = int(z["version"])
            if version != COLUMNS_VERSION:
                raise ValueError(f"passage columns version {version}, this program reads {COLUMNS_VERSION}")
            offsets = z["offsets"].astype(np.int64)
            ids = z["ids"].tolist()
            article_names = z["article_names"].tolist()
            article_codes, kind_codes = z["article"].astype(np.int32), z["kind"].astype(np.uint8)
            n_tokens, n_sentences = z["n_tokens"].astype(np.int32), z["n_sentences"].astype(np.int32)
            ref_rows, ref_starts, ref_flat = z["ref_rows"].tolist(), z["ref_starts"].tolist(), z["ref_flat"].tolist()
        n = len(ids)
        size = lines.stat().st_size
        if offsets.shape != (n + 1,) or offsets[0] != 0 or offsets[-1] != size or np.any(np.diff(offsets) <= 0):
            raise ValueError(f"passage columns do not match {lines.name} ({n} rows, a file of {size} bytes)")
        if len(ref_starts) != len(ref_rows) + 1:
            raise ValueError("passage column ref_starts does not match ref_rows")
        ref_ids = {row: ref_flat[ref_starts[j]:ref_starts[j + 1]] for j, row in enumerate(ref_rows)}
        if size:
            with open(lines, "rb") as f:
                view = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)  # stays valid after the file is closed
        else:
            view = b""

        @lru_cache(maxsize=CACHE)
        def get(i: int) -> Passage:
            return Passage.from_dict(json.loads(view[int(offsets[i]):int(offsets[i + 1])]))

        return cls(ids, article_names, article_codes, kind_codes, n_tokens, n_sentences, ref_ids, get)

    @staticmethod
    def write(columns: Path, lines: Path, passages: Iterable[Passage]) -> None:
        """Write ``passages`` as JSON Lines to ``lines`` and their columns to ``columns``, as `open` reads them.
        Neither file is fsynced here (the index writer fsyncs every file before its manifest)."""
        # Typed arrays, not lists of ints, for the numeric columns: writing 1M passages peaked at 232 MB (traced)
        # against 304 MB with lists.
        offsets, codes, kinds = array("q", [0]), array("i"), array("B")
        n_tokens, n_sentences, ref_rows, ref_starts = array("i"), array("i"), array("q"), array("q", [0])
        ids: list[str] = []
        names: dict[str, int] = {}
        ref_flat: list[str] = []
        kind_code = {k: i for i, k in enumerate(PASSAGE_KINDS)}
        with open(lines, "wb", buffering=1 << 20) as f:
            for i, p in enumerate(passages):
                line = json.dumps(p.to_dict(), ensure_ascii=False).encode("utf-8") + b"\n"
                f.write(line)
                offsets.append(offsets[-1] + len(line))
                ids.append(p.id)
                codes.append(names.setdefault(p.article_id, len(names)))
                kinds.append(kind_code[p.kind])
                n_tokens.append(p.n_tokens)
                n_sentences.append(len(p.sentences))
                if p.ref_ids:
                    ref_rows.append(i)
                    ref_flat.extend(p.ref_ids)
                    ref_starts.append(len(ref_flat))
        with open(columns, "wb") as f:
            np.savez(
                f, version=np.array(COLUMNS_VERSION), offsets=np.array(offsets, dtype=np.int64),
                ids=np.array(ids, dtype=str), article_names=np.array(list(names), dtype=str),
                article=np.array(codes, dtype=np.int32), kind=np.array(kinds, dtype=np.uint8),
                n_tokens=np.array(n_tokens, dtype=np.int32), n_sentences=np.array(n_sentences, dtype=np.int32),
                ref_rows=np.array(ref_rows, dtype=np.int64), ref_starts=np.array(ref_starts, dtype=np.int64),
                ref_flat=np.array(ref_flat, dtype=str),
            )

    # -- the sequence ---------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, i: int) -> Passage: ...
    @overload
    def __getitem__(self, i: slice) -> list[Passage]: ...

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._get(j) for j in range(*i.indices(len(self)))]
        n = len(self.ids)
        j = int(i) + n if int(i) < 0 else int(i)
        if not 0 <= j < n:
            raise IndexError("passage row out of range")
        return self._get(j)

    def __iter__(self) -> Iterator[Passage]:
        return (self._get(i) for i in range(len(self.ids)))

    def __eq__(self, other) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # a sequence that compares by content

    # -- columns --------------------------------------------------------------------------

    def kind_mask(self, kinds: Iterable[str]) -> np.ndarray:
        """Which rows are of ``kinds``."""
        names = set(kinds)
        wanted = [i for i, k in enumerate(PASSAGE_KINDS) if k in names]
        return np.isin(self.kind_codes, np.array(wanted, dtype=np.uint8))

    def article_mask(self, articles: Iterable[str]) -> np.ndarray:
        """Which rows belong to ``articles``."""
        wanted = set(articles)
        codes = [i for i, name in enumerate(self.article_names) if name in wanted]
        return np.isin(self.article_codes, np.array(codes, dtype=np.int32))

    def article_of(self, row: int) -> str:
        return self.article_names[int(self.article_codes[row])]

    def kind_of(self, row: int) -> str:
        return PASSAGE_KINDS[int(self.kind_codes[row])]

    def rows_of_article(self, article_id: str) -> np.ndarray:
        """The rows of one article, in order (an empty array for an article with none)."""
        with self._lock:
            if self._rows_by_article is None:
                order = np.argsort(self.article_codes, kind="stable")
                cuts = np.searchsorted(self.article_codes[order], np.arange(len(self.article_names) + 1))
                self._rows_by_article = {name: order[cuts[c]:cuts[c + 1]] for c, name in enumerate(self.article_names)}
        return self._rows_by_article.get(article_id, np.zeros(0, dtype=np.int64))

    @property
    def sentence_offsets(self) -> np.ndarray:
        """Row offsets into the sentence matrix: passage i owns rows offsets[i] to offsets[i + 1]."""
        if self._offsets is None:
            self._offsets = np.concatenate([[0], np.cumsum(self.n_sentences, dtype=np.int64)])
        return self._offsets
