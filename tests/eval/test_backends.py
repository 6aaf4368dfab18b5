"""The ONNX backend is the default only because it answers the gold set exactly as torch does.

Each backend builds its own index of the corpus (so the passage vectors differ too, by
rounding) and answers all gold cases through the service's Python API; the kinds, the
rules and the passages returned, in order, must be identical.
"""
from __future__ import annotations

import pytest

from eval.run import load_gold
from service.api import ingest, open_answerer
from service.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _answers(settings: Settings, embedder) -> dict[str, tuple]:
    ingest(settings, embedder)
    answerer = open_answerer(settings, embedder=embedder)
    out = {}
    for case in load_gold():
        r = answerer.ask(case["question"], history=case.get("history", []))
        out[case["id"]] = (r.kind, r.rule, [p.id for p in r.passages], [(p.highlight.start, p.highlight.end) for p in r.passages])
    return out


def test_onnx_and_torch_answer_the_gold_set_identically(tmp_path, corpus_dir, real_embedder, torch_embedder):
    base = Settings(corpus_dir=corpus_dir, model_cache=tmp_path / "models")
    onnx = _answers(base.model_copy(update={"index_dir": tmp_path / "onnx"}), real_embedder)
    torch = _answers(base.model_copy(update={"index_dir": tmp_path / "torch"}), torch_embedder)
    assert len(onnx) == len(load_gold()) >= 200
    differ = {k: (onnx[k], torch[k]) for k in onnx if onnx[k] != torch[k]}
    assert not differ, differ
