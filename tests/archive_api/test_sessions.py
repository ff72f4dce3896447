"""Browser sessions: cookie flags, CSRF on changes, sign-out, and throttled guessing."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.archive_api.conftest import USER_PASSWORD, Api, add_user, sign_in
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


def test_signing_out_with_a_bearer_token_ends_that_token(api: Api) -> None:
    assert api.client.get("/api/v1/customers").status_code == 200
    assert api.client.delete("/api/v1/auth/session").status_code == 204
    assert api.client.get("/api/v1/customers").status_code == 401


def test_sign_ins_are_listed_without_tokens_and_each_can_be_ended(api: Api) -> None:
    browser, csrf, cookie = _browser(api)
    value = cookie.split("dangan_session=", 1)[1].split(";", 1)[0]
    listed = api.client.get("/api/v1/auth/sessions")
    assert listed.status_code == 200
    sign_ins = listed.json()
    assert len(sign_ins) == 2
    assert [s["current"] for s in sign_ins] == [False, True]  # newest first: the browser's
    assert value not in listed.text
    assert api.client.headers["Authorization"].split()[1] not in listed.text
    assert all(s["expires_at"] > s["created_at"] for s in sign_ins)
    # What tells them apart: where and with what each was signed in.
    assert {(s["address"], s["user_agent"]) for s in sign_ins} == {("testclient", "testclient")}
    # Personal API tokens are not sign-ins; they are listed and revoked at /auth/tokens.
    api.client.post("/api/v1/auth/tokens", json={"name": "script"})
    assert len(api.client.get("/api/v1/auth/sessions").json()) == 2

    ended = api.client.delete(f"/api/v1/auth/sessions/{sign_ins[0]['id']}")
    assert ended.status_code == 204
    assert browser.get("/api/v1/customers").status_code == 401
    assert [s["current"] for s in api.client.get("/api/v1/auth/sessions").json()] == [True]
    # A signed-out session is no longer listed.
    browser_again, csrf, _ = _browser(api)
    assert (
        browser_again.delete("/api/v1/auth/session", headers={"X-CSRF-Token": csrf}).status_code
        == 204
    )
    assert len(api.client.get("/api/v1/auth/sessions").json()) == 1


def test_nobody_ends_another_users_sign_in(api: Api) -> None:
    own = api.client.get("/api/v1/auth/sessions").json()[0]["id"]
    add_user(api.admin, "someone", api.department, "internal", "sales")
    other = TestClient(api.client.app)
    sign_in(other, "someone", USER_PASSWORD)
    assert other.delete(f"/api/v1/auth/sessions/{own}").status_code == 404
    assert api.client.get("/api/v1/customers").status_code == 200
    # A personal token is not a sign-in, even one's own.
    token = other.post("/api/v1/auth/tokens", json={"name": "script"}).json()["id"]
    assert other.delete(f"/api/v1/auth/sessions/{token}").status_code == 404


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


def test_users_change_their_own_password_and_their_other_sign_ins_end(api: Api) -> None:
    """The present password is asked for; the session used stays, every other one ends."""
    here, _, _ = _browser(api)
    elsewhere = TestClient(api.client.app)
    sign_in(elsewhere, "archivist", USER_PASSWORD)
    wrong = here.post(
        "/api/v1/auth/password",
        json={"current_password": "not it at all", "new_password": "a brand new passphrase"},
        headers={"X-CSRF-Token": here.get("/api/v1/auth/me").json()["csrf_token"]},
    )
    # A wrong present password is a refusal of this change, not the end of the session.
    assert wrong.status_code == 403
    assert wrong.json()["reason"] == "wrong_password"
    assert here.get("/api/v1/auth/me").status_code == 200
    changed = here.post(
        "/api/v1/auth/password",
        json={"current_password": USER_PASSWORD, "new_password": "a brand new passphrase"},
        headers={"X-CSRF-Token": here.get("/api/v1/auth/me").json()["csrf_token"]},
    )
    assert changed.status_code == 204
    assert here.get("/api/v1/auth/me").status_code == 200
    assert elsewhere.get("/api/v1/auth/me").status_code == 401
    old = {"username": "archivist", "password": USER_PASSWORD}
    assert elsewhere.post("/api/v1/auth/token", data=old).status_code == 401
    sign_in(elsewhere, "archivist", "a brand new passphrase")
    short = elsewhere.post(
        "/api/v1/auth/password",
        json={"current_password": "a brand new passphrase", "new_password": "short"},
    )
    assert short.status_code == 422
    assert "new_password" in short.json()["detail"]
