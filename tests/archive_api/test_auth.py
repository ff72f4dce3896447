"""Signing in, and every route refusing anonymous callers."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import update

from archive_api.app import create_app
from archive_api.backends import connect
from archive_api.cli import server_config
from archive_api.config import Settings
from storage.db import unit_of_work
from storage.models import User, UserStatus
from tests.archive_api.conftest import ADMIN_PASSWORD, Api, embedded_settings, every_operation


def _routes(api: Api) -> list[tuple[str, str]]:
    sign_in = {("POST", "/api/v1/auth/token"), ("POST", "/api/v1/auth/session")}
    return [route for route in every_operation(api.client) if route not in sign_in]


def test_every_route_refuses_anonymous_requests(api: Api) -> None:
    routes = _routes(api)
    assert len(routes) >= 8
    anonymous = TestClient(api.client.app)
    for method, url in routes:
        assert "{" not in url, url
        response = anonymous.request(method, url)
        assert response.status_code == 401, (method, url)
        assert response.json()["error"] == "unauthenticated"


def test_wrong_password_and_unknown_user_get_the_same_answer(api: Api) -> None:
    wrong = api.client.post("/api/v1/auth/token", data={"username": "admin", "password": "nope"})
    unknown = api.client.post("/api/v1/auth/token", data={"username": "ghost", "password": "x"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_a_forged_token_is_refused(api: Api) -> None:
    response = api.client.get("/api/v1/customers", headers={"Authorization": "Bearer dgn_forged"})
    assert response.status_code == 401


def test_a_disabled_user_is_refused_on_the_next_request(api: Api) -> None:
    assert api.client.get("/api/v1/customers").status_code == 200
    with unit_of_work(api.backends.sessions) as session:
        session.execute(update(User).values(status=UserStatus.disabled))
    assert api.client.get("/api/v1/customers").status_code == 401
    login = api.client.post(
        "/api/v1/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD}
    )
    assert login.status_code == 401


def test_token_response_is_an_oauth2_bearer_token(api: Api) -> None:
    response = TestClient(create_app(api.backends)).post(
        "/api/v1/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD}
    )
    body = response.json()
    assert response.status_code == 200
    assert body["token_type"] == "bearer"
    assert body["access_token"].startswith("dgn_")
    assert body["expires_in"] > 0


def _guesses_from_loopback(settings: Settings, spoofed: list[str]) -> list[int]:
    # The app as `dangan serve` hands it to uvicorn, called from 127.0.0.1 like a local proxy.
    backends = connect(settings)
    try:
        config = server_config(create_app(backends), backends.settings, "127.0.0.1", 8000)
        config.load()
        client = TestClient(config.loaded_app, client=("127.0.0.1", 40000))
        return [
            client.post(
                "/api/v1/auth/token",
                data={"username": "admin", "password": "wrong"},
                headers={"X-Forwarded-For": address},
            ).status_code
            for address in spoofed
        ]
    finally:
        backends.close()


def test_x_forwarded_for_is_believed_only_from_configured_proxies(tmp_path: Path) -> None:
    spoofed = ["203.0.113.1", "203.0.113.2", "203.0.113.3"]
    limits = {"login_max_failures_per_address": 2, "login_max_failures_per_user": 100}
    default = embedded_settings(tmp_path / "default").model_copy(update=limits)
    assert default.trusted_proxy_list() == []
    # Every guess counts against the real address, whatever address it claims.
    assert _guesses_from_loopback(default, spoofed) == [401, 401, 429]
    trusting = default.model_copy(
        update={"data_dir": tmp_path / "trusting", "trusted_proxies": "127.0.0.1, 10.0.0.0/8"}
    )
    assert trusting.trusted_proxy_list() == ["127.0.0.1", "10.0.0.0/8"]
    # Behind a configured proxy, each client is counted under the address the proxy gives.
    assert _guesses_from_loopback(trusting, spoofed) == [401, 401, 401]
