"""`/metrics`: requests under their route templates, bytes, extraction outcomes; only for the
bearer of the metrics token, and never a name, title or id in a label."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from archive_api.app import create_app
from archive_api.backends import Backends
from tests.archive_api.conftest import Api, extract_all
from tests.factories import fake_file, sample_pdf

TOKEN = "metrics-token-for-the-tests"
SCRAPER = {"Authorization": f"Bearer {TOKEN}"}
CUSTOMER_NAME = "遵义度量科技有限公司"
TITLE = "度量标题 METRICS-TITLE"


@pytest.fixture
def metered(api: Api) -> Api:
    """The archivist's API with the metrics token set."""
    api.backends.settings = api.backends.settings.model_copy(
        update={"metrics_token": SecretStr(TOKEN)}
    )
    return api


def _samples(client: TestClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    answer = client.get("/metrics", headers=SCRAPER)
    assert answer.status_code == 200, answer.text
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def _value(
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_metrics_are_off_without_a_token_and_refused_without_the_right_one(
    backends: Backends,
) -> None:
    with TestClient(create_app(backends)) as anonymous:
        assert anonymous.get("/metrics").status_code == 404
        backends.settings = backends.settings.model_copy(update={"metrics_token": SecretStr(TOKEN)})
        assert anonymous.get("/metrics").status_code == 401
        wrong = {"Authorization": "Bearer not-the-metrics-token"}
        assert anonymous.get("/metrics", headers=wrong).status_code == 401
        assert anonymous.get("/metrics", headers=SCRAPER).status_code == 200


def test_a_request_is_counted_under_its_route_template_never_its_ids_or_names(
    metered: Api,
) -> None:
    api = metered
    customer = api.customer(CUSTOMER_NAME)
    template = "/api/v1/customers/{customer_id}"
    before = _samples(api.client)
    assert api.client.get(f"/api/v1/customers/{customer}").status_code == 200
    missing = "00000000-0000-4000-8000-000000000000"
    assert api.client.get(f"/api/v1/customers/{missing}").status_code == 404
    after = _samples(api.client)
    for status in ("200", "404"):
        counted = _value(
            after, "dangan_http_requests_total", method="GET", route=template, status=status
        )
        assert (
            counted
            - _value(
                before, "dangan_http_requests_total", method="GET", route=template, status=status
            )
            == 1
        )
    timed = _value(
        after, "dangan_http_request_duration_seconds_count", method="GET", route=template
    )
    assert (
        timed
        - _value(before, "dangan_http_request_duration_seconds_count", method="GET", route=template)
        == 2
    )
    text = api.client.get("/metrics", headers=SCRAPER).text
    for secret in (customer, missing, CUSTOMER_NAME):
        assert secret not in text


def test_uploaded_and_downloaded_bytes_and_extraction_outcomes_are_counted(metered: Api) -> None:
    api = metered
    customer = api.customer()
    upload_route = "/api/v1/customers/{customer_id}/documents"
    content_route = "/api/v1/documents/{document_id}/content"
    before = _samples(api.client)
    content = fake_file("pdf", 200_000)
    document = api.upload(customer, content, doc_type="other", title=TITLE)
    assert len(api.client.get(f"/api/v1/documents/{document['id']}/content").content) == len(
        content
    )
    api.upload(customer, sample_pdf(), doc_type="business_license", title="营业执照")
    assert extract_all(api) == 1
    after = _samples(api.client)

    def grew(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert grew("dangan_http_request_body_bytes_total", route=upload_route) > len(content)
    assert grew("dangan_http_response_body_bytes_total", route=content_route) == len(content)
    outcomes = sum(
        grew("dangan_extractions_total", kind="license", outcome=o) for o in ("read", "failed")
    )
    assert outcomes == 1
    text = api.client.get("/metrics", headers=SCRAPER).text
    assert TITLE not in text
    assert str(document["id"]) not in text
    assert "dangan_audit_pending_events" in text
