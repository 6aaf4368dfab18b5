"""Read corpus files: plain text and PDF.  Bad files raise `SkipFile` with a reason."""
from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ingest.records import ArticleMeta

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
PDF_SUFFIX = ".pdf"
JATS_SUFFIXES = frozenset({".nxml", ".xml"})  # JATS XML, as PubMed Central publishes it
MANIFEST_NAME = "manifest.toml"
DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024
SLUG = re.compile(r"[^a-z0-9]+")


class SkipFile(Exception):
    """A corpus file that cannot be ingested; the message is the reason."""


class ManifestError(ValueError):
    """The corpus manifest is malformed."""


@dataclass(frozen=True)
class Document:
    """A file's content before cleaning: text, or a paper's raw bytes (PDF or JATS) for its reader."""

    path: Path
    sha256: str
    text: str | None = None
    data: bytes | None = None
    format: str = "text"  # "text", "pdf" or "jats"


def _size(n: int) -> str:
    return f"{n:,} bytes" if n < 2**20 else f"{n / 2**20:.1f} MB"


def slugify(name: str) -> str:
    return SLUG.sub("-", name.lower()).strip("-") or "article"


def load_manifest(corpus_dir: Path) -> dict[str, ArticleMeta]:
    """Entries of ``corpus/manifest.toml`` keyed by file name (relative to the corpus)."""
    path = corpus_dir / MANIFEST_NAME
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ManifestError(f"{path}: not valid TOML: {e}") from None
    out: dict[str, ArticleMeta] = {}
    ids: set[str] = set()
    allowed = set(ArticleMeta.__dataclass_fields__)
    if set(data) - {"article"}:
        raise ManifestError(f"{path}: unknown top-level keys {sorted(set(data) - {'article'})}; expected [[article]] tables")
    entries = data.get("article", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ManifestError(f"{path}: 'article' must be an array of tables, written [[article]]")
    for i, entry in enumerate(entries):
        unknown = set(entry) - allowed
        if unknown:
            raise ManifestError(f"{path}: article #{i + 1} has unknown keys {sorted(unknown)}")
        if not entry.get("id") or not entry.get("file"):
            raise ManifestError(f"{path}: article #{i + 1} needs both 'id' and 'file'")
        if any(isinstance(v, (dict, list)) for v in entry.values()):
            raise ManifestError(f"{path}: article #{i + 1} has a value that is a table or an array; expected strings")
        if str(entry["id"]) in ids:
            raise ManifestError(f"{path}: duplicate article id {entry['id']!r}")
        if str(entry["file"]) in out:
            raise ManifestError(f"{path}: duplicate file {entry['file']!r}")
        ids.add(str(entry["id"]))
        out[str(entry["file"])] = ArticleMeta(**{k: (str(v) if v is not None else None) for k, v in entry.items()})
    return out


def discover(corpus_dir: Path) -> list[Path]:
    """Every candidate file under the corpus, in a stable order (hidden files and the manifest aside)."""
    files = []
    for p in sorted(corpus_dir.rglob("*")):
        rel = p.relative_to(corpus_dir)
        if any(part.startswith(".") for part in rel.parts) or rel.as_posix() == MANIFEST_NAME:
            continue
        if p.is_file() or p.is_symlink():
            files.append(p)
    return files


def read_document(path: Path, corpus_dir: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Document:
    root = corpus_dir.resolve()
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise SkipFile("broken link or unreadable path") from None
    if root != real and root not in real.parents:
        raise SkipFile("points outside the corpus folder")
    if not real.is_file():
        raise SkipFile("not a regular file")
    size = real.stat().st_size
    if size == 0:
        raise SkipFile("empty file")
    if size > max_bytes:
        raise SkipFile(f"too large ({_size(size)}; the limit is {_size(max_bytes)})")
    try:
        data = real.read_bytes()
    except OSError as e:
        raise SkipFile(f"cannot read: {e.strerror}") from None
    digest = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.lower()
    if data.startswith(b"%PDF-") or suffix == PDF_SUFFIX:
        return Document(path=path, sha256=digest, data=data, format="pdf")
    if suffix in JATS_SUFFIXES:
        return Document(path=path, sha256=digest, data=data, format="jats")
    if suffix not in TEXT_SUFFIXES:
        raise SkipFile(f"unsupported file type {suffix or '(no extension)'!r}; expected .txt, .md, .pdf or JATS .nxml/.xml")
    if b"\x00" in data[:8192]:
        raise SkipFile("binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise SkipFile(f"not UTF-8 text (invalid byte 0x{data[e.start]:02x} at offset {e.start})") from None
    if not text.strip():
        raise SkipFile("empty file (whitespace only)")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.05 * min(len(text), 8192):
        raise SkipFile("binary file, not text")
    return Document(path=path, sha256=digest, text=text)
