"""Every response is kept out of caches, frames and content sniffing."""

from __future__ import annotations

import httpx
from fastapi.testclient import TestClient

from tests.archive_api.conftest import Api, every_operation
from tests.factories import fake_file

API_POLICY = "default-src 'none'; frame-ancestors 'none'"


def _guarded(response: httpx.Response, what: object) -> None:
    headers = response.headers
    assert headers.get("x-content-type-options") == "nosniff", what
    assert headers.get("cache-control") == "no-store", what
    assert headers.get("referrer-policy") == "no-referrer", what
    assert headers.get("x-frame-options") == "DENY", what
    assert "frame-ancestors 'none'" in headers.get("content-security-policy", ""), what


def test_every_operation_answers_with_the_security_headers(api: Api) -> None:
    operations = every_operation(api.client)
    assert len(operations) >= 40
    anonymous = TestClient(api.client.app)
    for method, url in operations:
        _guarded(anonymous.request(method, url), (method, url))
        if method == "GET":
            response = api.client.get(url)
            _guarded(response, (method, url, response.status_code))
            assert response.headers["content-security-policy"].startswith(API_POLICY)


def test_document_content_is_never_cached(api: Api) -> None:
    customer = api.customer()
    document = api.upload(customer, fake_file("pdf", 4000))
    for url in (f"/api/v1/documents/{document['id']}/content", f"/api/v1/customers/{customer}"):
        response = api.client.get(url)
        assert response.status_code == 200
        _guarded(response, url)
    invalid = api.client.get("/api/v1/customers", params={"limit": 0})
    assert invalid.status_code == 422
    _guarded(invalid, "validation error")


def test_an_unexpected_error_is_guarded_too(api: Api) -> None:
    def fail() -> None:
        raise RuntimeError("a bug")

    api.client.app.router.add_api_route("/api/v1/fail", fail)  # type: ignore[attr-defined]
    response = TestClient(api.client.app, raise_server_exceptions=False).get("/api/v1/fail")
    assert (response.status_code, response.json()["error"]) == (500, "internal_error")
    _guarded(response, "500")
