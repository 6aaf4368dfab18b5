"""From a corpus folder to articles and passages: load, clean, structure, references, markers, chunks."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ingest.chunk import DEFAULT_MAX_TOKENS, DEFAULT_TARGET_TOKENS, PAPER_MAX_TOKENS, PAPER_TARGET_TOKENS, chunk_article, chunk_fixed
from ingest.clean import clean
from ingest.load import DEFAULT_MAX_FILE_BYTES, Document, SkipFile, discover, load_manifest, read_document, slugify
from ingest.paper import assemble
from ingest.markers import find_markers
from ingest.records import Article, ArticleMeta, Marker, Passage, Span
from ingest.references import parse_reference_list
from ingest.structure import parse_structure


@dataclass(frozen=True)
class Skipped:
    file: str
    reason: str


@dataclass
class IngestResult:
    articles: list[Article] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    oversize_sentences: int = 0
    file_hashes: dict[str, str] = field(default_factory=dict)  # corpus-relative path -> sha256 of the bytes


def build_article(meta: ArticleMeta, doc: Document) -> Article:
    """A cleaned, structured article with resolved references (pure: no I/O)."""
    if doc.format == "pdf":
        return _paper_from_pdf(meta, doc)
    if doc.format == "jats":
        return _paper_from_jats(meta, doc)
    cleaned = clean(doc.text or "")
    text, removed, line_mode = cleaned.text, cleaned.removed, True
    title = cleaned.title
    if not text.strip():
        raise SkipFile("no article text left after cleaning")
    st = parse_structure(text, title, line_mode=line_mode)
    refs_span = Span(*st.references_span) if st.references_span else None
    refs = parse_reference_list(meta.id, text, refs_span.start, refs_span.end) if refs_span else []
    by_number = {r.number: r.ref_id for r in refs if r.number is not None}
    body_end = refs_span.start if refs_span else len(text)
    markers = [
        Marker(
            char_start=f.start,
            char_end=f.end,
            literal=text[f.start : f.end],
            numbers=f.numbers,
            ref_ids=[by_number[n] for n in f.numbers if n in by_number],
        )
        for f in find_markers(text, 0, body_end, set(by_number))
    ]
    return Article(
        meta=ArticleMeta(
            id=meta.id,
            file=meta.file,
            title=meta.title or st.title or title,
            author=meta.author,
            publisher=meta.publisher,
            date=meta.date,
            url=meta.url,
        ),
        text=text,
        sha256=doc.sha256,
        sections=st.sections,
        paragraphs=st.paragraphs,
        references=refs,
        markers=markers,
        references_span=refs_span,
        removed=removed,
    )


def _paper_from_pdf(meta: ArticleMeta, doc: Document) -> Article:
    from ingest.pdf import PdfError, read_pages

    try:
        pages = read_pages(doc.data or b"")
    except PdfError as e:
        raise SkipFile(str(e)) from None
    return article_from_pdf_pages(meta, doc.sha256, pages)


def article_from_pdf_pages(meta: ArticleMeta, sha256: str, pages) -> Article:
    """A paper from its extracted pages (`ingest.pdf.PdfPages`): laid out, then assembled (pure)."""
    from ingest.pdf import lay_out

    laid = lay_out(pages)
    if not any(b.text.strip() for b in laid.blocks):
        raise SkipFile("no text left after removing page furniture")
    cleaning = {"hyphens_joined": laid.hyphens_joined, "hyphens_kept": laid.hyphens_kept, "characters_folded": laid.folded}
    return assemble(
        meta, sha256, laid.blocks, laid.paper, removed=laid.removed, unreadable=laid.unreadable, cleaning=cleaning, source_format="pdf"
    )


def _paper_from_jats(meta: ArticleMeta, doc: Document) -> Article:
    from ingest.jats import JatsError, read_jats

    try:
        blocks, paper = read_jats(doc.data or b"")
    except JatsError as e:
        raise SkipFile(str(e)) from None
    if not any(b.text.strip() for b in blocks):
        raise SkipFile("the JATS file has no body text")
    return assemble(meta, doc.sha256, blocks, paper, source_format="jats")


def ingest_corpus(
    corpus_dir: Path,
    *,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    target_tokens: int = DEFAULT_TARGET_TOKENS,
    fits: Callable[[str], bool] = lambda _t: True,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    progress: Callable[[str], None] = lambda _name: None,
    fixed_chars: int | None = None,
    fixed_overlap: int = 0,
) -> IngestResult:
    """Ingest every file under ``corpus_dir``; bad files are skipped with a reason, the rest go on.

    ``fixed_chars`` switches to fixed-size character windows (for the evaluation's comparison only).
    """
    corpus_dir = Path(corpus_dir)
    manifest = load_manifest(corpus_dir)
    result = IngestResult()
    used_ids: set[str] = set()
    for path in discover(corpus_dir):
        rel = path.relative_to(corpus_dir).as_posix()
        progress(rel)
        try:
            doc = read_document(path, corpus_dir, max_file_bytes)
            meta = manifest.get(rel) or ArticleMeta(id=slugify(path.stem), file=rel)
            if meta.id in used_ids:
                raise SkipFile(f"article id {meta.id!r} is already used by another file")
            article = build_article(meta, doc)
        except SkipFile as e:
            result.skipped.append(Skipped(rel, str(e)))
            continue
        used_ids.add(meta.id)
        chunks = (
            chunk_fixed(article, fixed_chars, fixed_overlap)
            if fixed_chars
            else chunk_article(article, max_tokens=max_tokens, target_tokens=target_tokens, fits=fits)
            if article.source_format == "text"
            else chunk_article(
                article, max_tokens=max(max_tokens, PAPER_MAX_TOKENS), target_tokens=max(target_tokens, PAPER_TARGET_TOKENS), fits=fits
            )
        )
        result.articles.append(article)
        result.passages.extend(chunks.passages)
        result.oversize_sentences += chunks.oversize
        result.file_hashes[rel] = doc.sha256
    missing = sorted(set(manifest) - set(result.file_hashes) - {s.file for s in result.skipped})
    result.skipped.extend(Skipped(f, "listed in manifest.toml but not found") for f in missing)
    return result
