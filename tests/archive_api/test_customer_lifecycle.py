"""A customer's lifecycle, who may see its record and history, and a license's fields taken
into the record through the same history."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select

from ingest.lifecycle import TRANSITIONS
from ingest.statement_schemas import LicenseFields
from ingest.tasks import finish
from storage.models import CustomerStatus, Extraction
from tests.archive_api.conftest import USER_PASSWORD, Api, Cast, add_user, sign_in
from tests.factories import fake_file, random_uscc


def _move(client: TestClient, url: str, status: str, reason: str = "复核结论") -> httpx.Response:
    response: httpx.Response = client.put(
        f"{url}/status", json={"status": status, "reason": reason}
    )
    return response


def _moved(client: TestClient, url: str, status: str) -> dict[str, Any]:
    response = _move(client, url, status)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == status
    found: dict[str, Any] = response.json()
    return found


def test_a_customer_moves_through_its_lifecycle_by_the_roles_the_table_names(
    api: Api, cast: Cast
) -> None:
    url = f"/api/v1/customers/{api.customer()}"
    credit = cast.add("credit", "credit_manager")
    head, director = cast["head"], cast["director"]
    # Each sees the moves open to them from where the customer stands.
    assert credit.get(url).json()["status_choices"] == ["active"]
    assert head.get(url).json()["status_choices"] == ["active", "terminated"]
    assert api.client.get(url).json()["status_choices"] == []  # archivists keep, not decide

    _moved(head, url, "active")
    _moved(credit, url, "under_review")
    _moved(credit, url, "blacklisted")
    # Lifting a blacklist is the marketing director's alone.
    refused = _move(credit, url, "under_review")
    assert (refused.status_code, refused.json()["reason"]) == (403, "status_role")
    assert "marketing_director" in refused.json()["detail"]
    assert _move(head, url, "under_review").status_code == 403
    _moved(director, url, "under_review")

    history = api.client.get(f"{url}/history").json()["items"]
    moves = [(h["changes"][0]["before"], h["changes"][0]["after"]) for h in reversed(history)]
    assert moves == [
        ("prospect", "active"),
        ("active", "under_review"),
        ("under_review", "blacklisted"),
        ("blacklisted", "under_review"),
    ]
    assert {h["kind"] for h in history} == {"status"}
    assert [h["changed_by_name"] for h in history][::-1] == ["head", "credit", "credit", "director"]
    assert all(h["reason"] == "复核结论" for h in history)


def test_a_move_the_lifecycle_lacks_is_a_conflict_naming_it(api: Api, cast: Cast) -> None:
    url = f"/api/v1/customers/{api.customer()}"
    director = cast["director"]
    for wanted in ("blacklisted", "suspended", "under_review", "prospect"):
        refused = _move(director, url, wanted)
        assert refused.status_code == 409, wanted
        assert refused.json()["reason"] == "status_transition"
        assert f"prospect → {wanted}" in refused.json()["detail"]
    assert "from prospect: active, terminated" in refused.json()["detail"]
    _moved(director, url, "terminated")
    # A terminated customer only reopens as a prospect (one file per code).
    assert _move(director, url, "active").status_code == 409
    _moved(cast["head"], url, "prospect")
    assert api.client.get(f"{url}/history").json()["total"] == 2


def test_a_move_needs_a_reason_and_a_known_status(api: Api, cast: Cast) -> None:
    url = f"/api/v1/customers/{api.customer()}"
    head = cast["head"]
    for body in ({"status": "active"}, {"status": "active", "reason": " "}):
        refused = head.put(f"{url}/status", json=body)
        assert refused.status_code == 422
        assert refused.json()["detail"].startswith("reason")
    unknown = head.put(f"{url}/status", json={"status": "dormant", "reason": "x"})
    assert (unknown.status_code, unknown.json()["detail"][:6]) == (422, "status")
    # Without the policy's right to change a status the door refuses before the lifecycle.
    for who in ("seller", "manager", "auditor"):
        assert _move(cast[who], url, "active").status_code == 403, who
    assert api.client.get(url).json()["status"] == "prospect"


def test_the_lifecycle_table_is_whole() -> None:
    # Every status is reached and left (but the terminated file only by reopening it), and
    # every move names a role that holds the policy's right to change a status.
    statuses = set(CustomerStatus)
    assert {to for _, to in TRANSITIONS} == statuses
    assert {start for start, _ in TRANSITIONS} == statuses
    deciders = {"credit_manager", "dept_head", "marketing_director"}
    assert all(roles and roles <= deciders for roles in TRANSITIONS.values())


def _outsiders(api: Api) -> dict[str, TestClient]:
    other = api.admin.post("/api/v1/admin/departments", json={"code": "b", "name": "B"}).json()
    found = {}
    for name, department, clearance, role in (
        ("other-head", other["id"], "secret", "dept_head"),
        ("other-credit", other["id"], "secret", "credit_manager"),
        ("low-head", api.department, "internal", "dept_head"),
    ):
        add_user(api.admin, name, department, clearance, role)
        found[name] = TestClient(api.client.app)
        sign_in(found[name], name, USER_PASSWORD)
    return found


def test_another_department_or_a_lower_clearance_finds_nothing(api: Api) -> None:
    created = api.client.post(
        "/api/v1/customers",
        json={"name": "机密客户", "uscc": random_uscc(), "secrecy": "confidential"},
    )
    url = f"/api/v1/customers/{created.json()['id']}"
    api.client.patch(url, json={"address": "某地", "reason": "补录"})
    absent = f"/api/v1/customers/{'0' * 8}-0000-4000-8000-{'0' * 12}"
    for name, client in _outsiders(api).items():
        for path in (url, absent):
            answers = [
                client.get(path),
                client.get(f"{path}/history"),
                client.patch(path, json={"address": "别处", "reason": "改"}),
                _move(client, path, "active"),
            ]
            # The same 404 as for a customer that does not exist: nothing tells them apart.
            assert [(r.status_code, r.json()) for r in answers] == [
                (404, {"error": "not_found", "detail": "no such customer"})
            ] * 4, (name, path)
        listed = client.get("/api/v1/customers").json()
        assert listed["total"] == 0, name
    assert api.client.get(url).json()["address"] == "某地"
    assert api.client.get(f"{url}/history").json()["total"] == 1


def test_customers_are_found_by_status(api: Api, cast: Cast) -> None:
    active, waiting = api.customer("甲公司"), api.customer("乙公司")
    _moved(cast["head"], f"/api/v1/customers/{active}", "active")
    for status, expected in (("active", [active]), ("prospect", [waiting])):
        page = api.client.get("/api/v1/customers", params={"status": status}).json()
        assert [c["id"] for c in page["items"]] == expected
        assert page["items"][0]["status"] == status
    assert api.client.get("/api/v1/customers", params={"status": "x"}).status_code == 422


def _license_read(api: Api, customer: str, fields: LicenseFields) -> str:
    """Upload a license and finish its reading as the reader would have: returns the job's id."""
    document = uuid.UUID(str(api.upload(customer, fake_file("pdf", 3000))["id"]))
    with api.backends.sessions() as session:
        job = session.scalars(
            select(Extraction).where(
                Extraction.document_id == document, Extraction.kind == "license"
            )
        ).one()
        finish(session, job, fields, api.backends.clock(), "confidential")
        session.commit()
        return str(job.id)


def test_a_license_s_fields_are_proposed_and_taken_through_the_history(
    api: Api, cast: Cast
) -> None:
    customer = api.customer("遵义电子有限公司")
    url = f"/api/v1/customers/{customer}"
    uscc = api.client.get(url).json()["uscc"]
    api.client.patch(url, json={"legal_representative": "李四", "reason": "补录"})
    read = LicenseFields(
        name="遵义电子科技有限公司",
        uscc=uscc,
        founded_on=date(2015, 3, 12),
        registered_capital=Decimal("10000000"),
        capital_currency="CNY",
        legal_representative="张三",
        address="贵州省遵义市汇川区上海路2号",
        valid_from=date(2015, 3, 12),
        indefinite=True,
    )
    job = _license_read(api, customer, read)
    credit = cast.add("credit", "credit_manager")
    [proposed] = [j for j in credit.get(f"{url}/extractions").json() if j["id"] == job]
    # Where the record holds another value; a field it leaves empty is new, not a mismatch.
    assert proposed["result"]["mismatches"] == ["name", "legal_representative"]
    assert proposed["result"]["fields"]["registered_capital"] == "10000000"

    accepted = credit.post(f"{url}/extractions/{job}/accept")
    assert accepted.status_code == 200, accepted.text
    record = api.client.get(url).json()
    assert (record["name"], record["legal_representative"]) == ("遵义电子科技有限公司", "张三")
    assert record["registered_capital"] == {"amount": "10000000.00", "currency": "CNY"}
    assert (record["founded_on"], record["address"]) == ("2015-03-12", read.address)
    newest = api.client.get(f"{url}/history").json()["items"][0]
    assert (newest["kind"], newest["reason"], newest["changed_by_name"]) == (
        "license",
        None,
        "credit",
    )
    assert newest["document_id"] is not None
    changed = {c["field"]: (c["before"], c["after"]) for c in newest["changes"]}
    assert changed["legal_representative"] == ("李四", "张三")
    assert changed["name"] == ("遵义电子有限公司", "遵义电子科技有限公司")
    assert set(changed) == {
        "name", "founded_on", "registered_capital", "legal_representative", "address",
    }  # fmt: skip


def test_a_license_read_with_a_future_founding_is_refused_and_nothing_is_taken(
    api: Api, cast: Cast
) -> None:
    customer = api.customer()
    url = f"/api/v1/customers/{customer}"
    misread = LicenseFields(name="贵州测试有限公司", founded_on=date(2095, 3, 12))
    job = _license_read(api, customer, misread)
    refused = cast.add("credit", "credit_manager").post(f"{url}/extractions/{job}/accept")
    assert refused.status_code == 422
    assert refused.json()["detail"].startswith("founded_on: in the future")
    assert api.client.get(url).json()["founded_on"] is None
    assert api.client.get(f"{url}/history").json()["total"] == 0
