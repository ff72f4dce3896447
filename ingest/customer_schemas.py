"""Request and response shapes of a customer file: opening it, its master data, its status and
the history of changes to them."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from ingest.method_schemas import Bilingual
from ingest.schemas import Industry, Text, Uscc, visible_only
from storage.models import CustomerStatus, Secrecy

# The code of a configured category (ingest/policy/customers.toml).
CategoryCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
Currency = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Z]{3}$")
]
# One line of visible text of at most so many characters (`ingest.schemas.Line`, with the
# length checked as a string's, so that a refusal says "characters").
Line100 = Annotated[Text, StringConstraints(max_length=100), AfterValidator(visible_only)]
Line200 = Annotated[Text, StringConstraints(max_length=200), AfterValidator(visible_only)]
Line300 = Annotated[Text, StringConstraints(max_length=300), AfterValidator(visible_only)]
Line2000 = Annotated[Text, StringConstraints(max_length=2000), AfterValidator(visible_only)]
Reason = Annotated[Text, StringConstraints(max_length=500), AfterValidator(visible_only)]
MAX_SHAREHOLDERS, MAX_BANKS = 50, 20


class Capital(BaseModel):
    """Registered capital (注册资本): an amount in a currency (ISO 4217, CNY unless given)."""

    model_config = ConfigDict(extra="forbid")

    amount: Annotated[Decimal, Field(ge=0, max_digits=20, decimal_places=2)]
    currency: Currency = "CNY"


class Shareholder(BaseModel):
    """One shareholder (股东) and its share of the capital, in per cent."""

    model_config = ConfigDict(extra="forbid")

    name: Line200
    share: Annotated[Decimal, Field(gt=0, le=100, max_digits=5, decimal_places=2)]


class BankReference(BaseModel):
    """A bank the customer keeps an account with (银行资信): the account number is shown to
    readers of the file and never written to a log; the history keeps its last four characters."""

    model_config = ConfigDict(extra="forbid")

    bank: Line100
    account_name: Line200
    account_no: (
        Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9A-Za-z -]{4,40}$")]
        | None
    ) = None


def _shares_add_up(shareholders: list[Shareholder]) -> list[Shareholder]:
    if sum((s.share for s in shareholders), Decimal(0)) > 100:
        raise ValueError("the shares add up to more than 100 %")
    return shareholders


Shareholders = Annotated[
    list[Shareholder], Field(max_length=MAX_SHAREHOLDERS), AfterValidator(_shares_add_up)
]
BankReferences = Annotated[list[BankReference], Field(max_length=MAX_BANKS)]


class MasterData(BaseModel):
    """The customer's master data (DOMAIN.md "What a customer file holds"); the API checks
    that dates are not in the future and that the category is a configured one."""

    category: CategoryCode | None = Field(None, description="a code of GET /customers/categories")
    industry: Industry = None
    registered_capital: Capital | None = None
    legal_representative: Line100 | None = None
    address: Line300 | None = None
    business_scope: Line2000 | None = None
    founded_on: date | None = None
    shareholders: Shareholders = Field(default_factory=list)
    bank_references: BankReferences = Field(default_factory=list)
    cooperation_since: date | None = Field(None, description="when the company began to trade")


class CustomerCreate(MasterData):
    """A new customer file."""

    name: Annotated[Text, StringConstraints(max_length=200)]
    uscc: Uscc
    department_id: uuid.UUID | None = Field(None, description="default: your own department")
    custodian_id: uuid.UUID | None = Field(None, description="default: yourself")
    secrecy: Secrecy = Field(Secrecy.internal, description="default level of its documents")


class CustomerUpdate(MasterData):
    """A change to the customer's record: only the fields sent change (null clears one), and
    the reason is kept in its history."""

    model_config = ConfigDict(extra="forbid")

    name: Line200 | None = None
    reason: Reason

    @field_validator("name", "shareholders", "bank_references", mode="before")
    @classmethod
    def _not_cleared(cls, value: Any) -> Any:
        # Sent as null: a name cannot be removed, and an empty list says "none" plainly.
        if value is None:
            raise ValueError("cannot be cleared (null); send a value")
        return value


class StatusChange(BaseModel):
    """A move of the customer through its lifecycle, with the reason."""

    model_config = ConfigDict(extra="forbid")

    status: CustomerStatus
    reason: Reason


class CustomerRead(BaseModel):
    """A customer as lists show it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    uscc: str
    category: str | None
    industry: str | None
    status: CustomerStatus
    department_id: uuid.UUID
    custodian_id: uuid.UUID
    secrecy: Secrecy
    important: bool = Field(description="重要客户 (004 §4.1.2): its file is kept apart")
    created_at: datetime


class CustomerSummary(CustomerRead):
    """A customer with the names a person reads and its grade."""

    department_name: str
    custodian_name: str
    grade: str | None = Field(
        description="of the latest saved rating; none if unrated or if you may not read its credit"
    )


class CustomerDetail(CustomerSummary):
    """One customer file with its master data, as its readers see it (the reading is audited)."""

    registered_capital: Capital | None
    legal_representative: str | None
    address: str | None
    business_scope: str | None
    founded_on: date | None
    shareholders: list[Shareholder]
    bank_references: list[BankReference]
    cooperation_since: date | None
    status_choices: list[CustomerStatus] = Field(
        description="the statuses you may move the customer to from where it stands"
    )


class Category(BaseModel):
    """A customer category offered for choosing, named in both languages."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: CategoryCode
    title: Bilingual


class FieldChange(BaseModel):
    """One field of a change, before and after (in JSON form; account numbers masked)."""

    field: str
    before: Any
    after: Any


class CustomerChangeRead(BaseModel):
    """One change of a customer's record, newest first in its history."""

    id: uuid.UUID
    created_at: datetime
    kind: Literal["edit", "status", "license", "secrecy", "important"]
    reason: str | None = Field(description="none only for fields taken from a license")
    changed_by_id: uuid.UUID
    changed_by_name: str
    document_id: uuid.UUID | None = Field(description="the license the fields were read from")
    changes: list[FieldChange]
