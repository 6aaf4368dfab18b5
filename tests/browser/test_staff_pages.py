"""The staff tools in a real browser (Debian's Chromium, driven by Playwright): the work page, primary
evidence and the Cite control on chat quote cards, the reference search's citing sentences, the verify
page and the source viewer's PDF link.

Against a live `verbatim serve` on a free localhost port, over an index of the real corpus plus the two
test reviews (tests/fixtures/cited/) and the open-access papers they cite (tests/fixtures/papers/, JATS and
PDF), so that a citing sentence links to the cited paper itself.  In CI (CI=true) these tests are
mandatory; elsewhere they skip with a reason when Chromium or Playwright is missing.
"""
from __future__ import annotations

import json
import re
import shutil
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.browser.test_pages import DOCS, _free_port, _require_browser, chromium, verbatim_serve

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.browser]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
KIR_QUESTION = "What did the surface expression of the Kir6.2-S118L mutant channel show?"
KIR_SENTENCE = "The Kir6.2-S118L mutation impaired surface expression of the KATP channel by 40%"
# An exact sentence, and the same sentence with one number changed, from a real corpus article.
EXACT = "Three out of the eleven said it was still working at six months."
NEAR_SOURCE = ("A study published in the American Journal of Psychiatry found that ketamine treatment combined with "
               "mindfulness interventions led to a rate of 48.2% abstinence from cocaine.")
# In no article, but close in meaning to some sentences (shown as "closest by meaning", not as matches).
NOT_FOUND = "Ketamine cures every addiction after a single dose."


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def server(tmp_path_factory, corpus_dir, real_embedder):
    _require_browser()
    from index.build import ChunkSettings
    from index.update import update_index

    DOCS.mkdir(parents=True, exist_ok=True)
    root = tmp_path_factory.mktemp("staff")
    corpus = root / "corpus"
    shutil.copytree(corpus_dir, corpus)
    papers = [*(FIXTURES / "cited").glob("test-review-*.txt"), *(FIXTURES / "papers" / "jats").glob("*.nxml"),
              *(FIXTURES / "papers" / "pdf").glob("*.pdf")]
    assert len(papers) >= 4, papers
    for f in papers:
        shutil.copyfile(f, corpus / f.name)
    update_index(corpus, root / "index", real_embedder, ChunkSettings(160, 110), 20 * 2**20)
    with verbatim_serve(_free_port(), index_dir=str(root / "index"), corpus_dir=str(corpus)) as url:
        yield url


def _get_json(url: str):
    with urllib.request.urlopen(url, timeout=60) as r:
        return json.loads(r.read())


@pytest.fixture(scope="module")
def browser(server):
    with chromium() as b:
        yield b


def _watch(pg):
    """Collects script errors, CSP refusals and dialogs; the test asserts there were none."""
    pg.problems = []
    pg.on("pageerror", lambda e: pg.problems.append(f"page error: {e}"))
    pg.on("console", lambda m: pg.problems.append(f"console {m.type}: {m.text}")
          if m.type == "error" or "Content Security Policy" in m.text else None)
    pg.on("dialog", lambda d: (pg.problems.append(f"dialog: {d.message}"), d.dismiss()))
    return pg


@pytest.fixture
def context(browser, server):
    ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    pg = _watch(context.new_page())
    yield pg
    assert pg.problems == []


def _ask(page, question: str) -> None:
    page.fill("#question", question)
    page.keyboard.press("Enter")


def _full_page_shot(page, path: Path) -> None:
    """A screenshot of the whole page with the sticky disclaimer at its foot (not across the middle)."""
    size = page.viewport_size
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.set_viewport_size({"width": size["width"], "height": page.evaluate("document.documentElement.scrollHeight")})
    page.screenshot(path=str(path), full_page=False)
    page.set_viewport_size(size)


def _highlighted(page) -> str:
    page.locator("mark#quoted").wait_for(timeout=30000)
    return "".join(page.locator("mark.quoted").all_inner_texts())


def _evidence_card(page):
    _ask(page, KIR_QUESTION)
    card = page.locator(".quote-card", has=page.locator(".evidence")).first
    card.wait_for(timeout=30000)
    return card


# ---------------------------------------------------------------- a. the work page


def _jones_2018(server) -> dict:
    hits = _get_json(server + "/references?" + urllib.parse.urlencode({"q": "Jones 2018", "limit": 20}))
    for hit in hits:
        title = hit["reference"].get("title") or hit["reference"]["text"]
        if "efficacy of ketamine" in title.lower() and hit.get("work"):
            return hit
    pytest.fail("no work for Jones et al. 2018 in GET /references?q=Jones 2018: " + json.dumps(hits)[:2000])


def test_reference_search_shows_who_cites_the_work(server, page):
    hit = _jones_2018(server)
    n = hit["work"]["cited_by_articles"]
    assert n >= 2, hit["work"]
    page.goto(server + "/view/references?q=" + urllib.parse.quote("Jones 2018"))
    result = page.locator(".ref-result", has_text=re.compile("Efficacy of Ketamine", re.I)).first
    result.wait_for(timeout=30000)
    assert f"cited by {n} articles" in result.locator(".work-summary").inner_text()
    work_href = "/view/works/" + urllib.parse.quote(hit["work"]["id"], safe="")
    assert result.locator("a.work-link").get_attribute("href") == work_href
    sentences = result.locator(".citing")
    assert sentences.count() >= 1
    first = sentences.first
    c = hit["citing"][0]
    assert _norm(first.locator(".citing-article").inner_text()) == _norm(c["article"]["title"])
    assert _norm(first.locator("a.citing-link").inner_text()) == _norm(c["sentence"])
    href = first.locator("a.citing-link").get_attribute("href")
    assert href == f"/view/articles/{c['article']['id']}#span-{c['span']['start']}-{c['span']['end']}"
    first.locator("a.citing-link").click()
    page.wait_for_url("**/view/articles/**#span-*")
    assert _norm(_highlighted(page)) == _norm(c["sentence"])


def test_work_page_groups_citing_sentences_by_article(server, page):
    work_id = _jones_2018(server)["work"]["id"]
    detail = _get_json(server + "/works/" + urllib.parse.quote(work_id, safe=""))
    citing_articles = {c["article"]["id"] for c in detail["citing"]}
    assert len(citing_articles) >= 2, "the 2018 review should be cited by several articles"

    page.goto(server + "/view/works/" + urllib.parse.quote(work_id, safe=""))
    page.locator("#work:not([hidden])").wait_for(timeout=30000)
    assert page.inner_text("#work-title") == detail["title"]
    assert "efficacy of ketamine" in detail["title"].lower()
    assert "Jones" in page.inner_text("#work-authors")
    assert "2018" in page.inner_text("#work-meta")
    groups = page.locator(".citing-group")
    assert groups.count() == len(citing_articles) >= 2
    assert set(groups.evaluate_all("els => els.map(e => e.dataset.articleId)")) == citing_articles
    assert page.locator(".citing").count() == len(detail["citing"])
    assert page.locator(".entry").count() == len(detail["entries"]) >= 2
    # every entry links to the article view at the entry
    for e, link in zip(detail["entries"], page.locator("a.entry-link").all()):
        assert link.get_attribute("href").endswith(f"#span-{e['span']['start']}-{e['span']['end']}")
    # a citing sentence with its marker (or the words naming the work) set off
    first = detail["citing"][0]
    item = page.locator(".citing").first
    assert _norm(item.locator("a.citing-link").inner_text()) == _norm(first["sentence"])
    assert item.locator(".citing-how").inner_text().strip() != ""
    _full_page_shot(page, DOCS / "work.png")
    # keyboard: Tab reaches a citing sentence, Enter follows it to the highlighted sentence
    item.locator("a.citing-link").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/view/articles/**#span-*")
    assert _norm(_highlighted(page)) == _norm(first["sentence"])


def test_work_page_of_a_paper_in_the_corpus_links_the_paper_and_its_evidence(server, page):
    works = _get_json(server + "/works?limit=500")
    work = next((w for w in works if w.get("doi") == "10.1007/s00125-024-06103-w"), None)
    assert work and work["has_source"], works[:5]
    detail = _get_json(server + "/works/" + urllib.parse.quote(work["id"], safe=""))
    source = detail["source"]
    page.goto(server + "/view/works/" + urllib.parse.quote(work["id"], safe=""))
    page.locator("#work:not([hidden])").wait_for(timeout=30000)
    assert page.locator("#work-source").is_visible()
    assert page.locator("a.source-view-link").get_attribute("href") == "/view/articles/" + source["id"]
    pdf = page.locator("#work-source a.pdf-link")
    assert pdf.inner_text() == "Open the PDF" and pdf.get_attribute("href") == source["pdf_url"]
    r = page.request.get(server + source["pdf_url"])
    assert r.status == 200 and r.headers["content-type"].startswith("application/pdf")
    assert page.locator(".citing-group").count() == 2  # the two test reviews
    with_evidence = [c for c in detail["citing"] if c["evidence"]]
    assert with_evidence
    assert page.locator(".citing .evidence").count() == sum(len(c["evidence"]) for c in detail["citing"])
    first = page.locator(".citing", has=page.locator(".evidence")).first.locator(".evidence").first
    e = with_evidence[0]["evidence"][0]
    assert first.locator("a.evidence-link").get_attribute("href") == (
        f"/view/articles/{e['source_id']}#span-{e['span']['start']}-{e['span']['end']}")
    if e["page"]:
        assert first.locator("a.pdf-page-link").get_attribute("href").endswith(f"/pdf#page={e['page']}")
    _full_page_shot(page, DOCS / "work-source.png")


def test_work_page_for_an_unknown_id_says_so(server, page):
    page.goto(server + "/view/works/no-such-work")
    page.locator("#status.error-text").wait_for(timeout=30000)
    assert "No cited work" in page.inner_text("#status")
    page.problems = [p for p in page.problems if "404" not in p]  # the browser logs the failed fetch


# ---------------------------------------------------------------- b. primary evidence in the chat


def test_chat_shows_primary_evidence_that_opens_the_source_at_its_span(server, page):
    page.goto(server + "/")
    card = _evidence_card(page)
    assert KIR_SENTENCE in card.locator("blockquote.quote").inner_text()
    evidence = card.locator(".evidence").first
    line = _norm(evidence.inner_text())
    assert re.match(r"In the cited paper, p\. \d+: “", line), line
    page_no = int(re.match(r"In the cited paper, p\. (\d+)", line).group(1))
    citation = card.locator(".citation", has=page.locator(".evidence")).first
    assert citation.locator("a.work-link").get_attribute("href").startswith("/view/works/")

    pdf_href = evidence.locator("a.pdf-page-link").get_attribute("href")
    assert re.fullmatch(rf"/sources/[^/]+/pdf#page={page_no}", pdf_href), pdf_href
    r = page.request.get(server + pdf_href.split("#")[0])
    assert r.status == 200 and r.headers["content-type"].startswith("application/pdf")
    assert r.body()[:5] == b"%PDF-"

    evidence.scroll_into_view_if_needed()
    card.screenshot(path=str(DOCS / "evidence.png"))

    more = evidence.locator("button.evidence-more")
    if more.count():  # a long passage starts folded; the button unfolds it
        assert more.get_attribute("aria-expanded") == "false"
        more.click()
        assert more.get_attribute("aria-expanded") == "true"
        assert "clamped" not in evidence.get_attribute("class")
    quote = evidence.locator("a.evidence-link").inner_text().strip("“”")
    href = evidence.locator("a.evidence-link").get_attribute("href")
    source_id = re.fullmatch(r"/view/articles/([^#]+)#span-\d+-\d+", href).group(1)
    evidence.locator("a.evidence-link").click()
    page.wait_for_url(f"**/view/articles/{source_id}#span-*")
    assert _norm(_highlighted(page)) == _norm(quote)
    # the source view of a PDF paper links to the original file
    pdf = page.locator("#article-pdf a.pdf-link")
    assert pdf.is_visible()
    assert pdf.get_attribute("href").split("#")[0] == pdf_href.split("#")[0]
    assert pdf.inner_text().startswith("Open the PDF")


# ---------------------------------------------------------------- c. the verify page


def _article_sentence(server, needle: str) -> tuple[str, str]:
    for a in _get_json(server + "/articles"):
        text = _get_json(server + "/articles/" + urllib.parse.quote(a["id"], safe=""))["text"]
        if needle in text:
            return a["id"], text
    pytest.fail(f"no article has {needle!r}")


def test_verify_exact_near_and_not_found(server, page):
    exact_id, _ = _article_sentence(server, EXACT)
    near_id, _ = _article_sentence(server, NEAR_SOURCE)
    near = NEAR_SOURCE.replace("48.2%", "68.2%")
    assert near != NEAR_SOURCE

    page.goto(server + "/view/verify")
    assert page.get_attribute("#verify-text", "maxlength") == "5000"
    page.fill("#verify-text", " ".join([EXACT, near, NOT_FOUND]))
    page.locator("#verify-text").focus()
    page.keyboard.press("Control+Enter")  # the keyboard shortcut; the Check button does the same
    page.locator(".verdict").first.wait_for(timeout=60000)
    verdicts = page.locator(".verdict")
    assert verdicts.count() == 3
    assert "1 exact, 1 near, 1 not found" in page.inner_text("#verify-summary")

    exact = verdicts.nth(0)
    assert exact.locator(".badge").inner_text().strip().lower() == "exact"
    assert _norm(exact.locator(".verdict-sentence").inner_text()) == EXACT
    assert exact.locator(".match").first.get_attribute("data-article-id") == exact_id
    assert "100%" in exact.locator(".similarity").first.inner_text()

    nearv = verdicts.nth(1)
    assert nearv.locator(".badge").inner_text().strip().lower() == "near"
    match = nearv.locator(".match").first
    assert match.get_attribute("data-article-id") == near_id
    assert "A number differs" in match.locator(".numbers-changed").inner_text()
    ins = " ".join(match.locator(".diff ins").all_inner_texts())
    dele = " ".join(match.locator(".diff del").all_inner_texts())
    assert "68.2" in ins and "48.2" in dele, (ins, dele)
    assert match.locator(".diff ins.diff-number").count() >= 1

    nf = verdicts.nth(2)
    assert nf.locator(".badge").inner_text().strip().lower() == "not found"
    assert nf.locator(".match:not(.related-match)").count() == 0
    assert nf.locator(".related-match").count() >= 1
    assert "Closest by meaning" in nf.locator(".related-label").inner_text()
    assert nf.locator(".related-match a.match-link").first.get_attribute("href").startswith("/view/articles/")
    _full_page_shot(page, DOCS / "verify.png")

    # the exact match opens the article with the sentence highlighted
    exact.locator("a.match-link").first.click()
    page.wait_for_url(f"**/view/articles/{exact_id}#span-*")
    assert _norm(_highlighted(page)).rstrip(".") == EXACT.rstrip(".")


def test_verify_refuses_an_empty_text_without_asking(server, page):
    page.goto(server + "/view/verify")
    page.click("#verify-button")
    assert "Paste or type a text" in page.inner_text("#verify-status")
    assert page.locator(".verdict").count() == 0


# ---------------------------------------------------------------- d. the Cite control


def test_cite_control_shows_copies_and_downloads_each_format(server, page):
    page.goto(server + "/")
    card = _evidence_card(page)
    title = _norm(card.locator(".source-title").inner_text())
    cite = card.locator(".cite")
    passage_id = cite.get_attribute("data-passage-id")
    toggle = cite.locator(".cite-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.focus()
    page.keyboard.press("Enter")  # keyboard opens it
    assert toggle.get_attribute("aria-expanded") == "true"
    text = cite.locator("textarea.cite-text")
    page.wait_for_function("el => el.value.length > 0", arg=text.element_handle(), timeout=30000)
    apa = text.input_value()
    assert title in _norm(apa), apa

    # arrow keys move between the formats: APA -> BibTeX
    cite.locator("input[value=apa]").focus()
    page.keyboard.press("ArrowRight")
    assert cite.locator("input[value=bibtex]").is_checked()
    page.wait_for_function("el => el.value.trimStart().startsWith('@')", arg=text.element_handle(), timeout=30000)
    bibtex = text.input_value()
    assert title in _norm(bibtex.replace("{", "").replace("}", "")), bibtex
    download = cite.locator("a.cite-download")
    href = download.get_attribute("href")
    assert href == f"/passages/{urllib.parse.quote(passage_id, safe='')}/cite?format=bibtex&download=1"
    r = page.request.get(server + href)
    assert r.status == 200 and r.headers["content-disposition"].startswith("attachment")
    assert r.text() == bibtex

    cite.locator("button.cite-copy").click()
    page.wait_for_function("el => el.textContent === 'Copied'", arg=cite.locator(".cite-status").element_handle(),
                           timeout=10000)
    assert page.evaluate("navigator.clipboard.readText()") == bibtex
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(DOCS / "cite.png"), full_page=False)

    cite.locator("input[value=apa]").check()
    assert cite.locator("a.cite-download").get_attribute("href").endswith("?format=apa&download=1")
    assert text.input_value() == apa

    # Escape closes it and gives focus back to its button
    text.focus()
    page.keyboard.press("Escape")
    assert cite.locator(".cite-panel").is_hidden()
    assert page.evaluate("document.activeElement.classList.contains('cite-toggle')")


# ---------------------------------------------------------------- small screens, navigation


def test_staff_pages_fit_320_px(server, browser):
    context = browser.new_context(viewport={"width": 320, "height": 740}, device_scale_factor=2)
    pg = _watch(context.new_page())
    work_id = _jones_2018(server)["work"]["id"]
    pg.goto(server + "/view/works/" + urllib.parse.quote(work_id, safe=""))
    pg.locator("#work:not([hidden])").wait_for(timeout=30000)
    assert pg.evaluate("document.documentElement.scrollWidth") <= 320
    pg.goto(server + "/view/verify")
    pg.fill("#verify-text", NEAR_SOURCE.replace("48.2%", "68.2%") + " " + NOT_FOUND)
    pg.click("#verify-button")
    pg.locator(".verdict").first.wait_for(timeout=60000)
    assert pg.evaluate("document.documentElement.scrollWidth") <= 320
    pg.goto(server + "/")
    card = _evidence_card(pg)
    card.locator(".cite-toggle").click()
    assert pg.evaluate("document.documentElement.scrollWidth") <= 320
    pg.screenshot(path=str(DOCS / "evidence-phone.png"), full_page=False)
    pg.goto(server + "/view/references?q=" + urllib.parse.quote("Jones 2018"))
    pg.locator(".ref-result").first.wait_for(timeout=30000)
    assert pg.evaluate("document.documentElement.scrollWidth") <= 320
    pg.goto(server + "/view/articles/10-1007-s00125-024-06103-w")
    pg.locator("#article-pdf a.pdf-link").wait_for(timeout=30000)
    assert pg.evaluate("document.documentElement.scrollWidth") <= 320
    assert pg.problems == []
    context.close()


@pytest.mark.parametrize("path", ["/", "/view/references", "/view/verify",
                                  "/view/articles/ketamine-for-substance-abuse"])
def test_every_page_links_the_verify_page(server, page, path):
    page.goto(server + path)
    nav = page.locator("nav.site-nav")
    links = nav.locator("a").evaluate_all("els => els.map(e => [e.textContent.trim(), e.getAttribute('href')])")
    assert ["Ask", "/"] in links and ["Reference search", "/view/references"] in links
    assert ["Verify a text", "/view/verify"] in links
