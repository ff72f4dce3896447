"""Borrowing (借阅): its approvals in order, hand-out, return, revocation, extension.

Invariants: nobody approves their own request, nor two steps of one round, nor above their
clearance; each step is approved by a holder of its role in the customer's department or
company-wide; paper is lent only by an archivist and checked back in by one; every refusal
names why and is audited. The request itself, and the rule it goes by, are
`access.borrowing_terms`'s; the steps that take these rules are `access.lending`'s.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from access.authz import Access
from access.errors import BorrowingConflict, Forbidden, InvalidBorrowing
from access.roles import roles_in
from access.rules import Rules
from storage.models import (
    Borrowing,
    BorrowingApproval,
    BorrowingStatus,
    BorrowMode,
    Customer,
    Document,
    Secrecy,
    User,
)


def overdue(now: datetime) -> ColumnElement[bool]:
    """The SQL condition of a borrowing out past its due time and not returned."""
    return and_(Borrowing.status == BorrowingStatus.approved, Borrowing.due_at <= now)


def is_overdue(borrowing: Borrowing, now: datetime) -> bool:
    """Whether the borrowing is out past its due time."""
    due = borrowing.due_at
    return borrowing.status == BorrowingStatus.approved and due is not None and due <= now


def waiting_for(borrowing: Borrowing) -> str | None:
    """The role whose approval the request (or its extension) awaits, if any."""
    awaiting = borrowing.status == BorrowingStatus.pending or borrowing.extension_hours
    approved = len(_this_round(borrowing))
    # A listing reads the borrowings, then their approvals in a statement of its own: the last
    # approval can commit in between, and then the round is complete though the row said not.
    if not awaiting or approved >= len(borrowing.approver_roles):
        return None
    return borrowing.approver_roles[approved]


def _this_round(borrowing: Borrowing) -> list[BorrowingApproval]:
    return [a for a in borrowing.approvals if a.round == borrowing.round]


def _refuse(borrowing: Borrowing, act: str, why: str) -> BorrowingConflict:
    return BorrowingConflict(
        f"borrowing {borrowing.number} {why}", ("borrowing", act), why, reason="borrowing_state"
    )


def documents_of(session: Session, borrowing: Borrowing) -> list[Document]:
    """The documents a borrowing covers (for paper, those with an original), oldest first."""
    query = select(Document).where(Document.customer_id == borrowing.customer_id)
    if not borrowing.whole_file:
        query = query.where(Document.id.in_([d.document_id for d in borrowing.documents]))
    if borrowing.mode == BorrowMode.physical:
        query = query.where(Document.original_cabinet.is_not(None))
    return list(session.scalars(query.order_by(Document.created_at)))


def decide(
    session: Session,
    policy: Access,
    borrowing: Borrowing,
    rules: Rules,
    approve: bool,
    reason: str | None,
    now: datetime,
) -> bool:
    """Approve or reject the step the borrowing waits at; True when the last step approved."""
    act = "approve" if approve else "reject"
    role = waiting_for(borrowing)
    if role is None:
        raise _refuse(borrowing, act, f"is {borrowing.status}: nothing awaits approval")
    user = policy.user
    customer = session.get_one(Customer, borrowing.customer_id)
    if user.id == borrowing.requester_id:
        raise Forbidden(
            "nobody approves their own request",
            ("borrowing", act),
            "own request",
            reason="own_request",
        )
    if any(a.approver_id == user.id for a in _this_round(borrowing)):
        raise Forbidden(
            "one person approves one step only",
            ("borrowing", act),
            "second step",
            reason="second_step",
        )
    if role not in roles_in(session, user.id, customer.department_id):
        why = f"this step awaits a {role} of the customer's department"
        raise Forbidden(why, ("borrowing", act), "not an approver", reason="not_an_approver")
    if Secrecy(user.clearance).rank < Secrecy(borrowing.secrecy).rank:
        raise Forbidden(
            "your clearance is below this material",
            ("borrowing", act),
            "clearance",
            reason="clearance_below",
        )
    if not approve and reason is None:
        raise InvalidBorrowing("reason: required to reject", reason="reason_required")
    step = len(_this_round(borrowing))
    borrowing.approvals.append(
        BorrowingApproval(
            round=borrowing.round,
            step=step,
            role=role,
            approver_id=user.id,
            approved=approve,
            reason=reason,
            created_at=now,
        )
    )
    done = approve and step + 1 == len(borrowing.approver_roles)
    if borrowing.extension_hours:  # a round deciding an extension
        if done:
            borrowing.hours += borrowing.extension_hours
            _open(borrowing, rules, borrowing.out_at or now)
        if done or not approve:
            borrowing.extension_hours = None
    elif not approve:
        borrowing.status = BorrowingStatus.rejected
        borrowing.closed_reason = reason
    elif done:
        borrowing.status = BorrowingStatus.approved
        if borrowing.mode != BorrowMode.physical:  # paper opens when the archivist hands it out
            _open(borrowing, rules, now)
    session.flush()
    return done


def _open(borrowing: Borrowing, rules: Rules, start: datetime) -> None:
    borrowing.out_at = start
    borrowing.due_at = rules.due(borrowing.same_day, start, borrowing.hours)


def hand_out(borrowing: Borrowing, archivist: User, rules: Rules, now: datetime) -> None:
    """The archivist hands a paper original out; its time runs from now."""
    if borrowing.mode != BorrowMode.physical:
        raise _refuse(borrowing, "hand_out", "is not a loan of paper originals")
    if borrowing.status != BorrowingStatus.approved or borrowing.out_at is not None:
        state = "handed out" if borrowing.out_at else borrowing.status
        raise _refuse(borrowing, "hand_out", f"is {state}: nothing to hand out")
    borrowing.handed_out_by_id = archivist.id
    _open(borrowing, rules, now)


def give_back(borrowing: Borrowing, user: User, archivist: bool, now: datetime) -> None:
    """Return a borrowing: the borrower for digital ones, an archivist checks paper back in."""
    if borrowing.status != BorrowingStatus.approved:
        raise _refuse(borrowing, "return", f"is {borrowing.status}: nothing to return")
    if borrowing.mode == BorrowMode.physical and not archivist:
        why = "an archivist checks paper originals back in"
        raise Forbidden(
            why, ("borrowing", "return"), "not an archivist", reason="paper_by_archivist"
        )
    if user.id != borrowing.requester_id and not archivist:
        raise Forbidden(
            "not your borrowing", ("borrowing", "return"), "not the borrower", reason="not_yours"
        )
    borrowing.status = BorrowingStatus.returned
    borrowing.returned_at = now
    borrowing.extension_hours = None
    if archivist:
        borrowing.checked_in_by_id = user.id


def revoke(borrowing: Borrowing, reason: str | None, now: datetime) -> None:
    """An archivist ends a borrowing at once (pending or out); paper must be checked in first."""
    if reason is None:
        raise InvalidBorrowing("reason: required to revoke", reason="reason_required")
    if borrowing.status not in (BorrowingStatus.pending, BorrowingStatus.approved):
        raise _refuse(borrowing, "revoke", f"is {borrowing.status}: nothing to revoke")
    if borrowing.mode == BorrowMode.physical and borrowing.out_at is not None:
        raise _refuse(borrowing, "revoke", "has paper out: check it back in instead")
    borrowing.status = BorrowingStatus.revoked
    borrowing.closed_reason = reason
    borrowing.extension_hours = None
    if borrowing.due_at is not None:
        borrowing.due_at = min(borrowing.due_at, now)


def extend(borrowing: Borrowing, user: User, hours: int) -> None:
    """Ask for more time; the approvers decide again, in a new round."""
    if user.id != borrowing.requester_id:
        raise Forbidden(
            "not your borrowing", ("borrowing", "extend"), "not the borrower", reason="not_yours"
        )
    if borrowing.status != BorrowingStatus.approved or borrowing.extension_hours:
        state = "awaiting an extension" if borrowing.extension_hours else borrowing.status
        raise _refuse(borrowing, "extend", f"is {state}: it cannot be extended")
    if borrowing.hours + hours > borrowing.longest_hours:
        raise InvalidBorrowing(
            f"hours: the longest allowed in all is {borrowing.longest_hours}",
            reason="hours_too_long",
        )
    borrowing.extension_hours = hours
    borrowing.round += 1
