"""The history of a customer's record: every change of its master data and status, with who
made it, when and why, and each field before and after.

Invariants: a change is written in the same transaction as the record it changes, so the two
never disagree; rows are only ever added; account numbers are kept masked
(`master_data.masked`); the history is shown to whoever may read the customer, and to no one
else (the route's door decides).
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ingest.customer_schemas import CustomerChangeRead, FieldChange
from ingest.master_data import masked
from storage.models import Customer, CustomerChange, User

Kind = Literal["edit", "status", "license", "secrecy", "important"]


def record_change(
    session: Session,
    customer: Customer,
    user: User,
    kind: Kind,
    changes: dict[str, list[Any]],
    reason: str | None,
    document_id: uuid.UUID | None = None,
) -> CustomerChange:
    """Keep one change of the customer's record (`changes`: field → [before, after])."""
    change = CustomerChange(
        customer_id=customer.id,
        kind=kind,
        changed_by_id=user.id,
        reason=reason,
        document_id=document_id,
        changes=masked(changes),
    )
    session.add(change)
    session.flush()
    return change


def history_of(
    session: Session, customer_id: uuid.UUID, limit: int, offset: int
) -> tuple[list[CustomerChangeRead], int]:
    """A page of the customer's changes, newest first, and how many there are."""
    mine = CustomerChange.customer_id == customer_id
    total = session.scalar(select(func.count()).select_from(CustomerChange).where(mine)) or 0
    rows = session.execute(
        select(CustomerChange, User.display_name)
        .join(User, User.id == CustomerChange.changed_by_id)
        .where(mine)
        .order_by(CustomerChange.created_at.desc(), CustomerChange.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return [_read(change, name) for change, name in rows], total


def _read(change: CustomerChange, changed_by: str) -> CustomerChangeRead:
    fields = [
        FieldChange(field=field, before=before, after=after)
        for field, (before, after) in sorted(change.changes.items())
    ]
    return CustomerChangeRead(
        id=change.id,
        created_at=change.created_at,
        kind=change.kind,
        reason=change.reason,
        changed_by_id=change.changed_by_id,
        changed_by_name=changed_by,
        document_id=change.document_id,
        changes=fields,
    )
