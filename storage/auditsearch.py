"""The auditors' reading of the chained log: steps that find events, or the quarantined ones,
and record the reading.

Invariants: an event is shown only if its index columns (what the filters chose by, which the
chain does not cover) agree with its hashed body, so a row edited to match a filter is refused;
each reading is itself recorded, naming the filter and the number found, never the rows.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.auditevent import Actor, record_search
from storage.auditindex import index
from storage.auditnames import Action
from storage.errors import IntegrityError
from storage.models import AuditEvent, AuditQuarantine, Customer, User


@dataclass(frozen=True)
class EventFilter:
    """What an auditor asks for; unset fields do not filter."""

    since: datetime | None = None
    until: datetime | None = None
    actor_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None
    document_id: uuid.UUID | None = None
    action: str | None = None
    outcome: str | None = None


@dataclass(frozen=True)
class Found:
    """One chained event as an auditor reads it, with today's names of its actor and customer."""

    position: int
    chain: str
    event: dict[str, Any] | None  # None when the hashed body is not a JSON object
    quarantined: str | None
    actor_name: str | None
    customer_name: str | None


def search(
    session: Session,
    actor: Actor,
    wanted: EventFilter,
    limit: int,
    offset: int,
    decision: dict[str, Any],
) -> tuple[list[Found], int]:
    """Chained events matching every filter, oldest first, and how many there are."""
    where = []
    if wanted.since is not None:
        where.append(AuditEvent.at >= wanted.since)
    if wanted.until is not None:
        where.append(AuditEvent.at < wanted.until)
    for column, value in (
        (AuditEvent.actor_id, wanted.actor_id),
        (AuditEvent.customer_id, wanted.customer_id),
        (AuditEvent.document_id, wanted.document_id),
        (AuditEvent.action, wanted.action),
        (AuditEvent.outcome, wanted.outcome),
    ):
        if value is not None:
            where.append(column == value)
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(*where)) or 0
    rows = session.execute(
        select(AuditEvent, AuditQuarantine.reason)
        .outerjoin(AuditQuarantine, AuditQuarantine.position == AuditEvent.position)
        .where(*where)
        .order_by(AuditEvent.position)
        .limit(limit)
        .offset(offset)
    ).all()
    people = _names(session, User.display_name, {e.actor_id for e, _ in rows})
    customers = _names(session, Customer.name, {e.customer_id for e, _ in rows})
    found = [
        Found(
            position=event.position,
            chain=event.chain,
            event=_body(event),
            quarantined=reason,
            actor_name=people.get(event.actor_id),
            customer_name=customers.get(event.customer_id),
        )
        for event, reason in rows
    ]
    # Auditors' own reads are in the log too (their event is chained after this list).
    asked = {k: v for k, v in vars(wanted).items() if k != "customer_id"}
    record_search(
        session, actor, Action.AUDIT_READ, total, wanted.customer_id, decision,
        **asked, limit=limit, offset=offset,
    )  # fmt: skip
    return found, total


@dataclass(frozen=True)
class Quarantined:
    """A chained event whose body could not be indexed in full, and which fields."""

    position: int
    chain: str
    reason: str


def quarantined(
    session: Session, actor: Actor, limit: int, offset: int, decision: dict[str, Any]
) -> tuple[list[Quarantined], int]:
    """Events chained with marker index columns because their bodies could not be read in
    full, oldest first, and how many there are."""
    total = session.scalar(select(func.count()).select_from(AuditQuarantine)) or 0
    rows = session.execute(
        select(AuditQuarantine.position, AuditQuarantine.reason, AuditEvent.chain)
        .join(AuditEvent, AuditEvent.position == AuditQuarantine.position)
        .order_by(AuditQuarantine.position)
        .limit(limit)
        .offset(offset)
    )
    found = [Quarantined(r.position, r.chain, r.reason) for r in rows]
    record_search(
        session, actor, Action.QUARANTINE_READ, total, None, decision, limit=limit, offset=offset
    )
    return found, total


def _body(row: AuditEvent) -> dict[str, Any] | None:
    if not index(row.body, strict=False).agrees_with(row):
        raise IntegrityError(
            f"audit event {row.position}: its index columns do not match its hashed body"
        )
    try:
        event = json.loads(row.body)
    except (ValueError, RecursionError):
        return None
    return event if isinstance(event, dict) else None


def _names(
    session: Session, column: Any, ids: set[uuid.UUID | None]
) -> dict[uuid.UUID | None, str]:
    # One query per page for the names an auditor reads instead of raw ids (auditors may read
    # every customer and every actor's name); ids of rows since deleted stay unnamed.
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    table = column.class_
    rows = session.execute(select(table.id, column).where(table.id.in_(wanted)))
    return {row[0]: row[1] for row in rows}
