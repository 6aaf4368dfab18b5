"""The embeddable widget (/embed.js → /embed in an iframe) on a publisher's page from another origin.

A live `verbatim serve` over the real corpus, with VERBATIM_EMBED_ORIGINS naming one host origin (another
localhost port); two tiny host pages are served from threads: the allowed one and one on a third port that
is not in the list.  Both host pages send their own strict CSP (script-src and frame-src allow Verbatim's
origin only), so the widget is also tested to work without any inline script or style.  Mandatory in CI.
"""
from __future__ import annotations

import json
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.browser.test_pages import DOCS, _free_port, _require_browser, chromium, verbatim_serve

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.browser]

ARTICLE = "ketamine-for-substance-abuse"
HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>A publisher's article</title></head>
<body>
<h1>Ketamine for substance abuse</h1>
<p id="secret">The publisher's own article text.</p>
<script src="{verbatim}/embed.js" data-article="{article}" async></script>
</body></html>
"""


def _host_server(verbatim: str, page: str = HOST_PAGE):
    """A static host page on a free port, with a CSP that allows Verbatim's origin for scripts and frames only."""
    body = page.format(verbatim=verbatim, article=ARTICLE).encode()
    csp = (f"default-src 'self'; script-src 'self' {verbatim}; frame-src {verbatim}; style-src 'self'; "
           "img-src 'self' data:; object-src 'none'; base-uri 'none'")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            if self.path.split("?")[0] not in ("/", "/index.html"):
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", csp)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    port = _free_port()
    httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def sites(real_index_dir):
    """(verbatim, allowed host, other host): three origins, three ports."""
    _require_browser()
    port = _free_port()
    verbatim = f"http://127.0.0.1:{port}"
    allowed_httpd, allowed = _host_server(verbatim)
    other_httpd, other = _host_server(verbatim)
    with verbatim_serve(port, index_dir=str(real_index_dir), embed_origins=f'["{allowed}"]'):
        yield verbatim, allowed, other
    allowed_httpd.shutdown()
    other_httpd.shutdown()


@pytest.fixture(scope="module")
def browser(sites):
    with chromium() as b:
        yield b


# Screenshots: data/screenshots/widget-closed.png and widget-open.png (docs/ holds copies made by hand).


def _page(browser, width=1100, height=850):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    return context, page


@pytest.fixture
def page(browser):
    context, pg = _page(browser)
    yield pg
    context.close()


def _open(page, host):
    page.goto(host + "/")
    button = page.locator("button.verbatim-embed-button")
    button.wait_for(timeout=15000)
    button.click()
    frame = page.frame_locator("iframe.verbatim-embed-frame")
    # Ready: the article list and the allowlist have arrived, so the pin and the host's origin are known (before
    # that, an Escape pressed inside the frame has no host to tell).
    frame.locator("body[data-ready='true']").wait_for(state="attached", timeout=30000)
    return frame


def _ask(frame, question):
    frame.locator("#question").fill(question)
    frame.locator("#question").press("Enter")


def _card_articles(frame) -> list[str]:
    frame.locator(".quote-card").first.wait_for(timeout=30000)
    hrefs = frame.locator(".quote-card").evaluate_all("els => els.map(e => e.dataset.href)")
    return [h.split("/view/articles/")[1].split("#")[0] for h in hrefs]


def test_headers_frame_the_embed_page_for_the_allowed_origin_only(sites):
    verbatim, allowed, _ = sites
    embed = urllib.request.urlopen(verbatim + "/embed")
    assert f"frame-ancestors {allowed};" in embed.headers["Content-Security-Policy"]
    assert embed.headers.get("X-Frame-Options") is None
    chat = urllib.request.urlopen(verbatim + "/")
    assert "frame-ancestors 'none'" in chat.headers["Content-Security-Policy"] and chat.headers["X-Frame-Options"] == "DENY"
    script = urllib.request.urlopen(verbatim + "/embed.js")
    assert script.headers["Content-Type"].startswith("text/javascript")


def test_the_widget_answers_inside_the_iframe_which_the_host_cannot_read(sites, page):
    verbatim, allowed, _ = sites
    page.goto(allowed + "/")
    button = page.locator("button.verbatim-embed-button")
    button.wait_for(timeout=15000)
    assert button.get_attribute("aria-expanded") == "false"
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / "widget-closed.png"), full_page=False)

    button.click()
    frame = page.frame_locator("iframe.verbatim-embed-frame")
    frame.locator("#question").wait_for(timeout=30000)
    assert "not medical advice" in frame.locator("#disclaimer").inner_text()
    assert "talk with a licensed clinician" in frame.locator("#intro").inner_text()
    title = json.load(urllib.request.urlopen(f"{verbatim}/articles/{ARTICLE}"))["title"]
    assert frame.locator("#scope-text").inner_text() == f"Answers come only from “{title}”."
    _ask(frame, "Does a single ketamine dose reduce drinking?")
    assert set(_card_articles(frame)) == {ARTICLE}
    assert "one-off ketamine dose can reduce heavy drinking" in frame.locator(".quote-card mark").first.inner_text()
    # The disclaimer stays in view inside the frame while the answer scrolls.
    assert frame.locator("#disclaimer").is_visible()
    assert frame.locator("#disclaimer").evaluate("e => e.getBoundingClientRect().bottom <= window.innerHeight + 1")
    page.wait_for_timeout(300)  # the height message settles
    page.screenshot(path=str(DOCS / "widget-open.png"), full_page=False)

    # Cross-origin: the host's scripts cannot reach into the chat.
    assert page.evaluate("() => document.querySelector('iframe.verbatim-embed-frame').contentDocument") is None
    blocked = page.evaluate("""() => { try { return String(document.querySelector('iframe.verbatim-embed-frame')
                                        .contentWindow.document.body.innerText); } catch (e) { return 'blocked: ' + e.name; } }""")
    assert blocked == "blocked: SecurityError"
    # The host page's own CSP (no inline script or style) reported no violation for the widget.
    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors


def test_a_host_not_in_the_list_cannot_frame_the_chat(sites, page):
    _, _, other = sites
    page.goto(other + "/")
    page.locator("button.verbatim-embed-button").click()
    page.locator("iframe.verbatim-embed-frame").wait_for(timeout=15000)
    page.wait_for_timeout(2000)
    child = [f for f in page.frames if f is not page.main_frame]
    assert child, "the iframe exists"
    assert all(not f.url.startswith(sites[0]) or f.locator("#question").count() == 0 for f in child)
    assert page.frame_locator("iframe.verbatim-embed-frame").locator("#question").count() == 0
    assert any("frame-ancestors" in e for e in page.console_errors), page.console_errors


def test_the_pin_limits_answers_and_the_control_removes_it(sites, page):
    _, allowed, _ = sites
    frame = _open(page, allowed)
    question = "Does ketamine help with opioid withdrawal?"
    _ask(frame, question)
    assert set(_card_articles(frame)) == {ARTICLE}

    frame.locator("#new-conversation").click()
    toggle = frame.locator("#scope-toggle")
    assert toggle.inner_text() == "Remove the pin"
    toggle.click()
    assert "all 5 articles" in frame.locator("#scope-text").inner_text()
    _ask(frame, question)
    found = _card_articles(frame)
    assert ARTICLE in found and len(set(found)) > 1, found

    frame.locator("#new-conversation").click()
    toggle.click()  # pinned again
    assert toggle.inner_text() == "Remove the pin"
    _ask(frame, question)
    assert set(_card_articles(frame)) == {ARTICLE}


def test_a_scoped_no_answer_offers_to_search_all_the_articles(sites, page):
    _, allowed, _ = sites
    frame = _open(page, allowed)
    _ask(frame, "What is esketamine?")
    search_all = frame.get_by_role("button", name="Search all the articles")
    search_all.wait_for(timeout=30000)
    assert "pinned article does not cover" in frame.locator(".no-answer").inner_text()
    search_all.click()
    frame.locator(".quote-card").first.wait_for(timeout=30000)
    found = _card_articles(frame)
    assert len(set(found)) > 1, found  # asked of all the articles: the pinned one has nothing on it


def test_the_host_pins_and_unpins_only_by_message(sites, page):
    _, allowed, _ = sites
    frame = _open(page, allowed)
    bar = frame.locator("#scope-bar")
    page.wait_for_function("() => !!window.VerbatimEmbed")
    page.wait_for_timeout(500)
    page.evaluate("() => window.VerbatimEmbed.unpin()")
    bar.wait_for(state="hidden", timeout=5000)
    # A message of another shape, or with HTML in it, is dropped.
    page.evaluate("""() => document.querySelector('iframe.verbatim-embed-frame').contentWindow.postMessage(
        {type: 'verbatim:pin', article: '<img src=x onerror=alert(1)>', html: '<b>x</b>'}, '*')""")
    page.wait_for_timeout(300)
    assert bar.is_hidden()
    page.evaluate("() => document.querySelector('script[src$=\"/embed.js\"]').setAttribute('data-article', 'iv-ketamine-for-opiate-addiction')")
    bar.wait_for(state="visible", timeout=5000)
    title = json.load(urllib.request.urlopen(f"{sites[0]}/articles/iv-ketamine-for-opiate-addiction"))["title"]
    assert title in frame.locator("#scope-text").inner_text()


def test_escape_closes_the_widget_and_focus_returns_to_the_button(sites, page):
    _, allowed, _ = sites
    frame = _open(page, allowed)
    frame.locator("#question").click()
    frame.locator("#question").press("Escape")  # inside the frame: it asks the host to close
    page.locator("#verbatim-embed-panel").wait_for(state="hidden", timeout=5000)
    assert page.evaluate("() => document.activeElement.className") == "verbatim-embed-button"
    assert page.locator("button.verbatim-embed-button").get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")  # the focused button opens it again
    page.locator("#verbatim-embed-panel").wait_for(state="visible", timeout=5000)
    page.locator("button.verbatim-embed-button").press("Escape")  # on the host page too
    page.locator("#verbatim-embed-panel").wait_for(state="hidden", timeout=5000)
    assert page.evaluate("() => document.activeElement.className") == "verbatim-embed-button"


def test_crisis_in_the_widget_is_an_alert_with_help_lines_at_320px(sites, browser):
    _, allowed, _ = sites
    context, page = _page(browser, width=320, height=640)
    try:
        frame = _open(page, allowed)
        _ask(frame, "I want to end my life tonight")
        crisis = frame.locator(".crisis[role=alert]").first
        crisis.wait_for(timeout=30000)
        hrefs = set(crisis.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))"))
        assert {"tel:988", "tel:911", "tel:18002221222", "tel:18006624357", "sms:988"} <= hrefs
        assert frame.locator("#disclaimer").is_visible()
        box = page.locator("#verbatim-embed-panel").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert frame.locator("html").evaluate("e => e.scrollWidth <= e.clientWidth")
        page.screenshot(path=str(DOCS / "widget-phone.png"), full_page=False)
    finally:
        context.close()
