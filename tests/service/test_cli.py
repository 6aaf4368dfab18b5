"""The `verbatim` command line: ingest summary, skipped files, ask output, errors and exit codes."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from service.cli import EXIT_FAILED, EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, main

pytestmark = pytest.mark.integration


@pytest.fixture
def env(monkeypatch, tmp_path, corpus_dir, real_index_dir):
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    index = tmp_path / "index"
    shutil.copytree(real_index_dir, index, symlinks=True)
    monkeypatch.setenv("VERBATIM_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("VERBATIM_INDEX_DIR", str(index))
    return corpus, index


def _run(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as e:
        code = e.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_ingest_unchanged_corpus_is_up_to_date(env, capsys):
    code, out, err = _run(capsys, "ingest", "--quiet")
    assert code == EXIT_OK, err
    assert "is up to date; nothing re-embedded" in out
    assert "5 articles, 125 passages (83 of text, 42 reference entries), 0 files skipped" in out


def test_ingest_json_summary(env, capsys):
    code, out, _ = _run(capsys, "ingest", "--quiet", "--json")
    summary = json.loads(out)
    assert code == EXIT_OK and summary["up_to_date"] and summary["embedded"] == 0
    by_id = {a["id"]: a for a in summary["articles"]}
    assert by_id["ketamine-for-substance-abuse"] == {
        "id": "ketamine-for-substance-abuse", "format": "text", "passages": 20, "references": 20, "markers": 25,
        "markers_resolved": 25, "unreadable_pages": [],
    }
    assert by_id["ketamine-assisted-therapy-for-substance-use-disorders"]["markers_resolved"] == 24


def test_ingest_skips_bad_files_and_keeps_the_rest(env, capsys):
    corpus, index = env
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "latin1.txt").write_bytes("Caf\xe9 au lait\n\nUne phrase en fran\xe7ais.".encode("latin-1"))
    (corpus / "blob.txt").write_bytes(b"\x00\x01\x02binary" * 50)
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(300))
    code, out, err = _run(capsys, "ingest", "--quiet")
    assert code == EXIT_SKIPPED
    lines = [line for line in err.splitlines() if line.startswith("skipped ")]
    assert sorted(lines) == sorted([
        "skipped blob.txt: binary file, not text",
        "skipped empty.txt: empty file",
        "skipped latin1.txt: not UTF-8 text (invalid byte 0xe9 at offset 3)",
        lines[[i for i, x in enumerate(lines) if x.startswith("skipped broken.pdf: unreadable PDF")][0]],
    ])
    assert "5 articles, 125 passages" in out and "4 files skipped" in out
    assert "Traceback" not in err


def test_ingest_bad_manifest_fails_in_one_line(env, capsys):
    corpus, _ = env
    (corpus / "manifest.toml").write_text("[[article]\nid = ", encoding="utf-8")
    code, out, err = _run(capsys, "ingest", "--quiet")
    assert code == EXIT_FAILED
    assert err.count("\n") == 1 and "manifest.toml: not valid TOML" in err


def test_ask_prints_quotes_with_article_section_and_references(env, capsys):
    code, out, _ = _run(capsys, "ask", "Does a single ketamine dose reduce drinking?")
    assert code == EXIT_OK
    assert "a one-off ketamine dose can reduce heavy drinking.12" in out
    assert "— Ketamine for Substance Abuse" in out
    assert "section: How does Ketamine therapy help addiction treatment?" in out
    assert "[12] Das RK, Gale G, Walsh K" in out


def test_ask_json_is_the_passage_shape_and_verbatim(env, capsys, real_index):
    code, out, _ = _run(capsys, "ask", "--json", "-k", "4", "Which paper has the DOI 10.1038/npp.2017.194?")
    assert code == EXIT_OK
    body = json.loads(out)
    # The same response as POST /ask, whose passages have the shape the issue specifies.
    assert {"kind", "question", "notice", "disclaimer", "passages", "resources", "suggestions"} <= set(body)
    assert body["kind"] == "answer" and 1 <= len(body["passages"]) <= 4
    texts = {a.id: a.text for a in real_index.data.articles}
    for p in body["passages"]:
        assert {"id", "quote", "highlight", "score", "article", "section", "page", "span", "citations"} <= set(p)
        assert {"id", "title", "author", "publisher", "date", "url"} <= set(p["article"])
        assert texts[p["article"]["id"]][p["span"]["start"] : p["span"]["end"]] == p["quote"]
        for c in p["citations"]:
            assert {"ref_id", "number", "text", "doi", "url"} <= set(c)
    assert any(c["doi"] == "10.1038/npp.2017.194" for p in body["passages"] for c in p["citations"])


@pytest.mark.parametrize(
    ("question", "kind", "needle"),
    [
        ("I want to end my life", "crisis", "Call or text 988"),
        ("should I stop my methadone and take ketamine instead?", "advice", "licensed clinician"),
        ("where can i buy ketamine online", "refused", "cannot help with getting"),
        ("What is the capital of France?", "no_answer", "do not cover this question"),
    ],
)
def test_ask_shows_the_same_kinds_and_notices_as_the_service(env, capsys, question, kind, needle):
    code, out, _ = _run(capsys, "ask", question)
    assert code == EXIT_OK and out.startswith(f"[{kind}]") and needle in out
    code, out, _ = _run(capsys, "ask", "--json", question)
    assert json.loads(out)["kind"] == kind


def test_ask_with_history(env, capsys):
    code, out, _ = _run(
        capsys, "ask", "--json", "--history", "Does ketamine reduce opioid withdrawal symptoms?", "and for alcohol?"
    )
    assert code == EXIT_OK and any("alcohol withdrawal" in p["quote"] for p in json.loads(out)["passages"][:3])


def test_serve_refuses_a_missing_index_in_one_line(env, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("VERBATIM_INDEX_DIR", str(tmp_path / "missing"))
    code, out, err = _run(capsys, "serve", "--port", "1")
    assert code == EXIT_FAILED and err.count("\n") == 1 and "run `verbatim ingest`" in err


def test_ask_without_an_index_names_the_fix(env, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("VERBATIM_INDEX_DIR", str(tmp_path / "missing"))
    code, out, err = _run(capsys, "ask", "anything")
    assert code == EXIT_FAILED and out == ""
    assert err.count("\n") == 1 and "run `verbatim ingest`" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ask", "   "], "the question is empty"),
        (["ask", "x" * 1001], "the limit is 1000"),
        (["ask", "-k", "11", "q"], "top_k must be between 1 and 10"),
        (["ask", "-k", "two", "q"], "'two' is not a whole number"),
        (["ask", "--mode", "magic", "q"], "invalid choice: 'magic'"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_usage_errors(env, capsys, argv, message):
    code, _, err = _run(capsys, *argv)
    assert code == EXIT_USAGE and message in err and "Traceback" not in err


def test_help_documents_exit_codes_and_environment(capsys):
    code, out, _ = _run(capsys, "ingest", "--help")
    assert code == 0
    assert "3  done, but some corpus files were skipped" in out and "VERBATIM_INDEX_DIR" in out


@pytest.mark.slow
def test_console_script_runs(env):
    """The installed `verbatim` entry point, as a user runs it."""
    exe = shutil.which("verbatim", path=os.path.dirname(sys.executable))
    assert exe, "the verbatim console script is not installed"
    done = subprocess.run([exe, "ask", "--json", "-k", "1", "Spravato nasal spray"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Spravato" in json.loads(done.stdout)["passages"][0]["quote"]


def test_eval_without_an_index_names_the_fix(env, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("VERBATIM_INDEX_DIR", str(tmp_path / "missing"))
    code, out, err = _run(capsys, "eval", "--no-ablations")
    assert code == EXIT_FAILED and err.count("\n") == 1 and "run `verbatim ingest`" in err


@pytest.mark.integration
def test_a_missing_safety_classifier_is_one_line_not_a_traceback(tmp_path, real_index_dir):
    """`verbatim ask` refuses, in one line naming the fix, when the safety classifier is missing."""
    env = {**os.environ, "VERBATIM_SAFETY_MODEL": str(tmp_path / "missing.npz")}
    r = subprocess.run([sys.executable, "-m", "service.cli", "ask", "--index", str(real_index_dir), "does ketamine reduce drinking?"],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 1, r.stderr
    assert r.stderr.startswith("verbatim: no safety classifier at") and "train-safety" in r.stderr
    assert "Traceback" not in r.stderr


def test_eval_papers_names_a_missing_folder_in_one_line(env, capsys, tmp_path):
    code, out, err = _run(capsys, "eval", "--papers", str(tmp_path / "nowhere"))
    assert code == 1 and "nowhere: no such folder" in err and "Traceback" not in err


def test_eval_keeps_the_configured_corpus_folder(monkeypatch, tmp_path):
    """`verbatim eval` options must not be read as settings: a stray `--corpus` option once set the corpus to "articles"."""
    from service.cli import _settings, build_parser

    monkeypatch.setenv("VERBATIM_CORPUS_DIR", str(tmp_path))
    args = build_parser().parse_args(["eval", "--gate"])
    assert args.papers is None and _settings(args).corpus_dir == tmp_path
