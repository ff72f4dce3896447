"""What an intake step asks of the caller's rights (`access.authz.Access` answers it).

Ingest sits beside access, not above it, so its steps are handed the caller's rights and name
only the questions they ask; a refusal raised by a step is audited like access's own (it carries
the attempt and the rule).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute, Session

from storage.models import Document, Secrecy, User


class Rights(Protocol):
    """One user under the policy in force."""

    @property
    def user(self) -> User:
        """Who acts."""

    def allowed(
        self, department_id: uuid.UUID | None, obj: str, act: str, secrecy: str = Secrecy.public
    ) -> bool:
        """Whether the user may `act` on an `obj` of this department and secrecy."""

    def require(
        self, department_id: uuid.UUID | None, obj: str, act: str, secrecy: str = Secrecy.public
    ) -> str:
        """Refuse with 403 unless allowed; returns the allowing rule."""

    def require_known(
        self, department_id: uuid.UUID | None, obj: str, act: str, secrecy: str
    ) -> str:
        """For an existing object: 404 unless the user may know it exists, then 403 unless `act`."""

    def roles_in(self, department_id: uuid.UUID | None) -> frozenset[str]:
        """The roles the user holds in a department, counting those held company-wide."""

    def readable_documents(self, department_id: uuid.UUID) -> ColumnElement[bool]:
        """The SQL condition for one department's documents the user may know exist."""

    def content_readable(self, session: Session, now: datetime) -> Callable[[Document], bool]:
        """A test of whether the user may read a document's content now (its customer loaded)."""

    def visible(
        self,
        session: Session,
        obj: str,
        department: InstrumentedAttribute[uuid.UUID],
        secrecy: InstrumentedAttribute[str],
        act: str = "read",
        departments: Sequence[uuid.UUID] | None = None,
    ) -> ColumnElement[bool]:
        """The SQL condition for rows the user may `act` on (`departments`: all of them, if
        already read)."""
