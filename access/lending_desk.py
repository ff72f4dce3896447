"""The lending desk's steps of a borrowing: hand-out, return, revocation, originals missing.

Each step loads the borrowing (archivists' steps through `managed_borrowing`), checks by
`access.borrowing`'s rules, acts, notifies and records its one audit event in the caller's
transaction; the request and approval steps are in `access.lending`.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from access import borrowing as rules_of
from access import incidents as incidents_of
from access.authz import Access
from access.grants import get_borrowing, managed_borrowing, manages
from access.lending import borrowing_target
from access.notifications import notify
from access.roles import holders
from access.rules import Rules
from storage.auditevent import Actor, record
from storage.auditnames import Action
from storage.models import Borrowing, Customer, Incident


def hand_out(
    session: Session,
    actor: Actor,
    policy: Access,
    rules: Rules,
    borrowing_id: uuid.UUID,
    now: datetime,
) -> Borrowing:
    """An archivist hands the paper originals out; the loan's time runs from now."""
    borrowing = managed_borrowing(session, policy, rules, borrowing_id, "hand_out")
    rules_of.hand_out(borrowing, policy.user, rules, now)
    record(session, actor, Action.HAND_OUT, "success", borrowing_target(borrowing))
    return borrowing


def give_back(
    session: Session,
    actor: Actor,
    policy: Access,
    rules: Rules,
    borrowing_id: uuid.UUID,
    now: datetime,
) -> Borrowing:
    """The borrower returns a borrowing, or an archivist checks paper originals back in."""
    borrowing = get_borrowing(session, policy, rules, borrowing_id, "return")
    archivist = manages(session, policy, borrowing)
    rules_of.give_back(borrowing, policy.user, archivist, now)
    late = borrowing.due_at is not None and borrowing.due_at < now
    record(
        session,
        actor,
        Action.RETURN,
        "success",
        borrowing_target(borrowing),
        checked_in=archivist,
        late=late,
    )
    return borrowing


def revoke(
    session: Session,
    actor: Actor,
    policy: Access,
    rules: Rules,
    borrowing_id: uuid.UUID,
    reason: str | None,
    now: datetime,
) -> Borrowing:
    """An archivist ends a borrowing at once, with a reason; the borrower is told."""
    borrowing = managed_borrowing(session, policy, rules, borrowing_id, "revoke")
    rules_of.revoke(borrowing, reason, now)
    notify(session, [borrowing.requester_id], "revoked", borrowing)
    record(session, actor, Action.REVOKE, "success", borrowing_target(borrowing), reason=reason)
    return borrowing


def mark_missing(
    session: Session,
    actor: Actor,
    policy: Access,
    rules: Rules,
    borrowing_id: uuid.UUID,
    reason: str | None,
    now: datetime,
) -> list[Incident]:
    """An archivist records that paper handed out did not come back: an incident per original,
    and the department's archivists are told."""
    borrowing = managed_borrowing(session, policy, rules, borrowing_id, "missing")
    incidents = incidents_of.mark_missing(session, borrowing, policy.user, reason, now)
    customer = session.get_one(Customer, borrowing.customer_id)
    archivists = holders(session, "archivist", customer.department_id)
    notify(session, archivists, "original_missing", borrowing)
    record(
        session,
        actor,
        Action.MISSING,
        "success",
        borrowing_target(borrowing),
        reason=reason,
        incidents=[str(i.id) for i in incidents],
    )
    return incidents
