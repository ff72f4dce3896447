"""Request and response shapes of the contract ledger (合同管理台帐)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from ingest.customer_schemas import Currency, FieldChange, Line200, Line300, Reason
from storage.models import ContractKind, ContractStatus

CENT = Decimal("0.01")


def _in_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT)


# Kept, shown and compared in cents, however it was typed.
Amount = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2), AfterValidator(_in_cents)]
# Fields a contract's record holds, changed by an edit; the number, customer and kind never.
EDITABLE = (
    "title", "counterparty", "amount", "currency", "status", "signed_on", "term_start",
    "term_end", "custodian_id", "handed_to_credit_on", "handed_to_archive_on",
)  # fmt: skip


class _Dates(BaseModel):
    """The checks of a contract's dates that need nothing stored."""

    term_start: date | None = None
    term_end: date | None = None
    handed_to_credit_on: date | None = None
    handed_to_archive_on: date | None = None

    @model_validator(mode="after")
    def _in_order(self) -> Self:
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValueError("term_end is before term_start")
        credit, archive = self.handed_to_credit_on, self.handed_to_archive_on
        if archive and credit and archive < credit:
            raise ValueError("handed_to_archive_on is before handed_to_credit_on")
        return self


class ContractCreate(_Dates):
    """A new contract of a customer; its number is given by its department's sequence."""

    model_config = ConfigDict(extra="forbid")

    kind: ContractKind = ContractKind.original
    status: ContractStatus = Field(ContractStatus.draft, description="draft until signed")
    title: Line300
    counterparty: Line200 = Field(description="对方当事人: the other party as it signs")
    amount: Amount | None = None
    currency: Currency = "CNY"
    signed_on: date | None = None
    amends_id: uuid.UUID | None = Field(
        None, description="the contract an amendment or termination changes (same customer)"
    )
    custodian_id: uuid.UUID | None = Field(
        None, description="承办人; default: yourself, or the file's custodian if you cannot keep it"
    )
    document_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=200, description="documents of the file that belong to it"
    )


class ContractUpdate(_Dates):
    """A change to a contract's record: only the fields sent change (null clears one), with
    the reason kept in its history."""

    model_config = ConfigDict(extra="forbid")

    title: Line300 | None = None
    counterparty: Line200 | None = None
    amount: Amount | None = None
    currency: Currency | None = None
    status: ContractStatus | None = None
    signed_on: date | None = None
    custodian_id: uuid.UUID | None = None
    reason: Reason

    @field_validator("title", "counterparty", "currency", "status", "custodian_id", mode="before")
    @classmethod
    def _not_cleared(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("cannot be cleared (null); send a value")
        return value


class ContractLink(BaseModel):
    """Documents of the contract's customer to join to it; each takes the contract's number."""

    model_config = ConfigDict(extra="forbid")

    document_ids: list[uuid.UUID] = Field(min_length=1, max_length=200)
    reason: Reason


class Handover(BaseModel):
    """One hand-over a contract is due (003 篇2 §3), as of today."""

    step: Literal["to_credit", "to_archive"]
    due_on: date | None = Field(description="none until the step before it is done")
    done_on: date | None
    overdue: bool


class ContractRead(BaseModel):
    """A contract as the ledger lists it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    customer_name: str
    department_id: uuid.UUID = Field(description="its customer's department")
    kind: ContractKind
    status: ContractStatus
    title: str
    counterparty: str
    amount: Decimal | None
    currency: str
    signed_on: date | None
    term_start: date | None
    term_end: date | None
    amends_id: uuid.UUID | None
    custodian_id: uuid.UUID
    custodian_name: str
    handed_to_credit_on: date | None
    handed_to_archive_on: date | None
    handovers: list[Handover]
    created_at: datetime


class ContractDocument(BaseModel):
    """A document of the contract, among those you may know exist."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    doc_type: str
    title: str
    secrecy: str
    issued_on: date | None
    created_at: datetime
    filed_at: datetime | None


class ContractChangeRead(BaseModel):
    """One change of a contract's record, newest first."""

    id: uuid.UUID
    created_at: datetime
    kind: Literal["create", "edit", "link"]
    reason: str | None
    changed_by_id: uuid.UUID
    changed_by_name: str
    changes: list[FieldChange]


class ContractDetail(ContractRead):
    """One contract with its documents and history (the reading is audited)."""

    documents: list[ContractDocument]
    history: list[ContractChangeRead]
    editable: bool = Field(description="you may change it and link documents")


class StatisticsRow(BaseModel):
    """Contracts of one department signed in the half year, of one kind, status and currency."""

    department_id: uuid.UUID
    department_name: str
    kind: ContractKind
    status: ContractStatus
    currency: str
    count: int
    amount: Decimal = Field(description="the sum of their amounts (none given counts as 0)")


class Statistics(BaseModel):
    """The half-yearly contract statistics (合同统计报表, due 10 January and 10 July)."""

    year: int
    half: Literal[1, 2]
    starts_on: date
    ends_on: date
    due_on: date = Field(description="when the report is due to the group")
    rows: list[StatisticsRow]
