"""The web UI and the API documentation, served by Dangan itself under a strict policy."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from archive_api.app import create_app
from tests.archive_api.conftest import USER_PASSWORD, Api

pytestmark = pytest.mark.usefixtures("built_ui")


@pytest.fixture
def browser(api: Api) -> TestClient:
    """A client with no credentials, as a browser first arrives."""
    return TestClient(create_app(api.backends))


def _nonce(html: str) -> str:
    found = re.search(r'<meta name="csp-nonce" content="([^"]+)"', html)
    assert found, "the page carries no nonce for its styles"
    return found[1]


@pytest.mark.parametrize("path", ["/", "/customers/4d1c0a8e-0000-4000-8000-000000000000/x"])
def test_any_page_of_the_app_loads_it_under_a_fresh_nonce(browser: TestClient, path: str) -> None:
    """The app routes its own paths; each load has its own nonce and no inline allowance."""
    first, second = browser.get(path), browser.get(path)
    for page in (first, second):
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        csp = page.headers["content-security-policy"]
        assert f"'nonce-{_nonce(page.text)}'" in csp
        assert "unsafe-inline" not in csp
        assert "unsafe-eval" not in csp
        assert "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
    assert _nonce(first.text) != _nonce(second.text)


def test_the_app_and_the_documentation_load_nothing_from_elsewhere(browser: TestClient) -> None:
    """Every script, style and icon comes from Dangan (an intranet has no CDN)."""
    for page in ("/", "/docs"):
        html = browser.get(page).text
        assert not re.search(r'(src|href)="(https?:)?//', html), f"{page} loads from elsewhere"
        assets = re.findall(r'(?:src|href)="(/assets/[^"]+)"', html)
        assert assets, f"{page} names no assets"
        for asset in assets:
            answer = browser.get(asset)
            assert answer.status_code == 200, asset
            assert answer.content


def test_assets_travel_compressed_and_api_answers_do_not(api: Api, browser: TestClient) -> None:
    """The app's scripts are gzipped; answers carrying a CSRF token never are (BREACH)."""
    script = re.findall(r'src="(/assets/[^"]+\.js)"', browser.get("/").text)[0]
    answer = browser.get(script, headers={"Accept-Encoding": "gzip"})
    assert answer.headers["content-encoding"] == "gzip"
    assert "immutable" in answer.headers["cache-control"]
    browser.post("/api/v1/auth/session", data={"username": "archivist", "password": USER_PASSWORD})
    me = browser.get("/api/v1/auth/me", headers={"Accept-Encoding": "gzip"})
    assert me.json()["csrf_token"]
    assert "content-encoding" not in me.headers


def test_the_api_keeps_its_own_not_found(browser: TestClient) -> None:
    """An unknown API path is the API's JSON 404, never the app's page."""
    answer = browser.get("/api/v1/nowhere")
    assert answer.status_code == 404
    assert answer.json()["error"] == "not_found"
    assert browser.post("/customers").status_code in (404, 405)


def test_me_names_the_user_roles_and_the_session_csrf_token(api: Api, browser: TestClient) -> None:
    """A browser signed in by cookie learns who it is and the token its changes must carry."""
    assert browser.get("/api/v1/auth/me").status_code == 401
    opened = browser.post("/api/v1/auth/session", data={"username": "archivist", "password": "x"})
    assert opened.status_code == 401
    opened = browser.post(
        "/api/v1/auth/session", data={"username": "archivist", "password": USER_PASSWORD}
    )
    me = browser.get("/api/v1/auth/me").json()
    assert me["username"] == "archivist"
    assert me["roles"] == [{"role": "archivist", "department_id": api.department}]
    assert me["csrf_token"] == opened.json()["csrf_token"]
    admin = api.admin.get("/api/v1/auth/me").json()
    assert admin["roles"] == [{"role": "admin", "department_id": None}]
    assert admin["csrf_token"] is None  # a bearer token needs none


def test_the_chosen_language_is_remembered_for_the_user(api: Api, browser: TestClient) -> None:
    """Chinese by default; English once chosen, in every browser the user signs in from."""
    assert api.client.get("/api/v1/auth/me").json()["language"] == "zh"
    changed = api.client.patch("/api/v1/auth/me", json={"language": "en"})
    assert changed.status_code == 204
    browser.post("/api/v1/auth/session", data={"username": "archivist", "password": USER_PASSWORD})
    assert browser.get("/api/v1/auth/me").json()["language"] == "en"
    refused = api.client.patch("/api/v1/auth/me", json={"language": "fr"})
    assert refused.status_code == 422
    assert "language" in refused.json()["detail"]
    # Only the language: nobody raises their own clearance here.
    extra = api.client.patch("/api/v1/auth/me", json={"language": "zh", "clearance": "secret"})
    assert extra.status_code == 422
    assert api.client.get("/api/v1/auth/me").json()["clearance"] == "secret"
    assert api.admin.get("/api/v1/auth/me").json()["language"] == "zh"


def test_the_web_ui_types_come_from_the_api_as_it_is(browser: TestClient) -> None:
    """The UI's TypeScript types are generated from this document: it must match the API."""
    from archive_api import webapp

    committed = json.loads((webapp.SOURCE / "openapi.json").read_text(encoding="utf-8"))
    assert committed == browser.get("/openapi.json").json(), (
        "archive_api/web/openapi.json is out of date: "
        "run `.venv/bin/dangan openapi > archive_api/web/openapi.json`"
    )
