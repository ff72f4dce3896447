"""The handover workflow's steps (交接): open, find, read, confirm, cancel, print, custody, and
whom a handover may name.

Each step loads, checks, acts, notifies and records its one audit event (two when the last
confirmation completes the handover) in the caller's transaction, and returns the handover; the
rules they apply are `access.handover`'s. A refusal raises before anything is recorded here:
the caller records it in a transaction of its own.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from access import handover as rules
from access.authz import Access
from access.clearance import shown_inventory
from access.errors import Forbidden, Hidden
from access.handover_people import candidates, names_of, seen_by
from access.handover_schemas import HandoverCreate, HandoverRead
from access.notifications import notify
from access.record import names_in, record_pdf
from access.roles import holders
from storage.auditevent import Actor, customer_target, record, record_search
from storage.auditnames import Action
from storage.models import Capacity, Customer, Handover, HandoverStatus, User

_OPEN = ("handover", "open")


def target(handover: Handover) -> dict[str, Any]:
    """The audit target of a handover."""
    return {
        "handover": str(handover.id),
        "number": handover.number,
        "employee": str(handover.employee_id),
        "successor": str(handover.successor_id),
    }


def open(
    session: Session, actor: Actor, policy: Access, data: HandoverCreate, now: datetime
) -> Handover:
    """Open a departing employee's handover; the employee, successor, head and archive are told."""
    handover = rules.open_handover(session, policy, data, now)
    where = handover.department_id
    people = [handover.employee_id, handover.successor_id]
    people += holders(session, "dept_head", where) + holders(session, "archivist", where)
    notify(session, people, "handover_opened", handover)
    _, rule = policy.decide(where, *_OPEN)
    record(
        session,
        actor,
        Action.HANDOVER_OPEN,
        "success",
        target(handover),
        {"effect": "allow", "rule": rule},
        planned_on=handover.planned_on.isoformat(),
        cross_department=handover.cross_department,
    )
    return handover


def search(
    session: Session,
    actor: Actor,
    policy: Access,
    status: HandoverStatus | None,
    limit: int,
    offset: int,
) -> tuple[list[Handover], int]:
    """A page of the handovers the user is a party to, may confirm, or may open, newest first,
    and the number of all of them."""
    where = [seen_by(session, policy)]
    if status is not None:
        where.append(Handover.status == status)
    total = session.scalar(select(func.count()).select_from(Handover).where(*where)) or 0
    asked = {"status": status, "limit": limit, "offset": offset}
    record_search(session, actor, Action.HANDOVER_SEARCH, total, None, None, **asked)
    query = select(Handover).where(*where).order_by(Handover.created_at.desc(), Handover.id)
    return list(session.scalars(query.limit(limit).offset(offset))), total


def people(
    session: Session,
    actor: Actor,
    policy: Access,
    employee_id: uuid.UUID | None,
    text: str | None,
    page: tuple[int, int],
) -> tuple[list[User], int]:
    """A page (`limit`, `offset`) of whom a department head may name: who may leave (no
    employee given) or who may take over the employee's files, and the number of all of them."""
    limit, offset = page
    found, total = candidates(session, policy, employee_id, text, limit, offset)
    asked = {"employee_id": employee_id, "q": text, "limit": limit, "offset": offset}
    record_search(session, actor, Action.HANDOVER_PEOPLE, total, None, None, **asked)
    return found, total


def get(session: Session, policy: Access, handover_id: uuid.UUID, act: str = "read") -> Handover:
    """One handover, for its employee, successor and confirmers, and who may open it."""
    handover = session.get(
        Handover,
        handover_id,
        options=[selectinload(Handover.confirmations)],
        with_for_update=act != "read",  # two last confirmations must not both complete it
    )
    if handover is not None and rules.may_see(session, policy, handover):
        return handover
    raise Hidden("no such handover", ("handover", act), "not a party to it")


def read(session: Session, actor: Actor, policy: Access, handover_id: uuid.UUID) -> Handover:
    """One handover, its reading recorded."""
    handover = get(session, policy, handover_id)
    record(session, actor, Action.HANDOVER_READ, "success", target(handover))
    return handover


def confirm(
    session: Session,
    actor: Actor,
    policy: Access,
    handover_id: uuid.UUID,
    capacity: Capacity | None,
    now: datetime,
) -> Handover:
    """Confirm as department head, archivist or successor; the last one completes the handover,
    and the successor and every confirmer are told."""
    handover = get(session, policy, handover_id, "confirm")
    done = rules.confirm(session, policy, handover, capacity, now)
    given = handover.confirmations[-1].capacity
    record(session, actor, Action.HANDOVER_CONFIRM, "success", target(handover), capacity=given)
    if done:
        people = [handover.successor_id, *(c.user_id for c in handover.confirmations)]
        notify(session, people, "handover_completed", handover)
        items = handover.inventory or {}
        record(
            session,
            actor,
            Action.HANDOVER_COMPLETE,
            "success",
            target(handover),
            inventory_sha256=handover.inventory_sha256,
            customers=[c["id"] for c in items.get("customers", [])],
            tokens_revoked=len(items.get("tokens", [])),
        )
    return handover


def cancel(
    session: Session, actor: Actor, policy: Access, handover_id: uuid.UUID, reason: str | None
) -> Handover:
    """Call off an open handover (its department head, or an admin; the employee stays)."""
    handover = get(session, policy, handover_id, "cancel")
    if not policy.allowed(handover.department_id, *_OPEN):
        why = "only the department head or an admin cancels a handover"
        raise Forbidden(why, ("handover", "cancel"), "no rule allows")
    if reason is None:
        raise rules.InvalidHandover("reason: required to cancel")
    if handover.status != HandoverStatus.open:
        why = f"is {handover.status}: nothing to cancel"
        raise rules.HandoverConflict(f"handover {handover.number} {why}", "cancel", why)
    handover.status, handover.closed_reason = HandoverStatus.cancelled, reason
    record(session, actor, Action.HANDOVER_CANCEL, "success", target(handover), reason=reason)
    return handover


def print_record(
    session: Session,
    actor: Actor,
    policy: Access,
    handover_id: uuid.UUID,
    now: datetime,
    zone: ZoneInfo,
) -> tuple[Handover, bytes]:
    """The handover record as a printable PDF (Chinese and English), its printing recorded."""
    handover = get(session, policy, handover_id, "print")
    shown = read_model(session, policy, handover, now)
    pdf = record_pdf(shown, names_in(session, shown), zone)
    record(
        session,
        actor,
        Action.HANDOVER_PRINT,
        "success",
        target(handover),
        inventory_sha256=handover.inventory_sha256,
    )
    return handover, pdf


def reassign(
    session: Session,
    actor: Actor,
    customer: Customer,
    custodian_id: uuid.UUID,
    reason: str,
    decision: dict[str, Any],
) -> Customer:
    """Pass one customer to another custodian of its department, outside a departure;
    `decision` is the one that let the caller at the customer."""
    former = rules.reassign(session, customer, custodian_id)
    record(
        session,
        actor,
        Action.CUSTODIAN_REASSIGN,
        "success",
        customer_target(customer),
        decision,
        custodian_from=str(former),
        custodian_to=str(customer.custodian_id),
        reason=reason,
    )
    return customer


def read_model(session: Session, policy: Access, handover: Handover, now: datetime) -> HandoverRead:
    """The API view of a handover, with its inventory as the user may see it and what it still
    waits for."""
    items = shown_inventory(session, policy, rules.current_inventory(session, handover, now))
    waiting, me = rules.awaiting(handover), policy.user.id
    confirmed = any(c.user_id == me for c in handover.confirmations)
    people = {handover.employee_id, handover.successor_id, handover.opened_by_id}
    computed = {
        "inventory": items,
        "awaiting": waiting,
        "open_items": items.open_items() if handover.status == HandoverStatus.open else [],
        "names": names_of(session, people | {c.user_id for c in handover.confirmations}),
        "my_capacities": []
        if confirmed
        else [c for c in rules.capacities(session, handover, me) if c in waiting],
        "may_cancel": handover.status == HandoverStatus.open
        and policy.allowed(handover.department_id, *_OPEN),
    }
    stored = {f: getattr(handover, f) for f in HandoverRead.model_fields if f not in computed}
    return HandoverRead.model_validate({**stored, **computed}, from_attributes=True)
