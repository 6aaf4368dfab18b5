"""The static pages and the security headers every response carries (no browser needed)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.app import STATIC

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def client(api_client):
    return api_client


@pytest.mark.parametrize("path", ["/", "/view/articles/ketamine-for-substance-abuse", "/view/references", "/health"])
def test_security_headers(client, path):
    r = client.get(path)
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"


def test_pages_are_html_and_assets_are_served_locally(client):
    html = client.get("/").text
    assert "<h1>Verbatim</h1>" in html or "Verbatim" in html
    for src in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        r = client.get(src)
        assert r.status_code == 200, src
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html), "no CDN or external asset"


@pytest.mark.parametrize("path", sorted(p.name for p in STATIC.glob("*.html")))
def test_html_has_no_inline_script_or_handlers(path):
    html = (STATIC / path).read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert "style=" not in html


@pytest.mark.parametrize("path", sorted(p.name for p in STATIC.glob("*.js")))
def test_scripts_never_parse_html_from_data(path):
    js = (STATIC / path).read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in js, sink
