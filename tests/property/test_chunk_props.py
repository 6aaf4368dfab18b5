"""Properties of the chunker on articles built from any text by the real pipeline (`build_article`):
never crash, and keep the verbatim rule -- every passage's text is exactly the article's cleaned text
at the passage's span -- with passages inside the token limit (or a lone oversize sentence, which
`Chunks.oversize` counts), sentence spans inside their passage, and no prose lost."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from ingest.chunk import chunk_article, chunk_fixed, count_tokens, sentences
from ingest.clean import clean
from ingest.load import Document, SkipFile
from ingest.pdf import Line, Page, PdfPages
from ingest.pipeline import article_from_pdf_pages, build_article
from ingest.records import PASSAGE_REFERENCE, PASSAGE_TEXT, Article, ArticleMeta
from tests.property.strategies import (
    CORPUS_TEXTS,
    any_document,
    corpus_slice,
    document,
    long_word,
    mutated_corpus_article,
    nasty_text,
    props,
    unicode_text,
)

META = ArticleMeta(id="prop-article", file="prop-article.txt")


def text_pages(pages: list[str]) -> PdfPages:
    """PDF pages as the fallback extractor gives them: lines of text without positions."""
    out = []
    for i, page in enumerate(pages):
        lines = [ln.strip() for ln in page.replace("\r", "\n").split("\n")]
        out.append(Page(i + 1, 612, 792, [Line(t, 60, 550, 700 - 12 * k, 710 - 12 * k, 10.0, "", i + 1, column=2) for k, t in enumerate(lines) if t], positioned=False))
    return PdfPages(pages=out, unreadable=[])


def _article(raw: str, pdf: bool = False) -> Article | None:
    """The article the pipeline builds from ``raw`` (as a text file, or as PDF pages split at form
    feeds), or None when nothing is left after cleaning -- which must then really be the case."""
    if pdf:
        try:
            return article_from_pdf_pages(META, "0" * 64, text_pages(raw.split("\f")))
        except SkipFile:
            return None
    else:
        doc = Document(path=Path(META.file), sha256="0" * 64, text=raw)
    try:
        return build_article(META, doc)
    except SkipFile:
        if not pdf:
            assert not clean(raw).text.strip(), "an article with text left after cleaning was skipped"
        return None


def _nonspace(text: str, start: int, end: int) -> set[int]:
    return {i for i in range(start, end) if not text[i].isspace()}


def check_article(a: Article, raw: str | None) -> None:
    """What every built article guarantees, whatever its input."""
    text = a.text
    if raw is not None:
        assert text == clean(raw).text
    prev = 0
    for p in a.paragraphs:
        assert prev <= p.start < p.end <= len(text)
        prev = p.end
        assert 0 <= p.section < len(a.sections)
    ids = {r.ref_id for r in a.references}
    if a.references_span is not None:
        for r in a.references:
            assert a.references_span.start <= r.char_start < r.char_end <= a.references_span.end
    body_end = a.references_span.start if a.references_span else len(text)
    for m in a.markers:
        assert 0 <= m.char_start < m.char_end <= body_end
        assert m.literal == text[m.char_start : m.char_end]
        assert set(m.ref_ids) <= ids


def check_passages(a: Article, passages, *, max_tokens: int | None, fits=lambda _t: True, oversize: int = 0,
                   max_chars: int | None = None) -> None:
    text = a.text
    ids = {r.ref_id for r in a.references}
    assert len({p.id for p in passages}) == len(passages), "passage ids collide"
    prose = [p for p in passages if p.kind == PASSAGE_TEXT]
    refs = [p for p in passages if p.kind == PASSAGE_REFERENCE]
    over = 0
    for p in passages:
        # THE VERBATIM RULE: a passage is exactly the cleaned text at its span.
        assert 0 <= p.char_start < p.char_end <= len(text)
        assert p.text == text[p.char_start : p.char_end]
        assert p.text.strip() and p.text == p.text.strip(), "a passage starts or ends in whitespace"
        assert p.article_id == a.id
        assert p.n_tokens == count_tokens(p.text)
        assert set(p.ref_ids) <= ids
        # Sentence spans: non-empty, trimmed, ordered, inside the passage.
        assert p.sentences
        prev = p.char_start
        for s, e in p.sentences:
            assert prev <= s < e <= p.char_end, f"sentence {(s, e)} outside passage {(p.char_start, p.char_end)}"
            assert text[s:e] == text[s:e].strip()
            prev = e
        if p.kind == PASSAGE_TEXT:
            if max_chars is not None:
                assert len(p.text) <= max_chars
            if max_tokens is not None and (p.n_tokens > max_tokens or not fits(p.text)):
                # Only a single sentence longer than every bound may be left oversize.
                assert len(sentences(text, p.char_start, p.char_end)) == 1, "an oversize passage holds several sentences"
                over += 1
    assert over <= oversize
    # Prose passages are ordered, disjoint (fixed windows may overlap instead), and stay out of the reference list.
    if max_chars is None:
        for p, q in zip(prose, prose[1:]):
            assert p.char_end <= q.char_start
    if a.references_span is not None:
        assert all(p.char_end <= a.references_span.start for p in prose)
    # One passage per reference entry, at the entry's span.
    assert [(p.char_start, p.char_end, p.ref_ids) for p in refs] == [
        (r.char_start, r.char_end, [r.ref_id]) for r in a.references
    ]
    # No prose is lost: every visible character of every body paragraph is in some passage.
    body_end = a.references_span.start if a.references_span else len(text)
    covered: set[int] = set()
    for p in prose:
        covered |= _nonspace(text, p.char_start, p.char_end)
    for para in a.paragraphs:
        if para.start < body_end:
            missing = _nonspace(text, para.start, para.end) - covered
            assert not missing, f"prose lost at {sorted(missing)[:5]}: {text[min(missing):min(missing) + 40]!r}"


sizes = st.integers(4, 200).flatmap(lambda mx: st.tuples(st.just(mx), st.integers(1, mx)))


@props(60)
@given(raw=any_document, size=sizes, pdf=st.booleans())
@example(raw=CORPUS_TEXTS[0], size=(160, 110), pdf=False)
@example(raw="Title\n\nA" + "." * 3000 + "\nb. C.", size=(8, 4), pdf=False)
@example(raw="Title\n\n" + "word " * 400, size=(4, 1), pdf=True)
@example(raw="T\n\nx\u2028y. Z\x85w. \u200b.", size=(4, 2), pdf=False)
def test_chunk_article_keeps_the_verbatim_rule(raw, size, pdf):
    max_tokens, target = size
    a = _article(raw, pdf)
    if a is None:
        return
    check_article(a, None if pdf else raw)
    chunks = chunk_article(a, max_tokens=max_tokens, target_tokens=target)
    check_passages(a, chunks.passages, max_tokens=max_tokens, oversize=chunks.oversize)
    assert chunk_article(a, max_tokens=max_tokens, target_tokens=target) == chunks  # deterministic


@props(20)
@given(raw=st.one_of(document, mutated_corpus_article()), limit=st.integers(5, 400))
def test_chunk_article_respects_an_extra_fits_bound(raw, limit):
    a = _article(raw)
    if a is None:
        return
    fits = lambda t: len(t) <= limit  # noqa: E731  (as the index bounds by the embedder's sequence length)
    chunks = chunk_article(a, max_tokens=160, target_tokens=110, fits=fits)
    check_passages(a, chunks.passages, max_tokens=160, fits=fits, oversize=chunks.oversize)


@props(30)
@given(raw=any_document, chars=st.integers(20, 600), overlap_frac=st.floats(0, 0.9))
def test_chunk_fixed_windows_are_verbatim(raw, chars, overlap_frac):
    a = _article(raw)
    if a is None:
        return
    overlap = int(chars * overlap_frac)
    chunks = chunk_fixed(a, chars, overlap)
    check_passages(a, chunks.passages, max_tokens=None, max_chars=chars)


@props(150)
@given(
    text=st.one_of(unicode_text, nasty_text, corpus_slice(1500), document, long_word),
    cut=st.tuples(st.floats(0, 1), st.floats(0, 1)),
)
@example(text="It works. It lasts.", cut=(0, 1))
@example(text="e.g. A. i.e. B. U.S. C. 20.7 D.12 E.[1], [2] F", cut=(0, 1))
@example(text="." * 2000, cut=(0, 1))
def test_sentences_partition_the_region(text, cut):
    start, end = sorted(int(c * len(text)) for c in cut)
    spans = sentences(text, start, end)
    prev = start
    for s, e in spans:
        assert prev <= s < e <= end
        assert text[s:e] == text[s:e].strip()
        prev = e
    # Every visible character is in exactly one sentence; only whitespace falls between them.
    inside = set().union(*(range(s, e) for s, e in spans)) if spans else set()
    assert _nonspace(text, start, end) <= inside
    assert sentences(text, start, end) == spans


@pytest.mark.parametrize("path", sorted(Path(__file__).resolve().parents[2].joinpath("corpus").glob("*.txt")), ids=lambda p: p.stem)
def test_real_articles_satisfy_the_same_checks(path):
    raw = path.read_text(encoding="utf-8")
    a = _article(raw)
    assert a is not None
    check_article(a, raw)
    chunks = chunk_article(a)
    check_passages(a, chunks.passages, max_tokens=160, oversize=chunks.oversize)
