"""Shapes of a rating's method: scoring methods, where each choice comes from, figure sources,
coverage shortfalls and the grade cap."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

Points = Annotated[Decimal, Field(ge=0, le=100)]


class ScoringMethod(BaseModel):
    """Points at an indicator's low and high reference values, linear between; 100 at most
    above the high value, 0 at least below the low one."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1)
    low_points: Points
    high_points: Points
    source: str = Field(min_length=1)
    seed: bool = Field(description="the seeds give it; false when it is Dangan's own choice")

    @model_validator(mode="after")
    def _rising(self) -> Self:
        if self.low_points >= self.high_points:
            raise ValueError("low_points must be below high_points")
        return self


class ChoiceSource(BaseModel):
    """Where a choice of the policy comes from."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=1)
    seed: bool


class Choice(BaseModel):
    """A choice a rating used, its value and whether the seeds give it or it is Dangan's own."""

    name: str
    value: str
    source: str
    seed: bool


class Outcome(StrEnum):
    """How an indicator was scored."""

    value = "value"  # from its computed value
    above = "above"  # its denominator is nil and its numerator positive: beyond every value
    below = "below"  # its denominator is nil and its numerator negative: below every value
    undefined = "undefined"  # the formula is undefined by sign (negative equity, a loss base)
    missing = "missing"  # a figure is not given: scored at the bottom
    left_out = "left_out"  # a figure is printed blank: not scored, named


class FigureSource(BaseModel):
    """Where a confirmed figure was read: statement, scope, report year, column, document, page."""

    statement: str
    scope: str
    report_year: int = Field(description="fiscal year of the statement's current column")
    column: Literal["current", "prior"]
    document_id: str
    page: int


class Shortfall(BaseModel):
    """Something a grade needs that is not on file."""

    kind: Literal["year", "statement", "indicator"]
    name: str
    year: int | None
    reason: str


class GradeCap(BaseModel):
    """The highest grade allowed and why (003 篇5 第十四条)."""

    grade: str
    reasons: list[str]
    uncapped_grade: str | None = Field(description="the grade the score alone would give")


class YearMargin(BaseModel):
    """One fiscal year's profit margin and the figures it comes from."""

    year: int
    revenue: Decimal | None
    net_profit: Decimal | None
    margin: Decimal | None = Field(description="net profit / revenue; none when not computed")
    sources: dict[str, FigureSource] = Field(default_factory=dict)


class AverageMargin(BaseModel):
    """近三年平均利润率 (000): the mean of three full years' margins, or what is missing."""

    formula: str
    years: list[YearMargin]
    value: Decimal | None = Field(description="none when a year is missing: see shortfalls")
    shown: Decimal | None = Field(None, description="in percent")
    shortfalls: list[Shortfall]
    scored: bool = Field(description="whether it counts in the score")
    note: str
