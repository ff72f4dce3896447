"""Request and response shapes of documents, statements and extractions, and the text types
every shape uses (a customer file's own are `ingest.customer_schemas`)."""

from __future__ import annotations

import unicodedata
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
from storage.models import Channel, Direction, DocType, Secrecy


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


def visible_only(text: str) -> str:
    """The text, if it holds no control or bidirectional formatting character."""
    # Refused, not stripped: a title is typed, and U+202E can make it read as something else.
    for character in text:
        if unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp"):
            raise ValueError(
                f"control and bidirectional formatting characters (here U+{ord(character):04X}) "
                "are refused, not stripped"
            )
    return text


# One line of visible text: no control characters, no bidi overrides or isolates.
Line = Annotated[Text, AfterValidator(visible_only)]
# What is typed into a search box: may be empty, but holds no control character (PostgreSQL
# keeps no NUL in text, and would answer the query with an error).
Typed = Annotated[str, AfterValidator(visible_only)]


Industry = Annotated[
    Annotated[Line, StringConstraints(min_length=1, max_length=64)] | None,
    Field(
        description="its industry (白酒, 电力, manufacturing …): chooses the credit reference "
        "table of its ratings; none: the default table, with a warning"
    ),
]


class Person(BaseModel):
    """Someone named in a list: who keeps a customer file."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    display_name: str


class DepartmentChoice(BaseModel):
    """A department whose customers the caller may see, or where they may open one."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    name: str
    may_open: bool = Field(description="the caller may open a customer file here")


class ExtractionState(BaseModel):
    """Where the background reading of a document version stands, without what it read."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    version: int
    kind: str
    status: str
    reason: str | None
    created_at: datetime
    finished_at: datetime | None


# Who wrote a letter or took a call, and to whom: a name, a company, a department.
Party = Annotated[Line, StringConstraints(max_length=200)]
# Which of 004 附件四's five reminders a collection letter is (`ingest.letters.LEVELS`).
EscalationLevel = Annotated[
    int, Field(ge=1, le=5, description="1 first reminder … 5 last demand before suing")
]


class LetterFields(BaseModel):
    """What correspondence and collection letters record besides the other documents' fields;
    `ingest.letters` refuses them on any other type. Its date is `issued_on`."""

    channel: Channel | None = None
    direction: Direction | None = None
    sender: Party | None = None
    recipient: Party | None = None
    escalation_level: EscalationLevel | None = Field(None, description="collection letters only")


class DocumentCreate(LetterFields):
    """The descriptive fields sent with a new document."""

    doc_type: DocType
    title: Annotated[Line, StringConstraints(max_length=300)]
    secrecy: Secrecy | None = Field(None, description="default: the customer's level")
    issued_on: date | None = None
    expires_on: date | None = None
    contract_no: Annotated[Line, StringConstraints(max_length=100)] | None = None
    counterparty: Annotated[Line, StringConstraints(max_length=200)] | None = None
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
    channel: Channel | None = None
    direction: Direction | None = None
    sender: str | None = None
    recipient: str | None = None
    escalation_level: int | None = None
    latest_version: int
    original_cabinet: str | None
    original_shelf: str | None
    original_box: str | None
    filed_at: datetime | None = Field(description="when the archive accepted it")
    created_at: datetime
    versions: list[VersionRead]
    disposal_id: uuid.UUID | None = Field(
        None, description="the disposal that reduced it to a tombstone (no title, no content)"
    )
    disposed_at: datetime | None = None
