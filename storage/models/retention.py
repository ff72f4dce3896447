"""Legal holds (what may not be disposed of) and disposals (what was, approved by whom)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, IdMixin


class LegalHold(IdMixin, Base):
    """A legal hold (法律保全) on a customer's whole file, one contract or one document.

    Set with a reason and lifted with one; the row is kept once lifted, so the holds of a file
    are also their own history. `created_at` is when it was set.
    """

    __tablename__ = "legal_hold"
    __table_args__ = (Index(None, "customer_id", "lifted_at"),)

    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"))
    # "customer" (every document of the file), "contract" (its documents carrying the contract
    # number) or "document" (one document).
    scope: Mapped[str] = mapped_column(String(16))
    contract_no: Mapped[str | None] = mapped_column(String(100))
    document_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("document.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    set_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    lifted_at: Mapped[datetime | None]
    lifted_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    lift_reason: Mapped[str | None] = mapped_column(Text)


class Disposal(IdMixin, Base):
    """A request to dispose of documents due in one department, its approvals and execution.

    `status` runs pending → approved → executing → executed, or pending → refused. The
    certificate (PDF) is kept with its SHA-256, which the execution's audit event also holds.
    """

    __tablename__ = "disposal"

    number: Mapped[str] = mapped_column(String(32), unique=True)
    department_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("department.id"), index=True)
    requester_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    reason: Mapped[str] = mapped_column(Text)
    # The highest secrecy among its items: an approver or executor must be cleared for it.
    secrecy: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    refusal: Mapped[str | None] = mapped_column(Text)
    executed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    executed_at: Mapped[datetime | None]
    certificate: Mapped[bytes | None] = mapped_column(LargeBinary)
    certificate_sha256: Mapped[str | None] = mapped_column(String(64))

    items: Mapped[list[DisposalItem]] = relationship(
        order_by="DisposalItem.position", cascade="all, delete-orphan"
    )
    approvals: Mapped[list[DisposalApproval]] = relationship(
        order_by="DisposalApproval.created_at", cascade="all, delete-orphan"
    )


class DisposalItem(Base):
    """One document of a disposal and what became of it.

    `outcome` is None until execution, then "disposed", or "held" / "not_due" when a hold set
    after approval, or a changed date, kept it. `versions` lists each disposed version's number,
    size and SHA-256 (the tombstone's hashes); `kept_until` is when Object Lock lets the store
    drop an object it refused to delete (its content is undecryptable already).
    """

    __tablename__ = "disposal_item"

    disposal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("disposal.id"), primary_key=True)
    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("document.id"), primary_key=True, index=True
    )
    position: Mapped[int]
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"))
    outcome: Mapped[str | None] = mapped_column(String(16))
    versions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    kept_until: Mapped[datetime | None]


class DisposalApproval(IdMixin, Base):
    """One decision on a disposal: by its archivist or its department head, never the requester."""

    __tablename__ = "disposal_approval"
    __table_args__ = (UniqueConstraint("disposal_id", "role"),)

    disposal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("disposal.id"), index=True)
    role: Mapped[str] = mapped_column(String(64))
    approver_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    approved: Mapped[bool]
    reason: Mapped[str | None] = mapped_column(Text)
