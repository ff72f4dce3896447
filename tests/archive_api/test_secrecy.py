"""Secrecy levels: documents default to their customer's, raising and lowering are controlled."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.archive_api.conftest import USER_PASSWORD, Api, add_user, sign_in
from tests.factories import fake_file, random_uscc


def _upload(client: TestClient, customer: str, **fields: str) -> tuple[int, dict[str, str]]:
    response = client.post(
        f"/api/v1/customers/{customer}/documents",
        data={"doc_type": "contract", "title": "合同", **fields},
        files={"file": ("c.pdf", fake_file("pdf", 4000), "application/pdf")},
    )
    body: dict[str, str] = response.json()
    return response.status_code, body


def test_documents_take_the_customers_level_and_only_archivists_raise_it(api: Api) -> None:
    customer = api.client.post(
        "/api/v1/customers",
        json={"name": "重要客户", "uscc": random_uscc(), "secrecy": "confidential"},
    ).json()["id"]
    status, document = _upload(api.client, customer)
    assert (status, document["secrecy"]) == (201, "confidential")

    add_user(api.admin, "sales-li", api.department, "secret", "sales")
    sales = TestClient(api.client.app)
    sign_in(sales, "sales-li", USER_PASSWORD)
    status, body = _upload(sales, customer, secrecy="secret")
    assert (status, body["error"]) == (403, "forbidden")
    status, _ = _upload(sales, customer, secrecy="confidential")
    assert status == 201
    status, raised = _upload(api.client, customer, secrecy="secret")
    assert (status, raised["secrecy"]) == (201, "secret")
    # The refused upload left nothing behind: three documents, not four.
    listed = api.client.get(f"/api/v1/documents?customer_id={customer}").json()
    assert listed["total"] == 3


def test_lowering_needs_a_reason_and_nobody_files_above_their_clearance(api: Api) -> None:
    customer = api.customer()
    _, document = _upload(api.client, customer, secrecy="secret")
    url = f"/api/v1/documents/{document['id']}/secrecy"
    refused = api.client.patch(url, json={"secrecy": "internal"})
    assert refused.status_code == 422
    assert "reason" in refused.json()["detail"]
    lowered = api.client.patch(url, json={"secrecy": "internal", "reason": "已公开披露"})
    assert (lowered.status_code, lowered.json()["secrecy"]) == (200, "internal")

    add_user(api.admin, "archivist-low", api.department, "internal", "archivist")
    low = TestClient(api.client.app)
    sign_in(low, "archivist-low", USER_PASSWORD)
    raised = low.patch(url, json={"secrecy": "confidential"})
    assert (raised.status_code, raised.json()["detail"]) == (403, "secrecy: above your clearance")


def test_internal_clearance_never_sees_a_confidential_document(api: Api) -> None:
    customer = api.customer()
    _, shown = _upload(api.client, customer, secrecy="internal", title="合同 公开部分")
    _, hidden = _upload(api.client, customer, secrecy="confidential", title="合同 保密部分")
    add_user(api.admin, "internal-sales", api.department, "internal", "sales")
    sales = TestClient(api.client.app)
    sign_in(sales, "internal-sales", USER_PASSWORD)
    for query in ({}, {"q": "合同"}, {"customer_id": customer}, {"secrecy": "confidential"}):
        page = sales.get("/api/v1/documents", params=query).json()
        ids = {item["id"] for item in page["items"]}
        assert hidden["id"] not in ids
        assert page["total"] == len(ids)
    assert shown["id"] in {i["id"] for i in sales.get("/api/v1/documents").json()["items"]}
    for path in ("", "/content"):
        assert sales.get(f"/api/v1/documents/{hidden['id']}{path}").status_code == 404
