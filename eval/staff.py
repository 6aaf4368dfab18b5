"""The staff tools' figures: primary-evidence recall and the claim check's precision and recall.

``verbatim eval --staff`` builds a temporary index, with the real model, over the bundled articles plus
the test data that cites real papers (``tests/fixtures/cited/``, two test articles clearly marked as
such, whose citing sentences are copied from the papers' abstracts) and those papers themselves
(``tests/fixtures/papers/``, CC BY).  Then:

* **Evidence.**  Each labelled pair is a citing sentence and the paper it cites, with the paper's
  passages that support it (exact strings of the paper's text), labelled by a helper who had not seen
  the matching code.  The pipeline's own scoring (`Answerer.evidence_for`, the one that precomputes every
  citing sentence's evidence at ingest) returns 2 passages; recall@k is the share of pairs where one of
  the first k overlaps a labelled support.  Set A (``eval/evidence_pairs.jsonl``) chose the blend's
  weights, set B (``eval/heldout/evidence/pairs.jsonl``) is held out.  Ablation rows: each signal alone.
* **Claim check.**  Each labelled case is a sentence with its expected verdict (exact copies, case or quote
  variants, light edits, changed numbers, dropped clauses, paraphrases, unrelated and false on-topic
  sentences), written blind by another helper.  Precision and recall of ``exact`` and ``near``, the
  confusion matrix, and the count of changed numbers called ``exact`` (must be 0).  Set A
  (``eval/verify_cases.jsonl``) calibrated the thresholds (the sweep is printed); set B
  (``eval/heldout/verify/cases.jsonl``) is held out.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVIDENCE_SETS = {"A (tuned on)": ROOT / "eval" / "evidence_pairs.jsonl", "B (held out)": ROOT / "eval" / "heldout" / "evidence" / "pairs.jsonl"}
VERIFY_SETS = {"A (tuned on)": ROOT / "eval" / "verify_cases.jsonl", "B (held out)": ROOT / "eval" / "heldout" / "verify" / "cases.jsonl"}
TEST_ARTICLES = ROOT / "tests" / "fixtures" / "cited"
PAPERS = ROOT / "tests" / "fixtures" / "papers"
EVIDENCE_ABLATIONS = {
    "blend (shipped)": None,
    "best sentence only": (1.0, 0.0, 0.0),
    "whole passage only": (0.0, 1.0, 0.0),
    "lexical only": (0.0, 0.0, 1.0),
    "cosines, no lexical": (0.25, 0.75, 0.0),
    "first draft 0.5/0.2/0.3": (0.5, 0.2, 0.3),
}


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def staff_corpus(dest: Path, corpus_dir: Path) -> Path:
    """The bundled articles, the two test articles and the papers they cite, copied into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for f in sorted(Path(corpus_dir).iterdir()):
        if f.is_file():
            shutil.copyfile(f, dest / f.name)
    for f in sorted(TEST_ARTICLES.glob("*.txt")):
        shutil.copyfile(f, dest / f.name)
    for f in sorted(PAPERS.rglob("*")):
        if f.suffix.lower() in (".pdf", ".nxml"):
            shutil.copyfile(f, dest / f.name)
    return dest


# ---------------------------------------------------------------------------------------------- evidence


def support_spans(text: str, supports: list[str]) -> list[tuple[int, int]]:
    spans = []
    for s in supports:
        i = text.find(s)
        if i < 0:
            raise ValueError(f"support string not in the paper's text (was the paper re-ingested differently?): {s[:60]!r}")
        spans.append((i, i + len(s)))
    return spans


def evidence_eval(answerer, pairs: list[dict], texts: dict[str, str], weights=None) -> dict:
    ranks: list[int | None] = []
    by_style: dict[str, list[int | None]] = {}
    misses = []
    for case in pairs:
        spans = support_spans(texts[case["source_id"]], case["support"])
        found = answerer.evidence_for(case["citing_sentence"], case["source_id"], k=2, weights=weights)
        rank = next((i + 1 for i, e in enumerate(found) if any(e.span.start < b and a < e.span.end for a, b in spans)), None)
        ranks.append(rank)
        by_style.setdefault(case["style"], []).append(rank)
        if rank is None:
            misses.append({"id": case["id"], "sentence": case["citing_sentence"][:90], "got": found[0].quote[:90] if found else None})

    def rec(rs, k):
        return round(sum(r is not None and r <= k for r in rs) / max(1, len(rs)), 3)

    return {
        "pairs": len(pairs),
        "recall@1": rec(ranks, 1),
        "recall@2": rec(ranks, 2),
        "by_style": {s: {"pairs": len(rs), "recall@1": rec(rs, 1), "recall@2": rec(rs, 2)} for s, rs in sorted(by_style.items())},
        "misses": misses,
    }


# ---------------------------------------------------------------------------------------------- claim check


def verify_eval(answerer, cases: list[dict], thresholds=None) -> dict:
    from service.api import VERDICTS

    got = []
    for case in cases:
        out = answerer.verify(case["text"], thresholds=thresholds)
        # A case is one sentence; if the splitter cut it in two, the weakest verdict stands for it.
        verdicts = [s.verdict for s in out.sentences] or ["not_found"]
        got.append(max(verdicts, key=VERDICTS.index))
    confusion = {e: {g: 0 for g in VERDICTS} for e in VERDICTS}
    for case, g in zip(cases, got):
        confusion[case["expected"]][g] += 1
    result: dict = {"cases": len(cases), "confusion": confusion}
    for v in ("exact", "near"):
        tp = confusion[v][v]
        predicted = sum(confusion[e][v] for e in VERDICTS)
        actual = sum(confusion[v].values())
        result[v] = {"precision": round(tp / predicted, 3) if predicted else None, "recall": round(tp / actual, 3) if actual else None}
    result["accuracy"] = round(sum(confusion[v][v] for v in VERDICTS) / max(1, len(cases)), 3)
    result["changed_number_as_exact"] = sum(c["category"] == "changed_number" and g == "exact" for c, g in zip(cases, got))
    by_cat: dict[str, list[bool]] = {}
    for c, g in zip(cases, got):
        by_cat.setdefault(c["category"], []).append(g == c["expected"])
    result["by_category"] = {k: f"{sum(v)}/{len(v)}" for k, v in sorted(by_cat.items())}
    result["wrong"] = [{"id": c["id"], "category": c["category"], "expected": c["expected"], "got": g, "text": c["text"][:90]}
                       for c, g in zip(cases, got) if g != c["expected"]]
    return result


def evidence_sweep(answerer, pairs: list[dict], texts: dict[str, str]) -> list[dict]:
    """Recall of the evidence blends over a grid of weights (on the tuning pairs only)."""
    rows = []
    for wb in (0.0, 0.1, 0.2, 0.3, 0.5):
        for ww in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6):
            wl = round(1 - wb - ww, 2)
            if wl >= 0:
                r = evidence_eval(answerer, pairs, texts, (wb, ww, wl))
                rows.append({"weights": (wb, ww, wl), "recall@1": r["recall@1"], "recall@2": r["recall@2"]})
    return rows


def sweep(answerer, cases: list[dict]) -> list[dict]:
    """Accuracy of the three verdicts over a grid of the two thresholds (on the tuning cases only)."""
    rows = []
    for ratio in (0.5, 0.55, 0.6, 0.65, 0.7, 0.72, 0.75, 0.8, 0.85, 0.9):
        for coverage in (0.75, 0.8, 0.85, 0.9, 0.95, 1.01):
            r = verify_eval(answerer, cases, thresholds=(ratio, coverage))
            rows.append({"near_ratio": ratio, "near_coverage": coverage, "accuracy": r["accuracy"],
                         "near_precision": r["near"]["precision"], "near_recall": r["near"]["recall"]})
    return rows


# ---------------------------------------------------------------------------------------------- main


def main(settings, as_json: bool = False, with_sweep: bool = False) -> dict:
    import logging

    from service.api import article_texts, ingest, open_answerer, serving_embedder

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    embedder = serving_embedder(settings)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = staff_corpus(Path(tmp) / "corpus", settings.corpus_dir)
        s = settings.model_copy(update={"corpus_dir": corpus, "index_dir": Path(tmp) / "index"})
        ingest(s, embedder)
        answerer = open_answerer(s, embedder=embedder)
        texts = article_texts(answerer)
        counts = answerer.index.manifest["counts"]
        result: dict = {"corpus": {k: counts[k] for k in ("articles", "works", "works_cited_by_several_articles", "works_with_source", "citing_sentences")},
                        "evidence": {}, "verify": {}}
        for name, path in EVIDENCE_SETS.items():
            pairs = load(path)
            result["evidence"][name] = {label: evidence_eval(answerer, pairs, texts, w) for label, w in EVIDENCE_ABLATIONS.items()}
        for name, path in VERIFY_SETS.items():
            if path.exists():
                result["verify"][name] = verify_eval(answerer, load(path))
        if with_sweep:
            result["evidence_sweep_A"] = evidence_sweep(answerer, load(EVIDENCE_SETS["A (tuned on)"]), texts)
            result["verify_sweep_A"] = sweep(answerer, load(VERIFY_SETS["A (tuned on)"]))
    if as_json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return result
    _print(result)
    return result


def _print(result: dict) -> None:
    c = result["corpus"]
    print(f"staff corpus: {c['articles']} articles and sources; {c['works']} works, {c['works_cited_by_several_articles']} cited by "
          f"more than one article, {c['works_with_source']} with the paper in the corpus; {c['citing_sentences']} citing sentences")
    print("\nprimary evidence (2 passages per citing sentence)")
    print(f"{'set':16}{'scoring':24}{'pairs':>7}{'recall@1':>10}{'recall@2':>10}   by style (r@1 / r@2)")
    for name, rows in result["evidence"].items():
        for label, r in rows.items():
            styles = "; ".join(f"{s} {v['recall@1']}/{v['recall@2']}" for s, v in r["by_style"].items())
            print(f"{name:16}{label:24}{r['pairs']:>7}{r['recall@1']:>10}{r['recall@2']:>10}   {styles}")
    for name, rows in result["evidence"].items():
        misses = rows["blend (shipped)"]["misses"]
        print(f"missed in {name}: {', '.join(m['id'] for m in misses) or 'none'}")
    print("\nclaim check")
    print(f"{'set':16}{'cases':>7}{'exact P':>9}{'exact R':>9}{'near P':>9}{'near R':>9}{'accuracy':>10}{'changed number as exact':>25}")
    for name, r in result["verify"].items():
        print(f"{name:16}{r['cases']:>7}{r['exact']['precision']!s:>9}{r['exact']['recall']!s:>9}{r['near']['precision']!s:>9}"
              f"{r['near']['recall']!s:>9}{r['accuracy']:>10}{r['changed_number_as_exact']:>25}")
    for name, r in result["verify"].items():
        print(f"{name}: by category {r['by_category']}")
        print(f"{name}: confusion (expected -> got) {r['confusion']}")
    if "evidence_sweep_A" in result:
        print("\nevidence weight sweep on set A (best sentence, whole passage, lexical): recall@1, recall@2")
        for row in result["evidence_sweep_A"]:
            print(f"  {row['weights']}: {row['recall@1']} {row['recall@2']}")
    if "verify_sweep_A" in result:
        print("\nthreshold sweep on set A (near ratio, near coverage): accuracy, near precision, near recall")
        for row in result["verify_sweep_A"]:
            print(f"  {row['near_ratio']:.2f} {row['near_coverage']:.2f}: {row['accuracy']} {row['near_precision']} {row['near_recall']}")
