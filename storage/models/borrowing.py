"""Borrowings (借阅), their approvals and the notifications they send."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, IdMixin
from storage.models.enums import BorrowingStatus

if TYPE_CHECKING:
    from storage.models.archive import Customer


class Borrowing(IdMixin, Base):
    """A request to look at a customer's file or some of its documents, and its grant."""

    __tablename__ = "borrowing"

    number: Mapped[str] = mapped_column(String(32), unique=True)  # printed in watermarks
    requester_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    whole_file: Mapped[bool]
    purpose: Mapped[str] = mapped_column(Text)
    external: Mapped[bool] = mapped_column(default=False)  # disclosure outside the company
    mode: Mapped[str] = mapped_column(String(16))
    hours: Mapped[int]  # the duration asked for, from hand-out
    secrecy: Mapped[str] = mapped_column(String(16))  # highest level involved at request time
    # The rule that applied and its approver roles in order, copied so later edits of the
    # rules file do not change a request already under way.
    rule: Mapped[str] = mapped_column(String(64))
    approver_roles: Mapped[list[str]] = mapped_column(JSON)
    longest_hours: Mapped[int]
    same_day: Mapped[bool]
    status: Mapped[str] = mapped_column(String(16), default=BorrowingStatus.pending, index=True)
    round: Mapped[int] = mapped_column(default=1)  # each extension is a new round of approval
    extension_hours: Mapped[int | None]  # asked for and awaiting approval
    out_at: Mapped[datetime | None]  # the grant opens (approval, or hand-out of paper)
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    handed_out_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    returned_at: Mapped[datetime | None]
    checked_in_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    closed_reason: Mapped[str | None] = mapped_column(Text)  # rejection or revocation
    overdue_notified_at: Mapped[datetime | None]

    documents: Mapped[list[BorrowingDocument]] = relationship(cascade="all, delete-orphan")
    customer: Mapped[Customer] = relationship()  # named in the audit events of the borrowing
    approvals: Mapped[list[BorrowingApproval]] = relationship(
        order_by="(BorrowingApproval.round, BorrowingApproval.step)",
        cascade="all, delete-orphan",
    )


class BorrowingDocument(Base):
    """One document chosen in a borrowing of part of a file."""

    __tablename__ = "borrowing_document"

    borrowing_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("borrowing.id"), primary_key=True)
    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("document.id"), primary_key=True, index=True
    )


class BorrowingApproval(IdMixin, Base):
    """One approver's decision at one step of one round."""

    __tablename__ = "borrowing_approval"
    __table_args__ = (UniqueConstraint("borrowing_id", "round", "step"),)

    borrowing_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("borrowing.id"), index=True)
    round: Mapped[int]
    step: Mapped[int]
    role: Mapped[str] = mapped_column(String(64))
    approver_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    approved: Mapped[bool]
    reason: Mapped[str | None] = mapped_column(Text)


class Notification(IdMixin, Base):
    """A message for one user: listed through the API and, with SMTP configured, e-mailed."""

    __tablename__ = "notification"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    borrowing_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("borrowing.id"))
    handover_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("handover.id"))
    deadline_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("deadline.id"))
    read_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(default=0)
