"""Shapes of the seed's credit rules: qualitative factors, collateral, settlement, limit changes."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

Score = Annotated[Decimal, Field(ge=0, le=100)]
Weight = Annotated[Decimal, Field(ge=0)]
# Bounded like the order volume, so what is derived from it fits a Numeric(18, 2) column.
Amount = Annotated[Decimal, Field(ge=0, le=10**12)]


class QualitativeFactor(StrEnum):
    """A qualitative factor of 000 (信用评级模型 · 定性指标)."""

    industry_position = "industry_position"  # 客户行业地位
    market_competitiveness = "market_competitiveness"  # 市场竞争力
    cooperation_years = "cooperation_years"  # 与本企业合作年限
    management_reputation = "management_reputation"  # 管理层信用口碑
    policy_support = "policy_support"  # 是否为国家重点扶持行业


class FactorScore(BaseModel):
    """One qualitative factor as a credit manager scores it."""

    model_config = ConfigDict(extra="forbid")

    factor: QualitativeFactor
    score: Score
    note: str | None = Field(None, max_length=500, description="why this score")


class ScoredFactor(FactorScore):
    """A factor's score as it counted: its weight and who scored it."""

    weight: Weight
    scored_by_id: uuid.UUID
    scored_by_name: str


class Collateral(BaseModel):
    """Security given by a customer who may not buy on open credit (000: 抵押担保)."""

    model_config = ConfigDict(extra="forbid")

    description: str = Field(
        min_length=1, max_length=300, description="what: a mortgage, a bank guarantee …"
    )
    value: Amount = Field(description="its appraised value in yuan")


class Settlement(StrEnum):
    """How a customer pays for what it orders."""

    open_credit = "open_credit"  # 赊销 up to the allowed credit
    secured = "secured"  # credit only against the collateral recorded
    prepayment = "prepayment"  # 预付全款: no credit at all


class LimitDirection(StrEnum):
    """How a rating's allowed credit compares with the previous rating's."""

    raised = "raised"
    lowered = "lowered"
    unchanged = "unchanged"


class PreviousRating(BaseModel):
    """The rating a new one adjusts: what it allowed and when."""

    rating_id: uuid.UUID
    rated_on: date
    allowed_credit: Decimal | None


class LimitChange(BaseModel):
    """A rating's allowed credit against the previous rating's (003 篇5 第三十一条)."""

    previous: PreviousRating
    allowed_credit: Decimal
    direction: LimitDirection
    needs_reason: bool = Field(description="the policy asks a reason for this change")
    override_reason: str | None


class QualitativeRules(BaseModel):
    """How the qualitative score is entered: factor by factor (000), with the factors' weights."""

    model_config = ConfigDict(extra="forbid")

    require_factors: bool = Field(description="refuse a qualitative total entered as one number")
    factor_weights: dict[QualitativeFactor, Weight]

    @model_validator(mode="after")
    def _every_factor(self) -> Self:
        missing = set(QualitativeFactor) - set(self.factor_weights)
        if missing:
            raise ValueError(f"factor_weights lacks {', '.join(sorted(missing))}")
        if sum(self.factor_weights.values()) == 0:
            raise ValueError("factor_weights must not all be 0")
        return self


class CreditRules(BaseModel):
    """The seed's rules around a rating: limit changes, refreshes, qualitative factors."""

    model_config = ConfigDict(extra="forbid")

    limit_raise_needs_reason: bool = Field(
        description="003 篇5 第三十一条: an adjusted limit is in principle lower than before"
    )
    refresh_months: int = Field(
        ge=1, le=24, description="003 篇5 第三十条: credit survey data fully refreshed each quarter"
    )
    qualitative: QualitativeRules
    warning_limits: dict[str, Annotated[Decimal, Field(ge=0, lt=1)]] = Field(
        default_factory=dict,
        description="early warning code → share of the allowed credit kept while it is open; "
        "0 freezes it; the strictest open warning applies",
    )


class WarningCut(BaseModel):
    """The allowed credit cut by open early warnings, as the policy's rule says."""

    warnings: list[str] = Field(description="codes of the open warnings the rule names")
    share: Decimal = Field(description="share of the allowed credit kept: the strictest rule's")
    frozen: bool = Field(description="no credit at all while the warnings are open")
    allowed_before: Decimal = Field(description="the allowed credit before the cut")
