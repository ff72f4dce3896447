"""On what basis a user reads a document's content now: as its archivist, or by a borrowing.

Invariants (the most security-critical decision of the archive): content is read directly only
where the policy allows `read_content` (archivists, who keep the file); everyone else reads
through a borrowing of their own that is approved, handed out, not yet due, covers this document
at its present level and is of a mode that serves this read (`grants.READS`); anything else is
refused (403), and the refusal names the customer and document in its audit event, never in what
the caller is told beyond what they already know.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from access.authz import Access
from access.errors import Forbidden
from access.grants import grant
from storage.auditevent import document_target
from storage.models import Borrowing, Document


@dataclass(frozen=True)
class Basis:
    """Why a read is allowed: the borrowing (None for an archivist) and the audited decision."""

    borrowing: Borrowing | None
    decision: dict[str, Any]


def basis(session: Session, policy: Access, document: Document, read: str, now: datetime) -> Basis:
    """The basis on which the user may `read` ("content" or "pages") this document now, or 403."""
    department = document.customer.department_id
    ok, rule = policy.decide(department, "document", "read_content", document.secrecy)
    if ok:
        return Basis(None, {"effect": "allow", "rule": rule})
    try:
        borrowing = grant(session, policy, document, read, now)
    except Forbidden as refused:
        # An export for this customer shows who tried its documents and was refused.
        refused.target = document_target(document)
        raise
    named = {"number": borrowing.number, "mode": borrowing.mode, "purpose": borrowing.purpose}
    decision = {"effect": "allow", "rule": f"borrowing {borrowing.number}"}
    return Basis(borrowing, decision | {"borrowing": str(borrowing.id), **named})
