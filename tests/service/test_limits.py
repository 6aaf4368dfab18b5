"""Overload and abuse: body size, rate limit, bounded queue, CORS, admin token, headers, the answer cache."""
from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from index.embed import BatchingEmbedder
from service.answer import Answerer
from service.app import AppState, create_app
from service.limits import AnswerCache, RateLimiter, cache_key
from service.schemas import AskResponse
from service.settings import Settings

QUESTION = {"question": "Does a single ketamine dose reduce drinking?"}


# -- units ----------------------------------------------------------------------------------------


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_rate_limiter_allows_a_burst_then_the_rate():
    clock = Clock()
    rl = RateLimiter(per_minute=60, burst=3, clock=clock)
    assert [rl.check("a") for _ in range(3)] == [0, 0, 0]
    assert rl.check("a") == 1  # one token per second: wait 1 s
    assert rl.check("b") == 0  # clients are separate
    clock.now += 1.0
    assert rl.check("a") == 0 and rl.check("a") >= 1
    clock.now += 10.0  # refills, but never beyond the burst
    assert [rl.check("a") for _ in range(4)] == [0, 0, 0, 1]


def test_rate_limiter_retry_after_is_long_enough():
    clock = Clock()
    rl = RateLimiter(per_minute=6, burst=1, clock=clock)  # one every 10 s
    assert rl.check("a") == 0
    wait = rl.check("a")
    assert wait == 10
    clock.now += wait
    assert rl.check("a") == 0


def test_rate_limiter_off_and_bounded_table():
    assert RateLimiter(0, 5).check("a") == 0 and not RateLimiter(0, 5).enabled
    clock = Clock()
    rl = RateLimiter(per_minute=60, burst=2, max_clients=100, clock=clock)
    for i in range(1000):
        rl.check(f"10.0.{i // 256}.{i % 256}")
        clock.now += 0.01
    assert len(rl._buckets) <= 101


def test_answer_cache_is_lru_and_bounded():
    c = AnswerCache(2)
    r = AskResponse(kind="no_answer", question="q", notice="n", disclaimer="d", passages=[], resources=[], suggestions=[])
    c.put(("a",), r)
    c.put(("b",), r)
    assert c.get(("a",)) is r  # a is now the most recent
    c.put(("c",), r)
    assert c.get(("b",)) is None and c.get(("a",)) is r and c.get(("c",)) is r and len(c) == 2
    off = AnswerCache(0)
    off.put(("a",), r)
    assert off.get(("a",)) is None and len(off) == 0


def test_cache_key_ignores_case_and_spacing_but_not_history_or_top_k():
    assert cache_key("Does  Ketamine help?", [], 5) == cache_key(" does ketamine help? ", [], 5)
    assert cache_key("and for alcohol?", ["opioids?"], 5) != cache_key("and for alcohol?", ["cocaine?"], 5)
    assert cache_key("q", [], 5) != cache_key("q", [], 3)


# -- through the app ------------------------------------------------------------------------------


@pytest.fixture
def make_client(real_index_dir, app_state):
    clients = []

    def make(**overrides) -> TestClient:
        settings = Settings(index_dir=real_index_dir, **overrides)
        c = TestClient(create_app(settings, state=AppState(index=app_state.index, answerer=app_state.answerer,
                                                           cache=AnswerCache(settings.cache_size))))
        c.__enter__()
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.__exit__(None, None, None)


pytestmark = pytest.mark.integration


def test_body_over_the_limit_is_413_before_parsing(make_client):
    c = make_client(max_body_bytes=1024)
    r = c.post("/ask", content=b'{"question": "' + b"x" * 2000 + b'"}', headers={"content-type": "application/json"})
    assert r.status_code == 413 and "larger than 1024 bytes" in r.json()["error"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_the_largest_valid_request_is_not_too_large(make_client):
    """Six fields of 1000 emoji each, escaped by json.dumps (12 bytes an emoji): a valid request, never 413."""
    import json

    c = make_client(cache_size=0, rate_limit=0)
    body = json.dumps({"question": "\U0001F600" * 999 + "?", "top_k": 10, "history": ["\U0001F600" * 1000] * 5})
    assert len(body) > 70_000
    r = c.post("/ask", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text[:200]


def test_chunked_body_over_the_limit_is_413(make_client):
    c = make_client(max_body_bytes=1024)

    def chunks():
        yield b'{"question": "'
        for _ in range(10):
            yield b"y" * 200
        yield b'"}'

    r = c.post("/ask", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_chunked_body_within_the_limit_is_answered(make_client):
    c = make_client()

    def chunks():
        yield b'{"question": "Does a single ketamine'
        yield b' dose reduce drinking?"}'

    r = c.post("/ask", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 200 and r.json()["kind"] == "answer"


@pytest.mark.parametrize("depth", [100, 10_000])
def test_deeply_nested_json_is_4xx(make_client, depth):
    c = make_client(max_body_bytes=10 * 2**20)
    body = '{"question": "q", "history": ' + "[" * depth + "]" * depth + "}"
    r = c.post("/ask", content=body, headers={"content-type": "application/json"})
    assert 400 <= r.status_code < 500, r.text
    assert "Traceback" not in r.text and "error" in r.json()


def test_rate_limit_answers_429_with_retry_after(make_client):
    c = make_client(rate_limit=60, rate_burst=3, cache_size=0)
    codes = [c.post("/ask", json={"question": f"ketamine question number {i}"}).status_code for i in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    r = c.post("/ask", json=QUESTION)
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    assert "too many requests" in r.json()["error"]
    r = c.get("/references", params={"q": "Krupitsky"})  # searching counts too
    assert r.status_code == 429
    assert c.get("/health").status_code == 200  # cheap reads are not limited


def test_a_repeated_question_comes_from_the_cache_and_is_not_rate_limited(make_client):
    c = make_client(rate_limit=60, rate_burst=1)
    first = c.post("/ask", json=QUESTION)
    assert first.headers["x-cache"] == "miss"
    again = c.post("/ask", json={"question": "  does a SINGLE ketamine dose reduce drinking?"})
    assert again.status_code == 200 and again.headers["x-cache"] == "hit"
    a, b = first.json(), again.json()
    assert b["question"] == "does a SINGLE ketamine dose reduce drinking?"  # echoes this request, not the cached one
    assert {**a, "question": None} == {**b, "question": None}
    assert "app;dur=" in again.headers["server-timing"]


def test_cache_off_means_every_request_is_answered_afresh(make_client):
    c = make_client(cache_size=0, rate_limit=0)
    assert [c.post("/ask", json=QUESTION).headers["x-cache"] for _ in range(2)] == ["miss", "miss"]


class SlowEmbedder:
    """Stands in for the model only to hold requests in progress; the queue is what is tested.  It has
    no `submit`, so the app runs its encode in a worker thread (the path for a non-batching embedder)."""

    def __init__(self, real, release: threading.Event):
        self.real, self.release = real, release

    def encode(self, texts, batch_size=64, progress=False):
        self.release.wait(10)
        return self.real.encode(texts)


def _slow_answerer(real, release: threading.Event) -> Answerer:
    return Answerer(real.index, SlowEmbedder(real.embedder, release), router=real.router, searcher=real.searcher)


def test_a_full_queue_answers_503_at_once(real_index_dir, app_state):
    release = threading.Event()
    settings = Settings(index_dir=real_index_dir, max_queue=2, rate_limit=0, cache_size=0)
    state = AppState(index=app_state.index, answerer=_slow_answerer(app_state.answerer, release))
    app = create_app(settings, state=state)

    async def scenario():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            held = [asyncio.create_task(http.post("/ask", json={"question": f"ketamine {i}"})) for i in range(2)]
            await asyncio.sleep(0.3)  # both are now in progress
            t = time.perf_counter()
            r = await http.post("/ask", json={"question": "ketamine 3"})
            quick = time.perf_counter() - t
            release.set()
            done = await asyncio.gather(*held)
            return r, quick, done

    async def with_lifespan():
        async with app.router.lifespan_context(app):
            return await scenario()

    r, quick, done = asyncio.run(with_lifespan())
    assert r.status_code == 503 and r.headers["retry-after"] == "1" and "try again" in r.json()["error"]
    assert quick < 0.5  # refused at once, not after the slow ones
    assert [d.status_code for d in done] == [200, 200]


class HintRecorder(BatchingEmbedder):
    """The real batching encoder, recording the `lone` hint each request passes."""

    def __init__(self, inner):
        super().__init__(inner)
        self.hints: list[bool] = []

    def submit(self, texts, lone=False):
        self.hints.append(lone)
        return super().submit(texts, lone)


def test_the_lone_hint_only_when_one_visitor_has_had_the_service_to_itself(real_index_dir, app_state):
    real = app_state.answerer
    rec = HintRecorder(real.embedder.inner)
    state = AppState(index=app_state.index, answerer=Answerer(real.index, rec, router=real.router, searcher=real.searcher))
    app = create_app(Settings(index_dir=real_index_dir, rate_limit=0, cache_size=0), state=state)

    async def scenario():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            await http.post("/ask", json={"question": "Does ketamine reduce drinking?"})  # alone: lone
            await asyncio.gather(*(http.post("/ask", json={"question": f"ketamine trial {i}"}) for i in range(4)))
            await http.post("/ask", json={"question": "Does ketamine help with opioids?"})  # alone, but just after a crowd

    async def with_lifespan():
        async with app.router.lifespan_context(app):
            await scenario()

    asyncio.run(with_lifespan())
    assert len(rec.hints) == 6 and rec.hints[0] is True
    # The first of the crowd found the service empty; the others overlapped it; the last came
    # alone but within a second of the crowd.
    assert rec.hints[2:] == [False] * 4


def test_cors_is_off_by_default(make_client):
    c = make_client()
    r = c.post("/ask", json=QUESTION, headers={"Origin": "https://evil.example"})
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers
    pre = c.options("/ask", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in pre.headers


def test_cors_allowlist_admits_only_listed_origins(make_client):
    c = make_client(cors_origins=["https://partner.example"])
    ok = c.get("/health", headers={"Origin": "https://partner.example"})
    assert ok.headers["access-control-allow-origin"] == "https://partner.example"
    foreign = c.get("/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in foreign.headers
    pre = c.options("/ask", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 400 and "access-control-allow-origin" not in pre.headers


def test_admin_reload_does_not_exist_without_a_token(make_client):
    c = make_client()
    assert c.post("/admin/reload").status_code == 404
    assert "/admin/reload" not in c.get("/openapi.json").text


@pytest.mark.parametrize("auth", [None, "Bearer wrong-token-wrong-token", "Basic Zm9vOmJhcg==", "Bearer "])
def test_admin_reload_needs_the_token(make_client, auth):
    c = make_client(admin_token="s3cret-admin-token-1234")
    headers = {"Authorization": auth} if auth else {}
    r = c.post("/admin/reload", headers=headers)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"


def test_admin_reload_with_the_token_and_no_change(make_client, app_state):
    c = make_client(admin_token="s3cret-admin-token-1234")
    r = c.post("/admin/reload", headers={"Authorization": "Bearer s3cret-admin-token-1234"})
    assert r.status_code == 200 and r.json() == {"status": "unchanged", "index_version": app_state.index.version}


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/"), ("GET", "/health"), ("GET", "/articles/nope"), ("PUT", "/ask"), ("GET", "/static/app.js"), ("GET", "/nowhere")],
)
def test_security_headers_on_every_response(make_client, method, path):
    c = make_client()
    r = c.request(method, path)
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize(("method", "path"), [("GET", "/ask"), ("PUT", "/ask"), ("DELETE", "/articles"), ("POST", "/health")])
def test_unused_methods_are_405(make_client, method, path):
    r = make_client().request(method, path)
    assert r.status_code == 405 and "error" in r.json() and "Traceback" not in r.text
