"""A load generator for a running `verbatim serve`: asyncio with httpx, one task per client.

Each client sends POST /ask one after another (the next as soon as the last answered),
cycling through a list of questions from its own starting point, until the duration
or the request count runs out.  The server's resident memory is sampled from /proc
while the load runs.  Used by `verbatim bench` and by the load test in `make test`.
"""
from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

DELIBERATE = (429, 503)  # the service shedding load on purpose: rate limit, full queue


@dataclass
class LoadResult:
    clients: int
    seconds: float  # wall time of the whole run
    requests: int
    answered: int  # 200
    shed: int  # 429 or 503, each with Retry-After
    errors: int  # anything else: other statuses, timeouts, refused connections
    error_samples: list[str]
    rps: float  # answered per second
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    server_p50_ms: float | None  # from Server-Timing: time inside the service
    cache_hits: int
    rss_mb: dict = field(default_factory=dict)  # start, max, end (server process)

    def to_dict(self) -> dict:
        return asdict(self)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q / 100 * len(s) + 0.5) - 1))]


def rss_mb(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


async def _client(http: httpx.AsyncClient, url: str, questions: list[dict], start: int, stop_at: float,
                  budget: list[int], out: dict) -> None:
    i = start
    while time.perf_counter() < stop_at and (budget[0] is None or budget[0] > 0):
        if budget[0] is not None:
            budget[0] -= 1
        body = questions[i % len(questions)]
        i += 1
        t = time.perf_counter()
        try:
            r = await http.post(url, json=body)
        except httpx.HTTPError as e:
            out["errors"].append(f"{type(e).__name__}: {e}"[:200])
            continue
        ms = (time.perf_counter() - t) * 1000
        if r.status_code == 200:
            out["latencies"].append(ms)
            timing = r.headers.get("server-timing", "")
            if "dur=" in timing:
                out["server"].append(float(timing.split("dur=")[1].split(",")[0]))
            out["hits"] += r.headers.get("x-cache") == "hit"
        elif r.status_code in DELIBERATE and r.headers.get("retry-after"):
            out["shed"] += 1
        else:
            out["errors"].append(f"{r.status_code}: {r.text[:200]}")


async def _run(base: str, questions: list[dict], clients: int, duration: float | None, requests: int | None,
               pid: int | None, timeout: float) -> LoadResult:
    out = {"latencies": [], "server": [], "errors": [], "shed": 0, "hits": 0}
    rss: list[float] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as http:
        t0 = time.perf_counter()
        stop_at = t0 + duration if duration else float("inf")
        budget = [requests]

        async def sample():
            while True:
                v = rss_mb(pid)
                if v is not None:
                    rss.append(v)
                await asyncio.sleep(0.25)

        sampler = asyncio.create_task(sample())
        step = max(1, len(questions) // clients)
        await asyncio.gather(*(_client(http, f"{base}/ask", questions, c * step, stop_at, budget, out) for c in range(clients)))
        seconds = time.perf_counter() - t0
        sampler.cancel()
    end = rss_mb(pid)
    lat = out["latencies"]
    return LoadResult(
        clients=clients,
        seconds=round(seconds, 3),
        requests=len(lat) + out["shed"] + len(out["errors"]),
        answered=len(lat),
        shed=out["shed"],
        errors=len(out["errors"]),
        error_samples=out["errors"][:5],
        rps=round(len(lat) / seconds, 1) if seconds else 0.0,
        p50_ms=_r(percentile(lat, 50)),
        p95_ms=_r(percentile(lat, 95)),
        p99_ms=_r(percentile(lat, 99)),
        server_p50_ms=_r(statistics.median(out["server"])) if out["server"] else None,
        cache_hits=out["hits"],
        rss_mb={"start": _r(rss[0]) if rss else None, "max": _r(max(rss)) if rss else None, "end": _r(end)},
    )


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 2)


def run_load(base: str, questions: list[dict], clients: int, duration: float | None = None, requests: int | None = None,
             pid: int | None = None, timeout: float = 30.0) -> LoadResult:
    """``questions``: POST /ask bodies.  Stops after ``duration`` seconds or ``requests`` requests in all."""
    if duration is None and requests is None:
        raise ValueError("give a duration or a request count")
    return asyncio.run(_run(base.rstrip("/"), questions, clients, duration, requests, pid, timeout))
