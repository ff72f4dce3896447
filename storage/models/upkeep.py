"""Deadlines of a customer file's upkeep: each raised once and followed until resolved."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, IdMixin


class Deadline(IdMixin, Base):
    """A day a customer file must be kept up by (a license's end, a year's statements, a
    re-review), recorded once by the daily round and escalated weekly while overdue."""

    __tablename__ = "deadline"
    # The same deadline is never raised twice: a round finding it again finds this row.
    __table_args__ = (UniqueConstraint("customer_id", "kind", "subject", "due_on"),)

    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # license_expiry, ..., contract_to_credit
    subject: Mapped[str] = mapped_column(String(32), default="")  # a year, a contract (hex id)
    due_on: Mapped[date]
    # What it derives from, so a reader sees it only if they may see that.
    document_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("document.id"))
    rating_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("rating.id"))
    contract_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("contract.id"))
    raised_on: Mapped[date]
    notified_on: Mapped[date]  # the last notice, so an overdue one escalates once a week
    notices: Mapped[int] = mapped_column(default=1)
    resolved_on: Mapped[date | None] = mapped_column(index=True)

    @property
    def reference(self) -> str:
        """The short reference its notices and the archive's pages show."""
        return self.id.hex[:8].upper()
