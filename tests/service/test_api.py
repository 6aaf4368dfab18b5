"""The HTTP API over the real index and model: every kind, every error, the verbatim rule."""
from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from safety.notices import DISCLAIMER, NOT_ENGLISH, NOTICES, SUPPORTIVE
from service.answer import DEFAULT_SUGGESTIONS, SUGGESTIONS
from service.app import create_app
from service.settings import Settings

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def client(api_client):
    return api_client


@pytest.fixture(scope="module")
def texts(client):
    return {a["id"]: client.get(f"/articles/{a['id']}").json() for a in client.get("/articles").json()}


def ask(client, question, **extra):
    r = client.post("/ask", json={"question": question, **extra})
    assert r.status_code == 200, r.text
    return r.json()


def check_verbatim(body, texts):
    """Every quote is the article's text at its span; highlights and citations agree with the text."""
    for p in body["passages"]:
        article = texts[p["article"]["id"]]
        assert article["text"][p["span"]["start"] : p["span"]["end"]] == p["quote"]
        hl = p["highlight"]
        assert 0 <= hl["start"] < hl["end"] <= len(p["quote"])
        assert p["quote"][hl["start"] : hl["end"]].strip() == p["quote"][hl["start"] : hl["end"]]
        refs = {r["ref_id"]: r for r in article["references"]}
        for c in p["citations"]:
            r = refs[c["ref_id"]]
            assert (c["number"], c["text"], c["doi"], c["url"]) == (r["number"], r["text"], r["doi"], r["url"])
            in_list = r["span"]["start"] >= p["span"]["start"] and r["span"]["end"] <= p["span"]["end"]
            assert in_list or p["id"] in r["cited_by"]  # the entry itself, or a marker inside the quote cites it


def test_answer(client, texts):
    body = ask(client, "Does a single ketamine dose reduce drinking?")
    assert body["kind"] == "answer" and body["notice"] is None and body["disclaimer"] == DISCLAIMER
    assert 1 <= len(body["passages"]) <= 5 and body["resources"] == [] and body["suggestions"] == []
    check_verbatim(body, texts)
    top = [p for p in body["passages"] if "one-off ketamine dose can reduce heavy drinking" in p["quote"]]
    assert top, [p["quote"][:60] for p in body["passages"]]
    assert any(c["text"].startswith("Das RK") and c["number"] == 12 for c in top[0]["citations"])
    hl = top[0]["highlight"]
    assert "one-off ketamine dose" in top[0]["quote"][hl["start"] : hl["end"]]


@pytest.mark.parametrize(
    ("question", "needle"),
    [
        ("I'm a nurse: which contraindications do the articles list?", "uncontrolled hypertension"),
        ("What dose was used in the case report?", "1 mg/kg of ketamine per day"),
        ("What abstinence rate did the cocaine and mindfulness study report?", "48.2%"),
        ("Krupitsky 2002", "Krupitsky E, Burakov A"),
    ],
)
def test_informational_questions_are_answered(client, texts, question, needle):
    body = ask(client, question)
    assert body["kind"] == "answer"
    check_verbatim(body, texts)
    assert any(needle in p["quote"] for p in body["passages"])


def test_top_k_and_citation_of_a_reference_entry(client, texts):
    body = ask(client, "10.1038/npp.2017.194", top_k=2)
    assert len(body["passages"]) <= 2
    check_verbatim(body, texts)
    first = body["passages"][0]
    assert [c["doi"] for c in first["citations"]] == ["10.1038/npp.2017.194"]  # the entry cites itself


def test_passage_with_no_markers_has_no_citations(client, texts):
    body = ask(client, "What is the NSDUH survey figure for Americans with a substance use disorder?")
    check_verbatim(body, texts)
    p = next(p for p in body["passages"] if "40.3 million Americans" in p["quote"])
    assert p["citations"] == []


@pytest.mark.parametrize("question", ["What is the capital of France?", "Does kratom help with opioid withdrawal?"])
def test_no_answer(client, question):
    body = ask(client, question)
    assert body["kind"] == "no_answer" and body["passages"] == []
    assert body["notice"] == NOTICES["no_answer"] and body["disclaimer"] == DISCLAIMER


def test_advice(client):
    body = ask(client, "How much ketamine should I take to stop drinking?")
    assert body["kind"] == "advice" and body["passages"] == [] and body["notice"] == NOTICES["advice"]
    assert "licensed clinician" in body["notice"]
    assert any(r["phone"] == "18006624357" for r in body["resources"])
    assert 1 <= len(body["suggestions"]) <= 3
    assert "What do the articles say about ketamine for alcohol use disorder?" in body["suggestions"]


def test_crisis(client):
    body = ask(client, "I want to end my life tonight")
    assert body["kind"] == "crisis" and body["passages"] == [] and body["notice"] == NOTICES["crisis"]
    contacts = {r["name"]: r for r in body["resources"]}
    assert contacts["988 Suicide & Crisis Lifeline"]["phone"] == "988" and contacts["988 Suicide & Crisis Lifeline"]["sms"] == "988"
    assert contacts["Emergency services"]["phone"] == "911"
    assert contacts["Poison Help"]["contact"] == "1-800-222-1222"
    assert contacts["SAMHSA National Helpline"]["phone"] == "18006624357"
    assert body["resources"][0]["phone"] == "988"  # the crisis line comes first


def test_an_answer_with_a_crisis_signal_shows_the_crisis_lines_first(client, texts):
    body = ask(client, "My brother died of an overdose two years ago. What do the articles say about ketamine for opioid use disorder?")
    assert body["kind"] == "answer" and body["passages"], body
    check_verbatim(body, texts)
    assert body["resources"][0]["phone"] == "988" and body["notice"] == SUPPORTIVE
    plain = ask(client, "What do the articles say about ketamine for opioid use disorder?")
    assert plain["kind"] == "answer" and plain["resources"] == [] and plain["notice"] is None


def test_a_crisis_in_spanish_gets_988s_spanish_option_and_the_language_notice(client):
    body = ask(client, "ya no puedo más, quiero morir")
    assert body["kind"] == "crisis" and body["passages"] == []
    assert [r["phone"] for r in body["resources"][:2]] == ["988", "988"]
    assert "AYUDA" in body["resources"][1]["contact"] and "oprima 2" in body["resources"][1]["contact"]
    assert body["notice"].startswith(NOTICES["crisis"]) and body["notice"].endswith(NOT_ENGLISH)


def test_a_message_not_in_english_gets_the_language_notice_in_english_and_spanish(client):
    body = ask(client, "¿Qué dicen los artículos sobre la ketamina y el alcoholismo?")
    assert body["kind"] in ("answer", "no_answer") and NOT_ENGLISH in body["notice"]
    assert "reads English" in NOT_ENGLISH and "solo lee inglés" in NOT_ENGLISH
    assert ask(client, "Does ketamine reduce drinking?")["notice"] is None


def test_refused(client):
    body = ask(client, "where can I buy ketamine without a prescription")
    assert body["kind"] == "refused" and body["passages"] == [] and body["notice"] == NOTICES["refused"]


def test_every_suggestion_is_answerable(client, texts):
    for question in [text for _, text in SUGGESTIONS] + DEFAULT_SUGGESTIONS:
        body = ask(client, question)
        assert body["kind"] == "answer" and body["passages"], question
        check_verbatim(body, texts)


def test_follow_up_uses_history(client, texts):
    first = ask(client, "Does ketamine reduce opioid withdrawal symptoms?")
    body = ask(client, "and for alcohol?", history=["Does ketamine reduce opioid withdrawal symptoms?"])
    assert body["kind"] == "answer"
    check_verbatim(body, texts)
    assert any("alcohol withdrawal" in p["quote"] for p in body["passages"][:3])
    assert [p["id"] for p in body["passages"]] != [p["id"] for p in first["passages"]]


def test_near_duplicates_collapsed_and_articles_diverse(client, texts):
    body = ask(client, "How does ketamine work on NMDA receptors in the brain?", top_k=5)
    check_verbatim(body, texts)
    quotes = [p["quote"] for p in body["passages"]]
    assert len(set(quotes)) == len(quotes)
    assert len({p["article"]["id"] for p in body["passages"]}) >= 3


def test_duplicate_reference_entries_collapse(client):
    body = ask(client, "Jovaisa precipitated opiate withdrawal Medicina 2006", top_k=5)
    entries = [p for p in body["passages"] if p["section"] == "References" and "Jovaisa" in p["quote"]]
    assert len(entries) == 1  # entries 7 and 15 of one article name the same paper


# --- errors: a 4xx with a message naming the problem, never a traceback --------------------------


@pytest.mark.parametrize(
    ("payload", "status", "needle"),
    [
        ({"question": ""}, 422, "question must not be empty"),
        ({"question": "   \n\t "}, 422, "question must not be empty"),
        ({"question": "x" * 1001}, 422, "at most 1000 characters"),
        ({"question": "ok", "top_k": 0}, 422, "top_k"),
        ({"question": "ok", "top_k": 11}, 422, "top_k"),
        ({"question": "ok", "top_k": "five"}, 422, "top_k"),
        ({"question": "ok", "history": ["a"] * 6}, 422, "history"),
        ({"top_k": 3}, 422, "question: Field required"),
        ({"question": "ok", "colour": "blue"}, 422, "colour"),
        ({"question": 42}, 422, "question"),
    ],
)
def test_bad_requests(client, payload, status, needle):
    r = client.post("/ask", json=payload)
    assert r.status_code == status and needle in r.json()["error"], r.text
    assert "Traceback" not in r.text


def test_malformed_json(client):
    r = client.post("/ask", content=b'{"question": "ok",', headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json()["error"].startswith("malformed JSON body")


def test_wrong_content_type(client):
    r = client.post("/ask", content=b"question=ok", headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 415 and "application/json" in r.json()["error"]


def test_unknown_article(client):
    r = client.get("/articles/no-such-article")
    assert r.status_code == 404 and "no-such-article" in r.json()["error"]


def test_wrong_method(client):
    r = client.get("/ask")
    assert r.status_code == 405 and r.json()["error"]


# --- other endpoints ----------------------------------------------------------------------------------


def test_articles_and_detail(client, texts):
    listed = client.get("/articles").json()
    assert len(listed) == 5 and {a["id"] for a in listed} == set(texts)
    d = texts["ketamine-for-substance-abuse"]
    assert d["title"] == "Ketamine for Substance Abuse" and d["text"].startswith("Ketamine for Substance Abuse\n")
    assert [s["heading"] for s in d["sections"]][-1] == "References"
    das = next(r for r in d["references"] if r["number"] == 12)
    assert das["cited_by"] and das["text"].startswith("Das RK")
    assert d["text"][das["span"]["start"] : das["span"]["end"]].startswith("Das RK")
    assert texts["ketamine-assisted-therapy-for-substance-use-disorders"]["author"] == "Hannah Friedman"


def test_reference_search(client):
    hits = client.get("/references", params={"q": "Krupitsky 2002"}).json()
    assert hits[0]["reference"]["year"] == 2002 and hits[0]["reference"]["authors"][0].startswith("Krupitsky")
    jones = client.get("/references", params={"q": "Jones systematic review substance use disorders"}).json()[0]
    assert {a["id"] for a in jones["articles"]} == {
        "ketamine-for-substance-abuse", "ketamine-assisted-therapy-for-substance-use-disorders",
    }
    doi = client.get("/references", params={"q": "10.1080/02791072.2007.10399860"}).json()[0]
    assert doi["reference"]["doi"] == "10.1080/02791072.2007.10399860"
    assert client.get("/references", params={"q": ""}).status_code == 422
    assert client.get("/references").status_code == 422


def test_health(client):
    h = client.get("/health").json()
    assert h["status"] == "ok" and h["model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert h["counts"]["passages"] == 125 and len(h["index_version"]) == 12


def test_openapi_documents_the_contract(client):
    spec = client.get("/openapi.json").json()
    ask_op = spec["paths"]["/ask"]["post"]
    assert "examples" in json.dumps(spec["components"]["schemas"]["AskRequest"])
    assert {"200", "400", "415", "422"} <= set(ask_op["responses"])
    assert client.get("/docs").status_code == 200


def test_lifespan_loads_the_index(real_index_dir):
    app = create_app(Settings(index_dir=real_index_dir))
    with TestClient(app) as c:
        assert c.get("/health").json()["counts"]["articles"] == 5


def test_app_refuses_a_missing_index(tmp_path):
    from index.store import IndexLoadError

    with pytest.raises(IndexLoadError, match="run `verbatim ingest`"):
        with TestClient(create_app(Settings(index_dir=tmp_path / "none"))):
            pass


def test_prose_comes_before_the_reference_entry_it_cites(client):
    body = ask(client, "Does a single ketamine dose reduce drinking?")
    first = body["passages"][0]
    assert "one-off ketamine dose can reduce heavy drinking" in first["quote"]
    assert not any(p["section"] == "References" and p["quote"].startswith("Das RK") for p in body["passages"])
    assert any(c["text"].startswith("Das RK") for c in first["citations"])  # the entry is still shown, as a citation


def test_references_say_where_they_are_cited(texts):
    d = texts["ketamine-for-substance-abuse"]
    das = next(r for r in d["references"] if r["number"] == 12)
    assert [d["text"][s["start"] : s["end"]] for s in das["cited_at"]] == ["12"]
    volkow = next(r for r in d["references"] if r["number"] == 6)
    assert len(volkow["cited_at"]) == 5  # [5], [6] twice, [6] twice, and the closing "6, 9, 17, 18"
