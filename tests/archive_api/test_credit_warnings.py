"""Early warnings across customers: only where the credit profile may be read, as it would be."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.archive_api.conftest import USER_PASSWORD, Api, Cast, add_user, sign_in
from tests.factories import fake_file, random_uscc


def _customer(client: Any, name: str, secrecy: str = "internal") -> str:
    made = client.post(
        "/api/v1/customers", json={"name": name, "uscc": random_uscc(), "secrecy": secrecy}
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _license(client: Any, customer: str, expires_on: date, secrecy: str | None = None) -> None:
    fields = {"doc_type": "business_license", "title": "营业执照", "expires_on": str(expires_on)}
    if secrecy:
        fields["secrecy"] = secrecy
    sent = client.post(
        f"/api/v1/customers/{customer}/documents",
        data=fields,
        files={"file": ("l.pdf", fake_file("pdf", 3000), "application/pdf")},
    )
    assert sent.status_code == 201, sent.text


def _warned(client: Any, query: str = "") -> list[tuple[str, str]]:
    page = client.get(f"/api/v1/warnings{query}")
    assert page.status_code == 200, page.text
    return [(w["customer_name"], w["code"]) for w in page.json()["items"]]


def test_warnings_follow_custody_secrecy_and_department(api: Api, cast: Cast) -> None:
    credit = cast.add("credit", "credit_manager", "confidential")
    seller, head = cast["seller"], cast["head"]
    today = date.today()
    expired = _customer(seller, "A 过期公司")
    _license(seller, expired, today - timedelta(days=3))
    expiring = _customer(seller, "B 将到期公司", "confidential")
    _license(seller, expiring, today + timedelta(days=10))
    hidden = _customer(seller, "C 机密公司", "secret")
    _license(seller, hidden, today - timedelta(days=1))
    secret_license = _customer(seller, "D 内部公司")
    _license(api.client, secret_license, today - timedelta(days=1), secrecy="secret")
    _customer(seller, "E 无执照公司")

    # Everything the head may rate, by customer name; the credit manager not above clearance.
    assert _warned(head, "?scope=all") == [
        ("A 过期公司", "license_expired"),
        ("B 将到期公司", "license_expiring"),
        ("C 机密公司", "license_expired"),
        ("D 内部公司", "license_expired"),
    ]
    assert _warned(credit, "?scope=all") == [
        ("A 过期公司", "license_expired"),
        ("B 将到期公司", "license_expiring"),
    ]
    page = head.get("/api/v1/warnings?scope=all&limit=2&offset=1").json()
    assert ([w["customer_name"] for w in page["items"]], page["total"]) == (
        ["B 将到期公司", "C 机密公司"],
        4,
    )
    first = page["items"][0]
    assert first["customer_id"] == expiring
    assert "expires" in first["message_en"]
    assert "营业执照" in first["message_zh"]

    # Custody: only my own customers; a salesperson reads no credit profile, so no warnings.
    assert _warned(credit) == []
    assert _warned(head) == []
    moved = head.put(
        f"/api/v1/customers/{expired}/custodian",
        json={"custodian_id": cast.ids["credit"], "reason": "转交 reassigned"},
    )
    assert moved.status_code == 200, moved.text
    assert _warned(credit) == [("A 过期公司", "license_expired")]
    assert _warned(seller, "?scope=all") == []
    assert _warned(seller) == []

    # Another department's credit manager learns of none of them.
    other = api.admin.post(
        "/api/v1/admin/departments", json={"code": "sales-b", "name": "销售二部"}
    ).json()["id"]
    add_user(api.admin, "credit-b", other, "secret", "credit_manager")
    with TestClient(api.client.app) as outsider:
        sign_in(outsider, "credit-b", USER_PASSWORD)
        assert _warned(outsider, "?scope=all") == []
    assert cast["auditor"].get("/api/v1/warnings?scope=all").json()["total"] == 0
