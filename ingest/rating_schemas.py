"""Shapes of a rating: what it is computed from, its scores, limit and warnings, as stored."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ingest.credit_schemas import (
    Figures,
    FlowMonths,
    Indicator,
    RatingPolicy,
    ReferenceTable,
    YearRatios,
)
from ingest.credit_terms_schemas import (
    Collateral,
    FactorScore,
    LimitChange,
    PreviousRating,
    Score,
    ScoredFactor,
    Settlement,
    WarningCut,
)
from ingest.method_schemas import (
    AverageMargin,
    Choice,
    FigureGap,
    FigureSource,
    GradeCap,
    Outcome,
    ScoringMethod,
    Shortfall,
)


class RatingRequest(BaseModel):
    """What a rating is computed from, besides the policy."""

    figures: Figures = Field(description="confirmed figures in yuan by fiscal year")
    flow_months: FlowMonths = Field(
        default_factory=dict,
        description="months each flow figure covers, by fiscal year and item; null when not "
        "printed; a flow not listed is taken as unknown",
    )
    table: str | None = Field(
        None, description="industry reference table; default: the customer's industry's"
    )
    industry: str | None = Field(
        None, description="the customer's industry: chooses the table when none is named"
    )
    qualitative_score: Score | None = Field(None, description="entered by a credit manager")
    order_volume: Annotated[Decimal, Field(ge=0)] | None = Field(
        None, description="orders of the last quarter (or month) in yuan"
    )
    credit_period_days: int | None = Field(None, gt=0, description="the industry's standard")
    today: date
    license_expires_on: date | None = None
    review_due_on: date | None = Field(None, description="next review date set by the last rating")
    scope: str | None = Field(None, description="consolidated, parent or company: one per rating")
    sources: dict[int, dict[str, FigureSource]] = Field(
        default_factory=dict, description="where each figure was read, by fiscal year and item"
    )
    blanks: dict[int, list[str]] = Field(
        default_factory=dict, description="items printed blank, by fiscal year"
    )
    method: str | None = Field(None, description="scoring method; default: the policy's")
    qualitative_factors: list[ScoredFactor] | None = Field(
        None, description="the factors the qualitative score is derived from; none: one number"
    )
    collateral: Collateral | None = None
    orders_through: date | None = Field(
        None, description="last day of the quarter (or month) the order volume covers"
    )
    order_volume_source: Literal["entered", "erp"] = Field(
        "entered", description="entered by the rater, or invoiced as the ERP delivered it"
    )
    previous: PreviousRating | None = Field(None, description="the rating this one adjusts")
    override_reason: str | None = Field(None, description="why the allowed credit may rise")
    surveyed_on: date | None = Field(None, description="date of the latest credit survey report")


class IndicatorScore(BaseModel):
    """One indicator scored against its reference values."""

    indicator: Indicator
    value: Decimal | None = Field(description="none when it scored beyond or without a value")
    high: Decimal
    low: Decimal
    score: Decimal
    weight: Decimal
    outcome: Outcome = Outcome.value
    reason: str | None = Field(None, description="why it scored without a value")
    gap: FigureGap | None = Field(None, description="the figure it lacks, when it is missing")
    shown_unit: str | None = Field(None, description="%, times or yuan, as the seed tables")
    value_shown: Decimal | None = None
    high_shown: Decimal | None = None
    low_shown: Decimal | None = None


class CreditLimit(BaseModel):
    """信用限额 = order volume × credit terms / window; 赊销额度 = limit × risk coefficient."""

    order_volume: Decimal
    order_volume_source: Literal["entered", "erp"] = "entered"
    credit_period_days: int = Field(description="the standard credit period entered")
    order_window_days: int
    limit: Decimal = Field(description="信用限额, the credit limit (004 §2.2)")
    risk_coefficient: Decimal | None
    allowed: Decimal | None = Field(
        description="赊销额度, the allowed credit (004 §2.3); none without a grade"
    )
    # Defaults for ratings stored before the seed's rules were applied.
    terms_days: int | None = Field(None, description="credit terms granted: the period, capped")
    max_credit_days: int | None = Field(None, description="the grade's cap on credit terms")
    settlement: Settlement | None = Field(None, description="how the customer pays")
    collateral_value: Decimal | None = Field(None, description="value of the collateral recorded")
    warning_cut: WarningCut | None = Field(None, description="cut by open early warnings")


class CreditWarning(BaseModel):
    """An early warning, with the figures that raised it."""

    code: str
    message_zh: str
    message_en: str
    figures: dict[str, Decimal | date]


class Rating(BaseModel):
    """A customer's rating with every input it used, so it can be stored and checked again."""

    request: RatingRequest
    policy: RatingPolicy
    table_name: str
    table: ReferenceTable
    rated_year: int | None
    ratios: list[YearRatios]
    scores: list[IndicatorScore]
    unscored: dict[Indicator, str]
    quantitative_score: Decimal | None
    combined_score: Decimal | None
    grade: str | None
    ungraded_reason: str | None
    credit_limit: CreditLimit | None
    next_review_on: date | None
    warnings: list[CreditWarning]
    # Defaults for ratings stored before issue 18's method, coverage and sources were kept.
    method: str | None = Field(None, description="the scoring method used")
    scoring: ScoringMethod | None = None
    scope: str | None = Field(None, description="the one scope all figures come from")
    shortfalls: list[Shortfall] = Field(
        default_factory=list, description="what a grade needs that is not on file"
    )
    left_out: dict[Indicator, str] = Field(
        default_factory=dict, description="indicators not scored: a figure printed blank"
    )
    cap: GradeCap | None = Field(None, description="the grade cap applied, and why")
    choices: list[Choice] = Field(default_factory=list, description="every method choice used")
    method_warnings: list[CreditWarning] = Field(
        default_factory=list,
        description="about how it was rated, not the customer: a default or example table",
    )
    change: LimitChange | None = Field(None, description="allowed credit against the last rating")
    average_margin: AverageMargin | None = Field(
        None, description="近三年平均利润率, or the years it lacks; none without a rated year"
    )


class RatingCreate(BaseModel):
    """What a credit manager enters to rate a customer; figures come from confirmed statements."""

    qualitative_score: Score | None = Field(
        None, description="one total; ratings are scored factor by factor (qualitative_factors)"
    )
    qualitative_factors: list[FactorScore] | None = Field(
        None, description="000's factors, each scored 0–100; the total is derived"
    )
    # Bounded so the limit computed from it (× up to 3650 days) fits its Numeric(18, 2) column.
    order_volume: Annotated[Decimal, Field(ge=0, le=10**12)] | None = Field(
        None,
        description="last quarter's orders, yuan; none: what the ERP invoiced in the order "
        "window up to today, if it delivered any transactions of the customer",
    )
    credit_period_days: int = Field(gt=0, le=3650, description="the standard credit period")
    table: str | None = Field(
        None,
        description="industry reference table, or an industry it is for; default: the "
        "customer's industry's, else electronics",
    )
    orders_through: date | None = Field(
        None, description="last day of the period the order volume covers"
    )
    collateral: Collateral | None = Field(None, description="security given (B and below)")
    override_reason: str | None = Field(
        None, min_length=1, max_length=500, description="why the allowed credit rises (第三十一条)"
    )

    @model_validator(mode="after")
    def _one_qualitative(self) -> Self:
        if (self.qualitative_score is None) == (self.qualitative_factors is None):
            raise ValueError("give either qualitative_factors or qualitative_score")
        factors = [f.factor for f in self.qualitative_factors or []]
        if len(set(factors)) != len(factors):
            raise ValueError("a qualitative factor is given twice")
        return self


class RatingRead(BaseModel):
    """A stored rating: its headline figures, what was entered and the whole computation."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    customer_id: uuid.UUID
    rated_by_id: uuid.UUID
    rated_by_name: str
    rated_on: date = Field(description="the company calendar day it was made; it dates everything")
    grade: str | None
    score: Decimal | None
    credit_limit: Decimal | None = Field(description="信用限额, the credit limit, yuan")
    allowed_credit: Decimal | None = Field(description="赊销额度, the allowed credit, yuan")
    next_review_on: date | None = Field(description="from its own date, by its grade")
    inputs: RatingCreate
    result: Rating
    created_at: datetime
