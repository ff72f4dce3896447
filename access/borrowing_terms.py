"""A borrowing request (借阅申请): the terms it would be decided by, and filing it.

Invariants: a request is decided by the first approval rule that applies, and refused when none
does; a person with an overdue borrowing, or whose handover is under way, gets no new one; only
documents the requester may know exist are asked for; paper is lent only while the archive holds
it; every refusal names why and is audited. The approval steps that follow are
`access.borrowing`'s.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from access.authz import Access
from access.borrowing import overdue
from access.errors import BorrowingConflict, Forbidden, Hidden, InvalidBorrowing
from access.roles import roles_in
from access.rules import Rule, Rules
from access.schemas import BorrowingCreate
from storage.models import (
    Borrowing,
    BorrowingDocument,
    BorrowMode,
    Customer,
    Document,
    Handover,
    HandoverStatus,
    Incident,
    Secrecy,
)


def terms(
    session: Session,
    policy: Access,
    rules: Rules,
    customer_id: uuid.UUID,
    document_ids: list[uuid.UUID],
    external: bool,
    now: datetime,
) -> tuple[Customer, list[Document], Secrecy, Rule]:
    """What a request would be decided by: the customer, documents, level and rule (or why not)."""
    user = policy.user
    attempt = ("borrowing", "request")
    customer = session.get(Customer, customer_id)
    if customer is None or not policy.allowed(
        customer.department_id, "customer", "read", customer.secrecy
    ):
        raise Hidden("no such customer", attempt, "customer not visible")
    documents = _documents(session, policy, customer, document_ids)
    highest = max((Secrecy(d.secrecy) for d in documents), key=lambda s: s.rank)
    policy.require(customer.department_id, "borrowing", "request", highest)
    leaving = session.scalar(
        select(Handover.number).where(
            Handover.employee_id == user.id, Handover.status == HandoverStatus.open
        )
    )
    if leaving is not None:
        why = f"handover {leaving} of your files is under way: no new borrowings"
        raise BorrowingConflict(why, attempt, "handover open", reason="handover_open")
    late = session.scalar(
        select(Borrowing.number).where(Borrowing.requester_id == user.id, overdue(now)).limit(1)
    )
    if late is not None:
        why = f"borrowing {late} is overdue: return it before asking for another"
        raise BorrowingConflict(why, attempt, "overdue borrowing", reason="borrowing_overdue")
    roles = roles_in(session, user.id, customer.department_id)
    own = user.department_id == customer.department_id
    rule = rules.match(roles, own, highest, external)
    if rule is None:
        why = "no borrowing rule allows this request"
        raise Forbidden(why, attempt, "no borrowing rule", reason="no_borrowing_rule")
    return customer, documents, highest, rule


def request(
    session: Session, policy: Access, rules: Rules, data: BorrowingCreate, now: datetime
) -> Borrowing:
    """File a request; it waits for its first approver."""
    customer, documents, highest, rule = terms(
        session, policy, rules, data.customer_id, data.document_ids, data.external, now
    )
    if data.mode == BorrowMode.physical:
        _originals_in(session, documents)
    if data.mode not in rule.modes:
        allowed = ", ".join(sorted(rule.modes))
        raise InvalidBorrowing(
            f"mode: {data.mode} is not allowed here, only {allowed}", reason="mode_not_allowed"
        )
    if data.hours > rule.longest_hours:
        raise InvalidBorrowing(
            f"hours: the longest allowed here is {rule.longest_hours}", reason="hours_too_long"
        )
    borrowing = Borrowing(
        number=f"JY{now:%Y%m%d}-{secrets.token_hex(3).upper()}",
        requester_id=policy.user.id,
        customer_id=customer.id,
        whole_file=not data.document_ids,
        purpose=data.purpose,
        external=data.external,
        mode=data.mode,
        hours=data.hours,
        secrecy=highest,
        rule=rule.name,
        approver_roles=list(rule.approvers),
        longest_hours=rule.longest_hours,
        same_day=rule.same_day,
        documents=[BorrowingDocument(document_id=d.id) for d in documents if data.document_ids],
        created_at=now,
    )
    session.add(borrowing)
    session.flush()
    return borrowing


def _documents(
    session: Session, policy: Access, customer: Customer, wanted: list[uuid.UUID]
) -> list[Document]:
    # The documents asked for (or the whole file), each one the requester may know exists.
    query = select(Document).where(Document.customer_id == customer.id)
    if wanted:
        query = query.where(Document.id.in_(wanted))
    found = [
        d
        for d in session.scalars(query)
        if policy.allowed(customer.department_id, "document", "read", d.secrecy)
    ]
    if wanted and len(found) != len(set(wanted)):
        raise Hidden("no such document", ("borrowing", "request"), "document not visible")
    if not found:
        raise InvalidBorrowing(
            "customer_id: the file holds no document you may borrow", reason="nothing_to_borrow"
        )
    return found


def _originals_in(session: Session, documents: list[Document]) -> None:
    # Paper is lent only when the archive has it: filed in a cabinet and not marked missing.
    if any(d.original_cabinet is None for d in documents):
        raise InvalidBorrowing(
            "mode: physical, but a document asked for has no paper original",
            reason="no_paper_original",
        )
    lost = select(Incident.id).where(
        Incident.document_id.in_([d.id for d in documents]), Incident.resolved_at.is_(None)
    )
    if session.scalar(lost.limit(1)) is not None:
        raise InvalidBorrowing(
            "mode: physical, but a paper original asked for is missing", reason="original_missing"
        )
