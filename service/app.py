"""The HTTP service.  `create_app(settings)` builds it; the model and index load in the lifespan.

Under load: answers come from a cache for repeated questions; for the others, the event
loop runs the Python parts and awaits the encode, which the encoder's threads merge with
other requests' questions into small batches; at most ``max_queue`` questions are in
progress, beyond which the service answers 503 at once; each client address has a rate
limit (429 with Retry-After).
A new index is swapped in while serving (`reload_state`: SIGHUP, or POST /admin/reload
with the admin token); requests in progress finish on the index they started with.
"""
from __future__ import annotations

import asyncio
import ctypes
import gc
import hmac
import json
import logging
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import anyio
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from index.embed import MODEL_NAME, Embedder
from index.store import IndexLoadError, LoadedIndex, collector_paused, load_index, read_manifest, resolve
from safety import Router, load_router
from safety.language import warm_up as warm_up_language
from service.answer import Answerer
from service.cite import EXTENSIONS as CITE_EXTENSIONS, FORMATS as CITE_FORMATS, MEDIA_TYPES as CITE_MEDIA_TYPES, cite
from service.api import serving_embedder
from service.limits import AnswerCache, RateLimiter, cache_key
from service.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE, Metrics
from service.serve import notify_supervisor_reload, worker_info
from service.schemas import (
    NOT_BLANK_PATTERN,
    ArticleDetail,
    ArticleSummary,
    AskRequest,
    AskResponse,
    ErrorOut,
    Health,
    ReferenceHit,
    VerifyRequest,
    VerifyResponse,
    WorkDetail,
    WorkSummary,
)
from service.settings import Settings

log = logging.getLogger("verbatim")
MAX_REFERENCE_QUERY = 200
LONE_AFTER_S = 1.0
STATIC = Path(__file__).resolve().parent / "static"
# Article text is untrusted: pages render it as text only, and no inline script may run.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
_HEADERS = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
_HEADERS_NO_CSP = [h for h in _HEADERS if h[0] != b"content-security-policy"]
EMBED_PAGE = "/embed"  # the embeddable chat page, the one page that other sites may frame (settings.embed_origins)


def embed_page_headers(origins: list[str]) -> list[tuple[bytes, bytes]]:
    """The security headers of the embeddable chat page: framing by ``origins`` only (``frame-ancestors``).
    X-Frame-Options cannot name origins, so it is left out there; with no origins, the page is like every other."""
    if not origins:
        return _HEADERS
    csp = SECURITY_HEADERS["Content-Security-Policy"].replace("frame-ancestors 'none'", "frame-ancestors " + " ".join(origins))
    return [(b"content-security-policy", csp.encode())] + [
        h for h in _HEADERS if h[0] not in (b"content-security-policy", b"x-frame-options")
    ]


@dataclass
class AppState:
    index: LoadedIndex
    answerer: Answerer
    cache: AnswerCache = field(default_factory=lambda: AnswerCache(0))
    loaded_at: float = field(default_factory=time.time)
    frozen: bool = False  # loaded for serving (`load_state(serving=True)`), which froze it: no collection needed


def load_state(settings: Settings, embedder: Embedder | None = None, router: Router | None = None,
               serving: bool = False) -> AppState:
    """Load the index, the model and the safety router.  Raises `IndexLoadError` (one line) when the index
    is unusable, `safety.ModelError` when the safety classifier is.

    Pass ``embedder`` and ``router`` to reuse loaded ones (a reload swaps only the index).  A server passes
    ``serving``: the answerer then warms up (`Answerer.warm_up`), and what was loaded leaves the collector's
    view (`_freeze_loaded_objects`) before the collector resumes, which would otherwise walk all of it once
    (0.35 s at 100k passages)."""
    with collector_paused():
        if embedder is None:
            index, embedder = _index_and_embedder(settings)
        else:
            index = load_index(settings.index_dir, expect_model=MODEL_NAME)
        if router is None:
            router = load_router(model=embedder.name, dim=embedder.dim, path=settings.safety_model)
            warm_up_language()
        state = AppState(index=index, answerer=Answerer(index, embedder, router=router), cache=AnswerCache(settings.cache_size),
                         frozen=serving)
        if serving:
            state.answerer.warm_up()
            _freeze_loaded_objects(collect=False)
        return state


def _index_and_embedder(settings: Settings) -> tuple[LoadedIndex, Embedder]:
    """The index, and the encoder with its sessions ready, prepared side by side: ONNX Runtime lets go of the
    GIL while it builds a session, and the index's parse needs it.  At 100k passages (in process, two starts
    each): 5.43 and 5.18 s one after the other, 4.49 and 4.25 s side by side; the sessions' 0.7-1.1 s hide
    behind the index's 2 s.  (The language detector holds the GIL as it loads: beside the index it slowed
    both, 4.85 and 4.46 s, so it stays after them.)  An error in either is raised here as it would be alone,
    the index's first."""

    def prepare() -> Embedder:
        emb = serving_embedder(settings, batching=True)
        emb.load()
        return emb

    # Leaving the block waits for the encoder, so an index error is raised only once the thread is done.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="verbatim-load-encoder") as pool:
        encoder = pool.submit(prepare)
        index = load_index(settings.index_dir, expect_model=MODEL_NAME)
        return index, encoder.result()


def reload_state(app: FastAPI) -> dict:
    """Load the index that is current on disk and swap it in; the model and safety router are kept.

    Raises `IndexLoadError` when the new index is unusable; the old one then goes on serving."""
    with app.state.reload_lock:
        old: AppState = app.state.verbatim
        settings: Settings = app.state.settings
        # The same version folder still current: nothing to load (a version folder never changes once written).
        # Under --workers, the worker that took POST /admin/reload gets the supervisor's SIGHUP too.
        try:
            same = resolve(settings.index_dir) == old.index.path
        except IndexLoadError:
            same = False
        current = read_manifest(settings.index_dir) if same else None
        if current is not None and current.get("version") == old.index.version:
            return {"status": "unchanged", "index_version": old.index.version}
        index = load_index(settings.index_dir, expect_model=MODEL_NAME)
        if index.version == old.index.version:
            return {"status": "unchanged", "index_version": index.version}
        a = old.answerer
        new = AppState(index=index, answerer=Answerer(index, a.embedder, router=a.router), cache=AnswerCache(settings.cache_size))
        new.answerer.warm_up()  # before it serves a visitor
        app.state.verbatim = new  # one reference swap: requests in progress keep the state they started with
        app.openapi_schema = None  # its article ids are the new index's
        _freeze_loaded_objects()
        log.info("index %s replaced %s", index.version, old.index.version)
        return {"status": "reloaded", "index_version": index.version, "previous": old.index.version}


def _freeze_loaded_objects(collect: bool = True) -> None:
    """Move everything loaded (index, router tables, model wrappers) out of the cyclic garbage collector's
    view, so that a full collection while serving walks only what requests left behind.  Full collections
    over the loaded objects were measured at 53 and 82 ms at start-up: a stall,
    were one to fall on an answer.  ``collect`` first unfreezes and collects, which frees a replaced state's
    cycles (after a reload, or a process that builds several apps, as the tests do).  A server's own load needs
    none (``collect=False``): it makes no cyclic garbage and pauses the collector (`collector_paused`); a
    collection then found 23 unreachable objects, in 62 ms on the bundled corpus, 0.7 s at 100k passages."""
    if collect:
        gc.unfreeze()
        gc.collect()
    gc.freeze()
    _return_freed_memory()


def _return_freed_memory() -> None:
    """Give the pages that the load freed back to the system (glibc's `malloc_trim`; elsewhere nothing).  A load
    frees much of what it made on the way (the JSON it read and parsed), scattered among what it keeps, and
    glibc keeps such pages.  Measured at 100k passages, in process, two loads each, when every passage was
    parsed at load (session 24): RSS 1,121-1,129 MB after the load, 1,056 MB after the trim, which took 2-3 ms."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


# Dependencies and cheap routes are `async def`: they run on the event loop, with no hop to a worker thread.
async def _state(request: Request) -> AppState:
    return request.app.state.verbatim


async def _require_json(request: Request) -> None:
    ctype = request.headers.get("content-type", "")
    if ctype.split(";")[0].strip().lower() != "application/json":
        raise HTTPException(415, f"Content-Type must be application/json, not {ctype or 'missing'}")


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _json_error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


class ProtectAndTime:
    """Pure ASGI middleware (cheap enough for a cached answer in well under a millisecond):

    * refuses a request body larger than ``max_body`` with 413, before the app reads any of it;
    * adds the security headers (FastAPI's own /docs page needs its inline script, so no CSP there; the
      embeddable chat page may be framed by the configured embed origins);
    * adds ``Server-Timing: app;dur=<ms>``, the time spent inside the service, followed by the
      parts a route recorded in ``scope["verbatim.timing"]`` (for POST /ask: ``prepare``, the checks
      and routing rules; ``encode``, the wait for the question's vectors; ``answer``, the rest).
    """

    def __init__(self, app, max_body: int, embed_origins: list[str] | None = None):
        self.app = app
        self.max_body = max_body
        self.embed_headers = embed_page_headers(embed_origins or [])

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        t0 = time.perf_counter()
        parts: list[tuple[str, float]] = []
        scope["verbatim.timing"] = parts
        path = scope.get("path", "")
        extra = _HEADERS_NO_CSP if path.startswith(("/docs", "/redoc")) else self.embed_headers if path == EMBED_PAGE else _HEADERS

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                headers += [h for h in extra if h[0] not in names]
                timing = ", ".join([f"app;dur={(time.perf_counter() - t0) * 1000:.3f}", *(f"{n};dur={ms:.3f}" for n, ms in parts)])
                headers.append((b"server-timing", timing.encode()))
                message = {**message, "headers": headers}
            await send(message)

        length = dict(scope.get("headers", [])).get(b"content-length")
        too_big = False
        if length is not None:
            try:
                too_big = int(length) > self.max_body
            except ValueError:
                return await self._reply(send_with_headers, 400, "Content-Length is not a number")
        if too_big:
            return await self._reply(send_with_headers, 413, f"request body is larger than {self.max_body} bytes")
        if scope.get("method") in ("POST", "PUT", "PATCH") and length is None:
            # A body without a length (chunked): read it here, within the limit, and replay it.
            chunks, size = [], 0
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    break
                size += len(message.get("body", b""))
                if size > self.max_body:
                    return await self._reply(send_with_headers, 413, f"request body is larger than {self.max_body} bytes")
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    break
            body, replayed = b"".join(chunks), False

            async def receive():  # noqa: F811
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return {"type": "http.disconnect"}

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    async def _reply(send, status: int, message: str) -> None:
        body = json.dumps({"error": message}).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


ERRORS = {
    400: {"model": ErrorOut, "description": "Malformed JSON"},
    413: {"model": ErrorOut, "description": "Request body too large"},
    415: {"model": ErrorOut, "description": "Wrong content type"},
    422: {"model": ErrorOut, "description": "A field is missing or out of range"},
    429: {"model": ErrorOut, "description": "Too many questions from this client; see Retry-After"},
    503: {"model": ErrorOut, "description": "Too busy right now; see Retry-After"},
}


def create_app(settings: Settings | None = None, state: AppState | None = None, handle_sighup: bool = False) -> FastAPI:
    """Build the app.  Pass ``state`` to serve an already loaded index (the CLI checks it first);
    ``handle_sighup`` (set by `verbatim serve`) makes SIGHUP reload the index."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.verbatim = state or load_state(settings, serving=True)
        log.info("index %s loaded", app.state.verbatim.index.version)
        if not app.state.verbatim.frozen:  # a state loaded elsewhere (tests): collect what earlier ones left
            _freeze_loaded_objects()
        if handle_sighup:
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, lambda: asyncio.ensure_future(_reload_logged(app)))
        yield

    app = FastAPI(
        title="Verbatim",
        version="0.1.0",
        summary="Answers only with verbatim, cited quotes from published articles. Not medical advice.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.reload_lock = threading.Lock()
    default_openapi = app.openapi

    def openapi() -> dict:
        """The schema, with the ids `articles` accepts (those of the index being served) as an enum."""
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = default_openapi()
        st = getattr(app.state, "verbatim", None) or state
        if st is not None:
            with_article_ids(schema, st.answerer.catalog.articles)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi
    worker, _ = worker_info()
    app.state.limiter = RateLimiter(settings.rate_limit, settings.rate_burst)
    app.state.metrics = Metrics()
    app.state.in_flight = 0
    app.state.busy_at = 0.0  # when two or more questions were last in progress at once
    workers = anyio.CapacityLimiter(max(1, min(settings.max_queue, 32)))
    app.add_middleware(ProtectAndTime, max_body=settings.max_body_bytes, embed_origins=settings.embed_origins)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"], allow_headers=["Content-Type"]
        )

    eval_bearer = f"Bearer {settings.eval_token}".encode() if settings.eval_token else None

    async def _rate_limit(request: Request) -> None:
        if eval_bearer is not None and hmac.compare_digest(request.headers.get("authorization", "").encode(), eval_bearer):
            return  # an evaluation client named by the operator (VERBATIM_EVAL_TOKEN)
        wait = request.app.state.limiter.check(_client(request))
        if wait:
            raise HTTPException(429, f"too many requests from this address; try again in {wait} s", {"Retry-After": str(wait)})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def chat_page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/view/articles/{article_id}", include_in_schema=False)
    def article_page(article_id: str) -> FileResponse:
        return FileResponse(STATIC / "article.html")

    @app.get("/view/references", include_in_schema=False)
    def references_page() -> FileResponse:
        return FileResponse(STATIC / "references.html")

    @app.get("/view/works/{work_id}", include_in_schema=False)
    def work_page(work_id: str) -> FileResponse:
        return FileResponse(STATIC / "work.html")

    @app.get("/view/verify", include_in_schema=False)
    def verify_page() -> FileResponse:
        return FileResponse(STATIC / "verify.html")

    @app.get(EMBED_PAGE, include_in_schema=False)
    def embed_page() -> FileResponse:
        return FileResponse(STATIC / "embed.html")

    @app.get("/embed.js", include_in_schema=False)
    def embed_script() -> FileResponse:
        # The one script a publisher's page loads (docs/widget.md); it builds the button and the iframe.
        return FileResponse(STATIC / "embed.js", media_type="text/javascript; charset=utf-8",
                            headers={"Cache-Control": "public, max-age=300"})

    @app.get("/embed/config", include_in_schema=False)
    async def embed_config() -> JSONResponse:
        # The origins the embedded page accepts postMessage from: the same list as its frame-ancestors.
        return JSONResponse({"origins": settings.embed_origins}, headers={"Cache-Control": "no-cache"})

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            ctx = errors[0].get("ctx", {})
            return JSONResponse({"error": f"malformed JSON body: {ctx.get('error', 'cannot parse')}"}, status_code=400)
        first = errors[0]
        where = ".".join(str(x) for x in first.get("loc", ()) if x != "body") or "body"
        msg = str(first.get("msg", "invalid")).removeprefix("Value error, ")
        detail = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg")), "type": e.get("type")} for e in errors]
        return JSONResponse({"error": f"{where}: {msg}", "detail": detail}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse({"error": "internal error; it has been logged"}, status_code=500)

    @app.post(
        "/ask",
        response_model=AskResponse,
        responses=ERRORS,
        dependencies=[Depends(_require_json)],
        summary="Answer a question with verbatim quotes and their citations",
    )
    async def ask(body: AskRequest, request: Request) -> Response:
        st: AppState = request.app.state.verbatim
        if body.articles:
            unknown = [a for a in body.articles if a not in request.app.state.verbatim.answerer.catalog.articles]
            if unknown:
                raise HTTPException(422, f"articles: unknown article id {unknown[0]!r}; GET /articles lists them")
        key = cache_key(body.question, body.history, body.top_k, body.articles)
        cached = st.cache.get(key)
        if cached is not None:
            out, raw = cached
            if out.question != body.question:  # the same question spelt differently: echo this spelling
                raw = out.model_copy(update={"question": body.question}).model_dump_json()
            request.app.state.metrics.observe(out)
            return Response(raw, media_type="application/json", headers={"X-Cache": "hit"})
        await _rate_limit(request)  # a repeated question costs nothing, so only work counts against the limit
        if request.app.state.in_flight >= settings.max_queue:
            raise HTTPException(503, "too many questions in progress; try again shortly", {"Retry-After": "1"})
        request.app.state.in_flight += 1
        now = time.monotonic()
        if request.app.state.in_flight > 1:
            request.app.state.busy_at = now
        try:
            # A visitor alone on the service (no overlap for LONE_AFTER_S): the encoder may spin its
            # threads for speed.  Under any concurrency those cycles are worth more to other requests.
            lone = request.app.state.in_flight == 1 and now - request.app.state.busy_at > LONE_AFTER_S
            out = await st.answerer.ask_async(body.question, top_k=body.top_k, history=body.history, lone=lone,
                                              timing=request.scope.setdefault("verbatim.timing", []), limiter=workers,
                                              articles=body.articles)
        finally:
            request.app.state.in_flight -= 1
        request.app.state.metrics.observe(out)
        raw = out.model_dump_json()
        st.cache.put(key, (out, raw))
        return Response(raw, media_type="application/json", headers={"X-Cache": "miss"})

    @app.get("/articles", response_model=list[ArticleSummary], summary="The articles Verbatim quotes from")
    async def articles(st: AppState = Depends(_state)) -> list[ArticleSummary]:
        return st.answerer.catalog.summaries()

    @app.get(
        "/articles/{article_id}",
        response_model=ArticleDetail,
        responses={404: {"model": ErrorOut, "description": "No article with that id"}, 422: ERRORS[422]},
        summary="An article's cleaned text, sections and references",
    )
    def article(article_id: str, st: AppState = Depends(_state)) -> ArticleDetail:
        if article_id not in st.answerer.catalog.articles:
            raise HTTPException(404, f"no article with id {article_id!r}; GET /articles lists them")
        return st.answerer.catalog.detail(article_id)

    @app.get(
        "/references",
        response_model=list[ReferenceHit],
        responses={k: ERRORS[k] for k in (422, 429)},
        dependencies=[Depends(_rate_limit)],
        summary="Search reference entries",
    )
    def references(
        q: str = Query(
            ...,
            min_length=1,
            max_length=MAX_REFERENCE_QUERY,
            description="Author, title, year or DOI; not only whitespace.",
            json_schema_extra={"pattern": NOT_BLANK_PATTERN},  # documents the `q.strip()` check below
        ),
        limit: int = Query(10, ge=1, le=50),
        st: AppState = Depends(_state),
    ) -> list[ReferenceHit]:
        if not q.strip():
            raise HTTPException(422, "q: must not be blank")
        return st.answerer.search_references(q.strip(), limit)

    @app.post(
        "/verify",
        response_model=VerifyResponse,
        responses={k: ERRORS[k] for k in (400, 413, 415, 422, 429)},
        dependencies=[Depends(_require_json), Depends(_rate_limit)],
        summary="Claim check: is each sentence in the articles or sources exactly, nearly, or not at all",
    )
    async def verify(body: VerifyRequest, request: Request) -> VerifyResponse:
        st: AppState = request.app.state.verbatim
        return await anyio.to_thread.run_sync(st.answerer.verify, body.text, limiter=workers)

    @app.get("/works", response_model=list[WorkSummary], summary="Cited works across all articles, most cited first")
    async def works(
        limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0), st: AppState = Depends(_state)
    ) -> list[WorkSummary]:
        return st.answerer.catalog.work_list(limit, offset)

    @app.get(
        "/works/{work_id}",
        response_model=WorkDetail,
        responses={404: {"model": ErrorOut, "description": "No work with that id"}, 422: ERRORS[422]},
        summary="One cited work: each article's entry, every citing sentence, the DOI, and the paper itself if it is in the corpus",
    )
    def work(work_id: str, st: AppState = Depends(_state)) -> WorkDetail:
        if work_id not in st.answerer.catalog.works:
            raise HTTPException(404, f"no work with id {work_id!r}; GET /works lists them")
        return st.answerer.catalog.work_detail(work_id)

    @app.get(
        "/sources/{source_id}/pdf",
        response_class=FileResponse,
        responses={200: {"content": {"application/pdf": {}}, "description": "The original PDF"},
                   404: {"model": ErrorOut, "description": "No PDF source with that id"},
                   409: {"model": ErrorOut, "description": "The file changed since the index was built"}},
        summary="The original file of a PDF source (add #page=N to open it at a page)",
    )
    def source_pdf(source_id: str, st: AppState = Depends(_state)) -> Response:
        rel = st.answerer.catalog.pdf_files.get(source_id)
        if rel is None:
            raise HTTPException(404, f"no PDF source with id {source_id!r}")
        path = (settings.corpus_dir / rel).resolve()
        if not path.is_relative_to(settings.corpus_dir.resolve()) or not path.is_file():
            raise HTTPException(404, f"the PDF of {source_id!r} is no longer in the corpus folder")
        if _file_digest(path) != st.index.data.corpus.get(rel):
            raise HTTPException(409, f"the PDF of {source_id!r} changed since the index was built: run `verbatim ingest`")
        # The browser's own PDF viewer needs plugins, which the pages' policy (object-src 'none') forbids.
        return FileResponse(path, media_type="application/pdf", filename=path.name, content_disposition_type="inline",
                            headers={"Content-Security-Policy": "frame-ancestors 'none'"})

    @app.get(
        "/passages/{passage_id}/cite",
        response_class=Response,
        responses={200: {"content": {m.split(";")[0]: {} for m in CITE_MEDIA_TYPES.values()}, "description": "The citation"},
                   404: {"model": ErrorOut, "description": "No passage with that id"}, 422: ERRORS[422]},
        summary="Cite a quote: the article, the quoted text and where it sits, and the references it cites",
    )
    def cite_passage(
        passage_id: str,
        format: Literal[CITE_FORMATS] = Query("apa", description="apa, bibtex, ris or csl-json"),  # noqa: A002
        download: bool = Query(False, description="Send it as a file to save."),
        st: AppState = Depends(_state),
    ) -> Response:
        cat = st.answerer.catalog
        p = cat.passage(passage_id)
        if p is None:
            raise HTTPException(404, f"no passage with id {passage_id!r}")
        refs = [cat.references[r] for r in p.ref_ids if r in cat.references and p.kind != "reference"]
        body = cite(cat.articles[p.article_id], p, refs, format)
        headers = {"Content-Disposition": f'attachment; filename="{p.article_id}-{p.id}.{CITE_EXTENSIONS[format]}"'} if download else {}
        return Response(body, media_type=CITE_MEDIA_TYPES[format], headers=headers)

    @app.get(
        "/metrics",
        response_class=Response,
        responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
        summary="Referral counts: responses by kind and by routing rule, and how often crisis lines were shown",
    )
    async def metrics(request: Request) -> Response:
        return Response(request.app.state.metrics.render(), media_type=METRICS_CONTENT_TYPE)

    @app.get("/health", response_model=Health, summary="Index version, counts and model")
    async def health(st: AppState = Depends(_state)) -> Health:
        m = st.index.manifest
        return Health(status="ok", index_version=m["version"], model=m["model"]["name"], counts=m["counts"], worker=worker)

    if settings.admin_token:

        @app.post("/admin/reload", include_in_schema=False)
        async def admin_reload(request: Request) -> JSONResponse:
            given = request.headers.get("authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {settings.admin_token}".encode()):
                return _json_error(401, "admin token missing or wrong", {"WWW-Authenticate": "Bearer"})
            try:
                result = await anyio.to_thread.run_sync(reload_state, request.app)
            except IndexLoadError as e:
                return _json_error(409, f"the new index was refused, the old one goes on serving: {e}")
            if notify_supervisor_reload():  # under --workers: the supervisor passes SIGHUP on to every worker
                result = {**result, "workers": "every worker was told to reload; GET /health shows each one's version"}
            return JSONResponse(result)

    return app


def with_article_ids(schema: dict, ids) -> dict:
    """``schema`` (an OpenAPI document of this app) with ``ids`` as the enum of AskRequest's ``articles``."""
    prop = schema["components"]["schemas"]["AskRequest"]["properties"]["articles"]
    for alt in [prop, *prop.get("anyOf", [])]:
        if "items" in alt:
            alt["items"] = {**alt["items"], "enum": sorted(ids)}
    return schema


_DIGESTS: dict[tuple[str, int, int], str] = {}


def _file_digest(path: Path) -> str:
    """sha256 of a file, remembered by (path, size, mtime) so that serving a PDF does not hash it each time."""
    from index.store import sha256_file

    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _DIGESTS:
        _DIGESTS[key] = sha256_file(path)
    return _DIGESTS[key]


async def _reload_logged(app: FastAPI) -> None:
    try:
        result = await anyio.to_thread.run_sync(reload_state, app)
        log.warning("SIGHUP: %s", result)
    except IndexLoadError as e:
        log.error("SIGHUP: the new index was refused, the old one goes on serving: %s", e)
