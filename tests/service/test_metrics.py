"""GET /metrics: referral counts by kind and by rule, in the Prometheus text format, never the message."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings

pytestmark = pytest.mark.integration


def _value(text: str, name: str, **labels) -> float:
    want = name + "{" + ",".join(f'{k}="{v}"' for k, v in labels.items()) + "}"
    for line in text.splitlines():
        if line.startswith(want + " "):
            return float(line.split()[-1])
    return 0.0


def test_counts_by_kind_and_rule_and_crisis_lines_without_the_message(real_index_dir, app_state):
    app = create_app(Settings(index_dir=real_index_dir, rate_limit=0, cache_size=16), state=app_state)
    with TestClient(app) as c:
        questions = ["I want to end my life tonight", "Does ketamine reduce drinking?", "Does ketamine reduce drinking?",
                     "where can I buy ketamine without a prescription", "does ketamine help with zorbulitis"]
        kinds = [c.post("/ask", json={"question": q}).json()["kind"] for q in questions]
        r = c.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert kinds == ["crisis", "answer", "answer", "refused", "no_answer"]
    assert _value(text, "verbatim_responses_total", kind="crisis") == 1
    assert _value(text, "verbatim_responses_total", kind="answer") == 2  # the cached answer counts too
    assert _value(text, "verbatim_routing_decisions_total", rule="crisis.self_harm_intent") == 1
    assert _value(text, "verbatim_routing_decisions_total", rule="no_answer.unknown_term") == 1
    assert _value(text, "verbatim_crisis_resources_shown_total", kind="crisis") == 1
    for q in questions:  # neither a message nor any word of it that is not a label name
        assert q not in text
    assert "zorbulitis" not in text and "drinking" not in text
