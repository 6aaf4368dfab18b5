"""What keeps the service fast and standing under load: an answer cache and a per-client rate limit.

Both are plain in-process structures, used from the event loop only (no locks needed):
one `verbatim serve` process is one event loop.
"""
from __future__ import annotations

import math
import time
from collections import OrderedDict
from typing import Callable, Sequence



def cache_key(question: str, history: Sequence[str], top_k: int, articles: Sequence[str] | None = None) -> tuple:
    """Questions that differ only in case or spacing get the same answer: the model's tokenizer is
    uncased and ignores spacing, and so do the router and the lexical index.  A question limited to some
    articles is another question."""
    norm = lambda s: " ".join(s.split()).lower()  # noqa: E731
    return (norm(question), tuple(norm(h) for h in history), top_k, tuple(sorted(articles)) if articles else None)


class AnswerCache:
    """Least recently used answers, at most ``size`` of them (0: nothing is kept).

    The service keeps ``(AskResponse, its JSON)`` so that a repeat is sent without serialising again."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple) -> object | None:
        item = self._items.get(key)
        if item is None:
            self.misses += 1
            return None
        self._items.move_to_end(key)
        self.hits += 1
        return item

    def put(self, key: tuple, value: object) -> None:
        if self.size <= 0:
            return
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


class RateLimiter:
    """A token bucket per client: ``burst`` questions at once, then ``per_minute``.

    `check` returns 0 when the request may go ahead, or the seconds to wait (for Retry-After).
    Idle buckets are dropped when the table grows past ``max_clients``, so it cannot grow without bound.
    """

    def __init__(self, per_minute: float, burst: int, max_clients: int = 100_000, clock: Callable[[], float] = time.monotonic):
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_clients = max_clients
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, when)

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def check(self, client: str) -> int:
        if not self.enabled:
            return 0
        now = self.clock()
        tokens, then = self._buckets.get(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.rate)
        if tokens >= 1.0:
            self._buckets[client] = (tokens - 1.0, now)
            if len(self._buckets) > self.max_clients:
                self._prune(now)
            return 0
        self._buckets[client] = (tokens, now)
        return max(1, math.ceil((1.0 - tokens) / self.rate))

    def _prune(self, now: float) -> None:
        full = self.burst / self.rate  # seconds after which an idle bucket is full again: it holds no state
        for client, (_, then) in list(self._buckets.items()):
            if now - then >= full:
                del self._buckets[client]
        while len(self._buckets) > self.max_clients:  # still too many: the oldest go
            del self._buckets[next(iter(self._buckets))]
