"""Personal API tokens, and accounts that stop being active."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.archive_api.conftest import USER_PASSWORD, Api, add_user, sign_in
from tests.factories import random_uscc


def test_a_personal_token_is_shown_once_and_works_until_revoked(api: Api) -> None:
    created = api.client.post(
        "/api/v1/auth/tokens", json={"name": "scanner", "expires_in_days": 30}
    )
    assert created.status_code == 201, created.text
    token = created.json()["token"]
    assert token.startswith("dgn_")
    listed = api.client.get("/api/v1/auth/tokens").json()["items"]
    assert [t["name"] for t in listed] == ["scanner"]
    assert token not in str(listed)
    assert "token" not in listed[0]

    scanner = TestClient(api.client.app, headers={"Authorization": f"Bearer {token}"})
    assert scanner.get("/api/v1/customers").status_code == 200
    revoked = api.client.delete(f"/api/v1/auth/tokens/{created.json()['id']}")
    assert revoked.status_code == 204
    assert scanner.get("/api/v1/customers").status_code == 401
    assert api.client.get("/api/v1/auth/tokens").json()["items"][0]["revoked_at"] is not None


def test_personal_tokens_are_listed_newest_first_a_page_at_a_time(api: Api) -> None:
    for name in ("first", "second", "third"):
        made = api.client.post("/api/v1/auth/tokens", json={"name": name})
        assert made.status_code == 201, made.text
    page = api.client.get("/api/v1/auth/tokens", params={"limit": 2}).json()
    assert (page["total"], [t["name"] for t in page["items"]]) == (3, ["third", "second"])
    rest = api.client.get("/api/v1/auth/tokens", params={"limit": 2, "offset": 2}).json()
    assert [t["name"] for t in rest["items"]] == ["first"]


def test_nobody_revokes_another_users_token(api: Api) -> None:
    created = api.client.post("/api/v1/auth/tokens", json={"name": "mine"}).json()
    add_user(api.admin, "someone", api.department, "internal", "sales")
    other = TestClient(api.client.app)
    sign_in(other, "someone", USER_PASSWORD)
    assert other.delete(f"/api/v1/auth/tokens/{created['id']}").status_code == 404
    assert other.get("/api/v1/auth/tokens").json()["total"] == 0


def test_a_disabled_user_is_refused_at_once_everywhere(api: Api) -> None:
    user = add_user(api.admin, "leaving", api.department, "internal", "sales")
    bearer = TestClient(api.client.app)
    sign_in(bearer, "leaving", USER_PASSWORD)
    personal = bearer.post("/api/v1/auth/tokens", json={"name": "script"}).json()["token"]
    browser = TestClient(api.client.app)
    opened = browser.post(
        "/api/v1/auth/session", data={"username": "leaving", "password": USER_PASSWORD}
    )
    assert opened.status_code == 200
    script = TestClient(api.client.app, headers={"Authorization": f"Bearer {personal}"})
    for client in (bearer, browser, script):
        assert client.get("/api/v1/customers").status_code == 200

    # Departures go through a handover (test_handover); an admin may disable someone who
    # holds no customer at once.
    disabled = api.admin.patch(f"/api/v1/admin/users/{user}", json={"status": "disabled"})
    assert disabled.status_code == 200
    for client in (bearer, browser, script):
        assert client.get("/api/v1/customers").status_code == 401
    again = bearer.post(
        "/api/v1/auth/token", data={"username": "leaving", "password": USER_PASSWORD}
    )
    assert again.status_code == 401


def test_a_new_password_ends_every_session_and_token_of_the_user(api: Api) -> None:
    user = add_user(api.admin, "forgetful", api.department, "internal", "sales")
    bearer = TestClient(api.client.app)
    sign_in(bearer, "forgetful", USER_PASSWORD)
    personal = bearer.post("/api/v1/auth/tokens", json={"name": "script"}).json()["token"]
    script = TestClient(api.client.app, headers={"Authorization": f"Bearer {personal}"})
    bystander = TestClient(api.client.app)
    sign_in(bystander, "archivist", USER_PASSWORD)

    reset = api.admin.patch(f"/api/v1/admin/users/{user}", json={"password": "a new passphrase"})
    assert reset.status_code == 200
    for client in (bearer, script):
        assert client.get("/api/v1/customers").status_code == 401
    assert bystander.get("/api/v1/customers").status_code == 200
    sign_in(bearer, "forgetful", "a new passphrase")
    assert bearer.get("/api/v1/customers").status_code == 200


def test_a_lowered_clearance_holds_from_the_next_request_without_signing_out(api: Api) -> None:
    user = add_user(api.admin, "cleared", api.department, "secret", "sales")
    client = TestClient(api.client.app)
    sign_in(client, "cleared", USER_PASSWORD)
    secret = api.client.post(
        "/api/v1/customers", json={"name": "机密客户", "uscc": random_uscc(), "secrecy": "secret"}
    ).json()["id"]
    assert client.get(f"/api/v1/customers/{secret}").status_code == 200
    lowered = api.admin.patch(f"/api/v1/admin/users/{user}", json={"clearance": "internal"})
    assert lowered.status_code == 200
    assert client.get(f"/api/v1/customers/{secret}").status_code == 404
    assert client.get("/api/v1/customers").status_code == 200
