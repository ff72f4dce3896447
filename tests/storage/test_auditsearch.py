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
from storage.auditsearch import EventFilter, search
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
