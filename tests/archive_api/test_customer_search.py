"""Searching customers by department, custodian and grade, within what the caller may see."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from storage.db import unit_of_work
from storage.models import Rating
from tests.archive_api.conftest import USER_PASSWORD, Api, Cast, add_user, sign_in
from tests.factories import fake_file, license_image, random_uscc


def _open(client: TestClient, name: str, **fields: str) -> dict[str, Any]:
    response = client.post(
        "/api/v1/customers", json={"name": name, "uscc": random_uscc(), **fields}
    )
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    return made


def _found(client: TestClient, **params: str) -> tuple[set[str], int]:
    response = client.get("/api/v1/customers", params=params)
    assert response.status_code == 200, response.text
    page = response.json()
    return {c["id"] for c in page["items"]}, page["total"]


def _rate(
    api: Api, customer: str, grade: str, rated_by: str, days_ago: int, sources: tuple[str, ...] = ()
) -> None:
    # Saved ratings as the credit routes store them; only their grade and age matter here.
    made = datetime.now(UTC) - timedelta(days=days_ago)
    with unit_of_work(api.backends.sessions) as session:
        session.add(
            Rating(
                customer_id=uuid.UUID(customer),
                rated_by_id=uuid.UUID(rated_by),
                rated_on=made.date(),
                grade=grade,
                inputs={},
                result={},
                document_ids=list(sources),
                created_at=made,
            )
        )


def _department_b(api: Api) -> tuple[str, TestClient, str]:
    """Department B with its own archivist (signed in) and salesperson."""
    other = api.admin.post("/api/v1/admin/departments", json={"code": "b", "name": "销售二部"})
    department = str(other.json()["id"])
    add_user(api.admin, "archivist-b", department, "secret", "archivist")
    seller = add_user(api.admin, "seller-b", department, "secret", "sales", display_name="吴刚")
    client = TestClient(api.client.app)
    sign_in(client, "archivist-b", USER_PASSWORD)
    return department, client, seller


def test_names_of_department_and_custodian_come_with_each_customer(api: Api, cast: Cast) -> None:
    opened = _open(api.client, "遵义甲公司", custodian_id=cast.ids["seller"])
    assert opened["custodian_name"] == "seller"
    assert opened["department_name"] == "销售一部 Sales A"
    assert opened["grade"] is None
    read = api.client.get(f"/api/v1/customers/{opened['id']}").json()
    assert read == opened
    listed = api.client.get("/api/v1/customers", params={"q": "遵义甲"}).json()["items"]
    # A list shows what the file shows, but its master data, read only with the file.
    assert listed == [{key: opened[key] for key in listed[0]}]
    assert "legal_representative" not in listed[0]
    assert listed[0]["status"] == "prospect"


def test_the_department_filter_keeps_within_what_the_caller_sees(api: Api, cast: Cast) -> None:
    department_b, archivist_b, _ = _department_b(api)
    ours = _open(api.client, "六盘水甲公司")["id"]
    theirs = _open(archivist_b, "六盘水乙公司")["id"]
    director = cast["director"]  # company-wide: sees both departments
    assert _found(director, q="六盘水", department_id=api.department) == ({ours}, 1)
    assert _found(director, q="六盘水", department_id=department_b) == ({theirs}, 1)
    # Asking for B's customers from A finds none, and does not count them either.
    assert _found(api.client, department_id=department_b) == (set(), 0)
    assert _found(archivist_b, department_id=api.department) == (set(), 0)


def test_the_custodian_filter_keeps_within_what_the_caller_sees(api: Api, cast: Cast) -> None:
    _, archivist_b, seller_b = _department_b(api)
    kept = _open(api.client, "安顺甲公司", custodian_id=cast.ids["seller"])["id"]
    _open(api.client, "安顺乙公司")
    theirs = _open(archivist_b, "安顺丙公司", custodian_id=seller_b)["id"]
    assert _found(api.client, custodian_id=cast.ids["seller"]) == ({kept}, 1)
    assert _found(cast["director"], custodian_id=seller_b) == ({theirs}, 1)
    assert _found(api.client, custodian_id=seller_b) == (set(), 0)
    # The choices offered are the custodians of customers the caller sees.
    names = {p["display_name"] for p in api.client.get("/api/v1/customers/custodians").json()}
    assert names == {"seller", "archivist"}
    assert "吴刚" in {
        p["display_name"] for p in archivist_b.get("/api/v1/customers/custodians").json()
    }


def test_the_grade_is_the_latest_rating_and_only_for_who_reads_credit(api: Api, cast: Cast) -> None:
    credit = cast.add("credit", "credit_manager")
    rated = _open(api.client, "铜仁甲公司")["id"]
    other = _open(api.client, "铜仁乙公司")["id"]
    _rate(api, rated, "C", cast.ids["credit"], days_ago=200)
    _rate(api, rated, "AA", cast.ids["credit"], days_ago=1)
    _rate(api, other, "C", cast.ids["credit"], days_ago=3)
    assert _found(credit, grade="AA") == ({rated}, 1)
    assert _found(credit, grade="C") == ({other}, 1)  # an older grade no longer counts
    assert credit.get(f"/api/v1/customers/{rated}").json()["grade"] == "AA"
    # An archivist may see the customers but not their credit: no grade, and no match by it.
    assert api.client.get(f"/api/v1/customers/{rated}").json()["grade"] is None
    assert _found(api.client, grade="AA") == (set(), 0)


def test_a_grade_drawn_on_documents_the_caller_may_not_see_is_not_shown(
    api: Api, cast: Cast
) -> None:
    cleared = cast.add("credit", "credit_manager", "secret")
    lower = cast.add("credit-low", "credit_manager", "confidential")
    customer = _open(api.client, "黔东南甲公司")["id"]
    secret = api.upload(customer, fake_file("pdf", 3000), secrecy="secret")
    _rate(api, customer, "AA", cast.ids["credit"], days_ago=30)
    _rate(api, customer, "BBB", cast.ids["credit"], days_ago=1, sources=(str(secret["id"]),))
    assert cleared.get(f"/api/v1/customers/{customer}").json()["grade"] == "BBB"
    assert _found(cleared, grade="BBB") == ({customer}, 1)
    # The latest rating drew on a secret statement: the lower-cleared manager sees the one
    # before it (as profile.rating_history shows ratings), and cannot find the customer by BBB.
    assert lower.get(f"/api/v1/customers/{customer}").json()["grade"] == "AA"
    assert _found(lower, grade="BBB") == (set(), 0)
    assert _found(lower, grade="AA") == ({customer}, 1)


def test_a_grade_filter_never_reveals_another_departments_customer(api: Api, cast: Cast) -> None:
    _, archivist_b, _ = _department_b(api)
    theirs = _open(archivist_b, "毕节乙公司")["id"]
    _rate(api, theirs, "AAA", cast.ids["head"], days_ago=1)
    head = cast["head"]  # reads credit, but only in department A
    assert _found(head, grade="AAA") == (set(), 0)
    assert _found(cast["director"], grade="AAA") == ({theirs}, 1)


def test_departments_offered_are_those_seen_or_open_to_the_caller(api: Api, cast: Cast) -> None:
    department_b, archivist_b, _ = _department_b(api)
    ours = api.client.get("/api/v1/customers/departments").json()
    assert [(d["id"], d["may_open"]) for d in ours] == [(api.department, True)]
    everywhere = {
        d["id"]: d["may_open"] for d in cast["director"].get("/api/v1/customers/departments").json()
    }
    assert everywhere == {api.department: False, department_b: False}
    assert [d["id"] for d in archivist_b.get("/api/v1/customers/departments").json()] == [
        department_b
    ]


def test_a_documents_extraction_state_is_shown_to_who_reads_the_document(
    api: Api, cast: Cast
) -> None:
    customer = api.customer("黔南甲公司")
    image, _ = license_image("黔南甲公司", random_uscc())
    scan = io.BytesIO()
    image.save(scan, "PNG", dpi=(300, 300))
    response = api.client.post(
        f"/api/v1/customers/{customer}/documents",
        data={"doc_type": "business_license", "title": "营业执照"},
        files={"file": ("license.png", scan.getvalue(), "image/png")},
    )
    assert response.status_code == 201, response.text
    document = response.json()["id"]
    states = cast["seller"].get(f"/api/v1/documents/{document}/extractions").json()
    assert [(s["kind"], s["status"], s["version"]) for s in states] == [("license", "pending", 1)]
    assert "result" not in states[0]  # what was read is credit data, not shown here
    _, archivist_b, _ = _department_b(api)
    assert archivist_b.get(f"/api/v1/documents/{document}/extractions").status_code == 404
