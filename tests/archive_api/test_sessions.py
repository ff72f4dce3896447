"""Browser sessions: cookie flags, CSRF on changes, sign-out, and throttled guessing."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.archive_api.conftest import USER_PASSWORD, Api
from tests.factories import random_uscc


def _browser(api: Api, base_url: str = "http://testserver") -> tuple[TestClient, str, str]:
    browser = TestClient(api.client.app, base_url=base_url)
    response = browser.post(
        "/api/v1/auth/session", data={"username": "archivist", "password": USER_PASSWORD}
    )
    assert response.status_code == 200, response.text
    return browser, response.json()["csrf_token"], response.headers["set-cookie"]


def test_the_session_cookie_is_http_only_strict_and_secure_over_tls(api: Api) -> None:
    _, _, cookie = _browser(api)
    assert "dangan_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Secure" not in cookie
    _, _, tls_cookie = _browser(api, "https://testserver")
    assert "Secure" in tls_cookie


def test_changes_need_the_csrf_token_reads_do_not(api: Api) -> None:
    browser, csrf, _ = _browser(api)
    assert browser.get("/api/v1/customers").status_code == 200
    body = {"name": "客户", "uscc": random_uscc()}
    missing = browser.post("/api/v1/customers", json=body)
    assert (missing.status_code, missing.json()["error"]) == (403, "csrf_failed")
    wrong = browser.post("/api/v1/customers", json=body, headers={"X-CSRF-Token": "0" * 64})
    assert (wrong.status_code, wrong.json()["error"]) == (403, "csrf_failed")
    right = browser.post("/api/v1/customers", json=body, headers={"X-CSRF-Token": csrf})
    assert right.status_code == 201


def test_signing_out_ends_the_session(api: Api) -> None:
    browser, csrf, cookie = _browser(api)
    value = cookie.split("dangan_session=", 1)[1].split(";", 1)[0]
    assert browser.delete("/api/v1/auth/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    # The old cookie value, replayed, no longer opens anything.
    replay = TestClient(api.client.app, cookies={"dangan_session": value})
    assert replay.get("/api/v1/customers").status_code == 401


def test_repeated_failures_lock_the_user_name_even_with_the_right_password(api: Api) -> None:
    client = TestClient(api.client.app)
    for _ in range(5):
        wrong = client.post("/api/v1/auth/token", data={"username": "archivist", "password": "x"})
        assert wrong.status_code == 401
    right = client.post(
        "/api/v1/auth/token", data={"username": "archivist", "password": USER_PASSWORD}
    )
    assert (right.status_code, right.json()["error"]) == (429, "too_many_attempts")
    assert int(right.headers["Retry-After"]) > 0
    # A browser sign-in is the same door.
    browser = client.post(
        "/api/v1/auth/session", data={"username": "archivist", "password": USER_PASSWORD}
    )
    assert browser.status_code == 429


def test_unknown_names_are_counted_like_known_ones_and_per_address(api: Api) -> None:
    client = TestClient(api.client.app)
    statuses = [
        client.post(
            "/api/v1/auth/token", data={"username": f"ghost{n}", "password": "x"}
        ).status_code
        for n in range(20)
    ]
    assert statuses == [401] * 20
    # Twenty failures from this address: even a different, real account is refused from it.
    blocked = client.post("/api/v1/auth/token", data={"username": "admin", "password": "whatever"})
    assert blocked.status_code == 429
    ghost = [
        client.post("/api/v1/auth/token", data={"username": "ghost0", "password": "x"}).status_code
    ]
    assert ghost == [429]
