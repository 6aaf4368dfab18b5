"""The HTTP service.  `create_app(settings)` builds it; the model and index load in the lifespan."""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from index.embed import MODEL_NAME, MiniLMEmbedder
from index.store import LoadedIndex, load_index
from service.answer import Answerer
from service.schemas import (
    ArticleDetail,
    ArticleSummary,
    AskRequest,
    AskResponse,
    ErrorOut,
    Health,
    ReferenceHit,
)
from service.settings import Settings

log = logging.getLogger("verbatim")
MAX_REFERENCE_QUERY = 200
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


@dataclass
class AppState:
    index: LoadedIndex
    answerer: Answerer


def load_state(settings: Settings) -> AppState:
    """Load the index and the model.  Raises `IndexLoadError` (one line) when the index is unusable."""
    index = load_index(settings.index_dir, expect_model=MODEL_NAME)
    embedder = MiniLMEmbedder(threads=settings.threads)
    embedder.load()
    return AppState(index=index, answerer=Answerer(index, embedder))


def _state(request: Request) -> AppState:
    return request.app.state.verbatim


def _require_json(request: Request) -> None:
    ctype = request.headers.get("content-type", "")
    if ctype.split(";")[0].strip().lower() != "application/json":
        raise HTTPException(415, f"Content-Type must be application/json, not {ctype or 'missing'}")


ERRORS = {
    400: {"model": ErrorOut, "description": "Malformed JSON"},
    415: {"model": ErrorOut, "description": "Wrong content type"},
    422: {"model": ErrorOut, "description": "A field is missing or out of range"},
}


def create_app(settings: Settings | None = None, state: AppState | None = None) -> FastAPI:
    """Build the app.  Pass ``state`` to serve an already loaded index (the CLI checks it first)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.verbatim = state or load_state(settings)
        log.info("index %s loaded", app.state.verbatim.index.version)
        yield

    app = FastAPI(
        title="Verbatim",
        version="0.1.0",
        summary="Answers only with verbatim, cited quotes from published articles. Not medical advice.",
        lifespan=lifespan,
    )

    @app.middleware("http")
    async def _security_headers(request: Request, call_next):
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            # FastAPI's /docs page needs its own inline script; it shows no article text.
            if name == "Content-Security-Policy" and request.url.path.startswith(("/docs", "/redoc")):
                continue
            response.headers.setdefault(name, value)
        return response

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
    def ask(body: AskRequest, st: AppState = Depends(_state)) -> AskResponse:
        return st.answerer.ask(body.question, top_k=body.top_k, history=body.history)

    @app.get("/articles", response_model=list[ArticleSummary], summary="The articles Verbatim quotes from")
    def articles(st: AppState = Depends(_state)) -> list[ArticleSummary]:
        return st.answerer.catalog.summaries()

    @app.get(
        "/articles/{article_id}",
        response_model=ArticleDetail,
        responses={404: {"model": ErrorOut, "description": "No article with that id"}},
        summary="An article's cleaned text, sections and references",
    )
    def article(article_id: str, st: AppState = Depends(_state)) -> ArticleDetail:
        if article_id not in st.answerer.catalog.articles:
            raise HTTPException(404, f"no article with id {article_id!r}; GET /articles lists them")
        return st.answerer.catalog.detail(article_id)

    @app.get("/references", response_model=list[ReferenceHit], responses=ERRORS, summary="Search reference entries")
    def references(
        q: str = Query(..., min_length=1, max_length=MAX_REFERENCE_QUERY, description="Author, title, year or DOI."),
        limit: int = Query(10, ge=1, le=50),
        st: AppState = Depends(_state),
    ) -> list[ReferenceHit]:
        if not q.strip():
            raise HTTPException(422, "q: must not be blank")
        return st.answerer.search_references(q.strip(), limit)

    @app.get("/health", response_model=Health, summary="Index version, counts and model")
    def health(st: AppState = Depends(_state)) -> Health:
        m = st.index.manifest
        return Health(status="ok", index_version=m["version"], model=m["model"]["name"], counts=m["counts"])

    return app
