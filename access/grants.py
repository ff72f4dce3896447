"""What a borrowing lets its borrower read, and who sees which borrowings.

Invariants: a grant is open only while its borrowing is approved, handed out and before its due
time, checked at every read, so it closes by itself without any job; a whole-file borrowing
covers the customer's documents, and only those the borrower may still know exist; a borrowing
is shown to its borrower, to those who may approve it and to archivists, and to nobody else;
to those only while they may know of every document it covers, as it is ranked now.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session, selectinload

from access.authz import Access
from access.borrowing import is_overdue, overdue, waiting_for
from access.errors import Forbidden, Hidden
from access.roles import holders, roles_in
from access.rules import Rules
from access.schemas import ApprovalRead, BorrowedDocument, BorrowingRead, PersonRef
from storage.models import (
    Borrowing,
    BorrowingDocument,
    BorrowingStatus,
    BorrowMode,
    Customer,
    Department,
    Document,
    Secrecy,
    User,
)

_MANAGE = ("borrowing", "manage")
READS = {
    "content": {BorrowMode.download},  # the file itself
    "pages": {BorrowMode.view, BorrowMode.download},  # watermarked page images
}


def grant(
    session: Session, policy: Access, document: Document, read: str, now: datetime
) -> Borrowing:
    """The borrowing that lets the user `read` ("content" or "pages") this document now."""
    covers = or_(
        Borrowing.whole_file,
        exists().where(
            BorrowingDocument.borrowing_id == Borrowing.id,
            BorrowingDocument.document_id == document.id,
        ),
    )
    mine = session.scalars(
        select(Borrowing)
        .where(
            Borrowing.requester_id == policy.user.id,
            Borrowing.customer_id == document.customer_id,
            Borrowing.out_at.is_not(None),
            covers,
        )
        .order_by(Borrowing.due_at.desc())
    ).all()
    attempt = ("document", "read_content")
    refusals = []  # why each borrowing open now does not serve this read; the first is told
    for borrowing in mine:
        due = borrowing.due_at
        if borrowing.status != BorrowingStatus.approved or due is None or now >= due:
            continue
        if Secrecy(document.secrecy).rank > Secrecy(borrowing.secrecy).rank:
            # Approved for the levels asked about; a document raised above them since needs
            # a borrowing of its own.
            refusals.append(f"covers material up to {borrowing.secrecy} only")
        elif borrowing.mode not in READS[read]:
            refusals.append(f"is for {borrowing.mode} only: read the pages")
        else:
            return borrowing
        refusals[-1] = f"borrowing {borrowing.number} {refusals[-1]}"
    if refusals:
        raise Forbidden(
            refusals[0],
            attempt,
            "borrowing does not cover this read",
            reason="borrowing_not_covering",
        )
    if mine:
        last = mine[0]
        ended = f"{last.due_at:%Y-%m-%d %H:%M} UTC" if last.due_at else "already"
        raise Forbidden(
            f"borrowing {last.number} ended {ended}",
            attempt,
            "borrowing ended",
            reason="borrowing_ended",
        )
    raise Forbidden(
        "no open borrowing of this document: request one",
        attempt,
        "no borrowing",
        reason="no_open_borrowing",
    )


def get_borrowing(
    session: Session, policy: Access, rules: Rules, borrowing_id: uuid.UUID, act: str = "read"
) -> Borrowing:
    """One borrowing, for its borrower, archivists and approvers of the customer's department.

    Approvers of other steps see it too, so that approving out of turn is refused (403) rather
    than hidden; other staff do not learn it exists.
    """
    borrowing = session.get(
        Borrowing,
        borrowing_id,
        options=[selectinload(Borrowing.approvals), selectinload(Borrowing.documents)],
        with_for_update=act != "read",  # two approvers at once must not both take one step
    )
    if borrowing is not None and sees_material(session, policy, borrowing):
        customer = session.get_one(Customer, borrowing.customer_id)
        user = policy.user
        if (
            borrowing.requester_id == user.id
            or policy.allowed(customer.department_id, *_MANAGE)
            or roles_in(session, user.id, customer.department_id) & rules.approving_roles
        ):
            return borrowing
    raise Hidden("no such borrowing", ("borrowing", act), "not a party to it")


def sees_material(session: Session, policy: Access, borrowing: Borrowing) -> bool:
    """Whether the user may know of everything the borrowing covers (its borrower always)."""
    if borrowing.requester_id == policy.user.id:
        return True  # they named it; refusing them would only block its return
    department = session.get_one(Customer, borrowing.customer_id).department_id
    covered = [d.document_id for d in borrowing.documents]
    levels = {
        borrowing.secrecy,
        *session.scalars(select(Document.secrecy).where(Document.id.in_(covered))),
    }
    return all(policy.allowed(department, "document", "read", level) for level in levels)


def manages(session: Session, policy: Access, borrowing: Borrowing) -> bool:
    """Whether the user manages the borrowings of its customer's department (an archivist)."""
    customer = session.get_one(Customer, borrowing.customer_id)
    return policy.allowed(customer.department_id, *_MANAGE)


def managed_borrowing(
    session: Session, policy: Access, rules: Rules, borrowing_id: uuid.UUID, act: str
) -> Borrowing:
    """A borrowing for a step only its archivists take (hand-out, revoke, marking missing)."""
    borrowing = get_borrowing(session, policy, rules, borrowing_id, act)
    customer = session.get_one(Customer, borrowing.customer_id)
    policy.require(customer.department_id, *_MANAGE)
    return borrowing


def list_borrowings(
    session: Session,
    policy: Access,
    scope: str,
    status: str | None,
    now: datetime,
    limit: int,
    offset: int,
) -> tuple[list[Borrowing], int]:
    """Borrowings by scope ("mine", "to_approve" or "all" for archivists) and their count."""
    user = policy.user
    query = select(Borrowing).options(
        selectinload(Borrowing.approvals), selectinload(Borrowing.documents)
    )
    if status == "overdue":
        query = query.where(overdue(now))
    elif status is not None:
        query = query.where(Borrowing.status == status)
    if scope == "mine":
        query = query.where(Borrowing.requester_id == user.id)
    elif scope == "all":
        query = query.join(Customer, Customer.id == Borrowing.customer_id).where(
            Customer.department_id.in_(managed_departments(session, policy))
        )
    else:
        query = query.where(_awaiting(), Borrowing.requester_id != user.id)
    rows = session.scalars(query.order_by(Borrowing.created_at.desc())).all()
    rows = [b for b in rows if sees_material(session, policy, b)]
    if scope == "to_approve":
        rows = [b for b in rows if _awaits(session, policy, b)]
    return list(rows[offset : offset + limit]), len(rows)


def managed_departments(session: Session, policy: Access, required: bool = True) -> list[uuid.UUID]:
    """The departments whose borrowings the user manages (archivists); 403 if none and required."""
    where = [d for d in session.scalars(select(Department.id)) if policy.allowed(d, *_MANAGE)]
    if required and not where:
        raise Forbidden("only archivists see every borrowing", _MANAGE, "no rule allows")
    return where


def _awaiting() -> ColumnElement[bool]:
    return or_(
        Borrowing.status == BorrowingStatus.pending,
        and_(Borrowing.status == BorrowingStatus.approved, Borrowing.extension_hours.is_not(None)),
    )


def _awaits(session: Session, policy: Access, borrowing: Borrowing) -> bool:
    role = waiting_for(borrowing)
    customer = session.get_one(Customer, borrowing.customer_id)
    done = {a.approver_id for a in borrowing.approvals if a.round == borrowing.round}
    return (
        role is not None
        and policy.user.id not in done
        and role in roles_in(session, policy.user.id, customer.department_id)
    )


def read_model(session: Session, borrowing: Borrowing, now: datetime) -> BorrowingRead:
    """The API view of a borrowing, with names and what is computed rather than stored."""

    def name(user_id: uuid.UUID) -> str:
        return session.get_one(User, user_id).display_name

    chosen = [d.document_id for d in borrowing.documents]
    titles = session.execute(
        select(Document.id, Document.title, Document.doc_type)
        .where(Document.id.in_(chosen))
        .order_by(Document.created_at)
    )
    approvals = [
        ApprovalRead(
            round=a.round,
            step=a.step,
            role=a.role,
            approver_id=a.approver_id,
            approver_name=name(a.approver_id),
            approved=a.approved,
            reason=a.reason,
            created_at=a.created_at,
        )
        for a in borrowing.approvals
    ]
    computed = {
        "requester_name": name(borrowing.requester_id),
        "customer_name": session.get_one(Customer, borrowing.customer_id).name,
        "document_ids": chosen,
        "documents": [BorrowedDocument(id=i, title=t, doc_type=k) for i, t, k in titles],
        "approvals": approvals,
        "overdue": is_overdue(borrowing, now),
        "waiting_for": waiting_for(borrowing),
        "awaited": awaited(session, borrowing),
    }
    stored = {f: getattr(borrowing, f) for f in BorrowingRead.model_fields if f not in computed}
    return BorrowingRead.model_validate({**stored, **computed})


def awaited(session: Session, borrowing: Borrowing) -> list[PersonRef]:
    """Who may take the step the borrowing waits at: holders of the role, cleared for it,
    neither its borrower nor an approver of this round."""
    role = waiting_for(borrowing)
    if role is None:
        return []
    department = session.get_one(Customer, borrowing.customer_id).department_id
    done = {a.approver_id for a in borrowing.approvals if a.round == borrowing.round}
    rank = Secrecy(borrowing.secrecy).rank
    people = session.scalars(
        select(User).where(User.id.in_(holders(session, role, department))).order_by(User.username)
    )
    return [
        PersonRef(id=u.id, display_name=u.display_name)
        for u in people
        if u.id != borrowing.requester_id and u.id not in done and Secrecy(u.clearance).rank >= rank
    ]
