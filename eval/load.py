"""A load generator for a running `verbatim serve`: asyncio, one task per client.

Each client sends POST /ask one after another (the next as soon as the last answered),
cycling through a list of questions from its own starting point, until the duration
or the request count runs out.  The server's resident memory is sampled from /proc
while the load runs, and the CPU time of both the server and this generator is counted.
Used by `verbatim bench` and by the load test in `make test`.

Two clients: "raw" (the default), a minimal HTTP/1.1 client over asyncio streams with one
keep-alive connection per simulated client, and "httpx", one httpx.AsyncClient.  On a
2-core machine the generator shares the cores with the server, and httpx spends several
milliseconds of CPU per request (measured: about 6 ms, against the server's 15), so the
server would be measured short of what it can do.
"""
from __future__ import annotations

import asyncio
import json
import os
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

DELIBERATE = (429, 503)  # the service shedding load on purpose: rate limit, full queue


@dataclass
class LoadResult:
    clients: int
    client: str  # the load generator: "raw" or "httpx"
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
    # CPU time per answered request, in ms: the server process (all its threads) and this load
    # generator.  On a 2-core machine both share the cores, so both bound the answered rate.
    server_cpu_ms: float | None = None
    client_cpu_ms: float | None = None
    # Share of the machine's CPU time stolen by the hypervisor during the run (a virtual machine's
    # cores given to other guests), in percent: stalls that no code of ours causes.
    steal_pct: float | None = None
    # One client only: the stolen share during the fastest half of the answers and during the slowest
    # 1%, and how many of those slowest had any tick stolen while they ran.
    steal_by_speed: dict | None = None
    server_p99_ms: float | None = None  # from Server-Timing, like server_p50_ms

    def to_dict(self) -> dict:
        return asdict(self)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q / 100 * len(s) + 0.5) - 1))]


def machine_ticks() -> tuple[int, int] | None:
    """(stolen, total) CPU ticks of the whole machine so far, from the first line of /proc/stat."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return None
    return (fields[7], sum(fields)) if len(fields) == 8 else None


def steal_pct(before: tuple[int, int] | None, after: tuple[int, int] | None) -> float | None:
    """Percent of the CPU time between two `machine_ticks` readings that the hypervisor stole."""
    if before is None or after is None or after[1] <= before[1]:
        return None
    return round(100 * (after[0] - before[0]) / (after[1] - before[1]), 1)


def steal_by_speed(samples: list[tuple[float, int, int]] | None) -> dict | None:
    """From (latency ms, stolen ticks, all ticks) per answer: were the slowest answers the ones the
    hypervisor stole from?  Ticks are 10 ms of one core each, so a short answer often sees none."""
    if not samples or len(samples) < 100:
        return None
    ordered = sorted(samples)
    fast, slow = ordered[: len(ordered) // 2], ordered[-max(1, len(ordered) // 100):]

    def share(rows):
        total = sum(r[2] for r in rows)
        return round(100 * sum(r[1] for r in rows) / total, 1) if total else None

    return {
        "fastest_half_pct": share(fast),
        "slowest_1pct_pct": share(slow),
        "slowest_1pct_with_steal": round(100 * sum(1 for r in slow if r[1] > 0) / len(slow), 1),
        "slowest_1pct_n": len(slow),
    }


def _tree(pid: int) -> list[int]:
    """``pid`` and its child processes (the workers of `verbatim serve --workers N`), from /proc."""
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        kids = []
    return [pid, *(int(k) for k in kids)]


def cpu_seconds(pid: int | None) -> float | None:
    """User plus system CPU time so far of process ``pid`` (all threads) and of its live child processes
    (a supervisor's workers), from /proc."""
    if pid is None:
        return None
    total = None
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total = (total or 0.0) + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def rss_mb(pid: int | None) -> float | None:
    """Resident memory of process ``pid`` plus its child processes' (pages they share, such as a memory-mapped
    index, the libraries and the model file, are counted once per process: an upper bound for several workers)."""
    if pid is None:
        return None
    total = None
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total = (total or 0.0) + int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


class _HttpxPoster:
    """POST through one shared httpx.AsyncClient (a pool of ``clients`` keep-alive connections)."""

    name = "httpx"

    def __init__(self, base: str, clients: int, timeout: float):
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        self.http = httpx.AsyncClient(limits=limits, timeout=timeout)
        self.url = f"{base}/ask"

    def connection(self) -> "_HttpxPoster":
        return self

    async def post(self, body: bytes) -> tuple[int, dict, bytes]:
        try:
            r = await self.http.post(self.url, content=body, headers={"content-type": "application/json"})
        except httpx.HTTPError as e:
            raise _RequestFailed(f"{type(e).__name__}: {e}") from e
        return r.status_code, r.headers, r.content

    async def close(self) -> None:
        await self.http.aclose()


class _RawConnection:
    """One keep-alive HTTP/1.1 connection over asyncio streams: it writes a POST and reads the
    response (Content-Length or chunked), reconnecting after an error or ``Connection: close``."""

    def __init__(self, host: str, port: int, timeout: float):
        self.host, self.port, self.timeout = host, port, timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.head = f"POST /ask HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n".encode()

    async def post(self, body: bytes) -> tuple[int, dict, bytes]:
        try:
            return await asyncio.wait_for(self._post(body), self.timeout)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError, ValueError,
                IndexError) as e:  # IndexError, ValueError: a malformed status line, header or chunk size
            await self.close()
            raise _RequestFailed(f"{type(e).__name__}: {e}") from e

    async def _post(self, body: bytes) -> tuple[int, dict, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(self.head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split(b" ", 2)[1])
        headers = {}
        while (line := await self.reader.readuntil(b"\r\n")) != b"\r\n":
            k, _, v = line.decode("latin-1").partition(":")
            headers[k.strip().lower()] = v.strip()
        if "content-length" in headers:
            data = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                parts.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            await self.reader.readuntil(b"\r\n")
            data = b"".join(parts)
        else:
            raise ValueError("response has neither Content-Length nor chunked encoding")
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, headers, data

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
        self.reader = self.writer = None


class _RawPoster:
    """A connection of its own for each client: asyncio streams and a minimal HTTP/1.1 client.

    It costs the load generator several times less CPU per request than httpx does, which
    matters when both share the server's cores."""

    name = "raw"

    def __init__(self, base: str, clients: int, timeout: float):
        from urllib.parse import urlsplit

        u = urlsplit(base)
        if u.scheme != "http" or not u.hostname:
            raise ValueError(f"the raw load client speaks plain http only, not {base!r}")
        self.host, self.port, self.timeout = u.hostname, u.port or 80, timeout
        self.conns: list[_RawConnection] = []

    def connection(self) -> _RawConnection:
        c = _RawConnection(self.host, self.port, self.timeout)
        self.conns.append(c)
        return c

    async def close(self) -> None:
        for c in self.conns:
            await c.close()


class _RequestFailed(Exception):
    pass


CLIENT_KINDS = {"raw": _RawPoster, "httpx": _HttpxPoster}


async def _client(conn, bodies: list[bytes], start: int, stop_at: float, budget: list[int], out: dict) -> None:
    i = start
    while time.perf_counter() < stop_at and (budget[0] is None or budget[0] > 0):
        if budget[0] is not None:
            budget[0] -= 1
        body = bodies[i % len(bodies)]
        i += 1
        ticks = machine_ticks() if "steal" in out else None
        t = time.perf_counter()
        try:
            status, headers, data = await conn.post(body)
        except _RequestFailed as e:
            out["errors"].append(str(e)[:200])
            continue
        ms = (time.perf_counter() - t) * 1000
        if status == 200:
            out["latencies"].append(ms)
            if ticks is not None:
                after = machine_ticks()
                if after is not None:
                    out["steal"].append((ms, after[0] - ticks[0], after[1] - ticks[1]))
            timing = headers.get("server-timing", "")
            if "dur=" in timing:
                out["server"].append(float(timing.split("dur=")[1].split(",")[0].split(";")[0]))
            out["hits"] += headers.get("x-cache") == "hit"
        elif status in DELIBERATE and headers.get("retry-after"):
            out["shed"] += 1
        else:
            out["errors"].append(f"{status}: {data[:200].decode('utf-8', 'replace')}")


async def _run(base: str, questions: list[dict], clients: int, duration: float | None, requests: int | None,
               pid: int | None, timeout: float, client: str) -> LoadResult:
    out = {"latencies": [], "server": [], "errors": [], "shed": 0, "hits": 0}
    if clients == 1 and machine_ticks() is not None:
        out["steal"] = []  # (latency ms, stolen ticks, all ticks) per answer: one at a time, so attributable
    rss: list[float] = []
    bodies = [json.dumps(q).encode() for q in questions]
    poster = CLIENT_KINDS[client](base, clients, timeout)
    try:
        server_cpu0, client_cpu0, ticks0 = cpu_seconds(pid), time.process_time(), machine_ticks()
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
        step = max(1, len(bodies) // clients)
        await asyncio.gather(*(_client(poster.connection(), bodies, c * step, stop_at, budget, out) for c in range(clients)))
        seconds = time.perf_counter() - t0
        server_cpu, client_cpu, ticks = cpu_seconds(pid), time.process_time() - client_cpu0, machine_ticks()
        sampler.cancel()
    finally:
        await poster.close()
    end = rss_mb(pid)
    lat = out["latencies"]
    return LoadResult(
        clients=clients,
        client=poster.name,
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
        server_p99_ms=_r(percentile(out["server"], 99)),
        cache_hits=out["hits"],
        rss_mb={"start": _r(rss[0]) if rss else None, "max": _r(max(rss)) if rss else None, "end": _r(end)},
        server_cpu_ms=_r(1000 * (server_cpu - server_cpu0) / len(lat)) if lat and server_cpu is not None else None,
        client_cpu_ms=_r(1000 * client_cpu / len(lat)) if lat else None,
        steal_pct=steal_pct(ticks0, ticks),
        steal_by_speed=steal_by_speed(out.get("steal")),
    )


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 2)


def run_load(base: str, questions: list[dict], clients: int, duration: float | None = None, requests: int | None = None,
             pid: int | None = None, timeout: float = 30.0, client: str = "raw") -> LoadResult:
    """``questions``: POST /ask bodies.  Stops after ``duration`` seconds or ``requests`` requests in all.
    ``client``: "raw" (asyncio streams, one connection per client) or "httpx" (one AsyncClient)."""
    if duration is None and requests is None:
        raise ValueError("give a duration or a request count")
    if client not in CLIENT_KINDS:
        raise ValueError(f"client must be one of {', '.join(CLIENT_KINDS)}, not {client!r}")
    return asyncio.run(_run(base.rstrip("/"), questions, clients, duration, requests, pid, timeout, client))
