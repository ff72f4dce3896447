"""Rating of a customer: indicator scores, grade, credit limit, next review and early warnings."""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ingest import coverage
from ingest.average_margin import average_margin
from ingest.config import IngestSettings
from ingest.credit import profile_ratios, rounded
from ingest.credit_schemas import CreditPolicy, CreditTables, Indicator, RatingPolicy, YearRatios
from ingest.credit_terms import add_months, limit_change, limit_of, rule_warnings
from ingest.method_schemas import POLICY_FILE
from ingest.rating_method import (
    InvalidCreditPolicy,
    choices_used,
    chosen_method,
    chosen_table,
    how_chosen,
    refuse_mixed_scope,
    table_warnings,
)
from ingest.rating_schemas import CreditWarning, Rating, RatingRequest
from ingest.scoring import POINTS, indicator_score, quantitative, table_scores
from ingest.warning_limits import cut_warning, restricted

DEFAULT_POLICY = Path(__file__).parent / "policy" / "credit.toml"
_Model = TypeVar("_Model", bound=BaseModel)
__all__ = ["InvalidCreditPolicy", "indicator_score", "rate"]


def _load(model: type[_Model], path: Path) -> _Model:
    try:
        # Decimal, not float, so that 0.15 in the file is exactly 0.15.
        data: dict[str, Any] = tomllib.loads(path.read_text("utf-8"), parse_float=Decimal)
        return model.model_validate(data, context=POLICY_FILE)
    except (OSError, tomllib.TOMLDecodeError, ValidationError) as error:
        raise InvalidCreditPolicy(f"credit policy {path}: {error}") from error


def load_policy(settings: IngestSettings | None = None) -> CreditPolicy:
    """The shipped policy, with the industry tables of `DANGAN_CREDIT_TABLES` added if set."""
    policy = _load(CreditPolicy, DEFAULT_POLICY)
    if policy.rating.rules is None:
        raise InvalidCreditPolicy(f"credit policy {DEFAULT_POLICY}: [rating.rules] is missing")
    path = (settings or IngestSettings()).credit_tables
    if path is None:
        return policy
    extra = _load(CreditTables, path)
    return policy.model_copy(update={"tables": policy.tables | extra.tables})


def grade_for(score: Decimal, policy: RatingPolicy) -> str:
    """The grade of the highest band whose lower bound `score` reaches."""
    reached = [(rule.min_score, grade) for grade, rule in policy.grades.items()]
    return max(bound for bound in reached if score >= bound[0])[1]


def next_review_on(grade: str, reviewed_on: date, policy: RatingPolicy) -> date:
    """The review date the grade's interval sets from the rating's own date."""
    return add_months(reviewed_on, policy.grades[grade].review_months)


def _ratio_warnings(
    ratios: list[YearRatios], latest: YearRatios, policy: RatingPolicy, figures: dict[str, Decimal]
) -> list[CreditWarning]:
    rules = policy.warnings
    warnings: list[CreditWarning] = []
    prior = next((r for r in ratios if r.year == latest.year - 1), None)
    debt = latest.ratios.get(Indicator.debt_ratio)
    debt_before = prior.ratios.get(Indicator.debt_ratio) if prior else None
    if prior and debt and debt_before:
        rise = (debt.value - debt_before.value) * 100
        if rise > rules.debt_ratio_rise_points:
            warnings.append(
                CreditWarning(
                    code="debt_ratio_rise",
                    message_zh=f"资产负债率较上年上升超过 {rules.debt_ratio_rise_points} 个百分点",
                    message_en=f"Debt ratio rose by more than "
                    f"{rules.debt_ratio_rise_points} percentage points in a year",
                    figures={
                        f"debt_ratio_{prior.year}": debt_before.value,
                        f"debt_ratio_{latest.year}": debt.value,
                        "rise_points": rise,
                    },
                )
            )
    current = latest.ratios.get(Indicator.current_ratio)
    if current and current.value < rules.current_ratio_min:
        warnings.append(
            CreditWarning(
                code="current_ratio_low",
                message_zh=f"流动比率低于 {rules.current_ratio_min}",
                message_en=f"Current ratio is below {rules.current_ratio_min}",
                figures={f"current_ratio_{latest.year}": current.value},
            )
        )
    growth = latest.ratios.get(Indicator.sales_growth)
    if growth and growth.value < 0:
        warnings.append(
            CreditWarning(
                code="sales_falling",
                message_zh="销售收入较上年下降",
                message_en="Sales fell from the year before",
                figures={f"sales_growth_{latest.year}": growth.value},
            )
        )
    cash_flow = figures.get("operating_cash_flow")
    if cash_flow is not None and cash_flow < 0:
        warnings.append(
            CreditWarning(
                code="operating_cash_flow_negative",
                message_zh="经营活动现金流量净额为负",
                message_en="Net cash flow from operating activities is negative",
                figures={f"operating_cash_flow_{latest.year}": cash_flow},
            )
        )
    return warnings


def _date_warnings(request: RatingRequest, policy: RatingPolicy) -> list[CreditWarning]:
    warnings: list[CreditWarning] = []
    expires = request.license_expires_on
    days = policy.warnings.license_expiry_days
    if expires is not None and expires < request.today:
        warnings.append(
            CreditWarning(
                code="license_expired",
                message_zh="营业执照已过期",
                message_en="The business license has expired",
                figures={"license_expires_on": expires, "today": request.today},
            )
        )
    elif expires is not None and (expires - request.today).days <= days:
        warnings.append(
            CreditWarning(
                code="license_expiring",
                message_zh=f"营业执照将在 {days} 天内到期",
                message_en=f"The business license expires within {days} days",
                figures={"license_expires_on": expires, "today": request.today},
            )
        )
    due = request.review_due_on
    if due is not None and due < request.today:
        warnings.append(
            CreditWarning(
                code="review_overdue",
                message_zh="信用复审已逾期",
                message_en="The credit review is overdue",
                figures={"review_due_on": due, "today": request.today},
            )
        )
    return warnings


def rate(request: RatingRequest, policy: CreditPolicy) -> Rating:
    """Score the latest full year's indicators, combine with the qualitative score, grade (capped
    where data are short) and limit; no grade below the coverage the policy requires."""
    table_name, table = chosen_table(request, policy)
    rules = policy.rating
    method_name, method = chosen_method(request, rules)
    assert rules.coverage is not None  # _method refuses a policy without  # nosec B101
    refuse_mixed_scope(request)
    figures, months, blanks = request.figures, request.flow_months, request.blanks
    # The ratios see as blank only lines of statements on file; the rated year and the history
    # see every line read, so that a year of blank lines is still a year with something on file.
    ratios = profile_ratios(
        figures, months, coverage.printed_blank(figures, blanks), request.sources
    )
    year, shortfalls = coverage.rated_year(figures, months, blanks, rules.coverage)
    latest = next((r for r in ratios if r.year == year), None)
    scores, left_out = table_scores(latest, table, method, rules.indicator_weights)
    if latest is not None and not shortfalls:
        shortfalls += coverage.indicator_shortfalls(latest, table, rules.coverage)
    score = None if shortfalls or latest is None else quantitative(scores)
    combined = grade = reason = cap = None
    if not ratios:
        reason = "no confirmed figures"
    elif shortfalls:
        reason = "insufficient data: " + "; ".join(s.reason for s in shortfalls)
    elif score is None:
        reason = "no indicator of the reference table could be computed"
    elif request.qualitative_score is None:
        reason = "no qualitative score entered by a credit manager"
    else:
        combined = rounded(
            score * rules.quantitative_weight
            + request.qualitative_score * rules.qualitative_weight,
            POINTS,
        )
        assert latest is not None  # a score needs a rated year  # nosec B101
        history = coverage.history(figures, months, blanks, latest.year, rules.coverage)
        grade, cap = coverage.capped(
            grade_for(combined, rules), history, scores, rules.grades, rules.coverage
        )
    warnings = _date_warnings(request, rules)
    if latest is not None:
        warnings = _ratio_warnings(ratios, latest, rules, figures[latest.year]) + warnings
    unscored = {s.indicator: s.reason or "" for s in scores if s.outcome == "missing"}
    limit = restricted(limit_of(request, rules, grade), warnings, rules.rules)
    change = limit_change(request, limit, rules.rules)
    warnings += cut_warning(limit, warnings) + rule_warnings(request, rules.rules, limit, change)
    return Rating(
        request=request,
        policy=rules,
        table_name=table_name,
        table=table,
        rated_year=latest.year if latest else None,
        ratios=ratios,
        scores=scores,
        unscored=unscored | left_out,
        quantitative_score=score,
        combined_score=combined,
        grade=grade,
        ungraded_reason=reason,
        credit_limit=limit,
        next_review_on=next_review_on(grade, request.today, rules) if grade else None,
        warnings=warnings,
        method=method_name,
        scoring=method,
        scope=request.scope,
        shortfalls=shortfalls,
        left_out=left_out,
        cap=cap,
        choices=choices_used(
            rules, method_name, table_name, table.source, how_chosen(request, policy)
        ),
        method_warnings=table_warnings(request, policy, table),
        change=change,
        average_margin=average_margin(figures, months, request.sources, year),
    )
