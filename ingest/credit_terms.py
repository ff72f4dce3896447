"""The seed's rules around a rating: terms capped by grade, prepayment or collateral below open
credit, the allowed credit against the previous rating's, the quarterly refresh, the qualitative
factors and the stop of orders beyond the allowed credit.

Invariants: a grade that may not buy on open credit gets an allowed credit of 0 without
collateral and never more than the collateral's value with it; a raise of the allowed credit is
stored only with a reason when the policy asks one; an order is let through only when a stored
rating allows credit for the whole of it and what is already owed.
"""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from ingest.credit import PLACES, rounded
from ingest.credit_profile_schemas import OrderCheck, OrderCheckCreate, OrderDecision
from ingest.credit_schemas import RatingPolicy, Unit
from ingest.credit_terms_schemas import (
    CreditRules,
    FactorScore,
    LimitChange,
    LimitDirection,
    QualitativeFactor,
    ScoredFactor,
    Settlement,
)
from ingest.errors import InvalidField
from ingest.rating_schemas import CreditLimit, CreditWarning, RatingRead, RatingRequest

POINTS = 2  # scores keep two decimals
YUAN = PLACES[Unit.yuan]


def add_months(day: date, months: int) -> date:
    """`day` so many months later; a missing day becomes the month's last."""
    count = day.month - 1 + months
    year, month = day.year + count // 12, count % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def credit_limit(order_volume: Decimal, credit_period_days: int, order_window_days: int) -> Decimal:
    """Order volume × credit period / days of the order window (004 §2.2)."""
    return rounded(order_volume * credit_period_days / order_window_days, YUAN)


def scored_factors(
    entered: list[FactorScore],
    weights: Mapping[QualitativeFactor, Decimal],
    scorer_id: uuid.UUID,
    scorer_name: str,
) -> list[ScoredFactor]:
    """Every factor of 000 scored, with its weight and who scored it; a missing one is refused."""
    missing = [f for f in QualitativeFactor if f not in {e.factor for e in entered}]
    if missing:
        names = ", ".join(missing)
        raise InvalidField(f"qualitative_factors: score every factor; missing {names}")
    return [
        ScoredFactor(
            **e.model_dump(),
            weight=weights.get(e.factor, Decimal(1)),
            scored_by_id=scorer_id,
            scored_by_name=scorer_name,
        )
        for e in sorted(entered, key=lambda e: list(QualitativeFactor).index(e.factor))
    ]


def qualitative_total(factors: list[ScoredFactor]) -> Decimal:
    """The qualitative score: the factors' weighted mean."""
    weight = sum((f.weight for f in factors), Decimal(0))
    return rounded(sum((f.score * f.weight for f in factors), Decimal(0)) / weight, POINTS)


def limit_of(request: RatingRequest, policy: RatingPolicy, grade: str | None) -> CreditLimit | None:
    """信用限额 at the terms the grade allows; 赊销额度 with its coefficient and security."""
    if request.order_volume is None or request.credit_period_days is None:
        return None
    rule = policy.grades[grade] if grade else None
    cap = rule.max_credit_days if rule else None
    terms = min(request.credit_period_days, cap) if cap else request.credit_period_days
    amount = credit_limit(request.order_volume, terms, policy.order_window_days)
    allowed = settlement = None
    collateral = request.collateral
    if rule is not None:
        allowed = rounded(amount * rule.risk_coefficient, YUAN)
        settlement = Settlement.open_credit
        if rule.secured_only and collateral is None:
            allowed, settlement = Decimal(0), Settlement.prepayment
        elif rule.secured_only and collateral is not None:
            allowed, settlement = min(allowed, collateral.value), Settlement.secured
    return CreditLimit(
        order_volume=request.order_volume,
        order_volume_source=request.order_volume_source,
        credit_period_days=request.credit_period_days,
        order_window_days=policy.order_window_days,
        limit=amount,
        risk_coefficient=rule.risk_coefficient if rule else None,
        allowed=allowed,
        terms_days=terms,
        max_credit_days=cap,
        settlement=settlement,
        collateral_value=collateral.value if collateral else None,
    )


def limit_change(
    request: RatingRequest, limit: CreditLimit | None, rules: CreditRules | None
) -> LimitChange | None:
    """The allowed credit against the previous rating's, and whether a reason is needed."""
    previous = request.previous
    if previous is None or previous.allowed_credit is None or limit is None:
        return None
    if limit.allowed is None:
        return None
    before, now = previous.allowed_credit, limit.allowed
    direction = (
        LimitDirection.raised
        if now > before
        else LimitDirection.lowered
        if now < before
        else LimitDirection.unchanged
    )
    return LimitChange(
        previous=previous,
        allowed_credit=now,
        direction=direction,
        needs_reason=direction == LimitDirection.raised
        and rules is not None
        and rules.limit_raise_needs_reason,
        override_reason=request.override_reason,
    )


def rule_warnings(
    request: RatingRequest,
    rules: CreditRules | None,
    limit: CreditLimit | None,
    change: LimitChange | None,
) -> list[CreditWarning]:
    """Warnings of the seed's rules: terms cut, prepayment due, a raise, a refresh due."""
    warnings: list[CreditWarning] = []
    if limit and limit.max_credit_days and limit.credit_period_days > limit.max_credit_days:
        warnings.append(
            CreditWarning(
                code="terms_capped",
                message_zh=f"该等级账期最长 {limit.max_credit_days} 天，已按此计算信用限额",
                message_en=f"This grade's credit terms are at most {limit.max_credit_days} days;"
                " the credit limit uses them",
                figures={
                    "credit_period_days": Decimal(limit.credit_period_days),
                    "max_credit_days": Decimal(limit.max_credit_days),
                },
            )
        )
    if limit and limit.settlement == Settlement.prepayment:
        warnings.append(
            CreditWarning(
                code="prepayment_required",
                message_zh="B级及以下客户需预付全款或提供抵押担保，未登记抵押担保，赊销额度为 0",
                message_en="Grade B and below prepay in full or give collateral; none is "
                "recorded, so the allowed credit is 0",
                figures={"credit_limit": limit.limit, "allowed_credit": Decimal(0)},
            )
        )
    if change and change.direction == LimitDirection.raised:
        warnings.append(
            CreditWarning(
                code="allowed_credit_raised",
                message_zh="赊销额度高于上次评级（原则上调整后的信用额度应低于原信用额度）",
                message_en="The allowed credit is higher than the last rating's (an adjusted "
                "limit is in principle lower than before)",
                figures={
                    "previous_allowed_credit": change.previous.allowed_credit or Decimal(0),
                    "allowed_credit": change.allowed_credit,
                    "previous_rated_on": change.previous.rated_on,
                },
            )
        )
    refreshed = request.surveyed_on or (request.previous.rated_on if request.previous else None)
    if rules is not None and refreshed is not None:
        due = add_months(refreshed, rules.refresh_months)
        if due < request.today:
            warnings.append(
                CreditWarning(
                    code="quarterly_refresh_due",
                    message_zh="客户资信资料和信用调查报告应每季度全面更新一次，已到期",
                    message_en="The credit survey data are due for their quarterly full refresh",
                    figures={"last_refreshed_on": refreshed, "refresh_due_on": due},
                )
            )
    return warnings


def order_check(latest: RatingRead | None, order: OrderCheckCreate) -> OrderCheck:
    """Proceed only if what is owed plus the order stays within the allowed credit (004 §2.3:
    "超出赊销额度的,停止下单投产(或停止出货)"); without a graded rating nothing is on credit."""
    limit = latest.result.credit_limit if latest else None
    allowed = latest.allowed_credit if latest else None
    exposure = order.outstanding + order.order_amount
    excess = max(exposure - (allowed or Decimal(0)), Decimal(0))
    if latest is None or allowed is None:
        decision, reason = OrderDecision.stop, "no_rating" if latest is None else "ungraded"
    elif excess > 0:
        decision, reason = OrderDecision.stop, "beyond_allowed_credit"
    else:
        decision, reason = OrderDecision.proceed, "within_allowed_credit"
    return OrderCheck(
        decision=decision,
        reason=reason,
        rating_id=latest.id if latest else None,
        rated_on=latest.rated_on if latest else None,
        settlement=limit.settlement if limit else None,
        allowed_credit=allowed or Decimal(0),
        outstanding=order.outstanding,
        order_amount=order.order_amount,
        exposure=exposure,
        excess=excess,
    )
