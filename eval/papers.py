"""The second corpus: real open-access papers (PDF and JATS), their questions, and a baseline in the same run.

``verbatim eval --papers`` ingests the papers folder into a temporary index with the real model,
asks every question of set A (``eval/papers_questions.jsonl``, tuned on) and set B
(``eval/heldout/papers/questions_b.jsonl``, held out) through the one ask pipeline, and reports
recall@1, recall@5, MRR@5, page accuracy, citation accuracy and the verbatim check.  Beside it, the
plainest baseline: BM25 over 1000-character chunks (200 shared) of pypdf's text for each PDF (and of the
tag-stripped XML for each JATS file), on the same questions.

Each set was written by its own helper, who read the papers, not the code (B's helper did not see A).  A hit is a passage of the
question's paper that contains one of its evidence strings, compared as letters and digits only (case,
spacing, hyphens and ligatures ignored), which is as kind to pypdf's raw text as to the cleaned one.
Page accuracy: of the questions whose evidence is in the top 5, the share where the first passage
holding it carries the page the helper gave.  Citation accuracy: of the questions whose evidence is a
reference entry, the share where the top 5 shows that entry, as a passage or as a citation of one.
"""
from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

QUESTIONS = Path(__file__).with_name("papers_questions.jsonl")  # set A: tuned on (chunk sizes, reference lookup)
HELDOUT = Path(__file__).with_name("heldout") / "papers" / "questions_b.jsonl"  # set B: written later, blind, never tuned on
QUESTION_SETS = {"A (tuned on)": QUESTIONS, "B (held out)": HELDOUT}
TOP_K = 5
CHUNK, OVERLAP = 1000, 200


def letters(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[^a-z0-9]+", "", folded)


def load_questions(path: Path = QUESTIONS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass
class Outcome:
    id: str
    rank: int | None  # 1-based rank of the first hit in the top 5
    page_ok: bool | None  # None when not a PDF question or no hit
    citation_ok: bool | None  # None unless the evidence is a reference entry
    verbatim_ok: bool = True


def _first_hit(texts: list[str], evidence: list[str]) -> int | None:
    needles = [letters(e) for e in evidence if letters(e)]
    for i, t in enumerate(texts):
        flat = letters(t)
        if any(n in flat for n in needles):
            return i
    return None


def _summary(outcomes: list[Outcome]) -> dict:
    n = len(outcomes)
    hits = [o.rank for o in outcomes]
    pages = [o.page_ok for o in outcomes if o.page_ok is not None]
    cites = [o.citation_ok for o in outcomes if o.citation_ok is not None]
    return {
        "questions": n,
        "recall@1": round(sum(r == 1 for r in hits) / n, 3) if n else None,
        "recall@5": round(sum(r is not None for r in hits) / n, 3) if n else None,
        "mrr@5": round(sum(1 / r for r in hits if r) / n, 3) if n else None,
        "page_accuracy": round(sum(pages) / len(pages), 3) if pages else None,
        "page_questions": len(pages),
        "citation_accuracy": round(sum(cites) / len(cites), 3) if cites else None,
        "citation_questions": len(cites),
        "verbatim": round(sum(o.verbatim_ok for o in outcomes) / n, 3) if n else None,
    }


def run_verbatim(settings, papers_dir: Path, sets: dict[str, list[dict]], embedder) -> tuple[dict, dict, dict]:
    """Ingest ``papers_dir`` into a temporary index and ask every set's questions through the ask pipeline."""
    from service.api import article_texts, ingest, open_answerer

    import shutil

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"  # the papers only: the folder's README is not one of them
        for path in sorted(papers_dir.rglob("*")):
            if path.suffix.lower() in (".pdf", ".nxml", ".xml"):
                dest = corpus / path.relative_to(papers_dir)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, dest)
        s = settings.model_copy(update={"corpus_dir": corpus, "index_dir": Path(tmp) / "index"})
        ingest(s, embedder)
        answerer = open_answerer(s, embedder=embedder)
        texts = article_texts(answerer)
        files = {a.meta.file: a.id for a in answerer.index.data.articles}
        summaries, all_outcomes = {}, {}
        for name, questions in sets.items():
            outcomes = _ask_all(answerer, texts, files, questions)
            summaries[name], all_outcomes[name] = _summary(outcomes), outcomes
        info = {"files": len(files), "passages": len(answerer.index.data.passages)}
    return summaries, all_outcomes, info


def _ask_all(answerer, texts: dict[str, str], files: dict[str, str], questions: list[dict]) -> list[Outcome]:
    outcomes = []
    for q in questions:
        out = answerer.ask(q["question"], top_k=TOP_K).model_dump()
        passages = [p for p in out["passages"]]
        verbatim = all(texts[p["article"]["id"]][p["span"]["start"] : p["span"]["end"]] == p["quote"] for p in passages)
        own = [p if p["article"]["id"] == files.get(q["file"]) else None for p in passages]
        rank = _first_hit([p["quote"] if p else "" for p in own], q["evidence"])
        page_ok = None
        if rank is not None and q["file"].endswith(".pdf") and q.get("page"):
            page_ok = own[rank]["page"] == q["page"]
        citation_ok = None
        if q.get("where") == "reference":
            shown = [p["quote"] for p in own if p] + [c["text"] for p in own if p for c in p.get("citations", [])]
            citation_ok = _first_hit(shown, q["evidence"]) is not None
        outcomes.append(Outcome(q["id"], None if rank is None else rank + 1, page_ok, citation_ok, verbatim))
    return outcomes


def baseline_chunks(papers_dir: Path) -> list[tuple[str, str, int | None]]:
    """(file, chunk text, page) for 1000/200-character windows of each paper's plain text."""
    import xml.etree.ElementTree as ET

    from pypdf import PdfReader

    out: list[tuple[str, str, int | None]] = []
    for path in sorted(papers_dir.rglob("*")):
        rel = path.relative_to(papers_dir).as_posix()
        if path.suffix.lower() == ".pdf":
            reader = PdfReader(str(path))
            pages = []
            for page in reader.pages:
                try:
                    pages.append(page.extract_text() or "")
                except Exception:  # noqa: BLE001  the baseline loses a page it cannot read, like pypdf's users do
                    pages.append("")
        elif path.suffix.lower() in (".nxml", ".xml"):
            pages = ["".join(ET.parse(path).getroot().itertext())]
        else:
            continue
        text = "\n".join(pages)
        starts = [0]
        for p in pages[:-1]:
            starts.append(starts[-1] + len(p) + 1)
        pos = 0
        while pos < len(text):
            chunk = text[pos : pos + CHUNK]
            page = max(i for i, s in enumerate(starts) if s <= pos) + 1 if path.suffix.lower() == ".pdf" else None
            out.append((rel, chunk, page))
            if pos + CHUNK >= len(text):
                break
            pos += CHUNK - OVERLAP
    return out


def run_baseline(papers_dir: Path, questions: list[dict]) -> dict:
    import bm25s

    chunks = baseline_chunks(papers_dir)
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize([c[1] for c in chunks], stopwords="en", show_progress=False), show_progress=False)
    outcomes = []
    for q in questions:
        ids, _scores = retriever.retrieve(bm25s.tokenize([q["question"]], stopwords="en", show_progress=False), k=TOP_K, show_progress=False)
        top = [chunks[int(i)] for i in ids[0]]
        own = [c[1] if c[0] == q["file"] else "" for c in top]
        rank = _first_hit(own, q["evidence"])
        page_ok = None
        if rank is not None and q["file"].endswith(".pdf") and q.get("page"):
            page_ok = top[rank][2] == q["page"]
        citation_ok = rank is not None if q.get("where") == "reference" else None
        outcomes.append(Outcome(q["id"], None if rank is None else rank + 1, page_ok, citation_ok, True))
    return _summary(outcomes)


TARGETS = {"recall@5 over baseline": 0.15, "recall@1 over baseline": 0.20, "verbatim": 1.0, "page_accuracy": 0.95}


def main(settings, papers_dir: Path, as_json: bool = False) -> dict:
    from service.api import serving_embedder

    import logging

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    papers_dir = Path(papers_dir)
    sets = {name: load_questions(path) for name, path in QUESTION_SETS.items() if path.exists()}
    embedder = serving_embedder(settings)
    ours, outcomes, info = run_verbatim(settings, papers_dir, sets, embedder)
    result = {"ingest": info, "sets": {}}
    for name, questions in sets.items():
        result["sets"][name] = {
            "verbatim": ours[name],
            "baseline": run_baseline(papers_dir, questions),
            "misses": [o.id for o in outcomes[name] if o.rank is None],
        }
    if as_json:
        print(json.dumps(result, indent=2))
        return result
    keys = ["recall@1", "recall@5", "mrr@5", "page_accuracy", "citation_accuracy", "verbatim"]
    print(f"papers corpus: {info['files']} files, {info['passages']} passages, from {papers_dir}")
    for name, r in result["sets"].items():
        print(f"\nquestion set {name}: {r['verbatim']['questions']} questions")
        print(f"{'':22}" + "".join(f"{k:>18}" for k in keys))
        for label, row in (("Verbatim", r["verbatim"]), ("BM25 1000/200 chunks", r["baseline"])):
            print(f"{label:22}" + "".join(f"{'-' if row[k] is None else row[k]:>18}" for k in keys))
        print(f"missed by Verbatim: {', '.join(r['misses']) or 'none'}")
    return result
