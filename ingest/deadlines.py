"""The upkeep deadlines of customer files, found each day: a business license's end (30 days
ahead, or past), the year's annual statements the completeness rules ask for, a re-review by the
latest rating's grade.

Invariants: the completeness rules (`ingest.completeness`) decide what a file must hold, and the
rating's own `next_review_on` when it is reviewed, so a deadline never disagrees with the
file's completeness or its profile; each deadline is one row, raised once (its key is unique),
announced when raised and once a week while overdue, and resolved when the round no longer
finds it (a new license filed, the statements in, a new rating).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from ingest.completeness import evaluate, on_file
from ingest.completeness_schemas import CompletenessItem, Requirement
from storage.models import Customer, CustomerStatus, Deadline, DocType, Rating

AHEAD = timedelta(days=30)  # a deadline is raised this long before its day
ESCALATION = timedelta(days=7)  # an overdue one is announced again at most this often
KEPT = timedelta(days=366)  # a year's statements stay a deadline until the next is due
# Who is still reviewed: trading, or about to stop (DOMAIN.md "Time rules").
REVIEWED = {CustomerStatus.active, CustomerStatus.under_review, CustomerStatus.suspended}
Occasion = Literal["raised", "overdue", "resolved"]


@dataclass(frozen=True)
class Due:
    """A deadline as a round finds it."""

    customer_id: uuid.UUID
    kind: str
    subject: str
    due_on: date
    document_id: uuid.UUID | None = None
    rating_id: uuid.UUID | None = None
    contract_id: uuid.UUID | None = None

    @property
    def key(self) -> tuple[uuid.UUID, str, str, date]:
        """What makes it the same deadline as a recorded one."""
        return self.customer_id, self.kind, self.subject, self.due_on


def of_file(
    customer: Customer, ahead: Sequence[CompletenessItem], latest: Rating | None, today: date
) -> list[Due]:
    """The deadlines of one file, from its completeness as of 30 days ahead (`ahead`: what it
    will lack by then) and its latest rating."""
    horizon = today + AHEAD
    found = []
    for item in ahead:
        ends, due = item.expires_on, item.due_on
        if item.doc_type is DocType.business_license and ends is not None and ends <= horizon:
            found.append(Due(customer.id, "license_expiry", "", ends, item.document_id))
        # The latest year's statements only: older gaps are the completeness report's.
        elif item.year is not None and item.state == "missing" and due and due > today - KEPT:
            found.append(Due(customer.id, "statement_due", str(item.year), due))
    review = latest.next_review_on if latest is not None else None
    if latest and review and review <= horizon and customer.status in REVIEWED:
        found.append(Due(customer.id, "review_due", "", review, rating_id=latest.id))
    return found


def find(session: Session, requirements: Sequence[Requirement], today: date) -> list[Due]:
    """Every customer file's deadlines as of `today`, weighed on all its documents."""
    customers = list(
        session.scalars(select(Customer).where(Customer.status != CustomerStatus.terminated))
    )
    types = {r.doc_type for r in requirements}
    # The round is no reader: every document of the file counts, as the file's keeper sees it.
    documents = on_file(session, true(), true(), types)
    latest: dict[uuid.UUID, Rating] = {}
    for rating in session.scalars(select(Rating).order_by(Rating.created_at)):
        latest[rating.customer_id] = rating  # the newest last, as the profile orders them
    found = []
    for customer in customers:
        ahead = evaluate(
            requirements, customer.category, customer.status, documents.get(customer.id, []),
            today + AHEAD,
        )  # fmt: skip
        found += of_file(customer, ahead, latest.get(customer.id), today)
    return found


def keep(session: Session, found: Iterable[Due], today: date) -> list[tuple[Deadline, Occasion]]:
    """Record what the round found: new deadlines raised, open ones no longer found resolved,
    overdue ones escalated once a week; returns each deadline it changed, and how."""
    wanted = {d.key: d for d in found}
    open_rows = session.scalars(select(Deadline).where(Deadline.resolved_on.is_(None))).all()
    recorded = {(r.customer_id, r.kind, r.subject, r.due_on): r for r in open_rows}
    changed: list[tuple[Deadline, Occasion]] = []
    for key, gone in recorded.items():
        if key not in wanted:
            gone.resolved_on = today
            changed.append((gone, "resolved"))
    for key, due in wanted.items():
        row = recorded.get(key) or _reopened(session, due)
        if row is None:
            new = Deadline(
                customer_id=due.customer_id, kind=due.kind, subject=due.subject,
                due_on=due.due_on, document_id=due.document_id, rating_id=due.rating_id,
                contract_id=due.contract_id,
                raised_on=today, notified_on=today, notices=1,
            )  # fmt: skip
            session.add(new)
            session.flush()  # its id, for the notices
            changed.append((new, "raised"))
        elif row.due_on < today and today - row.notified_on >= ESCALATION:
            row.notified_on, row.notices = today, row.notices + 1
            changed.append((row, "overdue"))
    return changed


def _reopened(session: Session, due: Due) -> Deadline | None:
    # Resolved once and found again (a license withdrawn): the same deadline, not a new one.
    row = session.scalar(
        select(Deadline).where(
            Deadline.customer_id == due.customer_id, Deadline.kind == due.kind,
            Deadline.subject == due.subject, Deadline.due_on == due.due_on,
        )
    )  # fmt: skip
    if row is not None:
        row.resolved_on = None
    return row
