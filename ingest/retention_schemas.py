"""Request and response shapes of retention: legal holds and the list of what is due."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ingest.customer_schemas import Line100, Reason
from storage.models import DocType, Secrecy

HoldScope = Literal["customer", "contract", "document"]
DisposalState = Literal["due", "held", "undated"]


class HoldCreate(BaseModel):
    """A legal hold on a customer's whole file, or on one of its contracts (every document of
    the file carrying its contract number), with the reason."""

    model_config = ConfigDict(extra="forbid")

    scope: Literal["customer", "contract"] = "customer"
    contract_no: Line100 | None = Field(None, description="the contract held (scope contract)")
    reason: Reason

    @model_validator(mode="after")
    def _contract_named(self) -> Self:
        if (self.scope == "contract") != (self.contract_no is not None):
            raise ValueError("contract_no is given exactly when the scope is contract")
        return self


class HoldReason(BaseModel):
    """Why a hold is set on a document, or why a hold is lifted."""

    model_config = ConfigDict(extra="forbid")

    reason: Reason


class HoldRead(BaseModel):
    """A legal hold: what it covers, who set it, when and why; who lifted it, when and why."""

    id: uuid.UUID
    customer_id: uuid.UUID
    scope: HoldScope
    contract_no: str | None
    document_id: uuid.UUID | None
    document_title: str | None
    reason: str
    set_at: datetime
    set_by_id: uuid.UUID
    set_by_name: str
    active: bool
    lifted_at: datetime | None
    lifted_by_id: uuid.UUID | None
    lifted_by_name: str | None
    lift_reason: str | None


class DisposalItem(BaseModel):
    """A document on the disposal list: its retention, and the holds that keep it."""

    document_id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str
    doc_type: DocType
    title: str
    secrecy: Secrecy
    contract_no: str | None
    years: int = Field(description="kept so many years after the trigger date")
    trigger: Literal["term_end", "issued", "filed", "uploaded"] | None = Field(
        description="which date retention counts from; none when the document has none"
    )
    trigger_on: date | None
    due_on: date | None
    holds: list[HoldRead]


class DisposalList(BaseModel):
    """One page of the disposal list in one state, as of a calendar day."""

    as_of: date
    state: DisposalState
    items: list[DisposalItem]
    total: int
    limit: int
    offset: int
