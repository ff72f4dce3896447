"""The disposal list: documents whose retention has passed, those a legal hold keeps, and those
whose retention cannot be counted for want of a date.

Invariants: only documents of departments where the caller reviews retention, and at a secrecy
they may know, are counted or listed (the count is of the same rows); a document a hold in force
covers is never listed as due, only as held; "today" is the archive's clock, so tests fix it.
Nothing is disposed of here: a later disposal takes its items from `due` and checks the holds
again in its own transaction.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, func, not_, select
from sqlalchemy.orm import Session

from ingest.errors import RoleRequired
from ingest.holding import covers, held, read_rows
from ingest.retention import Retention
from ingest.retention_schemas import DisposalItem, DisposalList, DisposalState, HoldRead
from ingest.rights import Rights
from storage.auditevent import Actor, record_search
from storage.auditnames import Action
from storage.errors import NotFound
from storage.models import Customer, Department, Document, LegalHold

REVIEW = ("document", "review_retention")


def reviewed_departments(session: Session, rights: Rights) -> list[uuid.UUID]:
    """The departments where the caller reviews retention; 403 if none."""
    where = [d for d in session.scalars(select(Department.id)) if rights.allowed(d, *REVIEW)]
    if not where:
        raise RoleRequired(
            "only archivists and department heads review retention", REVIEW, "no rule allows",
            reason="retention_reviewer",
        )  # fmt: skip
    return where


def disposal_list(
    session: Session,
    actor: Actor,
    rights: Rights,
    retention: Retention,
    today: date,
    asked: tuple[DisposalState, uuid.UUID | None, int, int],
) -> DisposalList:
    """One page of the list in one state (due, held or undated), its reading recorded."""
    state, department_id, limit, offset = asked
    where = reviewed_departments(session, rights)
    if department_id is not None:
        if department_id not in where:  # another department's list is as absent as none
            raise NotFound("no such department")
        where = [department_id]
    scope = and_(
        Customer.department_id.in_(where),
        rights.visible(session, "document", Customer.department_id, Document.secrecy, REVIEW[1]),
        rights.visible(session, "document", Customer.department_id, Document.secrecy),
        _state(retention, today, state),
    )
    found = select(Document.id).join(Customer, Customer.id == Document.customer_id).where(scope)
    total = session.scalar(select(func.count()).select_from(found.subquery())) or 0
    page = (
        select(Document, Customer.name)
        .join(Customer, Customer.id == Document.customer_id)
        .where(scope)
        .order_by(Document.created_at, Document.id)
        .limit(limit)
        .offset(offset)
    )
    rows = session.execute(page).all()
    holds = _holds(session, [d.id for d, _ in rows])
    items = [_item(retention, d, name, holds.get(d.id, [])) for d, name in rows]
    filters: dict[str, Any] = {"state": state, "department_id": department_id, "as_of": today}
    record_search(session, actor, Action.DISPOSAL_LIST, total, None, None, **filters)
    return DisposalList(
        as_of=today, state=state, items=items, total=total, limit=limit, offset=offset
    )


def _state(retention: Retention, today: date, state: DisposalState) -> ColumnElement[bool]:
    # A tombstone is in no state: what was disposed of is listed by its disposal.
    kept = Document.disposal_id.is_(None)
    if state == "undated":
        return and_(kept, retention.undated())
    if state == "held":
        return and_(kept, retention.due(today), held())
    return and_(kept, retention.due(today), not_(held()))


def due_now(
    session: Session, retention: Retention, today: date, ids: list[uuid.UUID]
) -> set[uuid.UUID]:
    """Those of the documents that are due today, under no hold in force, not disposed of."""
    query = select(Document.id).where(Document.id.in_(ids), _state(retention, today, "due"))
    return set(session.scalars(query))


def _item(
    retention: Retention, document: Document, customer_name: str, holds: list[HoldRead]
) -> DisposalItem:
    trigger = retention.trigger(document)
    return DisposalItem(
        document_id=document.id,
        customer_id=document.customer_id,
        customer_name=customer_name,
        doc_type=document.doc_type,
        title=document.title,
        secrecy=document.secrecy,
        contract_no=document.contract_no,
        years=retention.rule(document.doc_type).years,
        trigger=trigger[0] if trigger else None,
        trigger_on=trigger[1] if trigger else None,
        due_on=retention.due_on(document),
        holds=holds,
    )


def _holds(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[HoldRead]]:
    # The holds in force over each listed document: the caller may know the document, and so
    # the hold on it, its contract or its file.
    found: dict[uuid.UUID, list[HoldRead]] = defaultdict(list)
    if not ids:
        return found
    rows = session.execute(
        select(Document.id, LegalHold)
        .join(LegalHold, covers())
        .where(Document.id.in_(ids), LegalHold.lifted_at.is_(None))
        .order_by(LegalHold.created_at)
    ).all()
    reads = {r.id: r for r in read_rows(session, [hold for _, hold in rows])}
    for document_id, hold in rows:
        found[document_id].append(reads[hold.id])
    return found
