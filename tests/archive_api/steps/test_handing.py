"""The handover steps (access.handing), called directly: each checks, acts and records once."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from access import handing
from access.errors import Forbidden, Hidden
from access.handover import HandoverConflict, InvalidHandover
from access.handover_schemas import HandoverCreate
from storage.auditnames import Action
from storage.models import Customer, HandoverStatus
from tests.archive_api.conftest import Api, Cast, add_user
from tests.archive_api.steps.conftest import acting
from tests.factories import random_uscc

DOOR = {"effect": "allow", "rule": "the door's rule"}


def _actions(events: list[dict[str, Any]]) -> list[str]:
    return [e["action"] for e in events]


def _opened(api: Api, cast: Cast) -> uuid.UUID:
    """The head opens the seller's handover to the heir (the seller keeps one customer)."""
    cast.add("heir", "sales")
    made = cast["seller"].post(
        "/api/v1/customers", json={"name": "遵义某公司", "uscc": random_uscc()}
    )
    assert made.status_code == 201, made.text
    data = HandoverCreate(
        employee_id=uuid.UUID(cast.ids["seller"]),
        successor_id=uuid.UUID(cast.ids["heir"]),
        planned_on=date.today(),
    )
    with acting(api, "head") as (session, policy, actor):
        return handing.open(session, actor, policy, data, api.backends.clock()).id


def test_open_then_three_confirmations_complete_the_handover_each_step_recording_once(
    api: Api, cast: Cast, events: list[dict[str, Any]]
) -> None:
    handover_id = _opened(api, cast)
    opened = [e for e in events if e["action"] == Action.HANDOVER_OPEN]
    assert len(opened) == 1
    assert opened[0]["actor"]["username"] == "head"
    assert opened[0]["decision"]["effect"] == "allow"
    assert opened[0]["decision"]["rule"]
    assert opened[0]["target"]["employee"] == cast.ids["seller"]
    for name, last in (("head", False), ("archivist", False), ("heir", True)):
        events.clear()
        with acting(api, name) as (session, policy, actor):
            handover = handing.confirm(
                session, actor, policy, handover_id, None, api.backends.clock()
            )
            status = handover.status
        done = [Action.HANDOVER_COMPLETE] if last else []
        assert _actions(events) == [Action.HANDOVER_CONFIRM, *done], name
        assert status == (HandoverStatus.completed if last else HandoverStatus.open)
    assert events[1]["customers"]  # the completion names the customers passed on
    with acting(api, "heir") as (session, _, _):
        held = session.query(Customer).filter_by(custodian_id=uuid.UUID(cast.ids["heir"])).count()
    assert held == 1


def test_refused_steps_record_nothing_themselves(
    api: Api, cast: Cast, events: list[dict[str, Any]]
) -> None:
    handover_id = _opened(api, cast)
    elsewhere = api.admin.post(
        "/api/v1/admin/departments", json={"code": "sales-b", "name": "销售二部"}
    ).json()["id"]
    add_user(api.admin, "outsider", elsewhere, "secret", "dept_head")
    now = api.backends.clock()
    events.clear()
    # Wrong person: the employee confirms nothing; a colleague who is no party never sees it.
    with pytest.raises(Forbidden), acting(api, "seller") as (session, policy, actor):
        handing.confirm(session, actor, policy, handover_id, None, now)
    with pytest.raises(Hidden), acting(api, "manager") as (session, policy, actor):
        handing.read(session, actor, policy, handover_id)
    # Other department: even its head does not learn the handover exists.
    with pytest.raises(Hidden), acting(api, "outsider") as (session, policy, actor):
        handing.cancel(session, actor, policy, handover_id, "不走了")
    with pytest.raises(Forbidden), acting(api, "seller") as (session, policy, actor):
        handing.cancel(session, actor, policy, handover_id, "不走了")
    with pytest.raises(InvalidHandover), acting(api, "head") as (session, policy, actor):
        handing.cancel(session, actor, policy, handover_id, None)
    assert events == []

    with acting(api, "head") as (session, policy, actor):
        assert (
            handing.cancel(session, actor, policy, handover_id, "留任 stays").status == "cancelled"
        )
    assert _actions(events) == [Action.HANDOVER_CANCEL]
    assert events[0]["reason"] == "留任 stays"
    events.clear()
    # Wrong state: a cancelled handover takes no confirmation.
    with pytest.raises(HandoverConflict), acting(api, "archivist") as (session, policy, actor):
        handing.confirm(session, actor, policy, handover_id, None, now)
    assert events == []


def test_reading_listing_and_printing_record_one_event_each(
    api: Api, cast: Cast, events: list[dict[str, Any]]
) -> None:
    handover_id = _opened(api, cast)
    now = api.backends.clock()
    events.clear()
    with acting(api, "heir") as (session, policy, actor):
        assert handing.read(session, actor, policy, handover_id).id == handover_id
    with acting(api, "head") as (session, policy, actor):
        found, total = handing.search(session, actor, policy, HandoverStatus.open, 10, 0)
    assert ([h.id for h in found], total) == ([handover_id], 1)
    with acting(api, "head") as (session, policy, actor):
        _, pdf = handing.print_record(
            session, actor, policy, handover_id, now, api.backends.rules.zone
        )
    assert pdf.startswith(b"%PDF")
    assert _actions(events) == [Action.HANDOVER_READ, Action.HANDOVER_SEARCH, Action.HANDOVER_PRINT]
    assert events[1]["filter"] == {"status": "open", "limit": "10", "offset": "0"}
    assert events[1]["results"] == 1


def test_a_custodian_change_records_the_doors_decision_and_refuses_a_stranger(
    api: Api, cast: Cast, events: list[dict[str, Any]]
) -> None:
    cast.add("heir", "sales")
    made = cast["seller"].post(
        "/api/v1/customers", json={"name": "安顺某公司", "uscc": random_uscc()}
    )
    customer_id = uuid.UUID(made.json()["id"])
    elsewhere = api.admin.post(
        "/api/v1/admin/departments", json={"code": "sales-b", "name": "销售二部"}
    ).json()["id"]
    stranger = uuid.UUID(add_user(api.admin, "outsider", elsewhere, "secret", "sales"))
    events.clear()
    with acting(api, "head") as (session, _, actor):
        customer = session.get_one(Customer, customer_id)
        with pytest.raises(InvalidHandover):
            handing.reassign(session, actor, customer, stranger, "调岗", DOOR)
    assert events == []
    heir = uuid.UUID(cast.ids["heir"])
    with acting(api, "head") as (session, _, actor):
        customer = session.get_one(Customer, customer_id)
        assert handing.reassign(session, actor, customer, heir, "调岗", DOOR).custodian_id == heir
    assert _actions(events) == [Action.CUSTODIAN_REASSIGN]
    assert events[0]["decision"] == DOOR
    assert events[0]["custodian_from"] == cast.ids["seller"]
    assert events[0]["custodian_to"] == str(heir)


def test_whom_a_head_may_name_is_recorded_with_the_filter_and_refused_to_others(
    api: Api, cast: Cast, events: list[dict[str, Any]]
) -> None:
    elsewhere = api.admin.post(
        "/api/v1/admin/departments", json={"code": "sales-b", "name": "销售二部"}
    ).json()["id"]
    stranger = uuid.UUID(add_user(api.admin, "outsider", elsewhere, "secret", "sales"))
    seller = uuid.UUID(cast.ids["seller"])
    events.clear()
    with acting(api, "head") as (session, policy, actor):
        leaving, total = handing.people(session, actor, policy, None, "sell", (10, 0))
        heirs, _ = handing.people(session, actor, policy, seller, None, (10, 0))
    assert ([u.username for u in leaving], total) == (["seller"], 1)
    assert "seller" not in [u.username for u in heirs]  # nobody succeeds themselves
    assert "head" in [u.username for u in heirs]
    assert _actions(events) == [Action.HANDOVER_PEOPLE] * 2
    assert events[0]["filter"] == {"q": "sell", "limit": "10", "offset": "0"}
    assert events[0]["results"] == 1
    assert events[1]["filter"]["employee_id"] == str(seller)
    assert "seller" not in str(events[1])  # the names found are never in it
    events.clear()
    # Who opens no handover is refused; another department's employee is not known to exist.
    with pytest.raises(Forbidden), acting(api, "seller") as (session, policy, actor):
        handing.people(session, actor, policy, None, None, (10, 0))
    with pytest.raises(Hidden), acting(api, "head") as (session, policy, actor):
        handing.people(session, actor, policy, stranger, None, (10, 0))
    assert events == []
