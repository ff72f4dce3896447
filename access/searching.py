"""Who may see a search result's text: the same rule as reading the document's content.

Invariants: a snippet is text of the document, so it is shown only where the content could be
read now, by the same two ways `access.reading`'s door allows: the `read_content` policy
(archivists), or an open borrowing of the caller that covers the document at its secrecy.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from storage.models import Borrowing, BorrowingStatus, Document, Secrecy

if TYPE_CHECKING:  # Access asks this module: only its type is needed here
    from access.authz import Access


def content_readable(session: Session, policy: Access, now: datetime) -> Callable[[Document], bool]:
    """A test of whether the caller may read a document's content now (its customer loaded)."""
    open_now = session.scalars(
        select(Borrowing)
        .where(
            Borrowing.requester_id == policy.user.id,
            Borrowing.status == BorrowingStatus.approved,
            Borrowing.out_at.is_not(None),
            Borrowing.due_at > now,
        )
        .options(selectinload(Borrowing.documents))
    ).all()
    covered: dict[uuid.UUID, list[tuple[set[uuid.UUID] | None, int]]] = {}
    for borrowing in open_now:
        documents = None if borrowing.whole_file else {d.document_id for d in borrowing.documents}
        rank = Secrecy(borrowing.secrecy).rank
        covered.setdefault(borrowing.customer_id, []).append((documents, rank))

    def readable(document: Document) -> bool:
        department = document.customer.department_id
        if policy.allowed(department, "document", "read_content", document.secrecy):
            return True
        level = Secrecy(document.secrecy).rank
        return any(
            (ids is None or document.id in ids) and level <= rank
            for ids, rank in covered.get(document.customer_id, [])
        )

    return readable
