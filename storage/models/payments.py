"""Customers' transactions as the ERP and finance systems report them, and the imports that
brought them in (DOMAIN.md "What a customer file holds": dynamic information)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, IdMixin, utcnow


class Transaction(IdMixin, Base):
    """One invoice, payment, credit note or write-off of a customer, as a source system numbered
    it; importing it again finds this row (source, number, kind) and updates what changed."""

    __tablename__ = "customer_transaction"
    __table_args__ = (UniqueConstraint("source", "number", "kind"),)

    source: Mapped[str] = mapped_column(String(32))  # the system it came from: "erp", "finance"
    number: Mapped[str] = mapped_column(String(64))  # the source's document number
    kind: Mapped[str] = mapped_column(String(16))  # TransactionKind
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))  # positive, in `currency`
    currency: Mapped[str] = mapped_column(String(3))  # ISO 4217
    dated: Mapped[date]  # invoiced, paid, credited or written off on
    due_on: Mapped[date | None]  # an invoice's
    paid_on: Mapped[date | None]  # an invoice settled in full on
    # The invoice number a payment, credit note or write-off settles, in the same source.
    applies_to: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PaymentImport(IdMixin, Base):
    """One import run: a file (by its SHA-256, so the same file is read once) or a view."""

    __tablename__ = "payment_import"

    origin: Mapped[str] = mapped_column(String(300))  # file name or "view:<name>"
    sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    imported: Mapped[int]
    updated: Mapped[int]
    unchanged: Mapped[int]
    rejected: Mapped[int]
    # Why a file as a whole was refused (a missing column, not a spreadsheet), naming no value.
    problem: Mapped[str | None] = mapped_column(String(200))
