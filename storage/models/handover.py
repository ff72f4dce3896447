"""Handovers (交接) of a departing employee's custody, and incidents raised for the archive."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, IdMixin
from storage.models.enums import HandoverStatus


class Handover(IdMixin, Base):
    """A departing employee's customers, documents and loans passed to a successor."""

    __tablename__ = "handover"

    number: Mapped[str] = mapped_column(String(32), unique=True)  # printed on the record
    employee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    successor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    # The employee's department when the handover was opened: its head and archivists confirm.
    department_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("department.id"))
    planned_on: Mapped[date]
    opened_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    cross_department: Mapped[bool] = mapped_column(default=False)  # an admin's override
    status: Mapped[str] = mapped_column(String(16), default=HandoverStatus.open, index=True)
    closed_reason: Mapped[str | None] = mapped_column(Text)  # why it was cancelled
    completed_at: Mapped[datetime | None]
    # The inventory as it stood at completion, and the SHA-256 of its canonical JSON.
    inventory: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    inventory_sha256: Mapped[str | None] = mapped_column(String(64))

    confirmations: Mapped[list[HandoverConfirmation]] = relationship(
        order_by="HandoverConfirmation.created_at", cascade="all, delete-orphan"
    )


class HandoverConfirmation(IdMixin, Base):
    """One sign-off: by the department head, an archivist or the successor."""

    __tablename__ = "handover_confirmation"
    __table_args__ = (UniqueConstraint("handover_id", "capacity"),)

    handover_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("handover.id"), index=True)
    capacity: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))


class Incident(IdMixin, Base):
    """Something the archive must follow up: so far, a paper original marked missing."""

    __tablename__ = "incident"

    kind: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("document.id"), index=True)
    borrowing_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("borrowing.id"))
    reported_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    reason: Mapped[str] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(index=True)
    resolved_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    resolution: Mapped[str | None] = mapped_column(Text)
