"""Reading upkeep deadlines: one customer's, and the caller's own (as custodian or head).

Invariants: only customers the caller may see are listed (the list filter every customer list
uses), and a deadline only when the caller may see what it derives from — a license's end only
to who may know that license exists, a re-review only to who may see that rating (its sources
all visible) — so no deadline tells of something above the caller's clearance; each reading is
audited, a list with its size, never its rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from ingest.completeness_schemas import DeadlineRead
from ingest.profile import rating_history
from ingest.rights import Rights
from storage.auditevent import Actor, customer_target, record, record_search
from storage.auditnames import Action
from storage.models import Contract, Customer, Deadline, Department, Document

HEAD = "dept_head"


def of_customer(
    session: Session, actor: Actor, rights: Rights, customer: Customer, today: date,
    decision: dict[str, Any],
) -> list[DeadlineRead]:  # fmt: skip
    """The customer's open deadlines the caller may see, the soonest first; the reading recorded."""
    found = _shown(session, rights, Deadline.customer_id == customer.id, today)
    record(
        session, actor, Action.DEADLINE_READ, "success", customer_target(customer), decision,
        results=len(found),
    )  # fmt: skip
    return found


def mine(session: Session, actor: Actor, rights: Rights, today: date) -> list[DeadlineRead]:
    """The open deadlines of files the caller keeps or heads the department of, the soonest
    first, among what they may see; the list recorded with its size."""
    me = rights.user.id
    departments = session.scalars(select(Department.id)).all()
    heads = [d for d in departments if HEAD in rights.roles_in(d)]
    theirs = or_(Customer.custodian_id == me, Customer.department_id.in_(heads))
    found = _shown(session, rights, theirs, today)
    record_search(session, actor, Action.DEADLINE_SEARCH, len(found), None, None, scope="mine")
    return found


def _shown(
    session: Session, rights: Rights, which: ColumnElement[bool], today: date
) -> list[DeadlineRead]:
    visible = rights.visible(session, "customer", Customer.department_id, Customer.secrecy)
    rows = session.execute(
        select(Deadline, Customer)
        .join(Customer, Customer.id == Deadline.customer_id)
        .where(which, visible, Deadline.resolved_on.is_(None))
        .order_by(Deadline.due_on, Customer.name, Deadline.kind, Deadline.subject)
    ).all()
    contracts = [d.contract_id for d, _ in rows if d.contract_id is not None]
    numbered = select(Contract.id, Contract.number).where(Contract.id.in_(contracts))
    numbers = dict(session.execute(numbered).all())
    return [
        _read(deadline, customer, today, numbers)
        for deadline, customer in rows
        if _derivation_seen(session, rights, deadline, customer)
    ]


def _derivation_seen(
    session: Session, rights: Rights, deadline: Deadline, customer: Customer
) -> bool:
    # What the deadline derives from must itself be visible, or it tells of it.
    seen = rights.readable_documents(customer.department_id)
    if deadline.document_id is not None:
        known = select(Document.id).where(Document.id == deadline.document_id, seen)
        return session.scalar(known) is not None
    if deadline.contract_id is not None:  # a contract is seen as its file, if the policy says
        return rights.allowed(customer.department_id, "contract", "read", customer.secrecy)
    if deadline.rating_id is not None:
        ratings: Sequence[Any] = rating_history(session, customer.id, seen)
        return any(r.id == deadline.rating_id for r in ratings)
    return True


def _read(
    deadline: Deadline, customer: Customer, today: date, numbers: dict[uuid.UUID, str]
) -> DeadlineRead:
    return DeadlineRead.model_validate(
        {
            "id": deadline.id,
            "reference": deadline.reference,
            "customer_id": customer.id,
            "customer_name": customer.name,
            "kind": deadline.kind,
            "year": int(deadline.subject) if deadline.kind == "statement_due" else None,
            "contract_id": deadline.contract_id,
            "document_id": deadline.document_id if deadline.kind == "document_handin" else None,
            "contract_number": numbers.get(deadline.contract_id) if deadline.contract_id else None,
            "due_on": deadline.due_on,
            "overdue": deadline.due_on < today,
            "raised_on": deadline.raised_on,
            "notified_on": deadline.notified_on,
            "notices": deadline.notices,
        }
    )
