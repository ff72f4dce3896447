"""The contract ledger (合同管理台帐): each contract's record, its history, and the counters that
number them per department and year."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.archive import Customer
from storage.models.base import Base, IdMixin


class Contract(IdMixin, Base):
    """One contract of a customer (original, copy, amendment or termination), numbered in its
    department's sequence; who may see it follows its customer, as every record of the file."""

    __tablename__ = "contract"
    # Gap-free: a number is taken once, in its department's year, and never given back.
    __table_args__ = (UniqueConstraint("numbered_in_id", "year", "serial"),)

    number: Mapped[str] = mapped_column(String(64), unique=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    # The department whose sequence gave the number; access follows the customer's department.
    numbered_in_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("department.id"))
    year: Mapped[int]
    serial: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16), index=True)  # ContractKind
    status: Mapped[str] = mapped_column(String(16), index=True)  # ContractStatus
    title: Mapped[str] = mapped_column(String(300))
    counterparty: Mapped[str] = mapped_column(String(200), index=True)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")  # ISO 4217
    signed_on: Mapped[date | None] = mapped_column(index=True)
    term_start: Mapped[date | None]
    term_end: Mapped[date | None]
    # The contract an amendment or a termination changes (same customer).
    amends_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("contract.id"))
    # Who is responsible for it (合同承办人), told of its hand-over deadlines.
    custodian_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    # 003 篇2 §3: to the credit manager within a month of signing, to the archive a month later.
    handed_to_credit_on: Mapped[date | None]
    handed_to_archive_on: Mapped[date | None]
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))

    customer: Mapped[Customer] = relationship()

    @property
    def secrecy(self) -> str:
        """A contract's level is its customer's: it is a record of the file, as the file is."""
        return self.customer.secrecy


class ContractChange(IdMixin, Base):
    """One change of a contract's record: who, when, why, each field before and after; never
    updated."""

    __tablename__ = "contract_change"
    __table_args__ = (Index(None, "contract_id", "created_at"),)

    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contract.id"))
    # "create", "edit" or "link" (documents joined to it).
    kind: Mapped[str] = mapped_column(String(16))
    changed_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    # {field: [before, after]} in JSON form (decimals as strings, dates ISO).
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)


class ContractCounter(Base):
    """The last serial given in a department's year; its row is locked while a number is taken,
    so two contracts created at once get consecutive numbers."""

    __tablename__ = "contract_counter"

    department_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("department.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)
