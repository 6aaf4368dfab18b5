"""Questions limited to some articles (POST /ask "articles"), over HTTP with the real index (issue 18)."""
from __future__ import annotations

import pytest

pytestmark = [pytest.mark.integration]
IV = "iv-ketamine-for-opiate-addiction"


def test_a_scoped_question_quotes_only_the_pinned_articles(api_client):
    q = "Does ketamine help with opioid withdrawal?"
    everywhere = api_client.post("/ask", json={"question": q}).json()
    assert len({p["article"]["id"] for p in everywhere["passages"]}) > 1 and everywhere["articles"] is None
    pinned = api_client.post("/ask", json={"question": q, "articles": [IV]}).json()
    assert pinned["kind"] == "answer" and pinned["articles"] == [IV]
    assert {p["article"]["id"] for p in pinned["passages"]} == {IV}


def test_an_unknown_article_is_a_422_that_names_it(api_client):
    r = api_client.post("/ask", json={"question": "Does ketamine help?", "articles": [IV, "no-such-article"]})
    assert r.status_code == 422 and "'no-such-article'" in r.json()["error"]
    assert api_client.post("/ask", json={"question": "Does ketamine help?", "articles": []}).status_code == 422


def test_routing_is_the_same_whatever_the_scope(api_client):
    for message in ("I want to end my life tonight", "How much ketamine should I take to get high?"):
        free = api_client.post("/ask", json={"question": message}).json()
        pinned = api_client.post("/ask", json={"question": message, "articles": [IV]}).json()
        assert (pinned["kind"], pinned["resources"], pinned["passages"]) == (free["kind"], free["resources"], [])
        assert free["kind"] in ("crisis", "advice", "refused")


def test_a_scoped_no_answer_suggests_asking_all_the_articles(api_client):
    q = "What do the articles say about kratom?"
    r = api_client.post("/ask", json={"question": q, "articles": [IV]}).json()
    assert r["kind"] == "no_answer" and r["suggestions"] == [q] and r["articles"] == [IV]
    assert api_client.post("/ask", json={"question": q}).json()["suggestions"] == []  # unscoped: nothing to widen


def test_the_schema_lists_the_ids_a_question_may_be_limited_to(api_client):
    prop = api_client.get("/openapi.json").json()["components"]["schemas"]["AskRequest"]["properties"]["articles"]
    ids = sorted(a["id"] for a in api_client.get("/articles").json())
    assert prop["items"]["enum"] == ids


def test_true_is_not_a_top_k(api_client):
    r = api_client.post("/ask", json={"question": "Does ketamine help?", "top_k": True})
    assert r.status_code == 422 and "top_k" in r.json()["error"]


def test_the_answer_cache_keys_on_the_scope():
    from service.limits import cache_key

    assert cache_key("q", [], 5, ["a"]) != cache_key("q", [], 5)
    assert cache_key("q", [], 5, ["a", "b"]) == cache_key("q", [], 5, ["b", "a"])
