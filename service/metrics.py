"""Referral counts for GET /metrics, in the Prometheus text format (prometheus-client).

Counted at the HTTP edge, once per response to POST /ask (cached answers included): by kind, by the rule
that decided it, and whether the crisis lines were shown.  Only these labels are kept: never the message,
nor any word of it (a rule's detail after ":", such as the unknown term, is dropped).  Each app has its own
registry, so tests and reloads never share counts by accident.
"""
from __future__ import annotations

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
        return generate_latest(self.registry)
