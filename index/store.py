"""The saved index: one folder of fixed file names plus a manifest, swapped in atomically.

Layout of the index root (``VERBATIM_INDEX_DIR``)::

    current -> versions/<version>      symlink, replaced atomically
    versions/<version>/
        manifest.json                  written last; lists the sha256 of every other file
        vectors.faiss                  normalised vectors, inner-product index
        sentences.npy                  a vector per passage sentence (for highlighting), float16
        passages.jsonl                 one Passage per line, in vector order
        passages.columns.npz           each line's byte offset and the columns a server reads for every passage
                                       (`index.passages`): passages are parsed as they are read
        articles.json                  cleaned texts, sections, references, markers
        works.json                     cited works across articles, citing sentences, primary evidence
        bm25/                          the bm25s lexical index
        terms.json                     how many passages hold each word (`index.lexical.term_counts`)
        topics.json                    common English words no passage uses, with the cosine of their nearest
                                       corpus word (`index.topics`): the no-answer test's topic words
        passage_vectors.npy            the vectors again, in passage order, when vectors.faiss is IVF or HNSW
                                       (their files do not hold them as one block): memory-mapped, not copied

A new index is written into a temporary folder, fsynced, renamed into
``versions/`` and only then made current by replacing the ``current``
symlink with ``os.replace``.  An ingest killed at any moment therefore leaves
``current`` pointing at a complete, verified index (the old or the new one).
"""
from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

import numpy as np

from index import ann
from index.lexical import LEXICAL_VERSION, Bm25Index, term_counts
from index.passages import PassageTable
from index.text import iter_index_texts
from index.topics import TOPICS_VERSION
from ingest.records import Article, Passage, Work, article_from_dict, article_to_dict

FORMAT_VERSION = 2  # 2: works.json
MANIFEST = "manifest.json"
VECTORS = "vectors.faiss"
SENTENCES = "sentences.npy"
PASSAGES = "passages.jsonl"
# optional: an index written before it has none, and its passages are parsed whole at load
PASSAGE_COLUMNS = "passages.columns.npz"
ARTICLES = "articles.json"
WORKS = "works.json"
BM25_DIR = "bm25"
PASSAGE_VECTORS = "passage_vectors.npy"
TERMS = "terms.json"  # optional: an index written before it has none, and its readers count the words themselves
TOPICS = "topics.json"  # optional: without it (an index written before it), the no-answer test reads no neighbours
CURRENT = "current"
VERSIONS = "versions"
KEEP_VERSIONS = 2  # the current one and the one before it
# Sentence vectors are stored as float16: half the memory (3 GB instead of 6 GB at 1M passages), and on the
# gold set the highlights, the ranking and every figure are unchanged (docs/performance.md, "Highlight accuracy
# and sentence-vector precision"). An index written before holds float32; both are read.
SENTENCE_DTYPE = np.float16
# Threads that check the files' sha256 as an index loads.  Two, while the load parses and the encoder's sessions
# build beside it: at 100k passages (750 MB, in process, alternated) `load_index` took 1.94, 1.50, 1.45 s with
# one and 1.32, 1.28, 1.21 s with two.
DIGEST_THREADS = 2


class IndexLoadError(Exception):
    """The index cannot be used; the message is one line that says why."""


@dataclass
class IndexData:
    """Everything an index holds, in memory."""

    articles: list[Article]
    passages: Sequence[Passage]  # a list as built; a PassageTable (`index.passages`) as loaded
    vectors: np.ndarray  # (n, dim) float32, L2-normalised, row i is passages[i]
    sentence_vectors: np.ndarray  # (sum of len(p.sentences), dim) float16 (float32 in an older index): each
    # passage's sentences, in passage order
    model: dict  # {"name", "dim", "max_seq_length"}
    chunking: dict
    corpus: dict[str, str]  # corpus-relative path -> sha256
    skipped: list[dict] = field(default_factory=list)
    works: list[Work] = field(default_factory=list)
    # English word -> cosine of its nearest corpus word (`index.topics.neighbours`); None: not computed
    topics: dict[str, float] | None = None


@dataclass
class LoadedIndex:
    data: IndexData
    manifest: dict
    path: Path
    faiss: object
    bm25: Bm25Index
    # token -> passages holding it, in the passages' own words (not the index text); None when the folder has
    # no terms.json of this program's LEXICAL_VERSION
    terms: dict[str, int] | None = None

    @property
    def version(self) -> str:
        return self.manifest["version"]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_array(path: Path, array: np.ndarray, dtype=np.float32) -> None:
    """An .npy file written straight from ``array`` (no copy in memory when it has ``dtype`` already), fsynced."""
    with open(path, "wb") as f:
        np.save(f, np.ascontiguousarray(array, dtype=dtype), allow_pickle=False)
        f.flush()
        os.fsync(f.fileno())


def _write_bytes(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


@contextmanager
def _text_file(path: Path):
    """A UTF-8 text file with "\n" line ends, written through a 1 MB buffer and fsynced when the block ends."""
    with open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as f:
        yield f
        f.flush()
        os.fsync(f.fileno())


def _write_json_list(path: Path, items) -> None:
    """``json.dumps(list(items), ensure_ascii=False)``, byte for byte, encoded an item at a time."""
    with _text_file(path) as f:
        f.write("[")
        for i, item in enumerate(items):
            f.write(", " if i else "")
            f.write(json.dumps(item, ensure_ascii=False))
        f.write("]")


def _faiss_index(vectors: np.ndarray, dim: int, kind: str):
    """Exact inner product for a small corpus; an approximate index (index/ann.py) for a large one."""
    return ann.build(np.asarray(vectors, dtype=np.float32).reshape(-1, dim), kind)


def counts(data: IndexData) -> dict[str, int]:
    return {
        "articles": len(data.articles),
        "passages": len(data.passages),
        "text_passages": sum(p.kind == "text" for p in data.passages),
        "caption_passages": sum(p.kind == "caption" for p in data.passages),
        "reference_passages": sum(p.kind == "reference" for p in data.passages),
        "references": sum(len(a.references) for a in data.articles),
        "markers": sum(len(a.markers) for a in data.articles),
        "markers_resolved": sum(len(m.ref_ids) == len(m.numbers) for a in data.articles for m in a.markers),
        "works": len(data.works),
        "works_cited_by_several_articles": sum(len({c.article_id for c in w.citing}) > 1 for w in data.works),
        "works_with_source": sum(bool(w.source_id) for w in data.works),
        "citing_sentences": sum(len(w.citing) for w in data.works),
    }


def write_index(root: Path, data: IndexData, on_step: Callable[[str], None] = lambda _s: None) -> Path:
    """Write ``data`` as a new version under ``root`` and make it current.  Returns the version folder.

    ``on_step`` is called between steps (tests use it to interrupt the write).
    """
    import faiss

    n_sentences = sum(len(p.sentences) for p in data.passages)
    if data.vectors.shape != (len(data.passages), data.model["dim"]):
        raise ValueError(f"{data.vectors.shape[0]} vectors for {len(data.passages)} passages")
    if data.sentence_vectors.shape != (n_sentences, data.model["dim"]):
        raise ValueError(f"{data.sentence_vectors.shape[0]} sentence vectors for {n_sentences} sentences")
    root = Path(root)
    (root / VERSIONS).mkdir(parents=True, exist_ok=True)
    tmp = root / f".tmp-{os.getpid()}-{time.time_ns()}"
    tmp.mkdir()
    try:
        idx = _faiss_index(data.vectors, data.model["dim"], data.chunking.get("ann", "auto"))
        faiss.write_index(idx, str(tmp / VECTORS))
        vector_index, kind = ann.params(idx), ann.kind_of(idx)
        del idx  # its copy of the vectors (1.5 GB at 1M passages) is not needed for the rest of the write
        if kind != "flat":
            _write_array(tmp / PASSAGE_VECTORS, data.vectors)
        _write_array(tmp / SENTENCES, data.sentence_vectors, SENTENCE_DTYPE)
        on_step("vectors")
        PassageTable.write(tmp / PASSAGE_COLUMNS, tmp / PASSAGES, data.passages)
        on_step("passages")
        _write_json_list(tmp / ARTICLES, (article_to_dict(a) for a in data.articles))
        _write_json_list(tmp / WORKS, (w.to_dict() for w in data.works))
        on_step("articles")
        (tmp / BM25_DIR).mkdir()
        Bm25Index.build(iter_index_texts(data.passages, data.articles)).save(tmp / BM25_DIR)
        terms = {"lexical_version": LEXICAL_VERSION, "counts": term_counts(p.text for p in data.passages)}
        _write_bytes(tmp / TERMS, json.dumps(terms, ensure_ascii=False, separators=(",", ":")).encode())
        if data.topics is not None:
            stored = {"topics_version": TOPICS_VERSION, "words": data.topics}
            _write_bytes(tmp / TOPICS, json.dumps(stored, ensure_ascii=False, separators=(",", ":")).encode())
        on_step("bm25")
        files = {
            p.relative_to(tmp).as_posix(): sha256_file(p) for p in sorted(tmp.rglob("*")) if p.is_file()
        }
        version = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:12]
        manifest = {
            "format_version": FORMAT_VERSION,
            "version": version,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "model": data.model,
            "chunking": data.chunking,
            "counts": counts(data),
            "vector_index": vector_index,
            "corpus": data.corpus,
            "skipped": data.skipped,
            "files": files,
        }
        for p in sorted(tmp.rglob("*")):
            if p.is_file():
                with open(p, "rb") as f:
                    os.fsync(f.fileno())
        _write_bytes(tmp / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False).encode())
        for d in [tmp / BM25_DIR, tmp]:
            _fsync_dir(d)
        on_step("manifest")
        final = root / VERSIONS / version
        if final.exists():  # identical content already saved: keep that copy
            shutil.rmtree(tmp)
        else:
            os.rename(tmp, final)
        _fsync_dir(root / VERSIONS)
        on_step("renamed")
        link_tmp = root / f".current-{os.getpid()}-{time.time_ns()}"
        os.symlink(Path(VERSIONS) / version, link_tmp)
        os.replace(link_tmp, root / CURRENT)
        _fsync_dir(root)
        on_step("swapped")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _prune(root, keep=version)
    return final


def _prune(root: Path, keep: str) -> None:
    """Remove leftovers of killed writes and all but the newest few versions."""
    for p in root.glob(".tmp-*"):
        shutil.rmtree(p, ignore_errors=True)
    for p in root.glob(".current-*"):
        p.unlink(missing_ok=True)
    versions = sorted((root / VERSIONS).iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
    for v in [v for v in versions if v.name != keep][KEEP_VERSIONS - 1 :]:
        shutil.rmtree(v, ignore_errors=True)


def resolve(root: Path) -> Path:
    """The folder of the current version (``root`` itself if it is a version folder)."""
    root = Path(root)
    if (root / MANIFEST).exists():
        return root
    link = root / CURRENT
    if not link.exists():
        raise IndexLoadError(f"no index at {root}: run `verbatim ingest`")
    return link.resolve()


def read_manifest(root: Path) -> dict | None:
    """The current manifest, or None when there is no readable index (no checks beyond parsing)."""
    try:
        return json.loads((resolve(root) / MANIFEST).read_text(encoding="utf-8"))
    except (IndexLoadError, OSError, ValueError):
        return None


def _read_faiss(path: Path, kind: str | None):
    """The FAISS index, memory-mapped where faiss can (the files of a version never change once written, so
    every process serving it shares one copy in the page cache): a flat index's vectors (``IO_FLAG_MMAP_IFC``),
    an IVF index's lists (``IO_FLAG_MMAP``, read as on-disk lists).  Anything else is read into memory."""
    import faiss

    flag = {"flat": faiss.IO_FLAG_MMAP_IFC, "hnsw": faiss.IO_FLAG_MMAP_IFC, "ivf": faiss.IO_FLAG_MMAP}.get(kind or "")
    if flag is not None:
        try:
            return faiss.read_index(str(path), flag | faiss.IO_FLAG_READ_ONLY)
        except RuntimeError:
            pass  # written by another faiss, or another kind than the manifest says: read it plainly
    return faiss.read_index(str(path))


def _flat_vectors(path: Path, idx) -> np.ndarray | None:
    """A flat index's vectors as a read-only memory map of its file, with no copy, or None for other kinds.

    faiss writes a flat index as a header and then its ``ntotal x d`` float32 vectors as the file's last bytes;
    the first and last rows are checked against faiss's own, so a layout faiss might change is never misread."""
    import faiss

    if type(idx) not in (faiss.IndexFlatIP, faiss.IndexFlatL2, faiss.IndexFlat) or idx.ntotal == 0:
        return None
    size = idx.ntotal * idx.d * 4
    offset = path.stat().st_size - size
    if offset <= 0:
        return None
    vectors = np.memmap(path, dtype=np.float32, mode="r", offset=offset, shape=(idx.ntotal, idx.d))
    rows = [0, idx.ntotal - 1]
    if not np.array_equal(vectors[rows], np.vstack([idx.reconstruct(r) for r in rows])):
        return None
    return vectors.view(np.ndarray)


@contextmanager
def collector_paused():
    """The cyclic garbage collector paused for a bulk load.  Making a million small objects otherwise sets off
    full collections over everything made so far, again and again: at 100k passages, 0.9 s of a 2.2 s parse.
    A load makes no cyclic garbage; the collector resumes as it was (a server then freezes what was loaded)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _digest_problems(folder: Path, files: dict[str, str]) -> dict[str, str]:
    """The files of ``files`` whose sha256 is not the manifest's, or that cannot be read, each with the load's
    one-line reason; empty if all match."""
    out = {}
    for rel, digest in files.items():
        p = folder / rel
        try:
            actual = sha256_file(p)
        except OSError as e:
            out[rel] = f"{p} is unreadable ({e.strerror or type(e).__name__}): run `verbatim ingest`"
            continue
        if actual != digest:
            out[rel] = f"{p} does not match its sha256 in the manifest (corrupt or modified): run `verbatim ingest`"
    return out


def _by_size(folder: Path, files: dict[str, str], parts: int) -> list[dict[str, str]]:
    """``files`` dealt into ``parts`` groups of about equal bytes, the largest first to the lightest group."""
    def size(rel: str) -> int:
        try:
            return (folder / rel).stat().st_size
        except OSError:
            return 0  # its hash will say why

    groups: list[dict[str, str]] = [{} for _ in range(parts)]
    load = [0] * parts
    for rel, n in sorted(((rel, size(rel)) for rel in files), key=lambda x: -x[1]):
        g = load.index(min(load))
        groups[g][rel] = files[rel]
        load[g] += n
    return groups


def _json_lines(path: Path) -> Iterator[dict]:
    """The objects of a JSON Lines file, one at a time.  Lines end at a newline only: a passage may hold U+2028
    or U+0085, written as they are (``ensure_ascii=False``), which `str.splitlines` would have taken for
    line ends.  One at a time, so that each is made a record and let go before the next: with 100k parsed
    dictionaries alive at once, a process that loaded 100k passages stayed 75 MB larger for good (RSS after
    `malloc_trim`: 1,131 MB against 1,056 MB)."""
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line:
            yield json.loads(line)


def load_index(root: Path, expect_model: str | None = None, verify: bool = True) -> LoadedIndex:
    """Load the current index, refusing any mismatch with a one-line `IndexLoadError`."""
    import faiss

    folder = resolve(root)
    mpath = folder / MANIFEST
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexLoadError(f"{mpath} is missing: run `verbatim ingest`") from None
    except (OSError, ValueError) as e:
        raise IndexLoadError(f"{mpath} is unreadable ({type(e).__name__}): run `verbatim ingest`") from None
    if not isinstance(manifest, dict) or "format_version" not in manifest:
        raise IndexLoadError(f"{mpath} is not an index manifest: run `verbatim ingest`")
    if manifest["format_version"] != FORMAT_VERSION:
        raise IndexLoadError(
            f"index format {manifest['format_version']} at {folder}, this program reads format {FORMAT_VERSION}: "
            "run `verbatim ingest`"
        )
    try:
        files, model, n = manifest["files"], manifest["model"], manifest["counts"]["passages"]
        dim = int(model["dim"])
    except (KeyError, TypeError, ValueError):
        raise IndexLoadError(f"{mpath} lacks required fields: run `verbatim ingest`") from None
    if expect_model is not None and model.get("name") != expect_model:
        raise IndexLoadError(f"index was built with {model.get('name')}, not {expect_model}: run `verbatim ingest`")
    for required in (VECTORS, SENTENCES, PASSAGES, ARTICLES, WORKS):
        if required not in files:
            raise IndexLoadError(f"manifest at {folder} does not list {required}: run `verbatim ingest`")
    for rel in files:
        if not (folder / rel).is_file():
            raise IndexLoadError(f"{folder / rel} is missing: run `verbatim ingest`")
    # The files' sha256 on `DIGEST_THREADS` other threads (hashlib lets go of the GIL) while this one parses the
    # JSON.  FAISS reads its file only once every digest matched, since a corrupt file could crash it rather
    # than raise; the JSON and .npy readers only raise.
    with collector_paused(), ThreadPoolExecutor(max_workers=DIGEST_THREADS, thread_name_prefix="verbatim-sha256") as pool:
        checks = [pool.submit(_digest_problems, folder, part) for part in _by_size(folder, files, DIGEST_THREADS)] if verify else []
        unreadable = None
        try:
            if PASSAGE_COLUMNS in files:
                passages = PassageTable.open(folder / PASSAGES, folder / PASSAGE_COLUMNS)
            else:
                passages = PassageTable.of([Passage.from_dict(d) for d in _json_lines(folder / PASSAGES)])
            articles = [article_from_dict(d) for d in json.loads((folder / ARTICLES).read_text(encoding="utf-8"))]
            works = [Work.from_dict(d) for d in json.loads((folder / WORKS).read_text(encoding="utf-8"))]
            bm25 = Bm25Index.load(folder / BM25_DIR, len(passages))
            # A read-only map of the file, as a plain array (np.memmap's subclass costs a little on every operation).
            sentence_vectors = np.load(folder / SENTENCES, allow_pickle=False, mmap_mode="r").view(np.ndarray)
            terms = None
            if TERMS in files:
                stored = json.loads((folder / TERMS).read_text(encoding="utf-8"))
                if stored.get("lexical_version") == LEXICAL_VERSION:
                    terms = stored["counts"]
            topics = None
            if TOPICS in files:
                stored = json.loads((folder / TOPICS).read_text(encoding="utf-8"))
                if stored.get("topics_version") == TOPICS_VERSION:
                    topics = stored["words"]
        except Exception as e:  # noqa: BLE001  any parse failure means the same thing: the index is unusable
            unreadable = e
        problems = {rel: why for c in checks for rel, why in c.result().items()}
        # the first listed file that does not match says so, not how its parse failed
        problem = next((problems[rel] for rel in files if rel in problems), None)
        if problem is None and unreadable is None:
            try:
                idx = ann.configure(_read_faiss(folder / VECTORS, (manifest.get("vector_index") or {}).get("kind")))
            except Exception as e:  # noqa: BLE001
                unreadable = e
    if problem is not None:
        raise IndexLoadError(problem)
    if unreadable is not None:
        e = unreadable
        raise IndexLoadError(f"index at {folder} is unreadable ({type(e).__name__}: {str(e)[:100]}): run `verbatim ingest`")
    if idx.d != dim:
        raise IndexLoadError(f"vectors have dimension {idx.d}, the manifest says {dim}: run `verbatim ingest`")
    if idx.ntotal != n or len(passages) != n:
        raise IndexLoadError(
            f"index holds {idx.ntotal} vectors and {len(passages)} passages, the manifest says {n}: run `verbatim ingest`"
        )
    n_sentences = int(passages.n_sentences.sum())
    if sentence_vectors.shape != (n_sentences, dim) or sentence_vectors.dtype not in (SENTENCE_DTYPE, np.float32):
        raise IndexLoadError(
            f"{SENTENCES} has shape {sentence_vectors.shape} and type {sentence_vectors.dtype}, expected "
            f"({n_sentences}, {dim}) of float16: run `verbatim ingest`"
        )
    vectors = _flat_vectors(folder / VECTORS, idx)
    if vectors is None and PASSAGE_VECTORS in files:  # IVF, HNSW: their plain copy, mapped
        try:
            vectors = np.load(folder / PASSAGE_VECTORS, allow_pickle=False, mmap_mode="r").view(np.ndarray)
        except Exception as e:  # noqa: BLE001
            raise IndexLoadError(f"{folder / PASSAGE_VECTORS} is unreadable ({type(e).__name__}): run `verbatim ingest`") from None
        if vectors.shape != (n, dim) or vectors.dtype != np.float32:
            raise IndexLoadError(f"{PASSAGE_VECTORS} has shape {vectors.shape}, expected ({n}, {dim}): run `verbatim ingest`")
    if vectors is None:  # an IVF or HNSW index written before passage_vectors.npy: a copy in memory
        vectors = idx.reconstruct_n(0, idx.ntotal) if idx.ntotal else np.zeros((0, dim), dtype=np.float32)
    data = IndexData(
        articles=articles,
        passages=passages,
        vectors=vectors,
        sentence_vectors=sentence_vectors,
        model=model,
        chunking=manifest.get("chunking", {}),
        corpus=manifest.get("corpus", {}),
        skipped=manifest.get("skipped", []),
        works=works,
        topics=topics,
    )
    return LoadedIndex(data=data, manifest=manifest, path=folder, faiss=idx, bm25=bm25, terms=terms)
