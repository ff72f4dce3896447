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


class Statement(BaseModel):
    """A balance sheet, income statement or cash-flow statement read from a document."""

    type: StatementType
    scope: Literal["consolidated", "parent"]
    title: str
    pages: list[int]
    unit: str
    multiplier: int
    currency: str | None
    columns: dict[str, str]
    items: dict[str, Figure]
    checks: list[Check]
    needs_review: bool
