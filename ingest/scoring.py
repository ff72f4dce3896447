"""Indicator scores under a scoring method, and the weighted quantitative score.

Invariants: an indicator's points never rise as its value worsens; a formula undefined by sign
and a figure not given score the bottom (0), a ratio beyond every value scores as the value it
lies beyond; only a figure printed blank leaves an indicator out, named.
"""

from __future__ import annotations

from decimal import Decimal

from ingest.credit import rounded, shown
from ingest.credit_formulas import DEFINITIONS
from ingest.credit_schemas import Indicator, ReferenceTable, ReferenceValue, YearRatios
from ingest.method_schemas import Bilingual, Outcome, ScoringMethod
from ingest.rating_schemas import IndicatorScore

POINTS = 2  # scores keep two decimals
BOTTOM = Decimal(0)
LINEAR = ScoringMethod(
    title=Bilingual(zh="线性 0–100 分", en="linear, 0–100 points"),
    low_points=Decimal(0),
    high_points=Decimal(100),
    source=Bilingual(
        zh="本系统自定：种子文件未给出评分方法",
        en="ours: Dangan's own choice, the seeds give no scoring method",
    ),
    seed=False,
)


def indicator_score(
    value: Decimal, reference: ReferenceValue, method: ScoringMethod = LINEAR
) -> Decimal:
    """`low_points` at the low reference value, `high_points` at the high one, linear between
    and beyond, kept between 0 and `high_points`."""
    share = (value - reference.low) / (reference.high - reference.low)
    points = method.low_points + share * (method.high_points - method.low_points)
    return rounded(min(max(points, BOTTOM), method.high_points), POINTS)


def beyond_score(outcome: Outcome, reference: ReferenceValue, method: ScoringMethod) -> Decimal:
    """The points of a ratio with no number: beyond every value on the side it lies, else 0."""
    higher_is_better = reference.high > reference.low
    if outcome == Outcome.above:
        return method.high_points if higher_is_better else BOTTOM
    if outcome == Outcome.below:
        return BOTTOM if higher_is_better else method.high_points
    return BOTTOM


def _shown(indicator: Indicator, value: Decimal | None) -> Decimal | None:
    return None if value is None else shown(indicator, DEFINITIONS[indicator].unit, value)[0]


def _scored(
    indicator: Indicator,
    reference: ReferenceValue,
    weight: Decimal,
    value: Decimal | None,
    points: Decimal,
    outcome: Outcome,
    reason: str | None,
) -> IndicatorScore:
    return IndicatorScore(
        indicator=indicator,
        value=value,
        high=reference.high,
        low=reference.low,
        score=points,
        weight=weight,
        outcome=outcome,
        reason=reason,
        shown_unit=shown(indicator, DEFINITIONS[indicator].unit, Decimal(0))[1],
        value_shown=_shown(indicator, value),
        high_shown=_shown(indicator, reference.high),
        low_shown=_shown(indicator, reference.low),
    )


def table_scores(
    year: YearRatios | None,
    table: ReferenceTable,
    method: ScoringMethod,
    weights: dict[Indicator, Decimal],
) -> tuple[list[IndicatorScore], dict[Indicator, str]]:
    """Every indicator of `table` scored for `year`, and those left out with the reason."""
    scores: list[IndicatorScore] = []
    left_out: dict[Indicator, str] = {}
    for indicator, reference in table.indicators.items():
        weight = weights.get(indicator, Decimal(1))
        ratio = year.ratios.get(indicator) if year else None
        extreme = year.extremes.get(indicator) if year else None
        if year and indicator in year.left_out:
            left_out[indicator] = year.left_out[indicator]
        elif ratio is not None:
            points = indicator_score(ratio.value, reference, method)
            scores.append(
                _scored(indicator, reference, weight, ratio.value, points, Outcome.value, None)
            )
        elif extreme is not None:
            points = beyond_score(extreme.outcome, reference, method)
            scores.append(
                _scored(indicator, reference, weight, None, points, extreme.outcome, extreme.reason)
            )
        else:
            reason = year.absent.get(indicator, "not computed") if year else "no figures"
            missing = _scored(indicator, reference, weight, None, BOTTOM, Outcome.missing, reason)
            gap = year.gaps.get(indicator) if year else None
            scores.append(missing.model_copy(update={"gap": gap}))
    return scores, left_out


def quantitative(scores: list[IndicatorScore]) -> Decimal | None:
    """The weighted mean of the scores, none without weight."""
    total_weight = sum((s.weight for s in scores), Decimal(0))
    if total_weight == 0:
        return None
    return rounded(sum((s.score * s.weight for s in scores), Decimal(0)) / total_weight, POINTS)
