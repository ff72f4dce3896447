"""The borrowing workflow as steps: request, approve or reject, extend, and the reads of it.

Each step loads the borrowing, checks (by `access.borrowing`'s rules), acts, notifies whom the
step concerns and records its one audit event in the caller's transaction, then returns the
borrowing; the API, the CLI and workers take the same steps. The desk's steps (hand-out,
return, revocation, originals missing) are in `access.lending_desk`.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from access import borrowing as rules_of
from access import borrowing_terms
from access.authz import Access
from access.grants import get_borrowing, list_borrowings, managed_departments
from access.notifications import notify, notify_next_approvers
from access.rules import Rule, Rules
from access.schemas import BorrowingCreate
from storage.auditevent import Actor, customer_target, record
from storage.auditnames import Action
from storage.models import Borrowing, Secrecy

# What a decision on a request or on its extension is recorded as.
_DECIDED = {
    (False, True): Action.BORROWING_APPROVE,
    (False, False): Action.BORROWING_REJECT,
    (True, True): Action.EXTENSION_APPROVE,
    (True, False): Action.EXTENSION_REJECT,
}


def borrowing_target(borrowing: Borrowing) -> dict[str, Any]:
    """The audit target of a borrowing: its customer, number, mode, purpose and documents."""
    return {
        "customer": str(borrowing.customer_id),
        "customer_name": borrowing.customer.name,
        "borrowing": str(borrowing.id),
        "number": borrowing.number,
        "mode": borrowing.mode,
        "purpose": borrowing.purpose,
        "documents": [str(d.document_id) for d in borrowing.documents],
        "secrecy": borrowing.secrecy,
    }


def _by_rule(borrowing: Borrowing) -> dict[str, str]:
    # A request and its approvals are allowed by the borrowing rule it was filed under.
    return {"effect": "allow", "rule": f"borrowing rule {borrowing.rule}"}


def request(
    session: Session,
    actor: Actor,
    policy: Access,
    rules: Rules,
    data: BorrowingCreate,
    now: datetime,
) -> Borrowing:
    """Ask to borrow a customer's file or chosen documents; the first approver is told."""
    borrowing = borrowing_terms.request(session, policy, rules, data, now)
    notify_next_approvers(session, borrowing, rules_of.waiting_for(borrowing))
    record(
        session,
        actor,
        Action.BORROWING_REQUEST,
        "success",
        borrowing_target(borrowing),
        _by_rule(borrowing),
        mode=borrowing.mode,
        hours=borrowing.hours,
        external=borrowing.external,
    )
    return borrowing


def terms(
    session: Session,
    actor: Actor,
    policy: Access,
    rules: Rules,
    customer_id: uuid.UUID,
    document_ids: list[uuid.UUID],
    external: bool,
    now: datetime,
) -> tuple[Secrecy, Rule]:
    """The level and rule a request of these documents (none: the whole file) would go by,
    refused as the request would be; the look is recorded, since it shows the file's levels."""
    customer, documents, highest, rule = borrowing_terms.terms(
        session, policy, rules, customer_id, document_ids, external, now
    )
    decision = {"effect": "allow", "rule": f"borrowing rule {rule.name}"}
    record(
        session, actor, Action.BORROWING_TERMS, "success", customer_target(customer), decision,
        documents=len(documents), external=external,
    )  # fmt: skip
    return highest, rule


def approve(
    session: Session,
    actor: Actor,
    policy: Access,
    rules: Rules,
    borrowing_id: uuid.UUID,
    reason: str | None,
    now: datetime,
) -> Borrowing:
    """Approve the step the borrowing awaits; the last approval opens (or extends) the grant."""
    return _decide(session, actor, policy, rules, borrowing_id, True, reason, now)


def reject(
    session: Session,
    actor: Actor,
    policy: Access,
    rules: Rules,
    borrowing_id: uuid.UUID,
    reason: str | None,
    now: datetime,
) -> Borrowing:
    """Reject the request (or its extension); a reason is required."""
    return _decide(session, actor, policy, rules, borrowing_id, False, reason, now)


def _decide(
    session: Session,
    actor: Actor,
    policy: Access,
    rules: Rules,
    borrowing_id: uuid.UUID,
    approving: bool,
    reason: str | None,
    now: datetime,
) -> Borrowing:
    act = "approve" if approving else "reject"
    borrowing = get_borrowing(session, policy, rules, borrowing_id, act)
    role = rules_of.waiting_for(borrowing)
    extension = borrowing.extension_hours  # the decision ends it: read which round this is first
    done = rules_of.decide(session, policy, borrowing, rules, approving, reason, now)
    if done or not approving:
        notify(session, [borrowing.requester_id], "approved" if done else "rejected", borrowing)
    else:
        notify_next_approvers(session, borrowing, rules_of.waiting_for(borrowing))
    record(
        session,
        actor,
        _DECIDED[(bool(extension), approving)],
        "success",
        borrowing_target(borrowing),
        _by_rule(borrowing),
        step=role,
        reason=reason,
        due=borrowing.due_at.isoformat() if done and borrowing.due_at else None,
    )
    return borrowing


def extend(
    session: Session,
    actor: Actor,
    policy: Access,
    rules: Rules,
    borrowing_id: uuid.UUID,
    hours: int,
) -> Borrowing:
    """The borrower asks for more time; the approvers decide again, in order."""
    borrowing = get_borrowing(session, policy, rules, borrowing_id, "extend")
    rules_of.extend(borrowing, policy.user, hours)
    notify_next_approvers(session, borrowing, rules_of.waiting_for(borrowing))
    record(
        session,
        actor,
        Action.EXTENSION_REQUEST,
        "success",
        borrowing_target(borrowing),
        hours=hours,
    )
    return borrowing


def read(
    session: Session, actor: Actor, policy: Access, rules: Rules, borrowing_id: uuid.UUID
) -> Borrowing:
    """One borrowing, for its borrower, its approvers and archivists; the read is recorded."""
    borrowing = get_borrowing(session, policy, rules, borrowing_id)
    record(session, actor, Action.BORROWING_READ, "success", borrowing_target(borrowing))
    return borrowing


def search(
    session: Session,
    actor: Actor,
    policy: Access,
    scope: str | None,
    status: str | None,
    now: datetime,
    limit: int,
    offset: int,
) -> tuple[list[Borrowing], int]:
    """My borrowings ("mine"), those awaiting my approval ("to_approve") or an archivist's
    ("all", the default for archivists), newest first: one page and how many in all.

    The search is recorded with its filter and count, never the rows.
    """
    if scope is None:
        scope = "all" if managed_departments(session, policy, required=False) else "mine"
    rows, total = list_borrowings(session, policy, scope, status, now, limit, offset)
    asked = {"scope": scope, "status": status, "limit": limit, "offset": offset}
    wanted = {name: str(value) for name, value in asked.items() if value is not None}
    record(session, actor, Action.BORROWING_SEARCH, "success", {}, filter=wanted, results=total)
    return rows, total
