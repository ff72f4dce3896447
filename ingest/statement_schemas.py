"""Shapes of what is read out of documents: statements and their figures, corrections, licenses."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)

from ingest.schemas import Text, Uscc


class FigureRead(BaseModel):
    """One item of one column of a statement, as read and as corrected."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    period: Literal["current", "prior"]
    value: Decimal | None = Field(description="in the statement's unit")
    extracted: Decimal | None = Field(description="as first read")
    raw: str | None
    label: str
    page: int
    position: list[float]
    confidence: float
    corrected_by_id: uuid.UUID | None
    corrected_at: datetime | None
    correction_reason: str | None


class StatementRead(BaseModel):
    """A statement found in a document, with its figures and checks."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    customer_id: uuid.UUID
    document_id: uuid.UUID
    version: int
    type: str
    scope: str
    title: str
    pages: list[int]
    unit: str
    multiplier: int
    currency: str | None
    current_label: str
    prior_label: str | None
    fiscal_year: int | None
    current_months: int | None = Field(
        description="months the current column covers (3, 6, 9, 12) for an income or cash-flow "
        "statement; null for a balance sheet, or when no heading printed it"
    )
    current_end: str | None = Field(
        description="end of the current period as far as printed: 2025-09-30, 2025-09 or 2025"
    )
    prior_months: int | None = Field(description="months the prior column covers")
    prior_end: str | None = Field(description="end of the prior period as far as printed")
    checks: list[dict[str, Any]]
    needs_review: bool
    status: str
    confirmed_by_id: uuid.UUID | None
    confirmed_at: datetime | None
    figures: list[FigureRead]


class FigureCorrection(BaseModel):
    """A credit manager's correction of one figure, with the reason."""

    code: Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,64}$")]
    period: Literal["current", "prior"]
    value: Decimal | None = Field(description="in the statement's unit; null for a blank cell")
    reason: Annotated[Text, StringConstraints(max_length=2000)]


class StatementConfirm(BaseModel):
    """Confirming a statement's figures so that they count for ratings."""

    fiscal_year: int | None = Field(None, ge=1900, le=2200, description="if not read")
    months: int | None = Field(
        None,
        ge=1,
        le=12,
        description="for an income or cash-flow statement whose headings did not say: the "
        "months its columns cover; without it they count as a year, marked unknown",
    )
    accept_failed_checks: bool = Field(False, description="confirm although a check fails")


class ExtractionRead(BaseModel):
    """A background reading of a document version and what it found."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    document_id: uuid.UUID
    version: int
    kind: str
    status: str
    reason: str | None
    attempts: int
    created_at: datetime
    finished_at: datetime | None
    result: dict[str, Any] | None


Confidence = Annotated[float, Field(ge=0, le=1)]


class LicenseFields(BaseModel):
    """What a business license (营业执照) was read to say, each field with its confidence."""

    name: str | None = None
    name_confidence: Confidence = 0
    uscc: Uscc | None = None
    uscc_confidence: Confidence = 0
    founded_on: date | None = None
    founded_on_confidence: Confidence = 0
    valid_from: date | None = None
    valid_until: date | None = Field(None, description="none when `indefinite` or not read")
    indefinite: bool = Field(False, description="营业期限 长期: the license has no end date")
    term_confidence: Confidence = 0
    registered_capital: Decimal | None = Field(None, description="注册资本, in `capital_currency`")
    capital_currency: str | None = None
    capital_confidence: Confidence = 0
    legal_representative: str | None = Field(None, description="法定代表人 (or 负责人, 经营者 …)")
    legal_representative_confidence: Confidence = 0
    address: str | None = Field(None, description="住所 or 经营场所")
    address_confidence: Confidence = 0
