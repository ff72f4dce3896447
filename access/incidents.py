"""Incidents for the archive: paper originals that did not come back.

Invariants: only paper that was handed out can be marked missing, by an archivist, with a
reason; that closes the loan (as `lost`, so it no longer holds up its borrower's handover) and
opens one incident per original, which stays open — and the original unlendable — until an
archivist resolves it with a note; an incident is shown only to whoever may see its document.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from access.authz import Access
from access.borrowing import documents_of
from access.errors import BorrowingConflict, Hidden, InvalidBorrowing
from access.grants import managed_departments
from access.schemas import IncidentRead
from storage.auditevent import Actor, record
from storage.auditnames import Action
from storage.db import get_one
from storage.errors import Conflict
from storage.models import (
    Borrowing,
    BorrowingStatus,
    BorrowMode,
    Customer,
    Document,
    Incident,
    User,
)

MISSING = "original_missing"


def mark_missing(
    session: Session, borrowing: Borrowing, archivist: User, reason: str | None, now: datetime
) -> list[Incident]:
    """Close a loan whose paper did not come back and open an incident for each original."""
    if reason is None:
        raise InvalidBorrowing(
            "reason: required to mark originals missing", reason="reason_required"
        )
    out = borrowing.status == BorrowingStatus.approved and borrowing.out_at is not None
    if borrowing.mode != BorrowMode.physical or not out:
        why = "has no paper out: nothing can be missing"
        raise BorrowingConflict(
            f"borrowing {borrowing.number} {why}",
            ("borrowing", "missing"),
            why,
            reason="no_paper_out",
        )
    borrowing.status = BorrowingStatus.lost
    borrowing.closed_reason = reason
    borrowing.extension_hours = None
    incidents = [
        Incident(
            kind=MISSING,
            customer_id=borrowing.customer_id,
            document_id=document.id,
            borrowing_id=borrowing.id,
            reported_by_id=archivist.id,
            reason=reason,
            created_at=now,
        )
        for document in documents_of(session, borrowing)
    ]
    session.add_all(incidents)
    session.flush()
    return incidents


def search(
    session: Session, actor: Actor, policy: Access, open_only: bool, limit: int, offset: int
) -> tuple[list[Incident], int]:
    """One page of the incidents of the archivist's departments, newest first, and how many;
    the search is recorded with its filter and count, never the rows."""
    departments = managed_departments(session, policy)
    found, total = list_incidents(session, policy, departments, open_only, limit, offset)
    asked = {"open_only": open_only, "limit": limit, "offset": offset}
    wanted = {name: str(value) for name, value in asked.items()}
    record(session, actor, Action.INCIDENT_READ, "success", {}, filter=wanted, results=total)
    return found, total


def list_incidents(
    session: Session,
    policy: Access,
    departments: list[uuid.UUID],
    open_only: bool,
    limit: int,
    offset: int,
) -> tuple[list[Incident], int]:
    """One page of the incidents of these departments' customers whose documents the user may
    see, and how many there are."""
    seen = policy.visible(session, "document", Customer.department_id, Document.secrecy)
    where = [Customer.department_id.in_(departments), seen]
    if open_only:
        where.append(Incident.resolved_at.is_(None))
    query = (
        select(Incident)
        .join(Customer, Customer.id == Incident.customer_id)
        .join(Document, Document.id == Incident.document_id)
        .where(*where)
    )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = query.order_by(Incident.created_at.desc(), Incident.id).limit(limit).offset(offset)
    return list(session.scalars(page)), total


def read_model(session: Session, incident: Incident) -> IncidentRead:
    """The API view of an incident, with the names a page shows."""
    borrowing = session.get(Borrowing, incident.borrowing_id) if incident.borrowing_id else None
    named = {
        "customer_name": session.get_one(Customer, incident.customer_id).name,
        "document_title": session.get_one(Document, incident.document_id).title,
        "borrowing_number": borrowing.number if borrowing else None,
        "reported_by_name": session.get_one(User, incident.reported_by_id).display_name,
    }
    stored = {f: getattr(incident, f) for f in IncidentRead.model_fields if f not in named}
    return IncidentRead.model_validate({**stored, **named})


def get_incident(session: Session, policy: Access, incident_id: uuid.UUID) -> Incident:
    """One incident of a document the user may see; raises NotFound."""
    incident = get_one(session, Incident, incident_id, "incident")
    document = session.get_one(Document, incident.document_id)
    department = session.get_one(Customer, incident.customer_id).department_id
    if not policy.allowed(department, "document", "read", document.secrecy):
        raise Hidden("no such incident", ("incident", "resolve"), "document not visible")
    return incident


def resolve(
    session: Session,
    actor: Actor,
    policy: Access,
    incident_id: uuid.UUID,
    note: str | None,
    now: datetime,
) -> Incident:
    """An archivist of the customer's department closes an incident with a note (the original
    was found, or written off); the step is recorded."""
    incident = get_incident(session, policy, incident_id)
    customer = session.get_one(Customer, incident.customer_id)
    if not policy.allowed(customer.department_id, "borrowing", "manage"):
        raise Hidden("no such incident", ("incident", "resolve"), "not an archivist here")
    if note is None:
        raise InvalidBorrowing("reason: required to resolve an incident", reason="reason_required")
    if incident.resolved_at is not None:
        raise Conflict("the incident is already resolved")
    incident.resolved_at, incident.resolved_by_id, incident.resolution = now, policy.user.id, note
    target = {"incident": str(incident.id), "document": str(incident.document_id)}
    record(session, actor, Action.INCIDENT_RESOLVE, "success", target, note=note)
    return incident
