"""Handover (交接) as its users live it: an employee leaves, nothing is lost, nothing is kept."""

from __future__ import annotations

import hashlib
import io
from datetime import date, timedelta
from typing import Any

import pdfplumber
from fastapi.testclient import TestClient
from sqlalchemy import update

from storage import fixity
from storage.auditlog import canonical
from storage.db import unit_of_work
from storage.models import User, UserStatus
from tests.archive_api.conftest import Api, Cast, add_user, ask
from tests.factories import fake_file, random_uscc, sample_pdf

CUSTOMERS = [
    "贵州甲有限公司",
    "贵州乙有限公司",
    "贵州丙有限公司",
    "贵州丁有限公司",
    "贵州戊有限公司",
]
PLACE = {"cabinet": "B-1", "shelf": "3", "box": "9"}


def _upload(client: TestClient, customer: str, content: bytes, title: str) -> str:
    response = client.post(
        f"/api/v1/customers/{customer}/documents",
        data={"doc_type": "contract", "title": title},
        files={"file": ("c.pdf", content, "application/pdf")},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _approved(cast: Cast, borrowing: dict[str, Any]) -> str:
    url = f"/api/v1/borrowings/{borrowing['id']}"
    assert cast["head"].post(f"{url}/approve").json()["status"] == "approved"
    return url


def _handover(cast: Cast, employee: str, successor: str, **extra: Any) -> Any:
    body = {
        "employee_id": cast.ids[employee],
        "successor_id": cast.ids[successor],
        "planned_on": date.today().isoformat(),
        **extra,
    }
    return cast["head"].post("/api/v1/handovers", json=body)


def test_an_employee_with_five_customers_leaves_and_the_successor_takes_over_everything(
    api: Api, cast: Cast
) -> None:
    heir = cast.add("heir", "sales", "confidential")
    seller, head, archivist = cast["seller"], cast["head"], api.client
    customers = []
    for name in CUSTOMERS:
        made = seller.post("/api/v1/customers", json={"name": name, "uscc": random_uscc()})
        assert made.json()["custodian_id"] == cast.ids["seller"]
        customers.append(made.json()["id"])
    draft = {"title": "年度供货合同", "counterparty": "贵阳对方有限公司", "status": "draft"}
    made = seller.post(f"/api/v1/customers/{customers[3]}/contracts", json=draft)
    assert made.status_code == 201, made.text
    contract = made.json()
    assert contract["custodian_id"] == cast.ids["seller"]
    license_id = _upload(seller, customers[0], sample_pdf(), "营业执照")
    paper_id = _upload(seller, customers[1], fake_file("pdf", 4000), "购销合同 正本")
    unfiled_id = _upload(seller, customers[2], fake_file("pdf", 5000), "补充协议")
    assert archivist.post(f"/api/v1/documents/{license_id}/file").json()["filed_at"]
    assert archivist.put(f"/api/v1/documents/{paper_id}/original", json=PLACE).json()["filed_at"]

    # Two open borrowings (one out, one awaiting approval) and a paper original out.
    viewing = _approved(cast, ask(seller, license_id, customers[0]).json())
    waiting = ask(seller, unfiled_id, customers[2], mode="download").json()
    paper = _approved(cast, ask(seller, paper_id, customers[1], mode="physical").json())
    assert archivist.post(f"{paper}/hand-out").status_code == 200
    script = seller.post("/api/v1/auth/tokens", json={"name": "scanner"}).json()["token"]
    scanner = TestClient(api.client.app, headers={"Authorization": f"Bearer {script}"})

    # The department head opens the handover; everyone involved is told.
    opened = _handover(cast, "seller", "heir")
    assert opened.status_code == 201, opened.text
    handover = opened.json()
    url = f"/api/v1/handovers/{handover['id']}"
    items = handover["inventory"]
    assert sorted(c["label"] for c in items["customers"]) == sorted(CUSTOMERS)
    assert [(c["id"], c["detail"]) for c in items["contracts"]] == [(contract["id"], "draft")]
    assert [d["id"] for d in items["unfiled_documents"]] == [unfiled_id]
    assert {b["id"] for b in items["open_borrowings"]} == {viewing.rsplit("/", 1)[1], waiting["id"]}
    assert [(o["id"], o["detail"].split(" · ")[1]) for o in items["originals_out"]] == [
        (paper_id, "B-1/3/9")
    ]
    assert "scanner" in [t["label"] for t in items["tokens"]]
    assert handover["open_items"] == ["2 open borrowings", "1 paper originals out"]
    assert handover["awaiting"] == ["dept_head", "archivist", "successor"]
    for name in ("seller", "heir", "archivist"):
        kinds = [n["kind"] for n in cast[name].get("/api/v1/notifications").json()]
        assert "handover_opened" in kinds

    # While leaving: no new borrowing, and nobody may confirm before everything is back.
    leaving = ask(seller, license_id, customers[0])
    assert leaving.status_code == 409
    assert "handover" in leaving.json()["detail"]
    early = heir.post(f"{url}/confirm")
    assert early.status_code == 409
    assert "2 open borrowings and 1 paper originals out" in early.json()["detail"]
    assert seller.post(f"{url}/confirm").status_code == 403  # never the employee

    # Everything comes back: returned, force-closed by the archive, checked in.
    assert seller.post(f"{viewing}/return").json()["status"] == "returned"
    no_reason = archivist.post(f"/api/v1/borrowings/{waiting['id']}/revoke", json={})
    assert no_reason.status_code == 422
    closed = archivist.post(
        f"/api/v1/borrowings/{waiting['id']}/revoke", json={"reason": "员工离职 leaving"}
    )
    assert closed.json()["status"] == "revoked"
    still = heir.post(f"{url}/confirm")
    assert still.status_code == 409
    assert "1 paper originals out" in still.json()["detail"]
    assert archivist.post(f"{paper}/return").json()["status"] == "returned"

    # Three confirmations, by three different people; the last one completes it.
    assert heir.post(f"{url}/confirm").json()["awaiting"] == ["dept_head", "archivist"]
    assert heir.post(f"{url}/confirm").status_code == 403  # once each
    assert head.post(f"{url}/confirm").json()["awaiting"] == ["archivist"]
    done = archivist.post(f"{url}/confirm")
    assert done.status_code == 200, done.text
    record = done.json()
    assert (record["status"], record["awaiting"]) == ("completed", [])
    frozen = record["inventory"]
    assert record["inventory_sha256"] == hashlib.sha256(canonical(frozen)).hexdigest()
    assert (frozen["open_borrowings"], frozen["originals_out"]) == ([], [])

    # The successor is custodian of all five; the employee's every credential fails at once.
    for customer in customers:
        assert heir.get(f"/api/v1/customers/{customer}").json()["custodian_id"] == cast.ids["heir"]
    # And of the contract, whose hand-over deadlines now go to them.
    taken = heir.get(f"/api/v1/contracts/{contract['id']}").json()
    assert taken["custodian_id"] == cast.ids["heir"]
    assert seller.get("/api/v1/customers").status_code == 401
    assert scanner.get("/api/v1/customers").status_code == 401
    users = {u["username"]: u for u in api.admin.get("/api/v1/admin/users").json()["items"]}
    assert users["seller"]["status"] == "departed"
    assert heir.post(f"{url}/confirm").status_code == 409  # nothing left to confirm
    with unit_of_work(api.backends.sessions) as session:
        report = fixity.check(session, api.backends.store, timedelta(days=1))
    assert report.unattended == []

    # The printable record lists everything and the three confirmations.
    pdf = heir.get(f"{url}/record.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(pdf.content)) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    listed = [*CUSTOMERS, contract["number"], "补充协议", record["number"]]
    for expected in [*listed, record["inventory_sha256"]]:
        assert expected in text.replace("\n", ""), expected
    for capacity in ("Department head", "Archivist", "Successor"):
        assert capacity in text
    assert "DRAFT" not in text

    # Each step is in the audit log.
    events = cast["auditor"].get("/api/v1/audit/events?limit=1000").json()["items"]
    seen = [(e["event"]["action"], e["event"]["outcome"]) for e in events]
    for step in [
        ("handover:record:open", "success"),
        ("handover:record:confirm", "denied"),
        ("handover:record:confirm", "success"),
        ("handover:record:complete", "success"),
        ("handover:record:print", "success"),
        ("borrowing:request:create", "denied"),
        ("borrowing:grant:revoke", "success"),
        ("borrowing:file:return", "success"),
    ]:
        assert step in seen, step
    completed = next(e["event"] for e in events if e["event"]["action"].endswith(":complete"))
    assert completed["inventory_sha256"] == record["inventory_sha256"]
    assert sorted(completed["customers"]) == sorted(customers)


def test_a_paper_original_that_does_not_come_back_is_marked_missing_and_raises_an_incident(
    api: Api, cast: Cast
) -> None:
    cast.add("heir", "sales")
    seller, archivist = cast["seller"], api.client
    customer = seller.post(
        "/api/v1/customers", json={"name": "遵义某公司", "uscc": random_uscc()}
    ).json()["id"]
    paper_id = _upload(seller, customer, fake_file("pdf", 4000), "担保函 正本")
    archivist.put(f"/api/v1/documents/{paper_id}/original", json=PLACE)
    paper = _approved(cast, ask(seller, paper_id, customer, mode="physical").json())
    url = _handover(cast, "seller", "heir").json()["id"]
    url = f"/api/v1/handovers/{url}"

    # Only paper that is out can go missing, only an archivist says so, and with a reason.
    assert archivist.post(f"{paper}/missing", json={"reason": "x"}).status_code == 409
    archivist.post(f"{paper}/hand-out")
    assert seller.post(f"{paper}/missing", json={"reason": "丢了"}).status_code == 403
    assert archivist.post(f"{paper}/missing", json={}).status_code == 422
    missing = archivist.post(f"{paper}/missing", json={"reason": "离职未归还 not returned"})
    assert missing.status_code == 200, missing.text
    [incident] = missing.json()
    assert incident["document_id"] == paper_id
    assert cast["seller"].get(paper).json()["status"] == "lost"
    kinds = [n["kind"] for n in archivist.get("/api/v1/notifications").json()]
    assert "original_missing" in kinds
    listed = archivist.get("/api/v1/incidents").json()
    assert [i["id"] for i in listed["items"]] == [incident["id"]]
    assert listed["items"][0]["borrowing_number"] == cast["seller"].get(paper).json()["number"]
    assert cast["seller"].get("/api/v1/incidents").status_code == 403

    # The loan no longer holds up the handover; the original is not lent while missing.
    assert cast["heir"].get(url).json()["open_items"] == []
    assert cast["heir"].post(f"{url}/confirm").status_code == 200
    again = ask(cast["manager"], paper_id, customer, mode="physical")
    assert again.status_code == 422
    assert "missing" in again.json()["detail"]

    # Found again: the archivist resolves the incident with a note.
    resolved = archivist.post(
        f"/api/v1/incidents/{incident['id']}/resolve", json={"reason": "在档案室找到 found"}
    )
    assert resolved.json()["resolved_at"] is not None
    assert archivist.get("/api/v1/incidents").json()["items"] == []
    assert archivist.get("/api/v1/incidents?open_only=false").json()["total"] == 1


def test_no_customer_is_ever_left_without_an_active_custodian(api: Api, cast: Cast) -> None:
    cast.add("heir", "sales", "internal")
    seller = cast["seller"]
    customer = seller.post(
        "/api/v1/customers",
        json={"name": "凯里某公司", "uscc": random_uscc(), "secrecy": "confidential"},
    ).json()["id"]
    seller_url = f"/api/v1/admin/users/{cast.ids['seller']}"

    # Not through the admin API: departures need a handover, a custodian cannot be disabled.
    departed = api.admin.patch(seller_url, json={"status": "departed"})
    assert departed.status_code == 409
    assert "handover" in departed.json()["detail"]
    disabled = api.admin.patch(seller_url, json={"status": "disabled"})
    assert disabled.status_code == 409
    assert "custodian of 1 customers" in disabled.json()["detail"]

    # Not by a successor who could not see the file, nor by handing it to someone inactive.
    low = _handover(cast, "seller", "heir")
    assert low.status_code == 422
    assert "clearance internal is below the secrecy of 1 customers" in low.json()["detail"]
    custodian = f"/api/v1/customers/{customer}/custodian"
    change = {"custodian_id": cast.ids["heir"], "reason": "调岗 reassigned"}
    assert cast["head"].put(custodian, json=change).status_code == 422
    api.admin.patch(f"/api/v1/admin/users/{cast.ids['heir']}", json={"status": "disabled"})
    api.admin.patch(
        f"/api/v1/admin/users/{cast.ids['heir']}", json={"status": "active", "clearance": "secret"}
    )
    api.admin.patch(f"/api/v1/admin/users/{cast.ids['heir']}", json={"status": "disabled"})
    inactive = cast["head"].put(custodian, json=change)
    assert inactive.status_code == 422
    assert "not an active user" in inactive.json()["detail"]

    # A department head passes one customer to an active colleague; it is audited.
    change["custodian_id"] = cast.ids["manager"]
    assert seller.put(custodian, json=change).status_code == 403
    moved = cast["head"].put(custodian, json=change)
    assert moved.status_code == 200, moved.text
    assert moved.json()["custodian_id"] == cast.ids["manager"]
    reassigned = "action=customer:custodian:reassign&outcome=success"
    events = cast["auditor"].get(f"/api/v1/audit/events?{reassigned}")
    [event] = [e["event"] for e in events.json()["items"]]
    assert (event["custodian_from"], event["custodian_to"]) == (
        cast.ids["seller"],
        cast.ids["manager"],
    )
    assert api.admin.patch(seller_url, json={"status": "disabled"}).status_code == 200

    # The safety net sees through to the database: it reports what the API never allows.
    with unit_of_work(api.backends.sessions) as session:
        assert fixity.check(session, api.backends.store, timedelta(days=1)).unattended == []
        session.execute(
            update(User).where(User.username == "manager").values(status=UserStatus.disabled)
        )
    with unit_of_work(api.backends.sessions) as session:
        report = fixity.check(session, api.backends.store, timedelta(days=1))
    assert report.unattended == [f"{customer} (custodian disabled)"]
    assert not report.healthy


def test_who_may_open_see_and_cancel_a_handover(api: Api, cast: Cast) -> None:
    cast.add("heir", "sales")
    other_department = api.admin.post(
        "/api/v1/admin/departments", json={"code": "sales-b", "name": "销售二部 Sales B"}
    ).json()["id"]
    outsider = add_user(api.admin, "outsider", other_department, "secret", "sales")
    cast.ids["outsider"] = outsider

    assert cast["seller"].post(
        "/api/v1/handovers",
        json={"employee_id": cast.ids["manager"], "successor_id": cast.ids["heir"],
              "planned_on": "2026-12-31"},
    ).status_code == 403  # fmt: skip
    other = _handover(cast, "seller", "outsider")
    assert other.status_code == 422
    assert "not in the employee's department" in other.json()["detail"]
    crossing = _handover(cast, "seller", "outsider", cross_department=True)
    assert crossing.status_code == 403  # only an admin crosses departments
    body = {
        "employee_id": cast.ids["seller"],
        "successor_id": outsider,
        "planned_on": "2026-12-31",
        "cross_department": True,
    }
    by_admin = api.admin.post("/api/v1/handovers", json=body)
    assert by_admin.status_code == 201, by_admin.text
    assert by_admin.json()["cross_department"] is True
    twice = _handover(cast, "seller", "heir")
    assert twice.status_code == 409
    url = f"/api/v1/handovers/{by_admin.json()['id']}"

    # Parties see it; colleagues who are not do not learn it exists.
    assert cast["seller"].get(url).status_code == 200
    assert cast["head"].get(url).status_code == 200
    assert cast["manager"].get(url).status_code == 404
    listed = cast["head"].get("/api/v1/handovers?status=open").json()
    assert [h["id"] for h in listed["items"]] == [by_admin.json()["id"]]
    assert listed["total"] == 1
    assert cast["manager"].get("/api/v1/handovers").json()["items"] == []

    # An unfinished record prints as a draft; a cancelled handover takes no confirmation.
    draft = cast["head"].get(f"{url}/record.pdf")
    with pdfplumber.open(io.BytesIO(draft.content)) as document:
        assert "DRAFT" in (document.pages[0].extract_text() or "")
    assert cast["seller"].post(f"{url}/cancel", json={"reason": "留任"}).status_code == 403
    cancelled = cast["head"].post(f"{url}/cancel", json={"reason": "留任 stays"})
    assert cancelled.json()["status"] == "cancelled"
    assert cast["head"].post(f"{url}/confirm").status_code == 409
    # The employee who stays may borrow again.
    customer = (
        cast["seller"]
        .post("/api/v1/customers", json={"name": "都匀某公司", "uscc": random_uscc()})
        .json()["id"]
    )
    license_id = _upload(cast["seller"], customer, fake_file("pdf", 3000), "营业执照")
    assert ask(cast["seller"], license_id, customer).status_code == 201
