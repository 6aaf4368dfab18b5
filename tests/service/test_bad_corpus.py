"""Bad files dropped into the real corpus: `verbatim ingest` skips each with a reason and loses nothing else."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.ingest.test_load import _corrupt_pdf, _encrypted_pdf

pytestmark = [pytest.mark.integration, pytest.mark.slow]

BAD = {
    "corrupt.pdf": (_corrupt_pdf, "unreadable PDF"),
    "encrypted.pdf": (_encrypted_pdf, "encrypted"),
    "empty.txt": (lambda p: p.write_bytes(b""), "empty"),
    "binary.txt": (lambda p: p.write_bytes(bytes(range(256)) * 64), "binary"),
    "huge.txt": (lambda p: p.write_bytes(b"Huge Title\n\n" + b"Many words in a very large file. " * (50 * 2**20 // 33)), "too large"),
    "latin1.txt": (lambda p: p.write_bytes("Caf\u00e9 Title\n\nCaf\u00e9 na\u00efve body text.\n".encode("latin-1")), "not UTF-8"),
}


def test_bad_files_are_skipped_and_nothing_is_lost(tmp_path, corpus_dir, real_index_dir, corpus_result):
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    index = tmp_path / "index"
    shutil.copytree(real_index_dir, index, symlinks=True)
    for name, (write, _) in BAD.items():
        write(corpus / name)
    assert (corpus / "huge.txt").stat().st_size >= 50 * 10**6
    env = {**os.environ, "VERBATIM_CORPUS_DIR": str(corpus), "VERBATIM_INDEX_DIR": str(index), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-m", "service.cli", "ingest", "--json", "--quiet"], env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 3, proc.stderr  # done, some files skipped
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    reasons = {s["file"]: s["reason"] for s in report["skipped"]}
    assert set(reasons) == set(BAD)
    for name, (_, keyword) in BAD.items():
        assert keyword in reasons[name], (name, reasons[name])
    assert proc.stderr == ""  # no stray warnings from the PDF reader
    # Nothing lost: the same articles and passages as the clean corpus.
    assert sorted(a["id"] for a in report["articles"]) == sorted(a.id for a in corpus_result.articles)
    assert report["passages"] == len(corpus_result.passages) == 125
    # The human-readable run names each file with its reason, one line each.
    again = subprocess.run([sys.executable, "-m", "service.cli", "ingest", "--quiet"], env=env,
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 3
    printed = again.stdout + again.stderr
    for name in BAD:
        [line] = [ln for ln in printed.splitlines() if name in ln]
        assert reasons[name] in line
