"""Shapes of a rating's method: texts in both languages, scoring methods, where each choice
comes from, figure sources, coverage shortfalls and the grade cap."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

Points = Annotated[Decimal, Field(ge=0, le=100)]
# Validation context of a policy or tables file: there a text must be given in both languages.
POLICY_FILE = {"policy_file": True}


class Bilingual(BaseModel):
    """A text in Chinese and in English; a seed cited ("004 附件三") is written alike in both."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _one_text(cls, data: Any, info: ValidationInfo) -> Any:
        # Ratings stored before texts had two languages kept one string, often both mixed: it
        # is shown as stored, in either language. A policy file must give both.
        if not isinstance(data, str):
            return data
        if (info.context or {}).get("policy_file"):
            raise ValueError('give the text in both languages: { zh = "…", en = "…" }')
        return {"zh": data, "en": data}


class ScoringMethod(BaseModel):
    """Points at an indicator's low and high reference values, linear between; 100 at most
    above the high value, 0 at least below the low one."""

    model_config = ConfigDict(extra="forbid")

    title: Bilingual
    low_points: Points
    high_points: Points
    source: Bilingual
    seed: bool = Field(description="the seeds give it; false when it is Dangan's own choice")

    @model_validator(mode="after")
    def _rising(self) -> Self:
        if self.low_points >= self.high_points:
            raise ValueError("low_points must be below high_points")
        return self


class ChoiceSource(BaseModel):
    """Where a choice of the policy comes from."""

    model_config = ConfigDict(extra="forbid")

    source: Bilingual
    seed: bool


class Choice(BaseModel):
    """A choice a rating used, its value and whether the seeds give it or it is Dangan's own."""

    name: str
    value: str = Field(description="as the policy writes it: codes, numbers, grades")
    source: Bilingual
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


class FigureGap(BaseModel):
    """A statement figure an indicator needs that is not given, or printed blank."""

    code: str
    year: int
    blank: bool = Field(description="printed blank, rather than not given")


class Shortfall(BaseModel):
    """Something a grade needs that is not on file."""

    kind: Literal["year", "statement", "indicator"]
    name: str
    year: int | None
    reason: str
    gap: FigureGap | None = Field(
        None, description="the figure an indicator lacks, apart from the reason's words"
    )


class GradeCap(BaseModel):
    """The highest grade allowed and why (003 篇5 第十四条)."""

    grade: str
    reasons: list[str]
    uncapped_grade: str | None = Field(description="the grade the score alone would give")
    # None and empty in caps stored before the reasons were kept apart from their words.
    history_years: int | None = Field(
        None,
        description="full fiscal years on file ending with the rated one, counted up to "
        "required_years",
    )
    required_years: int | None = Field(None, description="full years needed for no cap")
    history_gaps: list[Shortfall] = Field(
        default_factory=list,
        description="what keeps the year before history_years from being a full year on file, "
        "where some of it is on file",
    )
    missing: list[str] = Field(
        default_factory=list, description="indicators whose figures are not given"
    )


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
