"""Legal holds: what may not be disposed of, and the history of setting and lifting them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

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
