"""The chat page and the source viewer in a real browser (Debian's Chromium, driven by Playwright).

Against a live `verbatim serve` on a free localhost port, over an index of the real corpus plus one
hostile article whose text holds HTML.  In CI (CI=true) these tests are mandatory; elsewhere they skip
with a reason when Chromium or Playwright is missing.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
# Screenshots land here (git ignores data/); the ones in docs/ are copies made by hand for the README.
DOCS = Path(__file__).resolve().parents[2] / "data" / "screenshots"
HOSTILE = (
    "A Hostile Test Article\n\n"
    "This article tests rendering. It contains <img src=x onerror=alert(1)> and <script>alert('x')</script> "
    "as plain text, and ketamine hostile rendering words.\n"
)


def _require_browser():
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("Playwright for Python is not installed")
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail("browser tests are mandatory in CI: " + "; ".join(missing))
        pytest.skip("; ".join(missing))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def verbatim_serve(port: int, **settings: str):
    """`verbatim serve` in a subprocess on ``port``, with the rate limit off and ``settings`` as VERBATIM_*
    environment variables; yields its URL once /health answers (at most 120 s), and fails the test with the
    tail of its output if it exits first."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "VERBATIM_PORT": str(port), "VERBATIM_RATE_LIMIT": "0",
           **{f"VERBATIM_{k.upper()}": v for k, v in settings.items()}}
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen([sys.executable, "-m", "service.cli", "serve"], env=env, stdout=log,
                                stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 120
        while time.time() < deadline and proc.poll() is None:
            try:
                urllib.request.urlopen(url + "/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            if proc.poll() is None:
                proc.kill()
                pytest.fail("verbatim serve did not start within 120 s")
            log.seek(0)
            pytest.fail("verbatim serve exited: " + log.read().decode(errors="replace")[-2000:])
        try:
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory, corpus_dir, real_embedder):
    _require_browser()
    from index.build import ChunkSettings
    from index.update import update_index

    root = tmp_path_factory.mktemp("browser")
    corpus = root / "corpus"
    shutil.copytree(corpus_dir, corpus)
    (corpus / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    update_index(corpus, root / "index", real_embedder, ChunkSettings(160, 110), 20 * 2**20)
    with verbatim_serve(_free_port(), index_dir=str(root / "index")) as url:
        yield url


@contextlib.contextmanager
def chromium():
    """Debian's Chromium through Playwright, as every browser test launches it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def browser(server):
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    yield pg
    context.close()


def _ask(page, question: str) -> None:
    page.fill("#question", question)
    page.keyboard.press("Enter")


def test_question_shows_quote_cards_with_references(server, page):
    page.goto(server + "/")
    assert "not medical advice" in page.inner_text("#disclaimer")
    _ask(page, "Does a single ketamine dose reduce drinking?")
    card = page.locator(".quote-card").first
    card.wait_for(timeout=30000)
    assert "one-off ketamine dose can reduce heavy drinking" in card.locator("mark").first.inner_text()
    assert "Das RK" in card.locator(".citations").inner_text()
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / "chat.png"), full_page=False)


def test_quote_opens_the_article_with_the_span_highlighted(server, page):
    page.goto(server + "/")
    _ask(page, "Does a single ketamine dose reduce drinking?")
    page.locator(".quote-card a.view").first.wait_for(timeout=30000)
    page.locator(".quote-card a.view").first.click()
    page.wait_for_url("**/view/articles/**#span-*")
    mark = page.locator("mark#quoted")
    mark.wait_for(timeout=30000)
    assert "one-off ketamine dose" in page.locator("mark.quoted, mark#quoted").all_inner_texts()[0] + "".join(
        page.locator("mark.quoted").all_inner_texts())
    assert mark.is_visible()
    page.screenshot(path=str(DOCS / "article.png"), full_page=False)


def test_crisis_is_first_with_tel_links(server, page):
    page.goto(server + "/")
    _ask(page, "I want to end my life tonight")
    crisis = page.locator(".crisis").first
    crisis.wait_for(timeout=30000)
    hrefs = crisis.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert {"tel:988", "tel:911", "tel:18002221222", "tel:18006624357", "sms:988"} <= set(hrefs)


def test_an_answer_with_a_crisis_signal_shows_the_crisis_lines_before_the_quotes(server, page):
    page.goto(server + "/")
    _ask(page, "My brother died of an overdose two years ago. What do the articles say about ketamine for opioid use disorder?")
    page.locator(".quote-card").first.wait_for(timeout=30000)
    support = page.locator(".response .support")
    assert support.count() == 1 and support.get_attribute("role") == "status"
    assert "tel:988" in support.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    # the crisis lines come before the first quote in the page's order
    assert page.evaluate(
        "() => !!(document.querySelector('.response .support').compareDocumentPosition("
        "document.querySelector('.quote-card')) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )


def test_advice_suggestion_button_asks_it(server, page):
    page.goto(server + "/")
    _ask(page, "How much ketamine should I take to stop drinking?")
    button = page.locator("button.suggestion").first
    button.wait_for(timeout=30000)
    text = button.inner_text()
    button.click()
    page.locator(".quote-card").first.wait_for(timeout=30000)
    assert text in page.inner_text("#thread")


def test_hostile_article_text_is_shown_as_text_and_runs_nothing(server, page):
    page.goto(server + "/view/articles/hostile")
    page.get_by_text("<img src=x onerror=alert(1)>", exact=False).wait_for(timeout=30000)
    body = page.inner_text("body")
    assert "<img src=x onerror=alert(1)>" in body and "<script>alert('x')</script>" in body
    assert page.locator("img").count() == 0 and page.locator("main script, article script").count() == 0
    page.wait_for_timeout(500)
    assert page.dialogs == []


def test_phone_width(server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2)
    page = context.new_page()
    page.goto(server + "/")
    _ask(page, "Does ketamine help with opioid withdrawal?")
    page.locator(".quote-card").first.wait_for(timeout=30000)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"horizontal scroll: {width}px"
    page.screenshot(path=str(DOCS / "phone.png"), full_page=False)
    context.close()


def test_reference_list_links_to_where_each_entry_is_cited(server, page):
    page.goto(server + "/view/articles/ketamine-for-substance-abuse")
    das = page.locator("li.reference", has_text="Das RK")
    das.wait_for(timeout=30000)
    das.locator("a.cited-link").first.click()
    page.wait_for_url("**#span-*")
    assert page.locator("mark#quoted").inner_text() == "12"  # the marker in "heavy drinking.12"
