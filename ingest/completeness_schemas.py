"""What a customer file must hold (configuration), and what it lacks (the API's answers)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ingest.customer_schemas import CategoryCode
from storage.models import CustomerStatus, DocType

State = Literal["present", "expired", "missing"]


class Requirement(BaseModel):
    """A document type a customer file must hold, for which customers, and how long one of
    them meets it (ingest/policy/customers.toml, `[[requirement]]`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    doc_type: DocType
    categories: tuple[CategoryCode, ...] | None = Field(None, min_length=1)
    statuses: tuple[CustomerStatus, ...] = tuple(CustomerStatus)
    valid_months: int | None = Field(None, ge=1, le=1200)
    years: int | None = Field(None, ge=1, le=20)
    due: str | None = Field(None, pattern=r"^[0-9]{2}-[0-9]{2}$", description="MM-DD")

    @model_validator(mode="after")
    def _one_kind(self) -> Self:
        if self.years is None:
            if self.due is not None:
                raise ValueError("due: only with years (one document for each fiscal year)")
            return self
        if self.due is None:
            raise ValueError("years: give due too, the month-day a year's document is due by")
        if self.valid_months is not None:
            raise ValueError("valid_months: not with years (a year's document is renewed yearly)")
        try:
            self.due_on(2001)  # not a leap year: 02-29 would be missing three years in four
        except ValueError:
            raise ValueError(f"due: {self.due} is not a day of every year (MM-DD)") from None
        return self

    def applies(self, category: str | None, status: str) -> bool:
        """Whether a customer of this category and status must meet it."""
        wanted = self.categories is None or category in self.categories
        return wanted and status in self.statuses

    def due_on(self, year: int) -> date:
        """The day the document of fiscal `year` is due by (of a yearly requirement)."""
        month, day = (self.due or "").split("-")
        return date(year + 1, int(month), int(day))


class CompletenessItem(BaseModel):
    """One thing the file must hold, and whether it does as of the day asked."""

    doc_type: DocType
    year: int | None = Field(description="the fiscal year, for a document required every year")
    state: State = Field(description="present, expired (none that still counts), or missing")
    document_id: uuid.UUID | None = Field(
        description="the document that meets it, or the last that did; none when missing"
    )
    expires_on: date | None = Field(
        description="the last day that document counts (present) or counted (expired); "
        "none when it does not expire"
    )
    due_on: date | None = Field(description="when a fiscal year's document was due")


class Completeness(BaseModel):
    """What a customer file must hold and lacks, from the documents the reader may know exist."""

    customer_id: uuid.UUID
    as_of: date
    complete: bool
    items: list[CompletenessItem]


class IncompleteFile(BaseModel):
    """A customer file lacking something, with who keeps it and only what it lacks."""

    customer_id: uuid.UUID
    customer_name: str
    uscc: str
    category: str | None
    status: CustomerStatus
    department_id: uuid.UUID
    department_name: str
    custodian_id: uuid.UUID
    custodian_name: str
    gaps: list[CompletenessItem]


class IncompleteReport(BaseModel):
    """The incomplete files the caller may see, by department, custodian and customer."""

    as_of: date
    total: int
    items: list[IncompleteFile]


class DeadlineRead(BaseModel):
    """An open upkeep deadline of a customer file, as the daily round recorded it."""

    id: uuid.UUID
    reference: str = Field(description="the short reference its notices carry")
    customer_id: uuid.UUID
    customer_name: str
    kind: Literal[
        "license_expiry", "statement_due", "review_due", "contract_to_credit",
        "contract_to_archive", "document_handin",
    ]  # fmt: skip
    document_id: uuid.UUID | None = Field(None, description="the document handed in late")
    year: int | None = Field(description="the fiscal year, for annual statements due")
    contract_id: uuid.UUID | None = Field(None, description="the contract to hand over")
    contract_number: str | None = None
    due_on: date
    overdue: bool = Field(description="its day has passed and it is not resolved")
    raised_on: date
    notified_on: date = Field(description="the last notice; an overdue one is repeated weekly")
    notices: int
