"""Figures read out of statements, the extractions that read them, and customers' ratings."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, IdMixin
from storage.models.enums import ExtractionStatus, StatementStatus

if TYPE_CHECKING:
    from storage.models.identity import User


class Extraction(IdMixin, Base):
    """Background reading of one document version: its statements, or its business license."""

    __tablename__ = "extraction"

    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("document.id"), index=True)
    version: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))  # "statements" or "license"
    status: Mapped[str] = mapped_column(String(16), default=ExtractionStatus.pending, index=True)
    reason: Mapped[str | None] = mapped_column(Text)  # why it failed, never document content
    attempts: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # For a license: the fields read and how they differ from the customer's record; for
    # statements: the pages OCR could not read in time ("unread_pages").
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Statement(IdMixin, Base):
    """One financial statement found in a document, to be reviewed and confirmed."""

    __tablename__ = "statement"

    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("document.id"), index=True)
    version: Mapped[int]
    extraction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("extraction.id"))
    type: Mapped[str] = mapped_column(String(32))
    # consolidated, parent (beside the group) or company (reporting alone)
    scope: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    pages: Mapped[list[int]] = mapped_column(JSON)
    unit: Mapped[str] = mapped_column(String(32))  # as printed: 元, 千元, AED'000 …
    multiplier: Mapped[int]  # yuan (or currency units) per unit
    currency: Mapped[str | None] = mapped_column(String(8))
    current_label: Mapped[str] = mapped_column(String(100))
    prior_label: Mapped[str | None] = mapped_column(String(100))
    fiscal_year: Mapped[int | None]  # of the current column; the prior column is the year before
    # Each column's period as its headings print it: months for a flow statement (None for a
    # balance date, or when no heading gave it, or read before periods were kept) and its end
    # as far as printed ("2025-09-30", "2025-09", "2025"). A flow of unknown length counts as a
    # year, flagged; a shorter one is never taken for a year (`ingest.credit`).
    current_months: Mapped[int | None]
    current_end: Mapped[str | None] = mapped_column(String(10))
    prior_months: Mapped[int | None]
    prior_end: Mapped[str | None] = mapped_column(String(10))
    checks: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    needs_review: Mapped[bool]
    status: Mapped[str] = mapped_column(String(16), default=StatementStatus.extracted, index=True)
    confirmed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    confirmed_at: Mapped[datetime | None]

    figures: Mapped[list[StatementFigure]] = relationship(
        order_by="(StatementFigure.code, StatementFigure.period)", cascade="all, delete-orphan"
    )


class StatementFigure(IdMixin, Base):
    """One item of one column, as read and as corrected (who, when, why)."""

    __tablename__ = "statement_figure"
    __table_args__ = (UniqueConstraint("statement_id", "code", "period"),)

    statement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("statement.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(8))  # "current" or "prior"
    value: Mapped[Decimal | None] = mapped_column(Numeric(24, 4))  # in the statement's unit
    extracted: Mapped[Decimal | None] = mapped_column(Numeric(24, 4))  # as first read
    raw: Mapped[str | None] = mapped_column(String(64))  # the printed text
    label: Mapped[str] = mapped_column(String(300))
    page: Mapped[int]
    position: Mapped[list[float]] = mapped_column(JSON)  # x0, top, x1, bottom in points
    confidence: Mapped[float]
    corrected_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    corrected_at: Mapped[datetime | None]
    correction_reason: Mapped[str | None] = mapped_column(Text)


class Rating(IdMixin, Base):
    """A customer's rating as computed, with every input it was computed from."""

    __tablename__ = "rating"

    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    rated_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    # The company calendar day it was made: its review, warnings and order volume date from it.
    rated_on: Mapped[date]
    grade: Mapped[str | None] = mapped_column(String(8))
    score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    credit_limit: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))  # 信用限额
    allowed_credit: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))  # 赊销额度
    next_review_on: Mapped[date | None]
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The documents it was computed from, so it is shown only to who may see them all; None
    # (ratings stored before this was kept) counts as every statement and license of the file.
    document_ids: Mapped[list[str] | None] = mapped_column(JSON)

    rated_by: Mapped[User] = relationship(lazy="joined")

    @property
    def rated_by_name(self) -> str:
        """Who made the rating, as the profile shows it."""
        return self.rated_by.display_name
