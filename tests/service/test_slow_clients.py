"""Slow clients against a real `verbatim serve` (issue 17): a request whose headers or body do not arrive in
time gets 408 and its connection is closed, and 2,000 such connections held open do not slow a normal request
beyond 3x its usual time.  Bounded: 2,000 sockets and about 20 seconds."""
from __future__ import annotations

import socket
import statistics
import time

import httpx
import pytest

from eval.bench import Server
from service.serve import raise_open_files
from service.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]
SLOW = 2000
TIMEOUT = 4.0


def _median_ms(client: httpx.Client, n: int = 30) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        r = client.post("/ask", json={"question": "Does ketamine help with alcohol use disorder?"})
        assert r.status_code == 200
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _open(port: int, payload: bytes) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(payload)
    return s


def _read_until_closed_or(s: socket.socket, end: bytes | None = None) -> bytes:
    """What the server sends until it closes the connection (or, with ``end``, until the data ends so)."""
    data = b""
    while chunk := s.recv(4096):
        data += chunk
        if end is not None and data.endswith(end):
            break
    return data


def test_slow_requests_get_408_and_do_not_slow_a_normal_one(real_index_dir):
    assert raise_open_files(SLOW + 512) >= SLOW + 256, "the open-file limit is too low for this test"
    with Server(Settings(index_dir=real_index_dir), ready="health", VERBATIM_RATE_LIMIT=0,
                VERBATIM_REQUEST_TIMEOUT=TIMEOUT) as srv:
        with httpx.Client(base_url=srv.url, timeout=30) as client:
            client.post("/ask", json={"question": "Does ketamine help with alcohol use disorder?"})  # cached from now
            usual = _median_ms(client)
            half = b"POST /ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"  # headers never end
            trickle = b'POST /ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"q'
            opened = time.monotonic()
            slow = [_open(srv.port, half if i % 2 else trickle) for i in range(SLOW)]
            try:
                during = _median_ms(client)
                assert during <= 3 * usual, (usual, during)
                # Each slow connection gets 408 once its deadline passes, and is closed.
                time.sleep(max(0.0, TIMEOUT + 1.5 - (time.monotonic() - opened)))
                got = []
                for s in slow:
                    s.settimeout(10)
                    data = b""
                    while chunk := s.recv(4096):
                        data += chunk
                    got.append(data)
                assert all(d.startswith(b"HTTP/1.1 408 ") for d in got), {d[:30] for d in got}
            finally:
                for s in slow:
                    s.close()
            # A connection that sends nothing at all is closed too (with its 408).
            idle = socket.create_connection(("127.0.0.1", srv.port), timeout=TIMEOUT + 5)
            assert idle.recv(64).startswith(b"HTTP/1.1 408 ")
            idle.close()
            assert client.get("/health").status_code == 200  # and the server is fine
        # The same deadline for a later request on a kept-alive connection, and for one pipelined behind another:
        # each gets its 408 after the answer before it, and the connection is closed.
        full = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
        kept = socket.create_connection(("127.0.0.1", srv.port), timeout=TIMEOUT + 5)
        kept.sendall(full)
        first = _read_until_closed_or(kept, b"}")
        assert first.startswith(b"HTTP/1.1 200 "), first[:40]
        time.sleep(0.5)
        kept.sendall(half)
        late = _read_until_closed_or(kept)
        assert late.startswith(b"HTTP/1.1 408 "), late[:40]
        piped = socket.create_connection(("127.0.0.1", srv.port), timeout=TIMEOUT + 5)
        piped.sendall(full + half)
        both = _read_until_closed_or(piped)
        assert both.startswith(b"HTTP/1.1 200 ") and both.count(b"HTTP/1.1 408 ") == 1, both[:40]
        kept.close()
        piped.close()
    print(f"\nslow clients: normal request median {usual:.2f} ms usually, {during:.2f} ms with {SLOW} slow connections open")
