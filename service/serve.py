"""How `verbatim serve` runs uvicorn: every request has a deadline, and connections are capped.

uvicorn's only timer is the keep-alive one, and it stops as soon as a byte arrives: a client that sends half
a request, or a body one byte at a time, holds its connection for as long as it likes (1,500 such
connections were seen held open).  `DeadlineH11` arms a deadline when a request's first byte arrives (or
when the connection opens) and disarms it once the whole request, headers and body, is in.  If the deadline
passes first, the client gets ``408 Request Timeout`` (unless a response has started) and the connection is
closed.  ``limit_concurrency`` caps connections and requests in progress together: beyond it, uvicorn answers
503 at once, so that an attacker runs out of sockets before the server does.
"""
from __future__ import annotations

import json
import resource

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

_BODY = json.dumps({"error": "the request did not arrive in time; send it whole, or faster"}).encode()
TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\nx-content-type-options: nosniff\r\n"
    b"connection: close\r\ncontent-length: " + str(len(_BODY)).encode() + b"\r\n\r\n" + _BODY
)
_RECEIVED = (h11.DONE, h11.MUST_CLOSE, h11.CLOSED, h11.ERROR)


class DeadlineH11(H11Protocol):
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

    def data_received(self, data: bytes) -> None:
        if self.cycle is None or self.cycle.response_complete:
            self._arm()  # the first bytes of a request (the next one, on a kept-alive connection)
        super().data_received(data)
        if self.conn.their_state in _RECEIVED:
            self._disarm()  # the whole request is in; the app's own time is not the client's fault

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _expired(self) -> None:
        self._deadline = None
        if self.transport.is_closing() or self.conn.their_state in _RECEIVED:
            return
        if self.cycle is None or not self.cycle.response_started:
            self.transport.write(TIMEOUT_RESPONSE)
        if self.cycle is not None:
            self.cycle.disconnected = True
        self.transport.close()


def protocol(request_timeout: float) -> type[DeadlineH11]:
    return type("VerbatimH11", (DeadlineH11,), {"request_timeout": request_timeout})


def raise_open_files(wanted: int) -> int:
    """Raise this process's open-file limit towards ``wanted`` (within the hard limit); returns the limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft
