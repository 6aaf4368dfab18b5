"""ingest/load.py (through ingest.pipeline): PDFs, bad files and the manifest."""
from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from fpdf import FPDF

from ingest.load import ManifestError, load_manifest
from ingest.pipeline import ingest_corpus
from ingest.records import PASSAGE_REFERENCE, PASSAGE_TEXT

# --- PDF ingestion --------------------------------------------------------------

# What each page of the test PDF says, one string per paragraph.
PAGES = [
    [
        "Calm Rivers in a Dry Summer",
        "Rivers are calm in summer. Their flow slows when rain is rare [1].",
        "We measured flow at ten sites. Each site was visited twice a week.",
    ],
    [
        "Flow fell by half in dry months. The effect held at every site [2].",
        "Lakes behave differently. Their level changes slowly over the year.",
    ],
    [
        "In short, dry months calm the rivers. More sites will be added next year.",
        "References",
        "1. Smith J. Calm rivers. J Hydrol. 2019;12:1-9.",
        "2. Doe A. Dry months. Water Res. 2020;5:22-30.",
    ],
]


class _NumberedPDF(FPDF):
    def footer(self):
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 10, f"Page {self.page_no()}", align="C")


def write_pdf(path: Path, pages: list[list[str]], title: str | None = None, encrypt: dict | None = None) -> Path:
    pdf = _NumberedPDF()
    if title:
        pdf.set_title(title)
    if encrypt:
        pdf.set_encryption(**encrypt)
    for paragraphs in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        for para in paragraphs:
            pdf.multi_cell(0, 6, para)
            pdf.ln(4)
    pdf.output(str(path))
    return path


def _norm(s: str) -> str:
    return " ".join(s.split())


@pytest.fixture(scope="module")
def pdf_result(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("pdf-corpus")
    write_pdf(corpus / "calm-rivers.pdf", PAGES, title="Calm Rivers in a Dry Summer")
    return ingest_corpus(corpus)


def test_pdf_is_ingested_with_its_pages(pdf_result):
    assert pdf_result.skipped == []
    [a] = pdf_result.articles
    assert (a.id, a.meta.title, len(a.pages)) == ("calm-rivers", "Calm Rivers in a Dry Summer", 3)
    for i, paragraphs in enumerate(PAGES):
        span = a.pages[i]
        assert _norm(a.text[span.start : span.end]) == _norm(" ".join(paragraphs)), f"page {i + 1}"


def test_pdf_page_number_footers_are_dropped(pdf_result):
    [a] = pdf_result.articles
    assert "Page 1" not in a.text and "Page 3" not in a.text


def test_pdf_passages_are_verbatim_and_carry_their_page(pdf_result):
    [a] = pdf_result.articles
    page_of = {_norm(para): i + 1 for i, paragraphs in enumerate(PAGES) for para in paragraphs}
    assert pdf_result.passages
    for p in pdf_result.passages:
        assert a.text[p.char_start : p.char_end] == p.text
        # The page is read off the paragraphs we wrote, not off the article's page spans.
        pages = {page for para, page in page_of.items() if para in _norm(p.text) or _norm(p.text) in para}
        assert pages == {p.page}, p.text


def test_pdf_passages_do_not_span_pages(pdf_result):
    [a] = pdf_result.articles
    for p in pdf_result.passages:
        span = a.pages[p.page - 1]
        assert span.start <= p.char_start and p.char_end <= span.end, p.text


def test_pdf_every_body_paragraph_is_in_a_text_passage(pdf_result):
    # the title (the first line) is the article's title, not a passage, as for the web articles
    body = [_norm(para) for paragraphs in PAGES for para in paragraphs[:] if para != "References" and not para[0].isdigit()][1:]
    texts = [_norm(p.text) for p in pdf_result.passages if p.kind == PASSAGE_TEXT]
    assert [para for para in body if not any(para in t for t in texts)] == []


def test_pdf_reference_list_and_marker_resolve(pdf_result):
    [a] = pdf_result.articles
    assert [(r.number, r.text) for r in a.references] == [
        (1, "Smith J. Calm rivers. J Hydrol. 2019;12:1-9."),
        (2, "Doe A. Dry months. Water Res. 2020;5:22-30."),
    ]
    refs = {p.ref_ids[0]: p for p in pdf_result.passages if p.kind == PASSAGE_REFERENCE}
    assert [(refs[r.ref_id].page, refs[r.ref_id].section) for r in a.references] == [(3, "References"), (3, "References")]
    [citing] = [p for p in pdf_result.passages if p.kind == PASSAGE_TEXT and "[1]" in p.text]
    assert (citing.page, citing.ref_ids) == (1, [a.references[0].ref_id])


def test_pdf_without_metadata_title_takes_its_first_line(tmp_path):
    write_pdf(tmp_path / "notitle.pdf", PAGES[:1])
    [a] = ingest_corpus(tmp_path).articles
    assert a.meta.title == "Calm Rivers in a Dry Summer"


# --- bad files: skipped with a reason, the good article still ingested ---------

GOOD = "Good Article\n\nThis is the good article. It has two sentences.\n"


def _corrupt_pdf(path: Path) -> None:
    path.write_bytes(b"%PDF-1.4\n" + random.Random(0).randbytes(3000))


def _encrypted_pdf(path: Path) -> None:
    write_pdf(path, PAGES[:1], encrypt={"owner_password": "owner", "user_password": "user"})


def _owner_only_encrypted_pdf(path: Path) -> None:
    write_pdf(path, PAGES[:1], encrypt={"owner_password": "owner"})


def _user_password_pdf(path: Path) -> None:
    write_pdf(path, PAGES[:1], encrypt={"owner_password": "owner", "user_password": "secret"})


def test_owner_password_pdf_opens_without_a_password_and_is_read(tmp_path):
    """Publishers often set an owner password (it restricts editing, not reading): such a paper is read."""
    _owner_only_encrypted_pdf(tmp_path / "locked.pdf")
    r = ingest_corpus(tmp_path)
    assert r.skipped == []
    [a] = r.articles
    assert "Rivers are calm in summer." in a.text


def _blank_pdf(path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.output(str(path))


BAD_FILES = [
    # (file name, how to write it, a word the reason must contain)
    pytest.param("corrupt.pdf", _corrupt_pdf, "unreadable PDF", id="corrupt-pdf"),
    pytest.param("not-a.pdf", lambda p: p.write_bytes(b"hello, this is not a PDF at all"), "unreadable PDF", id="pdf-extension-on-text"),
    pytest.param("secret.pdf", _encrypted_pdf, "encrypted", id="encrypted-pdf"),
    pytest.param("locked.pdf", _user_password_pdf, "encrypted", id="user-password-pdf"),
    pytest.param("blank.pdf", _blank_pdf, "no extractable text", id="pdf-without-text"),
    pytest.param("empty.txt", lambda p: p.write_bytes(b""), "empty", id="empty-file"),
    pytest.param("blank.txt", lambda p: p.write_bytes(b"  \n\n\t \r\n"), "whitespace only", id="whitespace-only"),
    pytest.param("binary.txt", lambda p: p.write_bytes(b"ab\x00\x01\x02cd" * 50), "binary", id="nul-bytes-as-txt"),
    pytest.param("controls.txt", lambda p: p.write_bytes(b"ab\x01\x02\x03\x04cd" * 50), "binary", id="control-bytes-as-txt"),
    pytest.param("latin1.txt", lambda p: p.write_bytes("Café Title\n\nCafé naïve body.\n".encode("latin-1")), "not UTF-8", id="latin-1-text"),
    pytest.param("word.docx", lambda p: p.write_bytes(b"PK\x03\x04 not really a document"), "unsupported file type '.docx'", id="unsupported-extension"),
    pytest.param("README", lambda p: p.write_text("A Title\n\nSome text.\n"), "unsupported file type", id="no-extension"),
    pytest.param("boiler.txt", lambda p: p.write_text("Skip to content\n\nReturn to Resource Library\n\nOur Promise\n"), "no article text left", id="only-boilerplate"),
]


@pytest.mark.parametrize(("name", "write", "keyword"), BAD_FILES)
def test_bad_file_is_skipped_with_a_reason(tmp_path, name, write, keyword):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    write(tmp_path / name)
    result = ingest_corpus(tmp_path)
    assert [a.id for a in result.articles] == ["good"]
    assert [s.file for s in result.skipped] == [name]
    assert keyword in result.skipped[0].reason
    assert {p.article_id for p in result.passages} == {"good"}


def test_file_over_the_size_limit_is_skipped(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "big.txt").write_text("Big Title\n\n" + "Many words here. " * 200, encoding="utf-8")
    result = ingest_corpus(tmp_path, max_file_bytes=1000)
    assert [a.id for a in result.articles] == ["good"]
    [skipped] = result.skipped
    assert skipped.file == "big.txt"
    assert "too large" in skipped.reason and "1,000 bytes" in skipped.reason  # states the real limit


def test_symlink_outside_the_corpus_is_skipped(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "private.txt").write_text("Private\n\nNot for the corpus.\n", encoding="utf-8")
    os.symlink(tmp_path / "private.txt", corpus / "link.txt")
    result = ingest_corpus(corpus)
    assert [a.id for a in result.articles] == ["good"]
    assert [(s.file, "outside the corpus" in s.reason) for s in result.skipped] == [("link.txt", True)]
    assert "Not for the corpus" not in " ".join(p.text for p in result.passages)


def test_broken_symlink_is_skipped(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    os.symlink(tmp_path / "missing.txt", tmp_path / "dangling.txt")
    result = ingest_corpus(tmp_path)
    assert [a.id for a in result.articles] == ["good"]
    assert [(s.file, "broken link" in s.reason) for s in result.skipped] == [("dangling.txt", True)]


def test_symlink_inside_the_corpus_is_followed(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "good.txt").write_text(GOOD, encoding="utf-8")
    os.symlink(tmp_path / "sub" / "good.txt", tmp_path / "alias.txt")
    result = ingest_corpus(tmp_path)
    assert sorted(a.id for a in result.articles) == ["alias", "good"]
    assert result.skipped == []


def test_hidden_files_are_ignored_not_skipped(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01junk")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    result = ingest_corpus(tmp_path)
    assert ([a.id for a in result.articles], result.skipped) == (["good"], [])


def test_two_files_with_one_id_keep_the_first(tmp_path):
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    result = ingest_corpus(tmp_path)
    assert [(a.id, a.meta.file) for a in result.articles] == [("good", "good.md")]
    assert [(s.file, "already used" in s.reason) for s in result.skipped] == [("good.txt", True)]


def test_every_bad_file_at_once_never_raises(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    for param in BAD_FILES:
        name, write, _ = param.values
        write(tmp_path / name)
    result = ingest_corpus(tmp_path)
    assert [a.id for a in result.articles] == ["good"]
    assert sorted(s.file for s in result.skipped) == sorted(param.values[0] for param in BAD_FILES)


# --- the manifest ---------------------------------------------------------------

MALFORMED = [
    pytest.param('[[article]\nid = "a"', "not valid TOML", id="syntax"),
    pytest.param(b'[[article]]\nid = "caf\xe9"\nfile = "a.txt"', "not valid TOML", id="not-utf-8"),
    pytest.param("article = 5", "array of tables", id="article-not-a-list"),
    pytest.param('[article]\nid = "a"\nfile = "a.txt"', "array of tables", id="single-table"),
    pytest.param('article = ["a.txt"]', "array of tables", id="list-of-strings"),
    pytest.param('[[articles]]\nid = "a"\nfile = "a.txt"', "unknown top-level keys ['articles']", id="misspelt-table"),
    pytest.param('[[article]]\nid = "a"', "needs both 'id' and 'file'", id="missing-file"),
    pytest.param('[[article]]\nfile = "a.txt"', "needs both 'id' and 'file'", id="missing-id"),
    pytest.param('[[article]]\nid = "a"\nfile = "a.txt"\nauthr = "X"', "unknown keys ['authr']", id="unknown-key"),
    pytest.param('[[article]]\nid = "a"\nfile = "a.txt"\ntitle = {text = "T"}', "table or an array", id="table-value"),
    pytest.param('[[article]]\nid = "a"\nfile = "a.txt"\n[[article]]\nid = "a"\nfile = "b.txt"', "duplicate article id 'a'", id="duplicate-id"),
    pytest.param('[[article]]\nid = "a"\nfile = "a.txt"\n[[article]]\nid = "b"\nfile = "a.txt"', "duplicate file 'a.txt'", id="duplicate-file"),
]


@pytest.mark.parametrize(("content", "message"), MALFORMED)
def test_malformed_manifest_is_refused_naming_the_file(tmp_path, content, message):
    manifest = tmp_path / "manifest.toml"
    if isinstance(content, bytes):
        manifest.write_bytes(content)
    else:
        manifest.write_text(content, encoding="utf-8")
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    with pytest.raises(ManifestError) as err:
        ingest_corpus(tmp_path)
    assert str(manifest) in str(err.value)
    assert message in str(err.value)


def test_manifest_metadata_is_used(tmp_path):
    (tmp_path / "manifest.toml").write_text(
        '[[article]]\nid = "my-id"\nfile = "a.txt"\ntitle = "Manifest Title"\ndate = 2022-05-02\n', encoding="utf-8"
    )
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.txt").write_text(GOOD.replace("Good Article", "Other Article"), encoding="utf-8")
    result = ingest_corpus(tmp_path)
    assert [(a.id, a.meta.title, a.meta.date) for a in result.articles] == [
        ("my-id", "Manifest Title", "2022-05-02"),
        ("b", "Other Article", None),  # not in the manifest: id from the file name, title from the text
    ]


def test_manifest_entry_without_its_file_is_reported(tmp_path):
    (tmp_path / "manifest.toml").write_text('[[article]]\nid = "gone"\nfile = "gone.txt"\n', encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    result = ingest_corpus(tmp_path)
    assert [a.id for a in result.articles] == ["good"]
    assert [(s.file, "not found" in s.reason) for s in result.skipped] == [("gone.txt", True)]


def test_real_manifest_loads(corpus_dir):
    assert sorted(m.id for m in load_manifest(corpus_dir).values()) == [
        "iv-ketamine-for-opiate-addiction",
        "ketamine-assisted-therapy-for-substance-use-disorders",
        "ketamine-for-substance-abuse",
        "ketamine-promising-treatment-for-substance-use-disorders",
        "potential-of-ketamine-therapy-for-addiction",
    ]


def test_no_manifest_means_no_metadata(tmp_path):
    assert load_manifest(tmp_path) == {}
