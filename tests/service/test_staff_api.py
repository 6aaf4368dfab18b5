"""The staff routes over HTTP, with the real model: works, primary evidence, the original PDF, citing a quote,
and the claim check.  Corpus: the bundled articles, the test articles that cite real papers, and those papers."""
from __future__ import annotations

import json
import shutil

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.schemas import MAX_VERIFY
from service.settings import Settings

pytestmark = [pytest.mark.integration]
JONES_DOI = "10.3389/fpsyt.2018.00277"
PDF_ID = "10-1007-s00125-024-06103-w"


def texts(client) -> dict[str, str]:
    return {a["id"]: client.get(f"/articles/{a['id']}").json()["text"] for a in client.get("/articles").json()}


@pytest.fixture(scope="module")
def all_texts(staff_client):
    return texts(staff_client)


def test_works_list_the_most_cited_first(staff_client):
    works = staff_client.get("/works?limit=5").json()
    assert works[0]["doi"] == JONES_DOI and works[0]["cited_by_articles"] == 3
    assert works[0]["doi_url"] == f"https://doi.org/{JONES_DOI}"
    assert staff_client.get("/works?limit=0").status_code == 422


def test_a_work_gives_each_entry_as_listed_and_every_citing_sentence(staff_client, all_texts):
    wid = staff_client.get("/works?limit=1").json()[0]["id"]
    w = staff_client.get(f"/works/{wid}").json()
    assert {e["number"] for e in w["entries"]} == {15, 19}
    for e in w["entries"]:
        detail = staff_client.get(f"/articles/{e['article']['id']}").json()
        assert e["text"] in {r["text"] for r in detail["references"]}
    assert len({c["article"]["id"] for c in w["citing"]}) == 3
    for c in w["citing"]:
        assert all_texts[c["article"]["id"]][c["span"]["start"] : c["span"]["end"]] == c["sentence"]
        if c["marker"] is not None:
            assert all_texts[c["article"]["id"]][c["marker_span"]["start"] : c["marker_span"]["end"]] == c["marker"]
        else:
            assert c["mention"] == "Frontiers in Psychiatry"
    assert w["source"] is None  # the review itself is not in the corpus


def test_an_unknown_work_is_a_404_that_names_it(staff_client):
    r = staff_client.get("/works/nope")
    assert r.status_code == 404 and "'nope'" in r.json()["error"]


def test_reference_search_links_each_entry_to_its_work_and_citing_sentences(staff_client):
    hits = staff_client.get("/references", params={"q": "Jones 2018 systematic review"}).json()
    hit = next(h for h in hits if h["work"] and h["work"]["doi"] == JONES_DOI)
    assert hit["work"]["cited_by_articles"] == 3 and len(hit["citing"]) == 3
    assert len(hit["articles"]) == 2  # two reference lists hold it; the third names it without a number


def test_a_work_whose_paper_is_in_the_corpus_has_evidence_quoted_from_it(staff_client, all_texts):
    works = staff_client.get("/works?limit=500").json()
    linked = [w for w in works if w["has_source"]]
    assert len(linked) == 6
    for summary in linked:
        w = staff_client.get(f"/works/{summary['id']}").json()
        assert w["source"]["matched_by"] == "doi"
        for c in w["citing"]:
            assert 1 <= len(c["evidence"]) <= 2
            for e in c["evidence"]:
                assert e["source_id"] == w["source"]["id"]
                assert all_texts[e["source_id"]][e["span"]["start"] : e["span"]["end"]] == e["quote"]


def test_an_answer_citing_a_paper_in_the_corpus_carries_its_evidence(staff_client, all_texts):
    r = staff_client.post("/ask", json={"question": "Did the Kir6.2-S118L mutation impair surface expression of the KATP channel by 40%?",
                                        "top_k": 10}).json()
    assert r["kind"] == "answer"
    cited = [c for p in r["passages"] if p["article"]["id"].startswith("test-review") for c in p["citations"]]
    ev = [e for c in cited for e in c["evidence"] if e["source_id"] == PDF_ID]
    assert ev, [p["article"]["id"] for p in r["passages"]]
    assert all(e["page"] is not None for e in ev)  # a PDF source: the page is known
    assert all(all_texts[PDF_ID][e["span"]["start"] : e["span"]["end"]] == e["quote"] for e in ev)


def test_the_original_pdf_is_served_and_refused_once_it_changed(staff_client, staff_corpus_dir, staff_index_dir, tmp_path):
    r = staff_client.get(f"/sources/{PDF_ID}/pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content == (staff_corpus_dir / "10.1007_s00125-024-06103-w.pdf").read_bytes()
    assert staff_client.get("/sources/pmc6398430/pdf").status_code == 404  # a JATS source has no PDF
    assert staff_client.get("/articles").json() and any(
        a["pdf_url"] == f"/sources/{PDF_ID}/pdf" for a in staff_client.get("/articles").json()
    )
    changed = tmp_path / "corpus"
    shutil.copytree(staff_corpus_dir, changed)
    with open(changed / "10.1007_s00125-024-06103-w.pdf", "ab") as f:
        f.write(b"\n%changed\n")
    with TestClient(create_app(Settings(index_dir=staff_index_dir, corpus_dir=changed, rate_limit=0))) as c:
        r = c.get(f"/sources/{PDF_ID}/pdf")
        assert r.status_code == 409 and "verbatim ingest" in r.json()["error"]


@pytest.mark.parametrize("fmt, media", [("apa", "text/plain"), ("bibtex", "application/x-bibtex"),
                                         ("ris", "application/x-research-info-systems"),
                                         ("csl-json", "application/vnd.citationstyles.csl+json")])
def test_a_quote_is_cited_in_every_format(staff_client, fmt, media):
    detail = staff_client.get("/articles/ketamine-assisted-therapy-for-substance-use-disorders").json()
    ask = staff_client.post("/ask", json={"question": "Is ketamine helpful for many substance use disorders?"}).json()
    p = next(p for p in ask["passages"] if p["citations"])
    r = staff_client.get(f"/passages/{p['id']}/cite", params={"format": fmt})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert p["article"]["title"] in r.text or fmt == "bibtex" and p["article"]["title"].split()[0] in r.text
    if fmt == "csl-json":
        items = json.loads(r.text)
        assert p["quote"] in items[0]["note"] and len(items) == 1 + len(p["citations"])
    assert "attachment" in staff_client.get(f"/passages/{p['id']}/cite", params={"format": fmt, "download": 1}).headers["content-disposition"]
    assert detail["title"]


def test_citing_an_unknown_passage_or_format_is_a_clear_4xx(staff_client):
    assert staff_client.get("/passages/nope/cite").status_code == 404
    r = staff_client.get("/passages/nope/cite", params={"format": "mla"})
    assert r.status_code == 422 and "format" in r.json()["error"]


def test_verify_gives_exact_near_and_not_found(staff_client, all_texts):
    text = ("A review in 2018 observed that ketamine could be useful for opioid, alcohol, and cocaine addictions. "
            "A review in 2019 observed that ketamine could be useful for opioid, alcohol, and cocaine addictions. "
            "The harbour was busy with fishing boats all summer.")
    out = staff_client.post("/verify", json={"text": text}).json()
    assert [s["verdict"] for s in out["sentences"]] == ["exact", "near", "not_found"]
    exact, near, _ = out["sentences"]
    m = exact["matches"][0]
    assert all_texts[m["article"]["id"]][m["span"]["start"] : m["span"]["end"]] == m["quote"]
    assert m["citations"] and m["citations"][0]["number"] == 19 and m["citations"][0]["work_id"]
    n = near["matches"][0]
    assert n["numbers_changed"] and {"op": "insert", "text": "2019"} in n["diff"] and {"op": "delete", "text": "2018"} in n["diff"]


def test_verify_refuses_bad_input_with_a_clear_4xx_that_does_not_echo_it(staff_client):
    assert staff_client.post("/verify", json={"text": "   "}).status_code == 422
    r = staff_client.post("/verify", json={"text": "<b>x</b>" * (MAX_VERIFY // 8 + 1)})
    assert r.status_code == 422 and "5000" in r.json()["error"] and "<b>" not in r.text
    assert staff_client.post("/verify", content=b"text", headers={"content-type": "text/plain"}).status_code == 415
    assert staff_client.post("/verify", content=b"{", headers={"content-type": "application/json"}).status_code == 400
    assert staff_client.post("/verify", json={"text": "a", "extra": 1}).status_code == 422


def test_verify_is_rate_limited_like_ask(staff_index_dir, staff_corpus_dir):
    with TestClient(create_app(Settings(index_dir=staff_index_dir, corpus_dir=staff_corpus_dir, rate_limit=1, rate_burst=2))) as c:
        codes = [c.post("/verify", json={"text": "Ketamine is an anaesthetic."}).status_code for _ in range(4)]
        assert codes[:2] == [200, 200] and codes[-1] == 429
