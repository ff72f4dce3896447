"""The auditors' search step (storage.auditsearch), called directly."""

from __future__ import annotations

import json
import uuid

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage import auditlog
from storage.auditevent import Actor, record
from storage.auditnames import Action
from storage.auditsearch import EventFilter, quarantined, search
from storage.models import AuditPending

AUDITOR = Actor(id=str(uuid.uuid4()), username="auditor", roles=("auditor@*",))


def test_a_search_finds_by_customer_and_records_its_own_reading(engine: Engine) -> None:
    ours, other = uuid.uuid4(), uuid.uuid4()
    with Session(engine) as session:
        for customer in (ours, other, ours):
            target = {"customer": str(customer)}
            record(session, Actor.local("test"), Action.CONTENT_READ, "success", target)
        session.commit()
    with Session(engine) as session:
        auditlog.sequence(session)
        session.commit()
    with Session(engine) as session:
        wanted = EventFilter(customer_id=ours, action=Action.CONTENT_READ)
        found, total = search(session, AUDITOR, wanted, 1, 0, {"effect": "allow"})
        session.commit()
        waiting = session.scalars(sa.select(AuditPending.body)).all()
    assert total == 2
    assert len(found) == 1  # the page asked for
    assert found[0].event is not None
    assert found[0].event["target"]["customer"] == str(ours)
    (reading,) = [json.loads(body) for body in waiting]
    assert reading["action"] == Action.AUDIT_READ
    assert reading["results"] == 2
    assert reading["target"] == {"customer": str(ours)}
    assert reading["filter"]["action"] == Action.CONTENT_READ
    assert "events" not in reading  # the rows found are never in the event


def test_the_quarantined_events_are_listed_with_why_and_the_reading_recorded(
    engine: Engine,
) -> None:
    with Session(engine) as session:
        session.execute(sa.insert(AuditPending), [{"body": b"\xff not json"}])
        record(session, Actor.local("test"), Action.CONTENT_READ, "success")
        session.commit()
    with Session(engine) as session:
        auditlog.sequence(session)
        session.commit()
    with Session(engine) as session:
        found, total = quarantined(session, AUDITOR, 10, 0, {"effect": "allow"})
        later, _ = quarantined(session, AUDITOR, 10, 1, {"effect": "allow"})
        session.commit()
        waiting = session.scalars(sa.select(AuditPending.body).order_by(AuditPending.id)).all()
    assert [(q.position, q.reason) for q in found] == [(1, "not JSON")]
    assert (total, later) == (1, [])  # only the odd one, and a page past it is empty
    readings = [json.loads(body) for body in waiting]
    assert [r["action"] for r in readings] == [Action.QUARANTINE_READ] * 2
    assert [(r["results"], r["filter"]["offset"]) for r in readings] == [(1, "0"), (1, "1")]
    assert readings[0]["actor"]["username"] == "auditor"
