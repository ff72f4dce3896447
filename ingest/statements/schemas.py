"""What statement extraction hands on: statements, their figures with provenance, and checks."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

StatementType = Literal["balance_sheet", "income_statement", "cash_flow_statement"]


class Figure(BaseModel):
    """One item of a statement: both periods in the statement's unit, and where it was read."""

    current: Decimal | None
    prior: Decimal | None
    page: int
    label: str
    raw: list[str | None]  # the amounts as printed, current then prior
    position: tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points
    confidence: float = Field(ge=0, le=1)


class Check(BaseModel):
    """An accounting identity or bound tested on the figures."""

    name: str
    ok: bool
    detail: str
    items: list[str] = Field(default_factory=list)  # the item codes it involves
    # An identity ("=") holding confirms its figures to the last digit; a bound ("<=") only
    # rules out gross misreadings, so it never vouches for a figure.
    relation: Literal["=", "<="] = "="


class Period(BaseModel):
    """The period a column covers, as its headings print it and as far as they say."""

    heading: str  # every heading over the column, top line first
    months: int | None  # 3, 6, 9, 12 for a flow; None for a balance date or when not printed
    end: str | None  # "2025-09-30", "2025-09" or "2025": as much of the end as is printed


class Statement(BaseModel):
    """A balance sheet, income statement or cash-flow statement read from a document."""

    type: StatementType
    # "parent": a parent company's own statement beside the group's; "company": the statement
    # of a company reporting alone (no title or column heading of the document names a group).
    scope: Literal["consolidated", "parent", "company"]
    title: str
    pages: list[int]
    unit: str
    multiplier: int
    currency: str | None
    columns: dict[str, str]
    items: dict[str, Figure]
    checks: list[Check]
    needs_review: bool
    periods: dict[str, Period] = Field(default_factory=dict)  # "current", "prior"
    review: list[str] = Field(default_factory=list)  # why it needs review beyond failed checks


class Extracted(BaseModel):
    """A document's statements, and the pages left out because OCR could not read them in time
    (any statement that may lie on one has a failed check saying so)."""

    statements: list[Statement]
    unread_pages: list[int] = Field(default_factory=list)
