"""Request and response shapes of customers and documents."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from ingest.uscc import uscc_problem
from storage.models import DocType, Secrecy


def _valid_uscc(code: str) -> str:
    problem = uscc_problem(code)
    if problem:
        raise ValueError(f"not a valid unified social credit code: {problem}")
    return code


Uscc = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True),
    AfterValidator(_valid_uscc),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class CustomerCreate(BaseModel):
    """A new customer file."""

    name: Annotated[Text, StringConstraints(max_length=200)]
    uscc: Uscc
    category: Annotated[Text, StringConstraints(max_length=64)] | None = None
    department_id: uuid.UUID | None = Field(None, description="default: your own department")
    custodian_id: uuid.UUID | None = Field(None, description="default: yourself")
    secrecy: Secrecy = Field(Secrecy.internal, description="default level of its documents")


class CustomerRead(BaseModel):
    """A customer as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    uscc: str
    category: str | None
    department_id: uuid.UUID
    custodian_id: uuid.UUID
    secrecy: Secrecy
    created_at: datetime


class DocumentCreate(BaseModel):
    """The descriptive fields sent with a new document."""

    doc_type: DocType
    title: Annotated[Text, StringConstraints(max_length=300)]
    secrecy: Secrecy | None = Field(None, description="default: the customer's level")
    issued_on: date | None = None
    expires_on: date | None = None
    contract_no: Annotated[Text, StringConstraints(max_length=100)] | None = None
    counterparty: Annotated[Text, StringConstraints(max_length=200)] | None = None
    amount: Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)] | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        if self.issued_on and self.expires_on and self.expires_on < self.issued_on:
            raise ValueError("expires_on is before issued_on")
        return self


class VersionRead(BaseModel):
    """One stored version of a document."""

    model_config = ConfigDict(from_attributes=True)

    version: int
    filename: str
    media_type: str
    size: int
    sha256: str
    created_at: datetime


class SecrecyChange(BaseModel):
    """A new secrecy level for a document; lowering one needs a reason."""

    secrecy: Secrecy
    reason: Annotated[Text, StringConstraints(max_length=500)] | None = None


Place = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class OriginalPlace(BaseModel):
    """Where the paper original of a document is kept."""

    cabinet: Place
    shelf: Place | None = None
    box: Place | None = None


class DocumentRead(BaseModel):
    """A document with its versions, newest last."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    customer_id: uuid.UUID
    doc_type: DocType
    title: str
    secrecy: Secrecy
    issued_on: date | None
    expires_on: date | None
    contract_no: str | None
    counterparty: str | None
    amount: Decimal | None
    latest_version: int
    original_cabinet: str | None
    original_shelf: str | None
    original_box: str | None
    filed_at: datetime | None = Field(description="when the archive accepted it")
    created_at: datetime
    versions: list[VersionRead]
