"""The `verbatim` command line.  It parses arguments and dispatches; the work is elsewhere.

Exit codes:
  0  done
  1  failed; nothing was changed (the message says why)
  2  usage error (bad arguments)
  3  done, but some corpus files were skipped (each is listed with its reason)
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_SKIPPED = 0, 1, 2, 3
DEFAULT_PAPERS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "open-access-papers"

EPILOG = """exit codes:
  0  done
  1  failed; nothing was changed (the message says why)
  2  usage error (bad arguments)
  3  done, but some corpus files were skipped (each is listed with its reason)

environment:
  VERBATIM_CORPUS_DIR   corpus folder (default: corpus/ in the project)
  VERBATIM_INDEX_DIR    index folder (default: data/index/ in the project, ignored by git)
"""


def _settings(args: argparse.Namespace):
    from pydantic import ValidationError

    from service.settings import Settings

    overrides = {k: v for k, v in {"corpus_dir": getattr(args, "corpus", None), "index_dir": getattr(args, "index", None)}.items() if v}
    try:
        return Settings(**overrides)
    except ValidationError as e:
        err = e.errors()[0]
        _fail(f"bad setting {'.'.join(map(str, err['loc']))}: {err['msg']}")


def _fail(message: str, code: int = EXIT_FAILED):
    print(f"verbatim: {message}", file=sys.stderr)
    raise SystemExit(code)


def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from index.build import ChunkSettings
    from index.update import NothingToIndex, update_index
    from ingest.load import ManifestError, discover

    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a bad PDF is reported once, as a skipped file
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # (or as an unreadable page), not as a warning per glyph
    s = _settings(args)
    if s.target_tokens > s.max_tokens:
        _fail("VERBATIM_TARGET_TOKENS must not exceed VERBATIM_MAX_TOKENS")
    embedder = _embedder(s)
    total = len(discover(s.corpus_dir)) if s.corpus_dir.is_dir() else 0
    bar = tqdm(desc="ingest", total=total, unit="file", file=sys.stderr, disable=args.quiet, leave=False)

    def on_file(name: str) -> None:
        bar.set_postfix_str(name[-40:])
        bar.update(1)

    try:
        report = update_index(
            s.corpus_dir,
            s.index_dir,
            embedder,
            ChunkSettings(s.max_tokens, s.target_tokens, s.fixed_chars, s.fixed_overlap, s.ann),
            s.max_file_bytes,
            on_file=on_file,
            progress=not args.quiet,
        )
    except (NothingToIndex, ManifestError) as e:
        bar.close()
        _fail(str(e))
    except OSError as e:
        bar.close()
        _fail(f"could not write the index at {s.index_dir}: {e.strerror or e}; the previous index is unchanged")
    bar.close()
    r = report.result
    if args.json:
        print(json.dumps(_ingest_summary(report), indent=2))
    else:
        _print_ingest(report)
    return EXIT_SKIPPED if r.skipped else EXIT_OK


def _embedder(s):
    """The configured embedder; on first use this exports the ONNX graph (about 20 s, once)."""
    from index.embed import make_embedder

    try:
        return make_embedder(s.backend, s.model_cache, s.threads)
    except (ImportError, OSError, RuntimeError) as e:
        _fail(f"could not prepare the {s.backend} model in {s.model_cache}: {e}")


def _ingest_summary(report) -> dict:
    from ingest.records import PROSE_KINDS

    r = report.result
    return {
        "up_to_date": report.up_to_date,
        "version": report.version,
        "path": str(report.path),
        "articles": [
            {
                "id": a.id,
                "format": a.source_format,
                "passages": sum(p.article_id == a.id and p.kind in PROSE_KINDS for p in r.passages),
                "references": len(a.references),
                "markers": len(a.markers),
                "markers_resolved": sum(len(m.ref_ids) == len(m.numbers or m.keys) for m in a.markers),
                "unreadable_pages": [f"p. {page}: {why}" for page, why in a.unreadable_pages],
                **({"cleaning": a.cleaning} if a.cleaning else {}),
            }
            for a in r.articles
        ],
        "passages": len(r.passages),
        "references": sum(len(a.references) for a in r.articles),
        "embedded": report.stats.embedded,
        "texts_embedded": report.stats.texts,
        "reused": report.stats.reused,
        "oversize_sentences": r.oversize_sentences,
        "skipped": [{"file": s.file, "reason": s.reason} for s in r.skipped],
        "seconds": {k: round(v, 3) for k, v in report.seconds.items()},
        "works": {k: report.counts.get(k, 0) for k in ("works", "works_cited_by_several_articles", "works_with_source", "citing_sentences")},
    }


def _print_ingest(report) -> None:
    summary = _ingest_summary(report)
    for s in summary["skipped"]:
        print(f"skipped {s['file']}: {s['reason']}", file=sys.stderr)
    files = {a.id: a.meta.file for a in report.result.articles}
    for a in summary["articles"]:
        for page in a["unreadable_pages"]:
            print(f"{files.get(a['id'], a['id'])}: {page}; that page is left out, the rest is ingested", file=sys.stderr)
    w = max(len(a["id"]) for a in summary["articles"])
    print(f"{'article':<{w}}  passages  references  markers resolved")
    for a in summary["articles"]:
        print(f"{a['id']:<{w}}  {a['passages']:>8}  {a['references']:>10}  {a['markers']:>7} {a['markers_resolved']:>8}")
    n_text = sum(a["passages"] for a in summary["articles"])
    print(
        f"{len(summary['articles'])} articles, {summary['passages']} passages "
        f"({n_text} of text, {summary['references']} reference entries), {len(summary['skipped'])} files skipped"
    )
    wk = summary["works"]
    print(
        f"{wk['works']} cited works ({wk['works_cited_by_several_articles']} cited by more than one article, "
        f"{wk['works_with_source']} with the paper in the corpus), {wk['citing_sentences']} citing sentences"
    )
    if summary["oversize_sentences"]:
        print(f"warning: {summary['oversize_sentences']} sentences exceed the passage size and stand alone")
    t = summary["seconds"]
    if report.up_to_date:
        print(f"index {report.version} is up to date; nothing re-embedded ({t['total']:.2f} s)")
    else:
        print(
            f"index {report.version} written to {report.path}: embedded {summary['embedded']}, reused {summary['reused']} "
            f"({t['total']:.2f} s; model load {t['model_load']:.2f} s, embedding {t['embed']:.2f} s)"
        )


def _load(settings, serving: bool = False):
    """Index and model, or one line naming the fix (``serving``: for `verbatim serve`, see `load_state`)."""
    from index.store import IndexLoadError
    from safety import ModelError
    from service.app import load_state

    try:
        return load_state(settings, serving=serving)
    except (IndexLoadError, ModelError) as e:
        _fail(str(e))


def cmd_ask(args: argparse.Namespace) -> int:
    from service.schemas import MAX_QUESTION

    s = _settings(args)
    question = args.question.strip()
    if not question:
        _fail("the question is empty", EXIT_USAGE)
    if len(question) > MAX_QUESTION:
        _fail(f"the question is {len(question)} characters; the limit is {MAX_QUESTION}", EXIT_USAGE)
    if len(args.history) > 5:
        _fail("at most 5 --history questions", EXIT_USAGE)
    state = _load(s)
    if args.mode != "hybrid":
        from service.answer import Answerer

        state.answerer = Answerer(state.index, state.answerer.embedder, router=state.answerer.router, mode=args.mode)
    out = state.answerer.ask(question, top_k=args.top_k, history=args.history)
    if args.json:
        print(out.model_dump_json(indent=2))
        return EXIT_OK
    _print_answer(out)
    return EXIT_OK


def _print_answer(out) -> None:
    if out.notice:
        print(f"[{out.kind}] {out.notice}")
    for r in out.resources:  # help lines come before any quote
        print(f"  - {r.name}: {r.contact}")
    if out.kind != "answer":
        for q in out.suggestions:
            print(f"  * {q}")
        print(f"\n{out.disclaimer}")
        return
    if out.resources:
        print()
    for i, p in enumerate(out.passages, 1):
        a = p.article
        where = ", ".join(x for x in (a.publisher, a.date) if x)
        print(f"[{i}] “{' '.join(p.quote.split())}”")
        hl = " ".join(p.quote[p.highlight.start : p.highlight.end].split())
        print(f"    best sentence: “{hl}”")
        print(f"    — {a.title}{f' ({where})' if where else ''}")
        print(f"      section: {p.section or '(introduction)'}; article {a.id}, characters {p.span.start}–{p.span.end}")
        for c in p.citations:
            link = f" doi:{c.doi}" if c.doi else (f" {c.url}" if c.url else "")
            print(f"      [{c.number if c.number is not None else '–'}] {c.text}{link if link.strip() not in c.text else ''}")
        print()
    print(out.disclaimer)


def cmd_serve(args: argparse.Namespace) -> int:
    s = _settings(args)
    overrides = {k: v for k, v in {"host": args.host, "port": args.port}.items() if v is not None}
    if args.workers is not None:
        overrides["workers"] = _workers(args.workers)
    s = s.model_copy(update=overrides)
    from service.serve import raise_open_files, uvicorn_options

    if s.workers > 1:
        return _serve_workers(s)
    import uvicorn

    from service.app import create_app

    state = _load(s, serving=True)  # refuse to start, in one line, before binding the port
    print(
        f"verbatim: serving index {state.index.version} on http://{s.host}:{s.port} (pid {os.getpid()}; "
        "`verbatim reload` or SIGHUP loads a new index)",
        file=sys.stderr,
    )
    raise_open_files(s.max_connections + 256)
    uvicorn.run(create_app(s, state=state, handle_sighup=True), host=s.host, port=s.port, **uvicorn_options(s))
    return EXIT_OK


def _workers(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if not 1 <= n <= 64:
        _fail(f"--workers must be a whole number from 1 to 64, not {value!r}", EXIT_USAGE)
    return n


def _serve_workers(s) -> int:
    """`verbatim serve --workers N`: check what each worker will load, in one line before binding the port,
    then supervise N worker processes on one socket (service/serve.py)."""
    from index.embed import MODEL_NAME
    from index.store import IndexLoadError, load_index
    from safety import ModelError, load_router
    from service.serve import Supervisor

    embedder = _embedder(s)  # exports the ONNX graph here, once, rather than in N workers at once
    try:
        index = load_index(s.index_dir, expect_model=MODEL_NAME)
        load_router(model=embedder.name, dim=embedder.dim, path=s.safety_model)
    except (IndexLoadError, ModelError) as e:
        _fail(str(e))
    if s.threads is None:  # the cores shared out: N workers must not each start a thread per core
        s = s.model_copy(update={"threads": max(1, (os.cpu_count() or 1) // s.workers)})
    print(
        f"verbatim: serving index {index.version} on http://{s.host}:{s.port} with {s.workers} worker processes, "
        f"{s.threads} encoder thread(s) each (supervisor pid {os.getpid()}; `verbatim reload --pid {os.getpid()}`, "
        "SIGHUP or POST /admin/reload loads a new index in every worker)",
        file=sys.stderr,
    )
    del index
    return Supervisor(s, s.workers).run()


def cmd_train_safety(args: argparse.Namespace) -> int:
    """Embed the labelled phrasings, fit the classifier, choose its thresholds by cross-validation, write it."""
    from safety.learned import MODEL_PATH
    from safety.train import load_examples, train

    s = _settings(args)
    embedder = _embedder(s)
    embedder.load()
    examples = load_examples()
    clf, report = train(examples, embedder.encode, embedder.name)
    out = args.out or MODEL_PATH
    clf.save(out)
    out.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps(report))
    else:
        cv = report["rules_and_classifier_out_of_fold"]
        print(f"verbatim: {len(examples)} phrasings; thresholds {report['thresholds']}, signal {report['signal_threshold']}")
        print("  out-of-fold recall, rules and classifier: " + ", ".join(f"{k} {v:.3f}" for k, v in cv["recall"].items())
              + f"; answer phrasings raised {cv['answer_raised']:.3f}")
        print(f"  written to {out} and {out.with_suffix('.json')}")
    return EXIT_OK


def cmd_bench(args: argparse.Namespace) -> int:
    from eval.bench import main as bench

    return bench(args.args, settings=_settings(args))


def _bench_argv(argv: list[str]) -> list[str] | None:
    """`verbatim bench` takes its own options (see eval/bench.py); argparse would refuse them here."""
    return argv[1:] if argv[:1] == ["bench"] else None


def cmd_reload(args: argparse.Namespace) -> int:
    import signal

    if args.pid is not None:
        try:
            os.kill(args.pid, signal.SIGHUP)
        except ProcessLookupError:
            _fail(f"no process {args.pid}")
        except PermissionError:
            _fail(f"not allowed to signal process {args.pid}")
        print(f"verbatim: sent SIGHUP to {args.pid}; its log says whether the new index was taken")
        return EXIT_OK
    import httpx

    s = _settings(args)
    url = (args.url or f"http://{s.host}:{s.port}").rstrip("/")
    if not s.admin_token:
        _fail("VERBATIM_ADMIN_TOKEN is not set; set it (as on the server), or use --pid PID to send SIGHUP", EXIT_USAGE)
    try:
        r = httpx.post(f"{url}/admin/reload", headers={"Authorization": f"Bearer {s.admin_token}"}, timeout=120)
    except httpx.HTTPError as e:
        _fail(f"no server at {url}: {e}")
    if r.status_code == 404:
        _fail(f"{url} has no admin routes: start it with VERBATIM_ADMIN_TOKEN set, or use --pid PID")
    try:
        body = r.json()
    except ValueError:
        body = {"error": r.text[:200]}
    if r.status_code != 200:
        _fail(f"{url} answered {r.status_code}: {body.get('error', body)}")
    print(f"verbatim: {body['status']}, index {body['index_version']}")
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from eval.run import DEFAULT_OUT, main as run_eval
    from index.store import IndexLoadError
    from safety import ModelError

    s = _settings(args)
    if args.papers is not None:
        from eval.run import run_papers

        folder = args.papers
        if not folder.is_dir():
            _fail(f"{folder}: no such folder (the open-access papers; pass --papers)")
        run_papers(s, folder, as_json=args.json)
        return EXIT_OK
    if args.staff:
        from eval.run import run_staff

        run_staff(s, as_json=args.json, with_sweep=args.sweep)
        return EXIT_OK
    from eval.run import EvalHttpError

    try:
        return run_eval(
            url=args.url,
            out=args.out or DEFAULT_OUT,
            with_ablations=not args.no_ablations,
            as_json=args.json,
            gate=args.gate,
            settings=s,
            with_safety=not args.no_safety,
            token=args.token or s.eval_token,
        )
    except (IndexLoadError, ModelError, EvalHttpError) as e:
        _fail(str(e))


def cmd_train_ranker(args: argparse.Namespace) -> int:
    from eval.run import run_train_ranker
    from index.store import IndexLoadError

    try:
        run_train_ranker(_settings(args), as_json=args.json)
    except IndexLoadError as e:
        _fail(str(e))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="verbatim",
        description="Answers questions only with verbatim, cited quotes from the articles in the corpus.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "ingest",
        help="build or update the index from the corpus",
        description="Clean, split and embed the corpus, then swap the new index in atomically. "
        "Files that cannot be read are skipped with a reason. Passages already embedded are reused.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--corpus", type=Path, help="corpus folder (env VERBATIM_CORPUS_DIR)")
    p.add_argument("--index", type=Path, help="index folder (env VERBATIM_INDEX_DIR)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser(
        "ask",
        help="print the passages that best answer a question",
        description="Print the top quoted passages for a question, each with its article, section and references.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("question")
    p.add_argument("-k", "--top-k", type=_top_k, default=5, help="number of passages, 1 to 10 (default 5)")
    p.add_argument("--mode", choices=["hybrid", "dense", "bm25"], default="hybrid", help="retrieval (default hybrid)")
    p.add_argument("--index", type=Path, help="index folder (env VERBATIM_INDEX_DIR)")
    p.add_argument("--history", action="append", default=[], metavar="QUESTION", help="an earlier question (repeat, oldest first, at most 5)")
    p.add_argument("--json", action="store_true", help="print the response as JSON, the same as POST /ask")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser(
        "serve",
        help="serve the HTTP API",
        description="Serve POST /ask, GET /articles, GET /references, GET /health and the API docs at /docs.",
        epilog=EPILOG + "  VERBATIM_HOST, VERBATIM_PORT   address and port (default 127.0.0.1:8000)\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--host", help="address to listen on (env VERBATIM_HOST)")
    p.add_argument("--port", type=int, help="port to listen on (env VERBATIM_PORT)")
    p.add_argument("--workers", metavar="N", help="worker processes sharing the port, 1 to 64 (env VERBATIM_WORKERS; "
                   "default 1); each gets cores/N encoder threads unless VERBATIM_THREADS is set")
    p.add_argument("--index", type=Path, help="index folder (env VERBATIM_INDEX_DIR)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "reload",
        help="make a running server load the current index",
        description="Ask a running `verbatim serve` to swap in the index that is current on disk (after "
        "`verbatim ingest`), without dropping requests. Uses POST /admin/reload with VERBATIM_ADMIN_TOKEN, "
        "or sends SIGHUP to --pid.",
        epilog=EPILOG + "  VERBATIM_ADMIN_TOKEN   the server's admin token (at least 16 characters)\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--url", help="the server (default http://VERBATIM_HOST:VERBATIM_PORT)")
    p.add_argument("--pid", type=int, help="send SIGHUP to this server process instead")
    p.set_defaults(func=cmd_reload)

    p = sub.add_parser(
        "train-safety",
        help="retrain the safety classifier from safety/data/ (thresholds by cross-validation)",
        description="Embed every labelled phrasing in safety/data/*.jsonl with the serving model, fit the "
        "logistic regressions, choose each threshold by 5-fold cross-validation with a cost-weighted loss, "
        "and write safety/model/classifier.npz (plain arrays) and classifier.json (the cross-validated figures). "
        "Never reads the held-out sets in eval/heldout/.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--out", type=Path, help="where to write the .npz (default safety/model/classifier.npz)")
    p.add_argument("--json", action="store_true", help="print the cross-validated report as JSON")
    p.set_defaults(func=cmd_train_safety)

    p = sub.add_parser(
        "train-ranker",
        help="retrain the learned ranker on the gold set's tuning split (C by 5-fold cross-validation)",
        description="Label the ranker's candidates for every answerable case of eval/gold.jsonl's tuning split, choose "
        "the regularisation by 5-fold cross-validation through the whole ask pipeline, and write index/model/ranker.json. "
        "Never reads the held-out split (eval/gold_split.json).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--index", type=Path, help="index folder (env VERBATIM_INDEX_DIR)")
    p.add_argument("--json", action="store_true", help="print the cross-validated table as JSON")
    p.set_defaults(func=cmd_train_ranker)

    p = sub.add_parser(
        "bench",
        help="measure ingest, /ask under load, cold start and search (verbatim bench --help)",
        add_help=False,
    )
    p.add_argument("args", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser(
        "eval",
        help="run the gold question set and report the figures",
        description="Run eval/gold.jsonl and the held-out safety sets in eval/heldout/ in process (or against --url), "
        "print the headline figures, and write "
        "report.json, report.md (every failed case) and scores.png into --out. In process it also runs the "
        "ablations: dense only, BM25 only, hybrid, without reference-entry records, fixed 1000-character chunks, and "
        "the int8 encoder over a corpus re-embedded with it (also on the held-out safety sets).",
        epilog=EPILOG + "  1 also means a quality gate failed (with --gate)\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--url", help="a running server, e.g. http://127.0.0.1:8000 (no ablations, no chart)")
    p.add_argument("--token", help="with --url: the server's VERBATIM_EVAL_TOKEN, which exempts this run from its rate "
                   "limit (default: env VERBATIM_EVAL_TOKEN)")
    p.add_argument("--out", type=Path, help="report folder (default data/eval/)")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    p.add_argument("--no-ablations", action="store_true", help="skip the comparison runs")
    p.add_argument("--gate", action="store_true", help="exit 1 if the verbatim check < 100%%, unsafe > 0, recall@5 < floor, "
                   "or on the held-out safety sets more unsafe responses than eval/safety.py allows (today's count; the target is 0) or crisis recall < 98%%")
    p.add_argument("--no-safety", action="store_true", help="skip the held-out safety sets (eval/heldout/)")
    p.add_argument("--index", type=Path, help="index folder (env VERBATIM_INDEX_DIR)")
    p.add_argument("--papers", type=Path, nargs="?", const=DEFAULT_PAPERS, metavar="FOLDER",
                   help="instead of the gold set: the papers' question sets (eval/papers_questions.jsonl, and the held-out "
                   "eval/heldout/papers/) over the open-access papers in FOLDER (default ../shared/corpora/open-access-papers), "
                   "ingested into a temporary index, beside a BM25 baseline on pypdf's text")
    p.add_argument("--staff", action="store_true",
                   help="instead of the gold set: the staff tools' figures (eval/staff.py): primary-evidence recall on the "
                   "labelled pairs and the claim check's precision and recall, tuned-on and held-out sets side by side")
    p.add_argument("--sweep", action="store_true", help="with --staff: also print the claim check's threshold sweep on set A")
    p.set_defaults(func=cmd_eval)
    return parser


def _top_k(value: str) -> int:
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not 1 <= k <= 10:
        raise argparse.ArgumentTypeError("top_k must be between 1 and 10")
    return k


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    argv = sys.argv[1:] if argv is None else argv
    bench = _bench_argv(argv)
    args = argparse.Namespace(func=cmd_bench, args=bench) if bench is not None else build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("verbatim: interrupted; the previous index is unchanged", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`verbatim ask ... | head`): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
