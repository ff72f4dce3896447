"""Secrecy proposals (密级界定): a level proposed for a customer or a document, and its decision."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.archive import Customer, Document
from storage.models.base import Base, IdMixin


class SecrecyProposal(IdMixin, Base):
    """A secrecy level proposed with a reason (004 §5.1.5), approved (and applied) or refused
    with a reason by someone else; the row is kept once decided, as the history of the level."""

    __tablename__ = "secrecy_proposal"
    __table_args__ = (Index(None, "status", "created_at"),)

    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    # Empty for a proposal of the customer's own level (the default of its documents).
    document_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("document.id"), index=True)
    # The level when proposed: a decision on a level changed since is refused (409).
    current: Mapped[str] = mapped_column(String(16))
    proposed: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    proposed_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # approved, refused
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(Text)

    customer: Mapped[Customer] = relationship()
    document: Mapped[Document | None] = relationship()
