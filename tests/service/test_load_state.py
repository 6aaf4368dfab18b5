"""`load_state` prepares the encoder on a thread beside the index load; what fails in either is raised on the
caller's thread, as it would be alone (`verbatim serve` names it in one line)."""
from __future__ import annotations

import threading

import pytest

import service.app as app_module
from index.store import IndexLoadError
from service.settings import Settings


def _failing_encoder(seen: list[str]):
    def make(settings, batching=False):
        seen.append(threading.current_thread().name)
        raise OSError("the model file is unreadable")

    return make


def test_an_encoder_that_cannot_load_is_raised_on_the_callers_thread(real_index_dir, monkeypatch):
    seen: list[str] = []
    monkeypatch.setattr(app_module, "serving_embedder", _failing_encoder(seen))
    with pytest.raises(OSError, match="the model file is unreadable"):
        app_module.load_state(Settings(index_dir=real_index_dir))
    assert seen and seen[0] != threading.current_thread().name  # it was prepared beside the index


def test_a_missing_index_is_named_first_even_when_the_encoder_fails_too(tmp_path, monkeypatch):
    monkeypatch.setattr(app_module, "serving_embedder", _failing_encoder([]))
    with pytest.raises(IndexLoadError, match="run `verbatim ingest`"):
        app_module.load_state(Settings(index_dir=tmp_path / "missing"))
    assert not [t for t in threading.enumerate() if t.name.startswith("verbatim-load-encoder")]  # joined, not left running


def test_returning_freed_memory_is_silent_where_there_is_no_glibc(monkeypatch):
    def no_libc(name):
        raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(app_module.ctypes, "CDLL", no_libc)
    app_module._return_freed_memory()  # nothing to trim, and nothing raised
