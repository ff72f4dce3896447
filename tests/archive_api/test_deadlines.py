"""Upkeep deadlines on a fixed clock: raised once by the daily round to the custodian and the
department head, e-mailed through a real SMTP server, escalated weekly while overdue, resolved
when the file is brought up to date, and seen only by who may see the customer."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import Message
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from archive_api.postman import LOCK as POSTMAN_LOCK
from archive_api.postman import Postman
from storage.db import unit_of_work
from storage.models import AuditEvent, AuditPending
from tests.archive_api.conftest import USER_PASSWORD, Api, Cast, add_user, sign_in
from tests.factories import fake_file
from tests.servers import smtp_server

NAME = "贵州到期测试有限公司"  # must never leave the archive by e-mail
START = datetime(2026, 6, 14, 23, 45, tzinfo=UTC)  # 15 June 2026 in Beijing


def _on(api: Api, days: int) -> None:
    moment = START + timedelta(days=days)
    api.backends.clock = lambda: moment


@pytest.fixture
def inbox(api: Api) -> Iterator[list[Message]]:
    """A real SMTP server on loopback the archive sends through; what it received."""
    with smtp_server() as (port, received):
        api.backends.settings.smtp_host, api.backends.settings.smtp_port = "127.0.0.1", port
        yield received


def _mail(api: Api, cast: Cast) -> None:
    for name, address in (("head", "head@example.cn"), ("archivist", "keeper@example.cn")):
        user = cast.ids.get(name) or _id(api.client)
        response = api.admin.patch(f"/api/v1/admin/users/{user}", json={"email": address})
        assert response.status_code == 200, response.text


def _id(client: TestClient) -> str:
    return str(client.get("/api/v1/auth/me").json()["id"])


def _notices(client: TestClient) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = client.get("/api/v1/notifications").json()
    return [n for n in found if n["kind"].startswith("deadline_")]


def _deadlines(client: TestClient, customer: str) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/customers/{customer}/deadlines")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def _mine(client: TestClient) -> list[dict[str, Any]]:
    response = client.get("/api/v1/deadlines/mine")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def _events(api: Api) -> list[dict[str, Any]]:
    with unit_of_work(api.backends.sessions) as session:
        bodies = [json.loads(b) for b in session.scalars(select(AuditPending.body))]
        bodies += [json.loads(b) for b in session.scalars(select(AuditEvent.body))]
    return sorted(bodies, key=lambda e: str(e["at"]))


def _text(mail: Message) -> str:
    payload = mail.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return f"{mail['Subject']}\n{payload.decode()}"


def test_a_license_expiring_in_20_days_is_raised_once_mailed_once_and_escalated_weekly(
    api: Api, cast: Cast, inbox: list[Message]
) -> None:
    _on(api, 0)
    _mail(api, cast)
    customer = api.customer(NAME)
    api.upload(customer, fake_file("pdf", 2000), issued_on="2016-07-06", expires_on="2026-07-05")
    postman = Postman(api.backends)

    assert postman.keep_deadlines() == 1
    assert postman.run_once() == (0, 2)
    for client in (api.client, cast["head"]):
        [notice] = _notices(client)
        assert notice["kind"] == "deadline_raised"
        assert "2026-07-05" in notice["subject"]
        assert notice["deadline_id"]
    assert _notices(cast["seller"]) == []  # neither custodian nor head
    [shown] = _deadlines(api.client, customer)
    assert shown | {"id": None, "reference": None} == {
        "id": None, "reference": None, "customer_id": customer, "customer_name": NAME,
        "kind": "license_expiry", "year": None, "due_on": "2026-07-05", "overdue": False,
        "raised_on": "2026-06-15", "notified_on": "2026-06-15", "notices": 1,
        "contract_id": None, "contract_number": None, "document_id": None,
    }  # fmt: skip
    assert shown["reference"] in notice["subject"]
    assert _mine(api.client) == _mine(cast["head"]) == [shown]
    assert _mine(cast["seller"]) == []
    assert sorted(m["To"] for m in inbox) == ["head@example.cn", "keeper@example.cn"]
    for mail in inbox:
        # E-mail leaves the archive: the kind and the day, never the customer.
        assert "2026-07-05" in _text(mail)
        assert NAME not in _text(mail)
        assert "到期测试" not in _text(mail)

    # The round again, the same day or the next: nothing new raised, nothing mailed again.
    assert postman.keep_deadlines() == 0
    _on(api, 1)
    assert postman.keep_deadlines() == 0
    assert postman.run_once() == (0, 0)
    assert len(_notices(api.client)) == 1
    assert len(inbox) == 2

    # Overdue from 6 July: announced again, then only once a week while unresolved.
    _on(api, 21)
    assert postman.keep_deadlines() == 1
    assert postman.run_once() == (0, 2)
    _on(api, 27)
    assert postman.keep_deadlines() == 0
    _on(api, 28)
    assert postman.keep_deadlines() == 1
    assert postman.run_once() == (0, 2)
    kinds = [n["kind"] for n in _notices(cast["head"])]
    assert kinds == ["deadline_overdue", "deadline_overdue", "deadline_raised"]
    assert all(NAME not in _text(m) for m in inbox)

    # A new license filed resolves it: no more escalation.
    api.upload(customer, fake_file("pdf", 2000), issued_on="2026-07-10", expires_on="2046-07-09")
    _on(api, 35)
    assert postman.keep_deadlines() == 0
    _on(api, 42)
    assert postman.keep_deadlines() == 0
    assert len(_notices(api.client)) == 3
    assert _deadlines(api.client, customer) == []
    assert _mine(cast["head"]) == []
    # The round's every change is recorded: whom each notice went to, and the resolution.
    round_actions = ("customer:deadline:raise", "customer:deadline:resolve")
    changes = [e for e in _events(api) if e["action"] in round_actions]
    assert [(e["action"], e["occasion"]) for e in changes] == [
        ("customer:deadline:raise", "raised"),
        ("customer:deadline:raise", "overdue"),
        ("customer:deadline:raise", "overdue"),
        ("customer:deadline:resolve", "resolved"),
    ]
    people = {cast.ids["head"], _id(api.client)}
    assert all(set(e["notified"]) == people for e in changes[:3])


def test_statements_due_by_the_completeness_rules_are_a_deadline_only_their_department_sees(
    api: Api, cast: Cast
) -> None:
    _on(api, 0)
    customer = api.customer(NAME)
    moved = cast["head"].put(
        f"/api/v1/customers/{customer}/status", json={"status": "active", "reason": "合作开始"}
    )
    assert moved.status_code == 200, moved.text
    postman = Postman(api.backends)
    assert postman.keep_deadlines() == 1

    # The year the completeness rules ask for, due when they say: 2025's, by 30 April 2026.
    completeness = api.client.get(f"/api/v1/customers/{customer}/completeness").json()
    missing = [i for i in completeness["items"] if i["year"] == 2025]
    assert [(i["state"], i["due_on"]) for i in missing] == [("missing", "2026-04-30")]
    [due] = _deadlines(cast["head"], customer)
    assert (due["kind"], due["year"], due["due_on"], due["overdue"]) == (
        "statement_due", 2025, "2026-04-30", True
    )  # fmt: skip
    assert [n["kind"] for n in _notices(cast["head"])] == ["deadline_raised"]
    assert [d["id"] for d in _mine(api.client)] == [due["id"]]

    # Another department's archivist and head: the same 404 as no customer, nothing listed.
    other, keeper = api.archivist_elsewhere()
    add_user(api.admin, "head-b", other, "secret", "dept_head")
    head_b = TestClient(api.client.app)
    sign_in(head_b, "head-b", USER_PASSWORD)
    for outsider in (keeper, head_b):
        hidden = outsider.get(f"/api/v1/customers/{customer}/deadlines")
        absent = outsider.get(f"/api/v1/customers/{uuid.uuid4()}/deadlines")
        assert (hidden.status_code, hidden.json()) == (404, absent.json())
        assert _mine(outsider) == []
        assert _notices(outsider) == []

    # The statements filed: resolved at the next day's round, gone from both lists.
    api.upload(customer, fake_file("pdf", 2000), doc_type="financial_statement",
               issued_on="2026-05-20")  # fmt: skip
    _on(api, 1)
    assert postman.keep_deadlines() == 0
    assert _deadlines(api.client, customer) == []
    assert _mine(cast["head"]) == []
    bodies = _events(api)
    reads = [e for e in bodies if e["action"] == "customer:deadline:read"]
    assert {e["outcome"] for e in reads} >= {"success"}
    assert any(e["action"] == "customer:deadline:search" for e in bodies)


@pytest.mark.parametrize("settings", ["production"], indirect=True)
def test_a_second_postman_does_nothing_while_another_process_does_the_round(
    api: Api, cast: Cast, inbox: list[Message]
) -> None:
    """Replicas and workers each run a postman: the one that takes the round raises and mails,
    the others neither raise nor mail the same deadline again."""
    _on(api, 0)
    _mail(api, cast)
    customer = api.customer(NAME)
    api.upload(customer, fake_file("pdf", 2000), issued_on="2016-07-06", expires_on="2026-07-05")
    elsewhere = api.backends.sessions()  # another process's postman, in the middle of its round
    elsewhere.execute(select(func.pg_advisory_xact_lock(POSTMAN_LOCK)))
    try:
        assert Postman(api.backends).keep_deadlines() == 0
        assert Postman(api.backends).run_once() == (0, 0)
        assert _deadlines(api.client, customer) == []
    finally:
        elsewhere.rollback()
        elsewhere.close()
    first, second = Postman(api.backends), Postman(api.backends)
    assert first.keep_deadlines() == 1
    assert second.keep_deadlines() == 0
    assert first.run_once() == (0, 2)
    assert second.run_once() == (0, 0)
    assert sorted(m["To"] for m in inbox) == ["head@example.cn", "keeper@example.cn"]
