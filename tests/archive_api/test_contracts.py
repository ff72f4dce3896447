"""The contract ledger: numbers from the department's pattern, documents joined by number,
edits kept with their reason, the ledger filtered and paged, and nothing told to who may not
see the customer."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.archive_api.conftest import USER_PASSWORD, Api, Cast, add_user, audit_events, sign_in
from tests.factories import fake_file

TODAY = datetime(2026, 6, 15, 4, 0, tzinfo=UTC)  # 15 June 2026 in Beijing


@pytest.fixture
def keeper(api: Api, cast: Cast) -> TestClient:
    """The department's credit (contract) manager, on a fixed clock."""
    api.backends.clock = lambda: TODAY
    return cast.add("keeper", "credit_manager")


def contract(client: TestClient, customer: str, **fields: Any) -> dict[str, Any]:
    """Open a contract of the customer; fails on anything but 201."""
    body = {"title": "年度供货合同", "counterparty": "贵州测试有限公司", **fields}
    response = client.post(f"/api/v1/customers/{customer}/contracts", json=body)
    assert response.status_code == 201, response.text
    found: dict[str, Any] = response.json()
    return found


def test_contracts_are_numbered_in_their_departments_pattern_with_their_documents(
    api: Api, keeper: TestClient
) -> None:
    customer = api.customer()
    # Filed before the ledger knew the contract, under a number typed by hand.
    typed = api.upload(customer, fake_file("pdf", 2000), doc_type="contract", title="合同正本",
                       contract_no="HT-旧-1")  # fmt: skip
    first = contract(keeper, customer, status="signed", signed_on="2026-06-01", amount="120000.5",
                     document_ids=[typed["id"]])  # fmt: skip
    assert first["number"] == "XS1-2026-0001"  # sales-a's pattern (ingest/policy/contracts.toml)
    assert (first["amount"], first["currency"], first["kind"]) == ("120000.50", "CNY", "original")
    assert [d["id"] for d in first["documents"]] == [typed["id"]]
    # The document now carries the contract's number: a hold on it covers the document.
    assert (
        api.client.get(f"/api/v1/documents/{typed['id']}").json()["contract_no"] == "XS1-2026-0001"
    )
    second = contract(keeper, customer)  # a draft: numbered in this year's sequence
    assert (second["number"], second["status"], second["handovers"]) == (
        "XS1-2026-0002",
        "draft",
        [],
    )
    # A document filed later with the contract's number belongs to it.
    later = api.upload(customer, fake_file("pdf", 2100), doc_type="correspondence", title="往来函",
                       contract_no="XS1-2026-0001")  # fmt: skip
    shown = keeper.get(f"/api/v1/contracts/{first['id']}").json()
    assert [d["id"] for d in shown["documents"]] == [typed["id"], later["id"]]
    assert [h["kind"] for h in shown["history"]] == ["link", "create"]
    # Another department's sequence, and the default pattern for a department not configured.
    other, archivist_b = api.archivist_elsewhere()
    theirs = archivist_b.post("/api/v1/customers", json={"name": "乙公司", "uscc": _uscc()}).json()
    add_user(api.admin, "keeper-b", other, "secret", "credit_manager")
    keeper_b = TestClient(api.client.app)
    sign_in(keeper_b, "keeper-b", USER_PASSWORD)
    assert contract(keeper_b, theirs["id"], signed_on="2025-12-30", status="signed")["number"] == (
        "XS2-2025-0001"
    )
    plain = api.admin.post("/api/v1/admin/departments", json={"code": "legal", "name": "法务部"})
    add_user(api.admin, "keeper-c", plain.json()["id"], "secret", "credit_manager", "archivist")
    keeper_c = TestClient(api.client.app)
    sign_in(keeper_c, "keeper-c", USER_PASSWORD)
    theirs = keeper_c.post("/api/v1/customers", json={"name": "丙公司", "uscc": _uscc()}).json()
    assert contract(keeper_c, theirs["id"])["number"] == "LEGAL-2026-0001"


def test_an_edit_needs_a_reason_and_is_kept_with_it(api: Api, keeper: TestClient) -> None:
    customer = api.customer()
    made = contract(keeper, customer, amount="5000")
    url = f"/api/v1/contracts/{made['id']}"
    missing = keeper.patch(url, json={"amount": "6000"})
    assert missing.status_code == 422
    assert "reason" in missing.text
    nothing = keeper.patch(url, json={"reason": "核对"})
    assert nothing.status_code == 422
    assert "at least one field" in nothing.text
    unsigned = keeper.patch(url, json={"status": "signed", "reason": "已签"})
    assert unsigned.status_code == 422
    assert "signed_on" in unsigned.text
    future = keeper.patch(url, json={"status": "signed", "signed_on": "2026-07-01", "reason": "签"})
    assert future.status_code == 422
    assert "future" in future.text
    backwards = keeper.patch(url, json={"term_start": "2026-06-01", "term_end": "2026-05-01",
                                        "reason": "期限"})  # fmt: skip
    assert backwards.status_code == 422
    assert "term_end" in backwards.text
    changed = keeper.patch(
        url, json={"status": "signed", "signed_on": "2026-06-10", "amount": "6000.00",
                   "reason": "签订 signed"},
    )  # fmt: skip
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["status"], body["amount"], body["number"]) == ("signed", "6000.00", made["number"])
    edit = body["history"][0]
    assert (edit["kind"], edit["reason"], edit["changed_by_name"]) == (
        "edit",
        "签订 signed",
        "keeper",
    )
    assert {c["field"]: (c["before"], c["after"]) for c in edit["changes"]} == {
        "status": ("draft", "signed"), "signed_on": (None, "2026-06-10"),
        "amount": ("5000.00", "6000.00"),
    }  # fmt: skip
    # The audit event names the fields and the reason, never the amount.
    [event] = [e for e in audit_events(api.backends) if e["action"] == "contract:record:update"]
    assert (event["fields"], event["reason"]) == (["amount", "signed_on", "status"], "签订 signed")
    assert "6000" not in str(event)
    # A company-wide credit manager cannot keep the file: the file's custodian keeps it.
    add_user(api.admin, "keeper-all", None, "secret", "credit_manager", company_wide=True)
    company = TestClient(api.client.app)
    sign_in(company, "keeper-all", USER_PASSWORD)
    assert contract(company, customer)["custodian_name"] == "archivist"
    # A seller may open contracts but not change the ledger.
    seller = TestClient(api.client.app)
    sign_in(seller, "seller", USER_PASSWORD)
    refused = seller.patch(url, json={"amount": "1", "reason": "改"})
    assert refused.status_code == 403


def test_the_ledger_is_filtered_and_paged(api: Api, keeper: TestClient) -> None:
    customer = api.customer()
    first = contract(keeper, customer, counterparty="遵义甲方有限公司", status="signed",
                     signed_on="2026-01-15", amount="100.00")  # fmt: skip
    second = contract(keeper, customer, counterparty="遵义乙方有限公司", status="performing",
                      signed_on="2026-03-01", amount="2500.00", currency="USD")  # fmt: skip
    third = contract(keeper, customer, counterparty="贵阳丙方有限公司", kind="amendment",
                     amends_id=first["id"], status="signed", signed_on="2026-05-20",
                     amount="90000.00")  # fmt: skip
    draft = contract(keeper, customer, counterparty="遵义丁方_有限公司")

    def numbers(**query: Any) -> list[str]:
        response = keeper.get("/api/v1/contracts", params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        assert page["total"] >= len(page["items"])
        return [c["number"] for c in page["items"]]

    assert numbers(counterparty="遵义") == [draft["number"], second["number"], first["number"]]
    assert numbers(counterparty="_") == [draft["number"]]  # typed as is, not a wildcard
    assert numbers(number="0003") == [third["number"]]
    assert numbers(status="signed") == [third["number"], first["number"]]
    assert numbers(kind="amendment") == [third["number"]]
    assert numbers(signed_from="2026-02-01", signed_to="2026-05-31") == [
        third["number"], second["number"]]  # fmt: skip
    assert numbers(amount_min="100", amount_max="2500") == [second["number"], first["number"]]
    assert numbers(currency="USD") == [second["number"]]
    paged = keeper.get("/api/v1/contracts", params={"limit": 3, "offset": 3}).json()
    assert (paged["total"], [c["number"] for c in paged["items"]]) == (4, [first["number"]])
    bad = keeper.get(
        "/api/v1/contracts", params={"signed_from": "2026-05-01", "signed_to": "2026-01-01"}
    )
    assert bad.status_code == 422
    assert "signed_to" in bad.text
    unknown = keeper.get("/api/v1/contracts", params={"status": "lost"})
    assert unknown.status_code == 422
    # An amendment names a contract of the same customer.
    wrong = keeper.post(f"/api/v1/customers/{customer}/contracts", json={
        "title": "变更", "counterparty": "甲", "kind": "amendment"})  # fmt: skip
    assert wrong.status_code == 422
    assert "amends_id" in wrong.text
    search = [e for e in audit_events(api.backends) if e["action"] == "contract:record:search"]
    assert any(e["filter"].get("counterparty") == "遵义" for e in search)


def test_other_departments_and_lower_clearances_are_told_nothing(
    api: Api, keeper: TestClient
) -> None:
    shown = api.customer()
    secret = api.client.post(
        "/api/v1/customers", json={"name": "绝密客户", "uscc": _uscc(), "secrecy": "secret"}
    ).json()["id"]
    hidden = contract(keeper, secret, counterparty="绝密对方 TOPSECRET", status="signed",
                      signed_on="2026-06-01", amount="777.00")  # fmt: skip
    seen = contract(keeper, shown, status="signed", signed_on="2026-06-02", amount="10.00")
    low = TestClient(api.client.app)
    add_user(api.admin, "low-keeper", api.department, "internal", "credit_manager", "dept_head")
    sign_in(low, "low-keeper", USER_PASSWORD)
    _, outsider = api.archivist_elsewhere()
    add_user(api.admin, "head-b", _department(api, "sales-b"), "secret", "dept_head")
    head_b = TestClient(api.client.app)
    sign_in(head_b, "head-b", USER_PASSWORD)
    absent = keeper.get(f"/api/v1/contracts/{uuid.uuid4()}").json()
    for who, hidden_ids in ((low, [hidden["id"]]), (outsider, [hidden["id"], seen["id"]]),
                            (head_b, [hidden["id"], seen["id"]])):  # fmt: skip
        for contract_id in hidden_ids:
            url = f"/api/v1/contracts/{contract_id}"
            for response in (who.get(url), who.patch(url, json={"amount": "1", "reason": "改"}),
                             who.post(f"{url}/documents", json={"document_ids": [str(uuid.uuid4())],
                                                                "reason": "x"})):  # fmt: skip
                assert (response.status_code, response.json()) == (404, absent), response.text
        listed = who.get("/api/v1/contracts").json()
        assert not {c["id"] for c in listed["items"]} & set(hidden_ids)
        assert listed["total"] == len(listed["items"])  # nothing hidden is counted
        text = who.get("/api/v1/contracts/statistics", params={"year": 2026, "half": 1}).text
        assert "777" not in text
        assert "TOPSECRET" not in text
    assert [c["id"] for c in low.get("/api/v1/contracts").json()["items"]] == [seen["id"]]
    # A refusal is recorded against the file that was tried, not told to the caller.
    refusals = [e for e in audit_events(api.backends)
                if e["action"] == "contract:record:read" and e["outcome"] != "success"]  # fmt: skip
    assert {e["target"]["contract"] for e in refusals} == {hidden["id"], seen["id"]}


def _uscc() -> str:
    from tests.factories import random_uscc

    return random_uscc()


def _department(api: Api, code: str) -> str:
    listed = api.admin.get("/api/v1/admin/departments").json()
    items = listed["items"] if isinstance(listed, dict) else listed
    return str(next(d["id"] for d in items if d["code"] == code))
