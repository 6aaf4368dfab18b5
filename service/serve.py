"""How `verbatim serve` runs uvicorn: every request has a deadline, and connections are capped.

uvicorn's only timer is the keep-alive one, and it stops as soon as a byte arrives: a client that sends half
a request, or a body one byte at a time, holds its connection for as long as it likes (1,500 such
connections were seen held open).  `DeadlineHttpTools` arms a deadline when a request's first byte arrives
(or when the connection opens) and disarms it once the whole request, headers and body, is in.  If the
deadline passes first, the client gets ``408 Request Timeout`` (unless another response is being written) and the
connection is closed.  ``limit_concurrency`` caps connections and requests in progress together: beyond it,
uvicorn answers 503 at once, so that an attacker runs out of sockets before the server does.

The protocol is uvicorn's httptools one (llhttp, in C), not its pure-Python h11 one: with the same deadline,
it answered 251 and 253/s at 16 clients against 212 and 199/s with h11, at 6.5 against 7.5-8.1 ms of server
CPU per answer (servers alternated, docs/performance.md).
"""
from __future__ import annotations

import json
import os
import resource
import signal
import socket
import sys
import time

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

_BODY = json.dumps({"error": "the request did not arrive in time; send it whole, or faster"}).encode()
TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\nx-content-type-options: nosniff\r\n"
    b"connection: close\r\ncontent-length: " + str(len(_BODY)).encode() + b"\r\n\r\n" + _BODY
)


class DeadlineHttpTools(HttpToolsProtocol):
    request_timeout: float = 10.0  # set per server by `protocol`

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._deadline = None
        self._arm()  # a connection that never sends a byte is half-open: it has the same deadline

    def _arm(self) -> None:
        if self._deadline is None:
            self._deadline = self.loop.call_later(self.request_timeout, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    # The parser's callbacks, from inside data_received.  A request's deadline runs from its first byte: for
    # the first request on a connection, from when the connection opened; for a later one, kept alive or
    # pipelined behind another, from when it begins.
    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._disarm()  # the whole request is in; the app's own time is not the client's fault

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _expired(self) -> None:
        self._deadline = None
        if self.transport.is_closing():  # a deadline that fires is never one cancelled by on_message_complete
            return
        c = self.cycle  # this request's, or the previous request's on a kept-alive connection
        if c is None or not c.response_started or c.response_complete:  # no other response is being written
            self.transport.write(TIMEOUT_RESPONSE)
        if c is not None:
            c.disconnected = True
        self.transport.close()


def protocol(request_timeout: float) -> type[DeadlineHttpTools]:
    return type("VerbatimHTTP", (DeadlineHttpTools,), {"request_timeout": request_timeout})


def raise_open_files(wanted: int) -> int:
    """Raise this process's open-file limit towards ``wanted`` (within the hard limit); returns the limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft


# -- several worker processes ------------------------------------------------------------------------
#
# `verbatim serve --workers N` (N > 1): this process binds the port and starts N worker processes (spawned, not
# forked: a fork would copy ONNX Runtime's and OpenMP's thread pools in a broken state); each loads the index
# (its vector files memory-mapped, so the page cache holds one copy for all) and the model, and runs uvicorn on
# the one shared listening socket: the kernel hands each new connection to whichever worker accepts it first.
# This process only supervises: SIGHUP is passed on to every worker (each reloads as a single server does),
# SIGINT and SIGTERM stop them all, and a worker that dies after it was ready is replaced.

WORKER_ENV = "VERBATIM_WORKER"  # "index/count" in a worker process (GET /health reports the index)
SUPERVISOR_ENV = "VERBATIM_SUPERVISOR_PID"  # a worker asks its supervisor to pass a reload on to all
STOP_SECONDS = 30.0  # how long the workers get to finish their requests when stopping, before SIGKILL


def worker_info() -> tuple[int, int]:
    """(index, count) of this worker process; (0, 1) in a single-process server."""
    raw = os.environ.get(WORKER_ENV, "")
    try:
        i, n = (int(v) for v in raw.split("/"))
        return i, n
    except ValueError:
        return 0, 1


def notify_supervisor_reload() -> bool:
    """In a worker: ask the supervisor to pass SIGHUP on to every worker.  False in a single process."""
    raw = os.environ.get(SUPERVISOR_ENV)
    if not raw:
        return False
    try:
        os.kill(int(raw), signal.SIGHUP)
    except (ValueError, OSError):
        return False
    return True


def per_worker_connections(max_connections: int, workers: int) -> int:
    """Each worker's share of VERBATIM_MAX_CONNECTIONS, so that the server as a whole holds at most that many."""
    return max(1, -(-max_connections // workers))


def uvicorn_options(settings, workers: int = 1) -> dict:
    """The options every `verbatim serve` process gives uvicorn (one process, or each of N workers).

    Idle connections are kept 30 s: with uvicorn's default of 5 s, equal to httpx's own keep-alive expiry, a
    client can reuse an idle connection at the moment the server closes it, and that request fails with a
    reset (seen once in 2,535 requests of the 60 s load test).  Every request has a deadline
    (VERBATIM_REQUEST_TIMEOUT) and connections are capped (VERBATIM_MAX_CONNECTIONS, shared out among workers)."""
    conns = per_worker_connections(settings.max_connections, workers)
    return {"log_level": "warning", "timeout_keep_alive": 30, "http": protocol(settings.request_timeout),
            "limit_concurrency": conns, "backlog": min(settings.max_connections, 4096)}


def listening_socket(host: str, port: int, backlog: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP.  Without it, Nagle's
    # algorithm held each response's body behind its headers until the client's delayed ACK, 40 ms later (measured:
    # one client against 2 workers, p50 52 ms against 9 ms).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    sock.set_inheritable(True)
    return sock


def _worker_main(settings, index: int, count: int, sock: socket.socket, conn, env: dict) -> None:
    """One worker process: load, report ready (or the one-line reason it cannot), then serve until SIGTERM."""
    # The supervisor stops the workers: Ctrl-C at a terminal (SIGINT to the whole group) is its to handle,
    # and a SIGHUP before this worker can reload is held back by the supervisor until it reports ready.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    os.environ.update(env)
    import uvicorn

    from index.store import IndexLoadError
    from safety import ModelError
    from service.app import create_app, load_state

    try:
        state = load_state(settings, serving=True)
    except (IndexLoadError, ModelError, OSError) as e:
        conn.send(("error", str(e)))
        raise SystemExit(1) from None
    raise_open_files(settings.max_connections + 256)
    app = create_app(settings, state=state, handle_sighup=True)
    server = uvicorn.Server(uvicorn.Config(app, **uvicorn_options(settings, count)))
    conn.send(("ready", state.index.version))
    conn.close()
    server.run(sockets=[sock])


class Supervisor:
    """Runs N worker processes on one listening socket; see the comment above `WORKER_ENV`."""

    def __init__(self, settings, workers: int, log=lambda m: print(f"verbatim: {m}", file=sys.stderr, flush=True)):
        import multiprocessing

        self.settings, self.count, self.log = settings, workers, log
        self.ctx = multiprocessing.get_context("spawn")
        self.procs: list = [None] * workers
        self.conns: list = [None] * workers
        self.ready = [False] * workers
        self.reload_pending = [False] * workers
        self.metrics_dir: str | None = None

    def _env(self, index: int) -> dict:
        return {WORKER_ENV: f"{index}/{self.count}", SUPERVISOR_ENV: str(os.getpid()),
                "PROMETHEUS_MULTIPROC_DIR": self.metrics_dir}

    def _start(self, index: int) -> None:
        parent, child = self.ctx.Pipe(duplex=False)
        # The environment is set for the spawn too: prometheus-client reads PROMETHEUS_MULTIPROC_DIR on import.
        saved = {k: os.environ.get(k) for k in self._env(index)}
        os.environ.update(self._env(index))
        try:
            p = self.ctx.Process(target=_worker_main, name=f"verbatim-worker-{index}",
                                 args=(self.settings, index, self.count, self.sock, child, self._env(index)))
            p.start()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        child.close()
        self.procs[index], self.conns[index], self.ready[index] = p, parent, False

    def run(self) -> int:
        """Serve until SIGINT or SIGTERM; 0 then, 1 if a worker could not start (its reason is printed)."""
        import shutil
        import tempfile
        from multiprocessing.connection import wait

        s = self.settings
        self.metrics_dir = tempfile.mkdtemp(prefix="verbatim-metrics-")
        try:
            self.sock = listening_socket(s.host, s.port, min(s.max_connections, 4096))
        except OSError as e:
            shutil.rmtree(self.metrics_dir, ignore_errors=True)
            self.log(f"cannot listen on {s.host}:{s.port}: {e.strerror or e}")
            return 1
        wake_r, wake_w = os.pipe()
        os.set_blocking(wake_w, False)
        flags = {"hup": False, "stop": False}

        def on_signal(sig, _frame):
            flags["stop" if sig in (signal.SIGINT, signal.SIGTERM) else "hup"] = True

        old = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
        old_fd = signal.set_wakeup_fd(wake_w)
        code = 0
        try:
            for i in range(self.count):
                self._start(i)
            while not flags["stop"]:
                waiting = {c: i for i, c in enumerate(self.conns) if c is not None}
                sentinels = {p.sentinel: i for i, p in enumerate(self.procs)}
                for obj in wait([*waiting, *sentinels, wake_r], timeout=5):
                    if obj == wake_r:
                        os.read(wake_r, 512)
                    elif obj in waiting:
                        code = self._message(waiting[obj]) or code
                    elif obj in sentinels:
                        code = self._died(sentinels[obj]) or code
                if code:
                    break
                if flags["hup"]:
                    flags["hup"] = False
                    self.reload_pending = [True] * self.count
                for i in range(self.count):
                    if self.reload_pending[i] and self.ready[i] and self.procs[i].is_alive():
                        self.reload_pending[i] = False
                        os.kill(self.procs[i].pid, signal.SIGHUP)
        finally:
            self._stop_all()
            signal.set_wakeup_fd(old_fd)
            for sig, h in old.items():
                signal.signal(sig, h)
            os.close(wake_r)
            os.close(wake_w)
            self.sock.close()
            shutil.rmtree(self.metrics_dir, ignore_errors=True)
        return code

    def _message(self, i: int) -> int:
        conn = self.conns[i]
        try:
            kind, detail = conn.recv()
        except (EOFError, OSError):
            conn.close()
            self.conns[i] = None
            return 0
        if kind == "error":
            self.log(detail)
            return 1
        self.ready[i] = True
        self.log(f"worker {i} (pid {self.procs[i].pid}) ready, index {detail}")
        return 0

    def _died(self, i: int) -> int:
        p = self.procs[i]
        p.join()
        if not self.ready[i]:  # it never served: restarting would fail the same way
            if self.conns[i] is not None and self.conns[i].poll():
                return self._message(i) or 1
            self.log(f"worker {i} exited with code {p.exitcode} before it was ready")
            return 1
        self.log(f"worker {i} (pid {p.pid}) exited with code {p.exitcode}; starting another")
        if self.conns[i] is not None:
            self.conns[i].close()
        self._start(i)
        self.reload_pending[i] = False  # it loads the index current now
        return 0

    def _stop_all(self) -> None:
        live = [p for p in self.procs if p is not None and p.is_alive()]
        for p in live:
            try:
                os.kill(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + STOP_SECONDS
        for p in live:
            p.join(max(0.0, deadline - time.monotonic()))
            if p.is_alive():
                self.log(f"worker pid {p.pid} did not stop within {STOP_SECONDS:g} s; killed")
                p.kill()
                p.join()
