"""The staff tools' evaluation (eval/staff.py) with the real model: its case files are well formed, and the
figures it reports hold their floors (below the measured ones; see docs/staff.md)."""
from __future__ import annotations

import pytest

from eval.staff import EVIDENCE_SETS, VERIFY_SETS, evidence_eval, load, support_spans, verify_eval

pytestmark = [pytest.mark.integration]
CATEGORIES = {"exact_copy": "exact", "exact_variant": "exact", "light_edit": "near", "changed_number": "near",
              "dropped_clause": "near", "paraphrase": "not_found", "unrelated": "not_found", "on_topic_false": "not_found"}


@pytest.fixture(scope="module")
def answerer(staff_index_dir, real_embedder):
    from service.api import Router, open_answerer
    from service.settings import Settings

    return open_answerer(Settings(index_dir=staff_index_dir), embedder=real_embedder, router=Router())


@pytest.fixture(scope="module")
def texts(answerer):
    from service.api import article_texts

    return article_texts(answerer)


def test_case_files_are_well_formed_and_disjoint(texts):
    seen_sentences, seen_texts = set(), set()
    for name, path in EVIDENCE_SETS.items():
        pairs = load(path)
        assert len(pairs) >= (40 if "held out" in name else 15)
        for p in pairs:
            assert p["style"] in ("abstract", "review") and p["citing_sentence"] not in seen_sentences
            seen_sentences.add(p["citing_sentence"])
            assert support_spans(texts[p["source_id"]], p["support"])  # every support is the paper's own text
    for path in VERIFY_SETS.values():
        for c in load(path):
            assert CATEGORIES[c["category"]] == c["expected"] and c["text"] not in seen_texts
            seen_texts.add(c["text"])


def test_evidence_recall_holds_its_floor(answerer, texts):
    for name, path in EVIDENCE_SETS.items():
        r = evidence_eval(answerer, load(path), texts)
        assert r["recall@2"] >= 0.9, (name, r["misses"])
        assert r["by_style"]["abstract"]["recall@1"] == 1.0, name  # a sentence copied from the abstract finds it
    # the lexical signal pays: without it, held-out recall@1 is lower
    held = load(EVIDENCE_SETS["B (held out)"])
    assert evidence_eval(answerer, held, texts)["recall@1"] > evidence_eval(answerer, held, texts, (0.0, 1.0, 0.0))["recall@1"]


def test_the_claim_check_never_calls_a_changed_number_exact(answerer):
    for name, path in VERIFY_SETS.items():
        r = verify_eval(answerer, load(path))
        assert r["changed_number_as_exact"] == 0, name
        assert r["exact"]["precision"] == 1.0, (name, r["wrong"])
        assert r["near"]["precision"] >= 0.9 and r["near"]["recall"] >= 0.9 and r["exact"]["recall"] >= 0.9, (name, r["wrong"])
