"""The raw load generator's HTTP/1.1 client, against tiny servers that answer in ways uvicorn does not
(chunked bodies, closed connections, garbage), so that the benchmark's counts stay right."""
from __future__ import annotations

import asyncio
import socket
import threading

import pytest

from eval.load import machine_ticks, run_load, steal_by_speed, steal_pct

BODY = b'{"kind": "answer"}'


def _serve(handler):
    """Start an asyncio server on a free port in a thread; ``handler(reader, writer, n)`` answers request n."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)  # listening before the thread starts: a client that connects early waits in the backlog
    port = sock.getsockname()[1]
    started = threading.Event()
    seen = [0]
    loop = asyncio.new_event_loop()

    async def on_conn(reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
                await reader.readexactly(length)
                seen[0] += 1
                if not await handler(reader, writer, seen[0]):
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()

    async def main():
        server = await asyncio.start_server(on_conn, sock=sock)
        started.set()
        async with server:
            await server.serve_forever()

    threading.Thread(target=lambda: loop.run_until_complete(main()), daemon=True).start()
    if not started.wait(30):
        raise RuntimeError("the test server did not start within 30 s")
    return f"http://127.0.0.1:{port}", seen


async def _chunked_then_close(reader, writer, n):
    writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nServer-Timing: app;dur=1.5, encode;dur=1.0\r\n"
                 b"Connection: close\r\n\r\n" + b"%x\r\n" % len(BODY) + BODY + b"\r\n0\r\n\r\n")
    await writer.drain()
    return False  # the client must reconnect for the next request


async def _keep_alive(reader, writer, n):
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(BODY) + BODY)
    await writer.drain()
    return True


async def _shed_then_garbage(reader, writer, n):
    if n % 2:
        writer.write(b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 2\r\n\r\n{}")
        await writer.drain()
        return True
    writer.write(b"this is not http\r\n\r\n")
    await writer.drain()
    return False


def test_chunked_answers_and_closed_connections_are_counted_as_answers():
    url, seen = _serve(_chunked_then_close)
    r = run_load(url, [{"question": "q"}], clients=2, requests=6, timeout=5)
    assert (r.answered, r.errors, r.shed, seen[0]) == (6, 0, 0, 6)
    assert r.server_p50_ms == r.server_p99_ms == 1.5  # the app;dur part of Server-Timing


def test_shedding_and_malformed_responses_are_told_apart_without_raising():
    url, _ = _serve(_shed_then_garbage)
    r = run_load(url, [{"question": "q"}], clients=1, requests=4, timeout=5)
    assert (r.answered, r.shed, r.errors) == (0, 2, 2)
    assert all("ValueError" in e for e in r.error_samples)


def test_a_refused_connection_is_an_error_not_a_crash():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # a free port that nothing listens on
    r = run_load(f"http://127.0.0.1:{port}", [{"question": "q"}], clients=1, requests=3, timeout=5)
    assert (r.answered, r.errors) == (0, 3) and "ConnectionRefusedError" in r.error_samples[0]


def test_the_client_kind_is_checked():
    with pytest.raises(ValueError, match="client must be one of raw, httpx"):
        run_load("http://127.0.0.1:1", [{"question": "q"}], clients=1, requests=1, client="curl")
    with pytest.raises(ValueError, match="plain http only"):
        run_load("https://example.org", [{"question": "q"}], clients=1, requests=1)


def test_stolen_cpu_is_the_share_of_the_machines_ticks_between_two_readings():
    assert steal_pct((100, 1000), (130, 1200)) == 15.0  # 30 of 200 ticks
    assert steal_pct((100, 1000), (100, 1000)) is None and steal_pct(None, (1, 2)) is None
    before = machine_ticks()
    if before is None:
        pytest.skip("no /proc/stat on this system")
    sum(range(3_000_000))  # some CPU time, so that the tick count moves
    after = machine_ticks()
    assert 0 <= before[0] <= before[1] and after[1] > before[1]
    assert 0.0 <= steal_pct(before, after) <= 100.0


def test_the_slowest_answers_are_compared_with_the_fastest_for_stolen_time():
    # 200 answers: the 100 fastest saw 1 stolen tick in 200; the 2 slowest (1%) saw 3 in 4, and 1 in 4.
    samples = [(10.0 + i * 0.01, 0, 2) for i in range(198)]
    samples[0] = (9.0, 1, 2)
    samples += [(80.0, 3, 4), (90.0, 1, 4)]
    assert steal_by_speed(samples) == {"fastest_half_pct": 0.5, "slowest_1pct_pct": 50.0,
                                       "slowest_1pct_with_steal": 100.0, "slowest_1pct_n": 2}
    assert steal_by_speed(samples[:99]) is None  # too few to have a slowest 1%


def test_one_client_records_stolen_time_per_answer_and_more_clients_do_not():
    if machine_ticks() is None:
        pytest.skip("no /proc/stat on this system")
    url, _ = _serve(_keep_alive)
    one = run_load(url, [{"question": "q"}], clients=1, requests=120, timeout=5)
    assert one.answered == 120 and set(one.steal_by_speed) == {
        "fastest_half_pct", "slowest_1pct_pct", "slowest_1pct_with_steal", "slowest_1pct_n"}
    assert one.steal_by_speed["slowest_1pct_n"] == 1
    two = run_load(url, [{"question": "q"}], clients=2, requests=120, timeout=5)
    assert two.answered == 120 and two.steal_by_speed is None  # overlapping answers: not attributable
