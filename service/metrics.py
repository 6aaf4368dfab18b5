"""Referral counts for GET /metrics, in the Prometheus text format (prometheus-client).

Counted at the HTTP edge, once per response to POST /ask (cached answers included): by kind, by the rule
that decided it, and whether the crisis lines were shown.  Only these labels are kept: never the message,
nor any word of it (a rule's detail after ":", such as the unknown term, is dropped).  Each app has its own
registry, so tests and reloads never share counts by accident.

Under `verbatim serve --workers N` the supervisor sets ``PROMETHEUS_MULTIPROC_DIR`` (a fresh folder) before it
starts the workers: prometheus-client then keeps each worker's counters in a memory-mapped file of its own, and
/metrics, from whichever worker answers, sums the files of all of them, those of a worker that died included.
"""
from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from safety.notices import LIFELINE
from service.schemas import AskResponse

CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.responses = Counter("verbatim_responses", "Responses to POST /ask, by kind.", ["kind"], registry=self.registry)
        self.rules = Counter(
            "verbatim_routing_decisions", "Responses to POST /ask, by the rule that decided them (none: an answer).",
            ["rule"], registry=self.registry,
        )
        self.crisis_lines = Counter(
            "verbatim_crisis_resources_shown", "Responses to POST /ask that showed the crisis lines, by kind.",
            ["kind"], registry=self.registry,
        )

    def observe(self, out: AskResponse) -> None:
        self.responses.labels(kind=out.kind).inc()
        self.rules.labels(rule=(out.rule or "none").split(":", 1)[0]).inc()
        if any(r == LIFELINE for r in out.resources):
            self.crisis_lines.labels(kind=out.kind).inc()

    def render(self) -> bytes:
        directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if directory:  # `verbatim serve --workers N`: every worker's counts, summed (each writes its own file there)
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry, path=directory)
            return generate_latest(registry)
        return generate_latest(self.registry)
