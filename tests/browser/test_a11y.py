"""Accessibility of the pages in a real browser (Debian's Chromium, driven by Playwright): an axe-core audit
of every page, empty and with an answer shown, and a keyboard-only walk through the chat and the widget.

axe-core is vendored (tests/browser/vendor/axe-core-<AXE_VERSION>/, with its licence and where it came
from) and injected into each page under test; Verbatim never serves it.  Every state must have 0
violations of impact "serious" or "critical"; a failure lists every violation (rule, impact, elements).
With VERBATIM_A11Y_LOG=<file>, each audit also appends one JSON line (page, state, scheme, violations).

The keyboard tests use page.keyboard only (Tab, Shift+Tab, Enter, Space, Escape, and typing): ask, move
through the quote cards, open a Cite panel, follow "View in article"; in the widget, open it from its
launcher, do the same, and close it with Escape, focus back on the launcher.  Every stop must have a visible
focus indicator that nothing covers.  The crisis answer must be a role="alert", on the chat page and in
the widget.

Against a live `verbatim serve` over the real corpus, with VERBATIM_EMBED_ORIGINS naming a host page on
another localhost port (as in test_widget.py).  Mandatory in CI; elsewhere they skip with a reason when
Chromium or Playwright is missing.
"""
from __future__ import annotations

import json
import os
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.browser.test_pages import _free_port, _require_browser, chromium, verbatim_serve
from tests.browser.test_widget import _host_server

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.browser]

AXE_VERSION = "4.14.1"
AXE = Path(__file__).resolve().parent / "vendor" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
BLOCKING = ("serious", "critical")
ANSWER = "Does a single ketamine dose reduce drinking?"
CRISIS = "I want to end my life tonight"
ADVICE = "How much ketamine should I take to stop drinking?"
WAIT = 30000  # ms, for an answer from the real model
# The publisher's page for the audit: test_widget's host page with landmarks, so that what axe finds on it is
# what the widget adds (the bare page has no <main> and text outside landmarks, which is the publisher's to fix).
HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>A publisher's article</title></head>
<body>
<header><p>The Publisher</p></header>
<main>
<h1>Ketamine for substance abuse</h1>
<p id="secret">The publisher's own article text.</p>
</main>
<script src="{verbatim}/embed.js" data-article="{article}" async></script>
</body></html>
"""

# Every rule axe runs by default (WCAG 2.0, 2.1 A and AA, best practices), none disabled, plus WCAG 2.2 AA's
# target-size, which axe leaves off by default.  "incomplete" in full: see _RUN.
AXE_OPTIONS = {"resultTypes": ["violations", "incomplete"], "rules": {"target-size": {"enabled": True}}}

# axe's violations as they leave the page: rule, impact, and each element's selector and summary.  Colour contrast
# that axe cannot decide where the element stands (most often text under the sticky disclaimer bar) is checked
# again with the element scrolled to the middle of the window; what is still undecided comes back as `unsure`.
_RUN = """async ([context, options]) => {
  const simple = v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.map(String).join(' '), impact: n.impact,
                              summary: (n.failureSummary || '').split('\\n').slice(0, 2).join(' ')}))});
  const r = await axe.run(context || document, options);
  const out = r.violations.map(simple);
  const cc = r.incomplete.find(v => v.id === 'color-contrast');
  const unsure = [];
  const x = window.scrollX, y = window.scrollY;
  for (const n of cc ? cc.nodes : []) {
    const el = n.target.length === 1 && typeof n.target[0] === 'string' ? document.querySelector(n.target[0]) : null;
    if (!el) { unsure.push(String(n.target)); continue; }
    el.scrollIntoView({block: 'center', inline: 'nearest'});
    const again = await axe.run(el, {runOnly: ['color-contrast'], resultTypes: ['violations', 'incomplete']});
    for (const v of again.violations.map(simple)) {
      const seen = out.find(o => o.id === v.id);
      if (seen) seen.nodes.push(...v.nodes); else out.push(v);
    }
    if (again.incomplete.length) unsure.push(n.target[0]);
  }
  window.scrollTo(x, y);
  return {violations: out, unsure};
}"""


# ---------------------------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def sites(real_index_dir):
    """(verbatim, host): Verbatim, and a publisher's page on another port that embeds the widget."""
    _require_browser()
    assert AXE.is_file(), f"axe-core {AXE_VERSION} is not vendored at {AXE}"
    port = _free_port()
    verbatim = f"http://127.0.0.1:{port}"
    host_httpd, host = _host_server(verbatim, HOST_PAGE)
    with verbatim_serve(port, index_dir=str(real_index_dir), embed_origins=f'["{host}"]'):
        yield verbatim, host
    host_httpd.shutdown()


@pytest.fixture(scope="module")
def browser(sites):
    with chromium() as b:
        yield b


@pytest.fixture(params=["light", "dark"])
def audit_page(request, browser):
    """A page for the audit, in the light or the dark colour scheme (the stylesheet has both).

    bypass_csp: axe is injected as an inline script, which the pages' own CSP (script-src 'self') refuses.
    Only the audit's pages bypass it; the keyboard tests below run under the real CSP.
    """
    context = browser.new_context(viewport={"width": 1100, "height": 900}, color_scheme=request.param, bypass_csp=True)
    page = context.new_page()
    page.scheme = request.param
    yield page
    context.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


# ---------------------------------------------------------------------------------------------- the audit

def axe(target, context=None, options=None) -> dict:
    """axe on a Page or a Frame (injected once per document): {"violations": [...], "unsure": [selectors]}."""
    if not target.evaluate("() => typeof window.axe === 'object'"):
        target.add_script_tag(path=str(AXE))
    return target.evaluate(_RUN, [context, {**AXE_OPTIONS, **(options or {})}])


def report(violations: list[dict]) -> str:
    lines = []
    order = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}
    for v in sorted(violations, key=lambda v: (order.get(v["impact"], 4), v["id"])):
        lines.append(f"  {v['impact']:<8} {v['id']}: {v['help']} ({len(v['nodes'])} element(s))")
        for n in v["nodes"][:8]:
            lines.append(f"             {n['target']}  — {n['summary']}")
        if len(v["nodes"]) > 8:
            lines.append(f"             … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


class Audit:
    """Collects every state's violations, so that one failing state does not hide the others."""

    def __init__(self, name: str, scheme: str):
        self.name, self.scheme, self.failures, self.seen = name, scheme, [], []

    def check(self, target, state: str, context=None, options=None) -> None:
        result = axe(target, context, options)
        violations = result["violations"]
        self.seen.append(state)
        log = os.environ.get("VERBATIM_A11Y_LOG")
        if log:
            with open(log, "a", encoding="utf-8") as f:
                f.write(json.dumps({"page": self.name, "state": state, "scheme": self.scheme, **result}) + "\n")
        if result["unsure"]:  # axe's "needs review": not a violation, shown with -rP
            print(f"{self.name} ({state}, {self.scheme}): colour contrast undecided for {result['unsure']}")
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        if blocking:
            self.failures.append(f"{self.name} ({state}, {self.scheme} scheme): {len(blocking)} serious or critical "
                                 f"rule(s) of {len(violations)} violated\n{report(violations)}")
        elif violations:  # shown with -rP or on another failure; they do not fail the audit
            print(f"{self.name} ({state}, {self.scheme}): minor or moderate only\n{report(violations)}")

    def done(self) -> None:
        assert not self.failures, "axe-core " + AXE_VERSION + ":\n" + "\n\n".join(self.failures)


def test_the_audit_finds_what_it_should(browser):
    """The harness itself: axe runs, and a nameless button and grey-on-white text come back as blocking."""
    context = browser.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        page.set_content('<html lang="en"><head><title>t</title></head><body><main><h1>t</h1><button></button>'
                         '<p style="color:#bbb;background:#fff">faint</p></main></body></html>')
        found = {(v["id"], v["impact"]) for v in axe(page)["violations"]}
        assert {("button-name", "critical"), ("color-contrast", "serious")} <= found, found
        assert page.evaluate("() => axe.version") == AXE_VERSION
    finally:
        context.close()


def _ask(target, question: str) -> None:
    target.locator("#question").fill(question)
    target.locator("#question").press("Enter")


def test_axe_chat_page(sites, audit_page):
    verbatim, _ = sites
    page, audit = audit_page, Audit("chat /", audit_page.scheme)
    page.goto(verbatim + "/")
    page.locator("#question").wait_for()
    audit.check(page, "empty")

    _ask(page, ANSWER)
    page.locator(".quote-card").first.wait_for(timeout=WAIT)
    page.locator(".response[aria-busy='false']").first.wait_for(state="attached")
    audit.check(page, "answer")

    # The Cite panel of the first card, open with its citation loaded.
    page.locator(".quote-card .cite-toggle").first.click()
    page.locator(".quote-card .cite-panel .cite-text").first.wait_for()
    page.wait_for_function("() => document.querySelector('.quote-card .cite-text').value.length > 0")
    audit.check(page, "answer, Cite panel open")

    page.locator("#new-conversation").click()
    _ask(page, CRISIS)
    crisis = page.locator(".crisis").first
    crisis.wait_for(timeout=WAIT)
    assert crisis.get_attribute("role") == "alert"
    audit.check(page, "crisis")

    page.locator("#new-conversation").click()
    _ask(page, ADVICE)
    page.locator("button.suggestion").first.wait_for(timeout=WAIT)
    audit.check(page, "advice")
    audit.done()


def test_axe_article_view(sites, audit_page):
    verbatim, _ = sites
    page, audit = audit_page, Audit("article view", audit_page.scheme)
    page.goto(verbatim + "/")
    _ask(page, ANSWER)
    page.locator(".quote-card a.view").first.wait_for(timeout=WAIT)
    page.locator(".quote-card a.view").first.click()  # "View in article"
    page.wait_for_url("**/view/articles/**#span-*")
    page.locator("mark#quoted").wait_for(timeout=WAIT)
    page.locator("#article:not([hidden]) #reference-list li").first.wait_for()
    audit.check(page, "a quote's span")
    audit.done()


def test_axe_reference_search(sites, audit_page):
    verbatim, _ = sites
    page, audit = audit_page, Audit("reference search", audit_page.scheme)
    page.goto(verbatim + "/view/references")
    page.locator("#ref-query").wait_for()
    audit.check(page, "empty")
    page.locator("#ref-query").fill("Jones")
    page.locator("#ref-query").press("Enter")
    page.locator("#ref-results li").first.wait_for(timeout=WAIT)
    page.locator("#ref-results .citing-list").first.wait_for()
    audit.check(page, "results for Jones")
    audit.done()


def test_axe_widget(sites, audit_page):
    verbatim, host = sites
    page, audit = audit_page, Audit("widget /embed", audit_page.scheme)
    page.goto(host + "/")
    button = page.locator("button.verbatim-embed-button")
    button.wait_for(timeout=15000)
    audit.check(page, "host page, closed")
    button.click()
    frame_el = page.locator("iframe.verbatim-embed-frame")
    frame_el.wait_for()
    inner = page.frame_locator("iframe.verbatim-embed-frame")
    inner.locator("body[data-ready='true']").wait_for(state="attached", timeout=WAIT)
    frame = frame_el.element_handle().content_frame()
    # The host page with the panel open: its button, the panel's bar and the iframe element itself (the chat
    # inside is audited on its own, as the document it is).
    audit.check(page, "host page, open", options={"iframes": False})
    audit.check(frame, "empty")

    _ask(inner, ANSWER)
    inner.locator(".quote-card").first.wait_for(timeout=WAIT)
    audit.check(frame, "answer")

    inner.locator("#new-conversation").click()
    _ask(inner, CRISIS)
    crisis = inner.locator(".crisis").first
    crisis.wait_for(timeout=WAIT)
    assert crisis.get_attribute("role") == "alert"
    audit.check(frame, "crisis")
    audit.done()


def test_axe_at_phone_width(sites, browser):
    """The chat at 375 px and the widget at 320 px (where it takes the window's width), each with an answer."""
    verbatim, host = sites
    audit = Audit("phone width", "light")
    context = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(verbatim + "/")
        _ask(page, ANSWER)
        page.locator(".quote-card").first.wait_for(timeout=WAIT)
        audit.check(page, "chat answer, 375 px")
        page.set_viewport_size({"width": 320, "height": 640})
        page.goto(host + "/")
        page.locator("button.verbatim-embed-button").click()
        inner = page.frame_locator("iframe.verbatim-embed-frame")
        inner.locator("body[data-ready='true']").wait_for(state="attached", timeout=WAIT)
        _ask(inner, ANSWER)
        inner.locator(".quote-card").first.wait_for(timeout=WAIT)
        audit.check(page, "host page, widget open, 320 px", options={"iframes": False})
        frame = page.locator("iframe.verbatim-embed-frame").element_handle().content_frame()
        audit.check(frame, "widget answer, 320 px")
    finally:
        context.close()
    audit.done()


def test_axe_staff_pages(sites, audit_page):
    verbatim, _ = sites
    page, audit = audit_page, Audit("staff pages", audit_page.scheme)
    with urllib.request.urlopen(verbatim + "/works?limit=500", timeout=60) as r:
        works = json.loads(r.read())
    work = max(works, key=lambda w: w.get("cited_by_articles") or 0)
    page.goto(verbatim + "/view/works/" + urllib.parse.quote(work["id"], safe=""))
    page.locator("#work:not([hidden]) .citing").first.wait_for(timeout=WAIT)
    audit.check(page, "work page")

    page.goto(verbatim + "/view/verify")
    page.locator("#verify-text").wait_for()
    audit.check(page, "verify, empty")
    page.locator("#verify-text").fill("Three out of the eleven said it was still working at six months. "
                                      "Ketamine cures every addiction after a single dose.")
    page.locator("#verify-button").click()
    page.locator("#verify-output:not([hidden]) .verify-results li").first.wait_for(timeout=WAIT)
    audit.check(page, "verify, results")
    audit.done()


# ---------------------------------------------------------------------------------------------- the keyboard
# Only page.keyboard (Tab, Shift+Tab, Enter, Space, Escape, and typing the question): no click, no fill, no
# element.focus() from the test.  At each step the focused element is checked, and so is its focus indicator.

# The focused element, and whether its focus shows: it matches :focus-visible and has an outline (every focus style
# of the pages is one; 'auto' is the browser's own ring), it is in the viewport, and nothing covers it (such as the
# sticky disclaimer bar): WCAG 2.4.7 and 2.4.11.
_FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  const cs = getComputedStyle(e);
  const outline = cs.outlineStyle !== 'none' && (cs.outlineStyle === 'auto' || parseFloat(cs.outlineWidth) >= 2);
  const r = e.getClientRects()[0] || e.getBoundingClientRect();
  const x = Math.min(Math.max(r.left + Math.min(r.width, 40) / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(r.top + Math.min(r.height, 20) / 2, 0), innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  const card = e.closest('.quote-card');
  return {tag: e.tagName.toLowerCase(), id: e.id, cls: String(e.className), text: (e.textContent || '').trim().slice(0, 60),
          href: e.getAttribute('href'), card: card ? card.id : null, outline, focusVisible: e.matches(':focus-visible'),
          inView: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
          unobscured: !!hit && (hit === e || e.contains(hit) || hit.contains(e))};
}"""


def focused(target, in_view: bool = True) -> dict:
    """The focused element of a Page or Frame, asserted to have a visible, unobscured focus indicator.

    in_view=False: only right after an answer arrives, when the page has scrolled the new answer up to be read
    and the question box (which keeps the focus, for a follow-up) may be below the fold; typing scrolls it back.
    """
    f = target.evaluate(_FOCUSED)
    assert f is not None, "focus is on nothing (the body)"
    assert f["outline"] and f["focusVisible"], f"no visible focus indicator on {f}"
    if in_view:
        assert f["inView"] and f["unobscured"], f"the focused element is off screen or covered: {f}"
    return f


def _keyboard_context(browser, width=1100, height=900):
    # Reduced motion: the chat scrolls to a new answer smoothly otherwise, and a Tab pressed during that scroll
    # would race it. Focus and its scrolling are the same either way.
    return browser.new_context(viewport={"width": width, "height": height}, reduced_motion="reduce")


def _walk(target, keyboard, key: str, until, limit: int = 200) -> list[dict]:
    """Presses `key` until `until(focused)` holds; every stop on the way must show its focus. Returns the stops."""
    stops = []
    for _ in range(limit):
        keyboard.press(key)
        f = focused(target)
        stops.append(f)
        if until(f):
            return stops
    raise AssertionError(f"{key} × {limit} never got there; last stops: {stops[-5:]}")


def _cards_in_order(stops: list[dict]) -> list[str]:
    order = []
    for s in stops:
        if s["card"] and (not order or order[-1] != s["card"]):
            order.append(s["card"])
    return order


def test_keyboard_only_chat_quote_cards_cite_and_view_in_article(sites, browser):
    verbatim, _ = sites
    context = _keyboard_context(browser)
    page = context.new_page()
    kb = page.keyboard
    try:
        page.goto(verbatim + "/")
        page.locator("#question").wait_for()
        kb.press("Tab")
        f = focused(page)
        assert "skip-link" in f["cls"] and f["text"] == "Skip to the question box"
        kb.press("Enter")
        assert focused(page)["id"] == "question"

        # Ask a question.
        kb.type(ANSWER)
        kb.press("Enter")
        page.locator(".quote-card").first.wait_for(timeout=WAIT)
        page.locator("#turn-1 .response[aria-busy='false']").wait_for(state="attached")
        cards = page.locator("#turn-1 .quote-card").evaluate_all("els => els.map(e => e.id)")
        assert len(cards) >= 2, cards
        assert focused(page, in_view=False)["id"] == "question"  # focus stays in the question box for a follow-up

        # Move through the quote cards: back from the question box (the thread is above it) to before the first
        # card, then forward through every card in order, each of its links and controls showing focus.
        back = _walk(page, kb, "Shift+Tab", lambda f: f["card"] is None)
        assert _cards_in_order(back) == cards[::-1]
        assert back[-1]["text"] == "Verify a text"  # the last link of the site's navigation, just before the thread
        forward = _walk(page, kb, "Tab", lambda f: f["id"] == "question")
        assert _cards_in_order(forward) == cards
        first = [s for s in forward if s["card"] == cards[0]]
        assert any(s["text"] == "View in article" for s in first) and any("cite-toggle" in s["cls"] for s in first)

        # Open a citation: Shift+Tab back to the first card's Cite control, Enter opens its panel.
        _walk(page, kb, "Shift+Tab", lambda f: f["card"] == cards[0] and "cite-toggle" in f["cls"])
        kb.press("Enter")
        toggle = page.locator(f"#{cards[0]} .cite-toggle")
        assert toggle.get_attribute("aria-expanded") == "true"
        panel = page.locator(f"#{cards[0]} .cite-panel")
        panel.wait_for()
        page.wait_for_function(f"() => document.querySelector('#{cards[0]} .cite-text').value.length > 0")
        kb.press("Tab")
        f = focused(page)
        assert f["tag"] == "input" and page.evaluate("() => document.activeElement.value") == "apa"
        kb.press("Tab")
        assert "cite-text" in focused(page)["cls"]
        assert page.evaluate("() => document.activeElement.value.length > 20")  # the APA citation, read-only
        kb.press("Tab")
        assert focused(page)["text"] == "Copy"
        kb.press("Tab")
        assert focused(page)["text"].startswith("Download")
        kb.press("Escape")  # closes the panel, focus back on its button
        panel.wait_for(state="hidden")
        f = focused(page)
        assert "cite-toggle" in f["cls"] and f["card"] == cards[0]
        assert toggle.get_attribute("aria-expanded") == "false"

        # Follow "View in article": the article opens with the quoted span highlighted and focused.
        f = _walk(page, kb, "Shift+Tab", lambda f: f["text"] == "View in article")[-1]
        assert f["card"] == cards[0] and "#span-" in f["href"]
        kb.press("Enter")
        page.wait_for_url("**/view/articles/**#span-*")
        page.locator("mark#quoted").wait_for(timeout=WAIT)
        page.wait_for_function("() => document.activeElement && document.activeElement.id === 'quoted'")
        assert focused(page)["tag"] == "mark"
        assert "one-off ketamine dose" in "".join(page.locator("mark.quoted").all_inner_texts())
    finally:
        context.close()


def test_keyboard_only_widget_open_ask_cite_view_and_close_with_escape(sites, browser):
    verbatim, host = sites
    context = _keyboard_context(browser, 1100, 850)
    page = context.new_page()
    kb = page.keyboard
    try:
        page.goto(host + "/")
        launcher = page.locator("button.verbatim-embed-button")
        launcher.wait_for(timeout=15000)
        kb.press("Tab")  # the host page has no other control: the launcher is its first stop
        assert "verbatim-embed-button" in focused(page)["cls"]
        # The widget's own ring (inline, so that a host's "outline: none" cannot hide it), not the browser's.
        assert page.evaluate("() => document.activeElement.style.outlineStyle") == "solid"

        # Open with the keyboard: the question box inside the frame has the focus.
        kb.press("Enter")
        page.locator("#verbatim-embed-panel").wait_for(state="visible")
        assert launcher.get_attribute("aria-expanded") == "true"
        inner = page.frame_locator("iframe.verbatim-embed-frame")
        inner.locator("body[data-ready='true']").wait_for(state="attached", timeout=WAIT)
        frame = page.locator("iframe.verbatim-embed-frame").element_handle().content_frame()
        page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'IFRAME'")
        frame.wait_for_function("() => document.activeElement && document.activeElement.id === 'question'")
        assert focused(frame)["id"] == "question"

        # Ask a question; move back through the quote cards.
        kb.type(ANSWER)
        kb.press("Enter")
        inner.locator(".quote-card").first.wait_for(timeout=WAIT)
        inner.locator("#turn-1 .response[aria-busy='false']").wait_for(state="attached")
        cards = inner.locator("#turn-1 .quote-card").evaluate_all("els => els.map(e => e.id)")
        assert focused(frame, in_view=False)["id"] == "question"
        back = _walk(frame, kb, "Shift+Tab", lambda f: f["card"] is None)
        assert _cards_in_order(back) == cards[::-1]
        assert back[-1]["id"] == "scope-toggle"  # the pin's control, in the panel's header

        # Open a citation: Space on the first card's Cite control, Escape closes it (and not the panel).
        f = _walk(frame, kb, "Tab", lambda f: f["card"] == cards[0] and "cite-toggle" in f["cls"])[-1]
        kb.press(" ")
        inner.locator(f"#{cards[0]} .cite-panel").wait_for()
        kb.press("Tab")
        assert focused(frame)["tag"] == "input"
        kb.press("Escape")
        inner.locator(f"#{cards[0]} .cite-panel").wait_for(state="hidden")
        assert "cite-toggle" in focused(frame)["cls"]
        assert page.locator("#verbatim-embed-panel").is_visible()

        # A citation's work page and "View in article" open in a new tab (Verbatim's pages refuse to be framed).
        f = _walk(frame, kb, "Shift+Tab", lambda f: f["text"] == "View in article")[-1]
        with context.expect_page() as opened:
            kb.press("Enter")
        article = opened.value
        article.wait_for_url("**/view/articles/**#span-*")
        article.locator("mark#quoted").wait_for(timeout=WAIT)
        article.close()
        page.bring_to_front()
        assert focused(frame)["text"] == "View in article"

        # Close with Escape from inside the chat: the panel hides and focus is back on the launcher, visibly.
        kb.press("Escape")
        page.locator("#verbatim-embed-panel").wait_for(state="hidden")
        page.wait_for_function("() => document.activeElement.classList.contains('verbatim-embed-button')")
        assert "verbatim-embed-button" in focused(page)["cls"]
        assert launcher.get_attribute("aria-expanded") == "false"

        # Open again with Space; Shift+Tab out of the chat reaches the panel's Close button; Enter closes.
        kb.press(" ")
        page.locator("#verbatim-embed-panel").wait_for(state="visible")
        frame.wait_for_function("() => document.hasFocus()")
        _walk(frame, kb, "Shift+Tab", lambda f: f["id"] == "scope-toggle")
        kb.press("Shift+Tab")
        f = focused(page)
        assert f["tag"] == "button" and f["text"] == "Close"
        kb.press("Enter")
        page.locator("#verbatim-embed-panel").wait_for(state="hidden")
        assert "verbatim-embed-button" in focused(page)["cls"]
    finally:
        context.close()


def test_crisis_resources_are_announced_as_an_alert_on_the_chat_page_and_in_the_widget(sites, page):
    verbatim, host = sites
    page.goto(verbatim + "/")
    _ask(page, CRISIS)
    alert = page.get_by_role("alert")
    alert.first.wait_for(timeout=WAIT)
    assert alert.count() == 1 and "crisis" in alert.get_attribute("class").split()
    assert "Help is available now" in alert.inner_text()
    assert "tel:988" in alert.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    # First in its turn: before the question itself, so it is what is read first.
    assert page.evaluate("() => document.querySelector('#turn-1').firstElementChild.getAttribute('role')") == "alert"

    page.goto(host + "/")
    page.locator("button.verbatim-embed-button").click()
    inner = page.frame_locator("iframe.verbatim-embed-frame")
    inner.locator("body[data-ready='true']").wait_for(state="attached", timeout=WAIT)
    _ask(inner, CRISIS)
    alert = inner.get_by_role("alert")
    alert.first.wait_for(timeout=WAIT)
    assert alert.count() == 1 and "crisis" in alert.get_attribute("class").split()
    assert "tel:988" in alert.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert inner.locator("#turn-1 > :first-child").get_attribute("role") == "alert"
