"""The embeddable chat page's headers and setting (no browser; tests/browser/test_widget.py drives it)."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from service.settings import Settings

pytestmark = pytest.mark.integration
HOST = "https://publisher.example"


@pytest.fixture(scope="module")
def embed_client(real_index_dir, app_state):
    from fastapi.testclient import TestClient

    from service.app import create_app

    settings = Settings(index_dir=real_index_dir, rate_limit=0, embed_origins=[HOST, "http://127.0.0.1:9001/"])
    with TestClient(create_app(settings, state=app_state)) as c:
        yield c


def test_without_embed_origins_the_embed_page_cannot_be_framed(api_client):
    r = api_client.get("/embed")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"] and r.headers["x-frame-options"] == "DENY"
    assert api_client.get("/embed/config").json() == {"origins": []}


def test_embed_origins_frame_the_embed_page_only(embed_client):
    r = embed_client.get("/embed")
    csp = r.headers["content-security-policy"]
    assert f"frame-ancestors {HOST} http://127.0.0.1:9001;" in csp and "'none'" not in csp.split("frame-ancestors")[1].split(";")[0]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "x-frame-options" not in r.headers
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"] == "no-referrer"
    for path in ("/", "/embed.js", "/embed/config", "/static/embed-app.js", "/view/references"):
        other = embed_client.get(path)
        assert "frame-ancestors 'none'" in other.headers["content-security-policy"], path
        assert other.headers["x-frame-options"] == "DENY", path
    assert embed_client.get("/embed/config").json() == {"origins": [HOST, "http://127.0.0.1:9001"]}


def test_embed_script_is_javascript(embed_client):
    r = embed_client.get("/embed.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert "postMessage" in r.text


@pytest.mark.parametrize("bad", ["*", "https://*.example.org", "https://a.example/path", "https://a.example; script-src *",
                                 "'self'", "javascript:alert(1)", "a.example"])
def test_embed_origins_must_be_origins(bad):
    with pytest.raises(ValidationError):
        Settings(embed_origins=[bad])


def test_embed_origins_from_the_environment(monkeypatch):
    monkeypatch.setenv("VERBATIM_EMBED_ORIGINS", '["https://A.example:8443/"]')
    assert Settings().embed_origins == ["https://a.example:8443"]
