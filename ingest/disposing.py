"""Disposal requests (销毁申请): made from the due list, approved by the department's archivist and
its department head, never by the requester.

Invariants: a request holds only documents the requester reviews retention of, all of one
department, each due and under no hold in force, none already in an open request; a document
the requester may not know is refused as absent, naming nothing; both approvals are needed, each
by a holder of its role in the department (or company-wide) cleared for the highest secrecy of
the items, one person deciding once; a refusal needs a reason and ends the request; every step
and every reading is an audit event. Execution is `ingest.disposal_run`'s.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, selectinload

from ingest.disposal import due_now, reviewed_departments
from ingest.disposal_schemas import (
    APPROVERS,
    ApproverRole,
    DisposalApprovalRead,
    DisposalCreate,
    DisposalDecision,
    DisposalItemRead,
    DisposalRead,
    DisposedVersion,
)
from ingest.errors import InvalidField, RoleRequired
from ingest.retention import Retention
from ingest.rights import Rights
from storage.auditevent import Actor, record, record_search
from storage.auditnames import Action
from storage.errors import Conflict, NotFound
from storage.models import (
    Customer,
    Disposal,
    DisposalApproval,
    DisposalItem,
    Document,
    Secrecy,
    User,
)

OPEN = ("pending", "approved", "executing")


def request(
    session: Session,
    actor: Actor,
    rights: Rights,
    retention: Retention,
    when: tuple[date, datetime],
    data: DisposalCreate,
) -> Disposal:
    """Ask to dispose of documents due in one department, with the reason."""
    asked = list(dict.fromkeys(data.document_ids))
    where = reviewed_departments(session, rights)
    known = rights.visible(session, "document", Customer.department_id, Document.secrecy)
    rows = session.execute(
        select(Document, Customer.department_id)
        .join(Customer, Customer.id == Document.customer_id)
        .where(Document.id.in_(asked), Customer.department_id.in_(where), known)
    ).all()
    if len(rows) != len(asked):  # absent, or not the caller's to know: the same answer
        raise NotFound("no such document on your disposal list")
    departments = {department for _, department in rows}
    if len(departments) != 1:
        raise InvalidField("document_ids: one request holds documents of one department only")
    department = departments.pop()
    today, now = when
    due = due_now(session, retention, today, asked)
    if len(due) != len(asked):
        late = ", ".join(str(d) for d in asked if d not in due)
        raise Conflict(f"not due for disposal, held or disposed of: {late}", reason="not_due")
    _refuse_open(session, asked)
    secrecy = max((Secrecy(d.secrecy) for d, _ in rows), key=lambda s: s.rank)
    rule = rights.require(department, "disposal", "request", secrecy)
    disposal = Disposal(
        number=f"XH{now:%Y%m%d}-{secrets.token_hex(3).upper()}",
        department_id=department,
        requester_id=rights.user.id,
        reason=data.reason,
        secrecy=secrecy.value,
        items=[
            DisposalItem(document_id=d.id, customer_id=d.customer_id, position=i)
            for i, (d, _) in enumerate(rows)
        ],
    )
    session.add(disposal)
    session.flush()
    record(
        session, actor, Action.DISPOSAL_REQUEST, "success", target(disposal),
        {"effect": "allow", "rule": rule}, reason=data.reason, documents=[str(d) for d in asked],
    )  # fmt: skip
    return disposal


def _refuse_open(session: Session, asked: list[uuid.UUID]) -> None:
    taken = session.execute(
        select(Disposal.number, DisposalItem.document_id)
        .join(DisposalItem, DisposalItem.disposal_id == Disposal.id)
        .where(DisposalItem.document_id.in_(asked), Disposal.status.in_(OPEN))
    ).first()
    if taken is not None:
        raise Conflict(
            f"document {taken.document_id} is already in disposal request {taken.number}",
            reason="disposal_open",
        )


def target(disposal: Disposal) -> dict[str, Any]:
    """The audit target of a disposal request."""
    return {
        "disposal": str(disposal.id),
        "number": disposal.number,
        "department": str(disposal.department_id),
        "secrecy": disposal.secrecy,
    }


def disposal_of(
    session: Session, rights: Rights, disposal_id: uuid.UUID, act: str = "read"
) -> tuple[Disposal, dict[str, Any]]:
    """A disposal the caller may know (else 404) and `act` on (else 403), with the decision."""
    disposal = session.get(
        Disposal,
        disposal_id,
        options=[selectinload(Disposal.items), selectinload(Disposal.approvals)],
        # Two deciders at once must not both take one role; an execution locks in its own run.
        with_for_update=act in ("approve", "refuse"),
    )
    if disposal is None:
        raise NotFound("no such disposal")
    rule = rights.require_known(disposal.department_id, "disposal", act, disposal.secrecy)
    return disposal, {"effect": "allow", "rule": rule}


def decide(
    session: Session,
    actor: Actor,
    rights: Rights,
    disposal: Disposal,
    data: DisposalDecision,
    decision: dict[str, Any],
    now: datetime,
) -> Disposal:
    """Approve, or refuse with a reason, in the capacity of an approval still awaited."""
    act = "approve" if data.approve else "refuse"
    if disposal.status != "pending":
        raise Conflict(
            f"disposal {disposal.number} is {disposal.status}: nothing awaits a decision",
            reason="disposal_state",
        )
    user = rights.user
    if user.id == disposal.requester_id:
        raise RoleRequired(
            "nobody approves their own request", ("disposal", act), "own request",
            reason="own_request",
        )  # fmt: skip
    if any(a.approver_id == user.id for a in disposal.approvals):
        raise RoleRequired(
            "one person decides once: the other approval is someone else's",
            ("disposal", act), "second decision", reason="second_step",
        )  # fmt: skip
    held = rights.roles_in(disposal.department_id)
    role = next((r for r in awaiting(disposal) if r in held), None)
    if role is None:
        why = "this request awaits " + " and ".join(awaiting(disposal)) + " of its department"
        raise RoleRequired(why, ("disposal", act), "not an approver", reason="not_an_approver")
    if not data.approve and data.reason is None:
        raise InvalidField("reason: required to refuse", reason="reason_required")
    disposal.approvals.append(
        DisposalApproval(
            role=role, approver_id=user.id, approved=data.approve, reason=data.reason,
            created_at=now,
        )
    )  # fmt: skip
    if not data.approve:
        disposal.status, disposal.refusal = "refused", data.reason
    elif not awaiting(disposal):
        disposal.status = "approved"
    session.flush()
    action = Action.DISPOSAL_APPROVE if data.approve else Action.DISPOSAL_REFUSE
    record(
        session, actor, action, "success", target(disposal), decision,
        capacity=role, reason=data.reason, status=disposal.status,
    )  # fmt: skip
    return disposal


def awaiting(disposal: Disposal) -> list[ApproverRole]:
    """The capacities whose approval a pending request still awaits."""
    if disposal.status != "pending":
        return []
    given = {a.role for a in disposal.approvals}
    return [role for role in APPROVERS if role not in given]


def search(
    session: Session,
    actor: Actor,
    rights: Rights,
    status: str | None,
    limit: int,
    offset: int,
) -> tuple[list[Disposal], int]:
    """Disposal requests of the departments where the caller may read them, newest first."""
    scope = rights.visible(session, "disposal", Disposal.department_id, Disposal.secrecy)
    if status is not None:
        scope = and_(scope, Disposal.status == status)
    total = session.scalar(select(func.count()).select_from(Disposal).where(scope)) or 0
    rows = session.scalars(
        select(Disposal)
        .where(scope)
        .options(selectinload(Disposal.items), selectinload(Disposal.approvals))
        .order_by(Disposal.created_at.desc(), Disposal.id)
        .limit(limit)
        .offset(offset)
    ).all()
    asked = {"status": status, "limit": limit, "offset": offset}
    record_search(session, actor, Action.DISPOSAL_SEARCH, total, None, None, **asked)
    return list(rows), total


def read_models(session: Session, disposals: list[Disposal]) -> list[DisposalRead]:
    """Disposal requests as the API shows them, with the names of their people and items."""
    people = {d.requester_id for d in disposals} | {
        p for d in disposals for p in [d.executed_by_id, *(a.approver_id for a in d.approvals)]
    }
    names: dict[uuid.UUID | None, str] = dict(
        session.execute(select(User.id, User.display_name).where(User.id.in_(people))).all()
    )
    ids = [i.document_id for d in disposals for i in d.items]
    documents = {
        d.id: (d, name)
        for d, name in session.execute(
            select(Document, Customer.name)
            .join(Customer, Customer.id == Document.customer_id)
            .where(Document.id.in_(ids))
        )
    }
    return [_read(d, names, documents) for d in disposals]


def _read(
    disposal: Disposal,
    names: dict[uuid.UUID | None, str],
    documents: dict[uuid.UUID, tuple[Document, str]],
) -> DisposalRead:
    items = []
    for item in disposal.items:
        document, customer_name = documents[item.document_id]
        items.append(
            DisposalItemRead(
                document_id=document.id,
                customer_id=document.customer_id,
                customer_name=customer_name,
                doc_type=document.doc_type,
                title=None if document.disposal_id else document.title,
                secrecy=document.secrecy,
                outcome=item.outcome,
                versions=[DisposedVersion.model_validate(v) for v in item.versions],
                kept_until=item.kept_until,
            )
        )
    approvals = [
        DisposalApprovalRead(
            role=a.role, approver_id=a.approver_id, approver_name=names[a.approver_id],
            approved=a.approved, reason=a.reason, decided_at=a.created_at,
        )
        for a in disposal.approvals
    ]  # fmt: skip
    return DisposalRead(
        id=disposal.id,
        number=disposal.number,
        department_id=disposal.department_id,
        requester_id=disposal.requester_id,
        requester_name=names[disposal.requester_id],
        reason=disposal.reason,
        secrecy=disposal.secrecy,
        status=disposal.status,
        refusal=disposal.refusal,
        awaiting=awaiting(disposal),
        approvals=approvals,
        items=items,
        created_at=disposal.created_at,
        executed_at=disposal.executed_at,
        executed_by_id=disposal.executed_by_id,
        executed_by_name=names.get(disposal.executed_by_id),
        certificate_sha256=disposal.certificate_sha256,
    )
