"""Shapes of the credit profile: ratios, reference tables, rating policy and the stored rating."""

from __future__ import annotations

import itertools
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ingest.credit_terms_schemas import (
    CreditRules,
    Score,
    Weight,
)
from ingest.method_schemas import (
    Bilingual,
    ChoiceSource,
    FigureGap,
    FigureSource,
    Outcome,
    ScoringMethod,
)

# Confirmed statement figures: fiscal year → item code → value in yuan.
Figures = dict[int, dict[str, Decimal]]
# Months covered by each confirmed flow figure (income and cash-flow statements): fiscal year →
# item code → months, None when no heading printed it. Balances are not listed.
FlowMonths = dict[int, dict[str, int | None]]


class Indicator(StrEnum):
    """A quantitative indicator of 004 附件二/附件三."""

    roe = "roe"
    roa = "roa"
    gross_margin = "gross_margin"
    asset_turnover = "asset_turnover"
    inventory_turnover = "inventory_turnover"
    receivables_turnover = "receivables_turnover"
    debt_ratio = "debt_ratio"
    current_ratio = "current_ratio"
    cash_ratio = "cash_ratio"
    sales_growth = "sales_growth"
    asset_growth = "asset_growth"
    profit_growth = "profit_growth"
    capital_accumulation = "capital_accumulation"
    working_capital = "working_capital"
    total_profit = "total_profit"
    tangible_net_assets = "tangible_net_assets"


class Unit(StrEnum):
    """How an indicator's value reads: a share of 1 (shown as %), times, or yuan."""

    fraction = "fraction"
    times = "times"
    yuan = "yuan"


class PeriodBasis(StrEnum):
    """What span of time the figures behind a ratio cover."""

    balances = "balances"  # balances only: no span of time
    year = "year"  # flows of twelve months
    part = (
        "part"  # flows of a part of a year whose length cancels out (margin, like-for-like growth)
    )
    annualised = "annualised"  # a turnover from a part of a year, × 12 / months
    unknown = "unknown"  # a flow whose span no heading printed, taken as a year


class FigureRef(BaseModel):
    """One statement figure a ratio was computed from."""

    code: str
    year: int
    value: Decimal
    source: FigureSource | None = Field(None, description="where it was read, when known")


class Ratio(BaseModel):
    """An indicator's value for one year, with everything needed to redo it by hand."""

    indicator: Indicator
    title: str
    formula: str
    unit: Unit
    value: Decimal
    inputs: list[FigureRef]
    notes: list[str] = Field(description="which balance was averaged, which item stood in")
    # Defaults for ratings stored before periods were kept: nothing was known of them.
    basis: PeriodBasis = Field(PeriodBasis.unknown, description="what span its flows cover")
    months: int | None = Field(None, description="months its flows cover, when printed")
    shown: Decimal | None = Field(None, description="the value as the seed tables write it")
    shown_unit: str | None = Field(None, description="%, times or yuan")


class Extreme(BaseModel):
    """An indicator whose inputs exist but whose formula gives no number: above or below every
    value (a nil denominator), or undefined by sign (negative equity, a loss base)."""

    indicator: Indicator
    outcome: Outcome
    reason: str
    inputs: list[FigureRef]


class YearRatios(BaseModel):
    """Every indicator of one fiscal year: computed, or absent with the reason."""

    year: int
    ratios: dict[Indicator, Ratio]
    absent: dict[Indicator, str]
    months: int | None = Field(
        None, description="months the year's flows cover when shorter than a year"
    )
    period_unknown: bool = Field(
        False, description="some flow of the year covers a span no heading printed"
    )
    extremes: dict[Indicator, Extreme] = Field(
        default_factory=dict,
        description="indicators whose inputs exist but whose formula gives no number",
    )
    left_out: dict[Indicator, str] = Field(
        default_factory=dict, description="indicators with a figure printed blank, and why"
    )
    gaps: dict[Indicator, FigureGap] = Field(
        default_factory=dict,
        description="the figure each absent or left-out indicator lacks, where one figure",
    )


class ReferenceValue(BaseModel):
    """Values scoring 100 (high) and 0 (low); high below low means lower is better."""

    model_config = ConfigDict(extra="forbid")

    high: Decimal
    low: Decimal

    @model_validator(mode="after")
    def _apart(self) -> Self:
        if self.high == self.low:
            raise ValueError("high and low reference values must differ")
        return self


class ReferenceTable(BaseModel):
    """An industry's reference values (004 附件三 for electronics)."""

    model_config = ConfigDict(extra="forbid")

    title: Bilingual
    indicators: dict[Indicator, ReferenceValue] = Field(min_length=1)
    source: Bilingual | None = Field(None, description="where its values come from")
    example: bool = Field(False, description="an illustration to replace, no real source")
    industries: list[str] = Field(default_factory=list, description="industries it is for")


class CreditTables(BaseModel):
    """A file of further industry tables, named by `DANGAN_CREDIT_TABLES`."""

    model_config = ConfigDict(extra="forbid")

    tables: dict[str, ReferenceTable] = Field(min_length=1)


class GradeRule(BaseModel):
    """A grade's lower score bound, its risk coefficient and how soon it is reviewed again."""

    model_config = ConfigDict(extra="forbid")

    min_score: Score
    risk_coefficient: Annotated[Decimal, Field(ge=0, le=1)]
    review_months: int = Field(ge=1, le=120)
    max_credit_days: int | None = Field(
        None, ge=1, le=3650, description="longest credit terms the grade may have; none: no cap"
    )
    secured_only: bool = Field(
        False, description="no open credit: prepayment, or credit against collateral (000)"
    )


class WarningRules(BaseModel):
    """Thresholds of the early warnings."""

    model_config = ConfigDict(extra="forbid")

    debt_ratio_rise_points: Weight
    current_ratio_min: Weight
    license_expiry_days: int = Field(ge=0)
    # A payment more than this many days past due is a payment delay (002 §4).
    payment_delay_days: int = Field(30, ge=0)


class CoveragePolicy(BaseModel):
    """What a grade needs on file, and when a grade is capped (003 篇5 第十四条)."""

    model_config = ConfigDict(extra="forbid")

    required_statements: list[str] = Field(min_length=1)
    required_indicators: list[Indicator]
    history_years: int = Field(ge=1, le=10)
    capped_grade: str


class RatingPolicy(BaseModel):
    """Weights, grade bands, limits and warning thresholds in force for a rating."""

    model_config = ConfigDict(extra="forbid")

    quantitative_weight: Weight
    qualitative_weight: Weight
    indicator_weights: dict[Indicator, Weight] = Field(
        default_factory=dict, description="an indicator not listed weighs 1"
    )
    order_window_days: int = Field(gt=0, description="90 for a quarter's orders, 30 for a month's")
    grades: dict[str, GradeRule] = Field(min_length=1)
    warnings: WarningRules
    # None in ratings stored before methods, coverage and sources were kept.
    method: str | None = Field(None, description="the scoring method in force")
    methods: dict[str, ScoringMethod] = Field(default_factory=dict)
    coverage: CoveragePolicy | None = None
    choices: dict[str, ChoiceSource] = Field(
        default_factory=dict, description="where each choice comes from"
    )
    # None only in ratings stored before the seed's rules were applied; a policy file has them.
    rules: CreditRules | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.quantitative_weight + self.qualitative_weight != 1:
            raise ValueError("quantitative_weight and qualitative_weight must add up to 1")
        bounds = [rule.min_score for rule in self.grades.values()]
        if len(set(bounds)) != len(bounds):
            raise ValueError("two grades have the same min_score")
        if 0 not in bounds:
            raise ValueError("one grade must have min_score 0, so that every score has a grade")
        if self.method is not None and self.method not in self.methods:
            raise ValueError(f"method {self.method!r} is not among the methods")
        if self.coverage is not None and self.coverage.capped_grade not in self.grades:
            raise ValueError(f"capped_grade {self.coverage.capped_grade!r} is not a grade")
        # A worse grade never gets longer terms than a better one.
        caps = [r.max_credit_days for r in sorted(self.grades.values(), key=lambda r: r.min_score)]
        for lower, higher in itertools.pairwise(caps):
            if higher is not None and (lower is None or lower > higher):
                raise ValueError("a lower grade's max_credit_days exceeds a higher grade's")
        return self


class CreditPolicy(BaseModel):
    """The rating policy with the industry reference tables to choose from."""

    model_config = ConfigDict(extra="forbid")

    default_table: str
    rating: RatingPolicy
    tables: dict[str, ReferenceTable] = Field(min_length=1)
    refused_tables: dict[str, Bilingual] = Field(
        default_factory=dict, description="industries these indicators do not fit, and why"
    )

    @model_validator(mode="after")
    def _default_exists(self) -> Self:
        if self.default_table not in self.tables:
            raise ValueError(f"default_table {self.default_table!r} is not among the tables")
        return self
