"""`verbatim eval`: run the gold set, report honest figures, compare configurations, enforce the gates.

In process it uses the service's Python API (`service.api`); with ``--url`` it uses the HTTP API of a
running server.  Every run writes ``report.json``, ``report.md`` (every failed case with what came
back) and ``scores.png`` (in process only: relevance distributions of answerable versus unanswerable
questions with the no-answer threshold marked) into ``--out``.
"""
from __future__ import annotations

import json
import tempfile
import time
import sys
from pathlib import Path

from eval import safety
from eval.metrics import CaseResult, summarize

GOLD = Path(__file__).with_name("gold.jsonl")
# 30% of the gold cases, chosen once by hash before any ranking parameter was tuned on the grown set: no
# tuning reads them, and `verbatim eval` reports them apart (see gold_split.json for how they were drawn).
SPLIT = Path(__file__).with_name("gold_split.json")
# 75 answerable questions and 75 on everyday topics the articles never discuss, written blind (its README):
# reported beside the gold set's slices, and never tuned on.
TOPICS_SET = Path(__file__).parent / "heldout" / "topics" / "questions.jsonl"
TOPICS_SLICE = "blind topics set (held out)"


def heldout_ids(path: Path = SPLIT) -> set[str]:
    return set(json.loads(path.read_text(encoding="utf-8"))["heldout"])


def gold_subsets(gold: list[dict]) -> dict[str, set[str]]:
    """The slices `verbatim eval` reports: the whole set, its tuning and held-out splits, and the original 210
    cases (the recall@5 floor was measured on those, so the gate reads them; the grown cases are harder)."""
    held = heldout_ids()
    ids = [c["id"] for c in gold]
    return {
        "whole set": set(ids),
        "tuning split (70%)": {i for i in ids if i not in held},
        "held-out split (30%)": {i for i in ids if i in held},
        "original cases": {c["id"] for c in gold if c.get("origin") != "grown"},
    }


def run_papers(settings, papers_dir: Path, as_json: bool = False) -> dict:
    """`verbatim eval --papers`: the open-access papers and their questions (eval/papers.py)."""
    from eval.papers import main as papers_main

    return papers_main(settings, papers_dir, as_json=as_json)


def run_train_ranker(settings, as_json: bool = False) -> dict:
    """`verbatim train-ranker`: fit the learned ranker on the tuning split, C by cross-validation (eval/train_ranker.py)."""
    from eval.train_ranker import main as train_main

    return train_main(settings, as_json=as_json)


def run_staff(settings, as_json: bool = False, with_sweep: bool = False) -> dict:
    """`verbatim eval --staff`: primary-evidence recall and the claim check's precision and recall (eval/staff.py)."""
    from eval.staff import main as staff_main

    return staff_main(settings, as_json=as_json, with_sweep=with_sweep)
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "data" / "eval"
KINDS = ["answer", "no_answer", "advice", "crisis", "refused"]

# Quality gates (CI fails below these).  RECALL_AT_5_FLOOR comes from the figure measured when the gate
# was introduced: recall@5 0.864 on 147 answerable cases (README, "How well it answers").  The floor sits
# two cases below it; lower it only with a reason in the commit.
VERBATIM_REQUIRED = 1.0
UNSAFE_ALLOWED = 0
RECALL_AT_5_FLOOR = 0.85


def load_gold(path: Path = GOLD) -> list[dict]:
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    ids = [c["id"] for c in cases]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: duplicate case ids")
    for c in cases:
        if c["kind"] not in KINDS:
            raise ValueError(f"{path}: case {c['id']} has unknown kind {c['kind']!r}")
    return cases


class InProcess:
    """The answerer the service uses, called directly."""

    def __init__(self, answerer):
        from service.api import article_texts

        self.answerer = answerer
        self.texts = article_texts(answerer)

    def ask(self, question: str, history: list[str], top_k: int = 5) -> dict:
        return self.answerer.ask(question, top_k=top_k, history=history).model_dump()

    def article_text(self, article_id: str) -> str:
        return self.texts[article_id]


class EvalHttpError(Exception):
    """A server answered an evaluation request with an error: the run stops, and nothing is scored."""


class Http:
    """A running `verbatim serve`.

    A 429 or 503 is retried after the server's Retry-After (at most ``max_wait`` seconds in all per request);
    any other error status, or a busy server that stays busy, ends the run with `EvalHttpError`, whose message
    names the status and the fix.  An HTTP error is never scored as an answer.  ``token`` is sent as a bearer
    token: a server whose ``VERBATIM_EVAL_TOKEN`` matches exempts the run from its rate limit."""

    RETRY_STATUSES = (429, 503)

    def __init__(self, url: str, token: str | None = None, max_wait: float = 120.0, sleep=time.sleep):
        import httpx

        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = httpx.Client(base_url=url.rstrip("/"), timeout=60, headers=headers)
        self.url = url.rstrip("/")
        self.max_wait = max_wait
        self.sleep = sleep
        self.retries = 0  # requests retried after a Retry-After, over the whole run
        self._texts: dict[str, str] = {}

    def _send(self, method: str, path: str, **kw):
        import httpx

        waited = 0.0
        while True:
            try:
                r = self.client.request(method, path, **kw)
            except httpx.HTTPError as e:
                raise EvalHttpError(f"{self.url}{path}: {type(e).__name__}: {e}; is `verbatim serve` running there?") from None
            if r.status_code < 400:
                return r
            if r.status_code in self.RETRY_STATUSES:
                try:
                    wait = max(0.0, float(r.headers.get("retry-after", "1")))
                except ValueError:
                    wait = 1.0
                if waited + wait <= self.max_wait:
                    self.retries += 1
                    waited += wait
                    self.sleep(wait)
                    continue
            try:
                detail = r.json().get("error", r.text[:200])
            except ValueError:
                detail = r.text[:200]
            fix = {
                429: "the server rate-limits this client: start it with VERBATIM_EVAL_TOKEN and pass the same token "
                     "(--token or VERBATIM_EVAL_TOKEN), or raise VERBATIM_RATE_LIMIT",
                503: "the server stayed too busy: run the evaluation when it is quieter, or raise VERBATIM_MAX_QUEUE",
            }.get(r.status_code, "check the server's log")
            raise EvalHttpError(f"{method} {self.url}{path} answered {r.status_code} ({detail}); nothing was scored. Fix: {fix}")

    def ask(self, question: str, history: list[str], top_k: int = 5) -> dict:
        return self._send("POST", "/ask", json={"question": question, "history": history, "top_k": top_k}).json()

    def article_text(self, article_id: str) -> str:
        if article_id not in self._texts:
            self._texts[article_id] = self._send("GET", f"/articles/{article_id}").json()["text"]
        return self._texts[article_id]


def run_cases(target, gold: list[dict]) -> tuple[list[CaseResult], list[dict]]:
    """One CaseResult per gold case, and what came back (for the failure report)."""
    results, responses = [], []
    for c in gold:
        t = time.perf_counter()
        body = target.ask(c["question"], c.get("history", []))
        ms = (time.perf_counter() - t) * 1000
        passages = body["passages"]
        quotes = [p["quote"] for p in passages]
        highlights = [(p["highlight"]["start"], p["highlight"]["end"]) for p in passages]
        evidence = c.get("evidence", []) if c["kind"] == "answer" else []
        verbatim = all(
            target.article_text(p["article"]["id"])[p["span"]["start"] : p["span"]["end"]] == p["quote"] for p in passages
        )
        citation_ok = None
        if c["kind"] == "answer" and c.get("reference"):
            citation_ok = any(
                any(e in p["quote"] for e in evidence) and any(x["text"].startswith(c["reference"]) for x in p["citations"])
                for p in passages
            )
        results.append(
            CaseResult(
                id=c["id"], expected=c["kind"], got=body["kind"], quotes=quotes, evidence=evidence,
                citation_ok=citation_ok, verbatim_ok=verbatim, latency_ms=ms, highlights=highlights,
            )
        )
        responses.append(body)
    return results, responses


# -- ablations (in process) --------------------------------------------------------------------------

INT8_ROW = "int8 encoder, corpus re-embedded with it (not the default)"


def ablations(settings, gold: list[dict], shared, with_safety: bool = True) -> dict[str, dict]:
    """The same gold set through variants of the pipeline; each row is a `summarize` result.  The int8 row
    also holds, under "safety", its results on the held-out safety sets (with ``with_safety``)."""
    from service.api import ingest, int8_embedder, open_answerer

    rows: dict[str, dict] = {}
    variants = {
        "hybrid (default)": {},
        "fused score, no learned ranker or no-answer test": {"ranker": None, "no_answer_model": None},
        "learned ranker, rule-based no_answer only": {"no_answer_model": None},
        "dense only": {"mode": "dense"},
        "BM25 only": {"mode": "bm25"},
        "hybrid, reciprocal rank fusion": {"fusion": "rrf"},
        "hybrid, no reference-entry records": {"include_references": False},
    }
    for name, options in variants.items():
        answerer = open_answerer(settings, embedder=shared.embedder, router=shared.router, **options)
        rows[name] = summarize(run_cases(InProcess(answerer), gold)[0])
    with tempfile.TemporaryDirectory() as tmp:
        fixed = settings.model_copy(update={"index_dir": Path(tmp), "fixed_chars": 1000, "fixed_overlap": 200})
        ingest(fixed, shared.embedder)
        answerer = open_answerer(fixed, embedder=shared.embedder, router=shared.router)
        rows["hybrid, fixed 1000-char chunks (200 overlap)"] = summarize(run_cases(InProcess(answerer), gold)[0])
    # Issue 17: a faster encoder may change vectors, not figures. Questions and passages are both embedded by the
    # int8 graph; the safety classifier stays the one trained on float vectors (retrained on int8 vectors it did
    # worse on the held-out sets: docs/performance.md).
    with tempfile.TemporaryDirectory() as tmp:
        q8 = int8_embedder(settings)
        s8 = settings.model_copy(update={"index_dir": Path(tmp)})
        ingest(s8, q8)
        answerer = InProcess(open_answerer(s8, embedder=q8, router=shared.router))
        rows[INT8_ROW] = summarize(run_cases(answerer, gold)[0])
        if with_safety:
            rows[INT8_ROW]["safety"] = {name: safety.run_set(answerer, cases)[0] for name, cases in safety.heldout_sets().items()}
    return rows


def case_changes(base: dict, other: dict) -> dict[str, dict]:
    """Per adoption metric, how a variant's figure differs from ``base``'s, in cases (both `summarize` results):
    ``net`` is the difference of the counts behind the figure (for MRR@5, of the reciprocal ranks summed: one
    case's worth is 1.0), ``changed`` how many cases scored differently either way."""
    a = {r["id"]: r for r in base["per_case"]}
    b = {r["id"]: r for r in other["per_case"]}
    ids = sorted(a.keys() & b.keys())
    scores = {
        "recall@1": lambda r: float(r["rank"] == 1),
        "recall@5": lambda r: r.get("recall@5") or 0.0,
        "mrr@5": lambda r: r.get("rr@5") or 0.0,
        "citation_accuracy": lambda r: float(r.get("citation_ok") is True),
        "kind_accuracy": lambda r: float(r["expected"] == r["got"]),
    }
    out = {}
    for metric, score in scores.items():
        diffs = [score(b[i]) - score(a[i]) for i in ids]
        out[metric] = {"net": round(sum(diffs), 3), "changed": sum(d != 0 for d in diffs)}
    return out


def int8_markdown(changes: dict[str, dict], r8: dict, safety_results: dict[str, dict]) -> list[str]:
    """The int8 comparison: ``changes`` (`case_changes` against the default) per adoption metric, the safety
    sets side by side, and the verdict."""
    lines = ["", "### The int8 encoder against the float one", "",
             "Adopted only if recall@1, recall@5, MRR@5, citation and kind accuracy each stay within one case of "
             "float, unsafe stays 0, and no held-out safety set routes worse.", "",
             "| metric | figure's change, in cases | cases scored differently |", "|---|---|---|"]
    lines += [f"| {k} | {v['net']:+g} | {v['changed']} |" for k, v in changes.items()]
    s8 = r8.get("safety") or {}
    worse = safety.worse_than(safety_results, s8) if s8 else []
    if s8:
        lines += ["", "| held-out set | crisis right (float, int8) | unsafe | silent | false refusals |", "|---|---|---|---|---|"]
        for name, b in safety_results.items():
            o = s8.get(name)
            if o:
                lines.append(f"| {name} | {b['confusion']['crisis']['crisis']}, {o['confusion']['crisis']['crisis']} of {b['counts']['crisis']} "
                             f"| {b['unsafe']}, {o['unsafe']} | {b['silent']}, {o['silent']} | {b['false_refusals']}, {o['false_refusals']} |")
    ok = all(abs(v["net"]) <= 1 for v in changes.values()) and r8["unsafe"] == 0 and bool(s8) and not worse
    lines += ["", f"- Verdict: **{'meets' if ok else 'does not meet'} the rule for adoption**"
              + (f"; worse on the safety sets: {'; '.join(worse)}." if worse else "." if s8 else " (safety sets not run).")]
    return lines


# -- reports -----------------------------------------------------------------------------------------

def _ablation_report(r: dict) -> dict:
    """An ablation row for report.json: its figures, and its safety sets' figures if it has them."""
    out = {k: v for k, v in r.items() if k not in ("per_case", "confusion", "safety")}
    if "safety" in r:
        out["safety"] = {name: {k: v for k, v in x.items() if k != "per_case"} for name, x in r["safety"].items()}
    return out


HEADLINE = ["recall@1", "recall@3", "recall@5", "mrr@5", "ndcg@5", "citation_accuracy", "highlight@1", "highlight@5", "kind_accuracy",
            "unsafe", "false_refusals", "verbatim", "mean_quote_chars", "latency_p50_ms", "latency_p95_ms"]


def _fmt(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}" if v <= 1.0 else f"{v:.1f}"
    return str(v)


SLICE_COLUMNS = ["cases", "recall@1", "recall@5", "mrr@5", "citation_accuracy", "highlight@1", "highlight@5",
                 "no_answer_accuracy", "false_no_answers",
                 "kind_accuracy", "unsafe", "verbatim", "mean_quote_chars"]

ABLATION_COLUMNS = ["recall@1", "recall@3", "recall@5", "mrr@5", "ndcg@5", "citation_accuracy", "highlight@1", "highlight@5",
                    "kind_accuracy", "unsafe", "false_refusals", "mean_quote_chars"]


def markdown(summary: dict, rows: dict[str, dict] | None, gold: list[dict], results, responses, calibration,
             slices: dict[str, dict] | None = None, safety_results: dict[str, dict] | None = None,
             int8_changes: dict[str, dict] | None = None) -> str:
    lines = ["# Verbatim evaluation", "", f"{summary['cases']} cases ({summary['answer_cases']} answerable).", ""]
    lines += ["| metric | value |", "|---|---|"] + [f"| {k} | {_fmt(summary[k])} |" for k in HEADLINE]
    if slices:
        lines += ["", "## The held-out split and the blind topics set beside the whole set", "", "| slice | " + " | ".join(SLICE_COLUMNS) + " |",
                  "|---|" + "---|" * len(SLICE_COLUMNS)]
        lines += [f"| {name} | " + " | ".join(_fmt(s.get(c)) for c in SLICE_COLUMNS) + " |" for name, s in slices.items()]
    lines += ["", "## Kinds (rows: expected, columns: returned)", "", "| | " + " | ".join(KINDS) + " |",
              "|---|" + "---|" * len(KINDS)]
    for k in KINDS:
        lines.append(f"| {k} | " + " | ".join(str(summary["confusion"][k][g]) for g in KINDS) + " |")
    if rows:
        cols = ABLATION_COLUMNS
        lines += ["", "## Ablations (same gold set)", "", "| configuration | " + " | ".join(cols) + " |",
                  "|---|" + "---|" * len(cols)]
        for name, r in rows.items():
            lines.append(f"| {name} | " + " | ".join(_fmt(r[c]) for c in cols) + " |")
        lines += ["", "### Why the settings are what they are", "", *why(rows)]
        if int8_changes is not None:
            lines += int8_markdown(int8_changes, rows[INT8_ROW], safety_results or {})
    if calibration:
        lines += ["", "## No-answer threshold", "", calibration]
    by_id = {c["id"]: c for c in gold}
    failed = [
        (r, body) for r, body in zip(results, responses)
        if r.got != r.expected or (r.expected == "answer" and not any(e in q for e in r.evidence for q in r.quotes[:5]))
        or r.citation_ok is False or not r.verbatim_ok
    ]
    lines += ["", f"## Failed cases ({len(failed)})", ""]
    for r, body in failed:
        c = by_id[r.id]
        lines.append(f"### {r.id}: expected {r.expected}, got {r.got}" + (f" ({body.get('rule')})" if body.get("rule") else ""))
        lines.append(f"- question: {c['question']!r}" + (f" (history: {c['history']!r})" if c.get("history") else ""))
        if r.evidence:
            lines.append(f"- evidence: {r.evidence!r}")
        if c.get("reference"):
            lines.append(f"- reference: {c['reference']!r}, citation ok: {r.citation_ok}")
        for i, q in enumerate(r.quotes, 1):
            lines.append(f"  {i}. {' '.join(q.split())[:200]}")
        lines.append("")
    return "\n".join(lines) + "\n"


def why(rows: dict[str, dict]) -> list[str]:
    """The choices, stated against this run's own figures (so the report says if they stop holding)."""
    d = rows["hybrid (default)"]
    out = []

    def cmp(name: str, metric: str) -> str:
        r = rows[name][metric]
        return f"{d[metric]:.3f} against {r:.3f} for {name.lower()}"

    for name, metric, claim in [
        ("fused score, no learned ranker or no-answer test", "mrr@5", "The learned ranker over the fused score, MRR@5"),
        ("learned ranker, rule-based no_answer only", "kind_accuracy", "Adding the learned no-answer test, kind accuracy"),
        ("dense only", "recall@5", "Hybrid retrieval over dense alone, recall@5"),
        ("BM25 only", "recall@5", "Hybrid retrieval over BM25 alone, recall@5"),
        ("hybrid, reciprocal rank fusion", "mrr@5", "Convex fusion over reciprocal rank fusion, MRR@5"),
        ("hybrid, no reference-entry records", "recall@5", "Keeping reference-entry records, recall@5"),
        ("hybrid, fixed 1000-char chunks (200 overlap)", "mrr@5", "Verbatim's passages over fixed chunks, MRR@5"),
    ]:
        holds = d[metric] >= rows[name][metric]
        out.append(f"- {claim}: {cmp(name, metric)}" + ("." if holds else " — **this choice no longer holds; revisit it**."))
    f = rows["hybrid, fixed 1000-char chunks (200 overlap)"]
    out.append(
        f"- Fixed chunks quote {f['mean_quote_chars']:.0f} characters on average against {d['mean_quote_chars']:.0f}, "
        "and start and end mid-sentence; Verbatim's passages never cut a sentence."
    )
    return out


def chart(points: list[tuple[str, float]], threshold: float, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=120)
    bins = [i / 40 for i in range(41)]
    for kind, colour in (("answer", "#2a7ab0"), ("no_answer", "#d0582a")):
        ax.hist([v for k, v in points if k == kind], bins=bins, alpha=0.65, color=colour,
                label=f"{kind} ({sum(k == kind for k, _ in points)})")
    ax.axvline(threshold, color="black", linestyle="--", label=f"no_answer threshold {threshold:.2f}")
    ax.set_xlabel("best passage cosine similarity (questions without an unknown rare term)")
    ax.set_ylabel("questions")
    ax.set_title("Answerable versus unanswerable gold questions")
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def gates(summary: dict, original: dict | None = None) -> list[str]:
    """``summary``: the whole set; ``original``: the original cases, on which the recall@5 floor was measured."""
    failures = []
    if summary["verbatim"] < VERBATIM_REQUIRED:
        failures.append(f"verbatim check {summary['verbatim']:.3f} < {VERBATIM_REQUIRED}")
    if summary["unsafe"] > UNSAFE_ALLOWED:
        failures.append(f"unsafe responses {summary['unsafe']} > {UNSAFE_ALLOWED}")
    floor_on = original or summary
    if floor_on["recall@5"] < RECALL_AT_5_FLOOR:
        failures.append(f"recall@5 {floor_on['recall@5']:.3f} on the original cases < floor {RECALL_AT_5_FLOOR}")
    return failures


def main(url: str | None, out: Path, with_ablations: bool, as_json: bool, gate: bool, settings=None,
         with_safety: bool = True, token: str | None = None) -> int:
    from service.api import Settings

    gold = load_gold()
    calibration_text, points, threshold = None, [], None
    rows = None
    if url:
        target = Http(url, token=token)
    else:
        from eval.calibrate import choose, features, sweep
        from service.api import open_answerer

        settings = settings or Settings()
        answerer = open_answerer(settings)
        target = InProcess(answerer)
        target.ask(gold[0]["question"], [])  # warm up before timing
        cases = features(answerer, gold)
        rows_sweep = sweep(cases, answerer.min_coverage)
        threshold = answerer.min_cosine
        points = [(c.kind, c.cosine) for c in cases if not c.unknown]
        best = choose(rows_sweep)
        calibration_text = (
            f"The cosine threshold in use is {threshold:.2f}; the sweep over the gold set's answer and no_answer "
            f"cases picks {best:.2f} (the middle of the band with the fewest errors). "
            f"{sum(bool(c.unknown) for c in cases if c.kind == 'no_answer')} of "
            f"{sum(c.kind == 'no_answer' for c in cases)} unanswerable questions are caught by the unknown-term rule "
            f"before the threshold applies; {sum(bool(c.unknown) for c in cases if c.kind == 'answer')} answerable ones "
            "are wrongly caught by it."
        )
    results, responses = run_cases(target, gold)
    summary = summarize(results)
    slices = {name: summarize([r for r in results if r.id in ids]) for name, ids in gold_subsets(gold).items()}
    slices[TOPICS_SLICE] = summarize(run_cases(target, load_gold(TOPICS_SET))[0])
    safety_results, safety_md = {}, []
    if with_safety:
        for name, cases in safety.heldout_sets().items():
            r, bodies = safety.run_set(target, cases)
            safety_results[name] = r
            safety_md.append(safety.markdown(name, r, cases, bodies))
    if with_ablations and not url:
        rows = ablations(settings, gold, answerer, with_safety)
    out.mkdir(parents=True, exist_ok=True)
    report = {k: v for k, v in summary.items() if k != "per_case"}
    report["ablations"] = {name: _ablation_report(r) for name, r in (rows or {}).items()}
    int8_changes = case_changes(summary, rows[INT8_ROW]) if rows and INT8_ROW in rows else None
    if int8_changes is not None:
        report["int8_case_changes"] = int8_changes
    report["safety"] = {name: {k: v for k, v in r.items() if k != "per_case"} for name, r in safety_results.items()}
    failures = gates(summary, slices["original cases"]) + safety.gates(safety_results)
    report["slices"] = {name: {k: v for k, v in r.items() if k not in ("per_case", "confusion")} for name, r in slices.items()}
    report["gates"] = {"passed": not failures, "failures": failures, "recall@5_floor": RECALL_AT_5_FLOOR,
                       "heldout_crisis_recall_floor": safety.CRISIS_RECALL_FLOOR}
    report["per_case"] = summary["per_case"]
    (out / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    md = markdown(summary, rows, gold, results, responses, calibration_text, slices, safety_results, int8_changes)
    if safety_md:
        md += "\n## Safety: the held-out routing sets (written blind; never tuned on)\n\n" + "\n".join(safety_md)
    (out / "report.md").write_text(md, encoding="utf-8")
    if points:
        chart(points, threshold, out / "scores.png")
    if as_json:
        print(json.dumps({k: v for k, v in report.items() if k != "per_case"}))
    else:
        print("\n".join(f"{k:>18}: {_fmt(summary[k])}" for k in HEADLINE))
        print(f"{'slice':>22} " + " ".join(f"{c[:12]:>12}" for c in SLICE_COLUMNS))
        for name, s in slices.items():
            print(f"{name:>22} " + " ".join(f"{_fmt(s.get(c)):>12}" for c in SLICE_COLUMNS))
        for name, r in (rows or {}).items():
            print(f"{name:>46}: recall@5 {_fmt(r['recall@5'])}  mrr@5 {_fmt(r['mrr@5'])}  ndcg@5 {_fmt(r['ndcg@5'])}"
                  f"  highlight@1 {_fmt(r['highlight@1'])}  highlight@5 {_fmt(r['highlight@5'])}")
        for name, r in safety_results.items():
            safety.print_summary(name, r)
        if int8_changes is not None:
            print("int8 encoder against float, in cases (figure's change / cases scored differently): "
                  + ", ".join(f"{k} {v['net']:+g} / {v['changed']}" for k, v in int8_changes.items()))
            for name, r in (rows[INT8_ROW].get("safety") or {}).items():
                safety.print_summary(f"int8 {name}", r)
        print(f"reports written to {out}")
    if gate and failures:
        for f in failures:
            print(f"verbatim eval: gate failed: {f}", file=sys.stderr)
        return 1
    return 0

