"""What a grade needs on file, the year rated and the grade cap of 003 篇5 第十四条.

Invariants: the rated year is the latest fiscal year on file that is not a part of a year —
flows of twelve months, or of a span no heading printed, taken as a year as `credit_periods`
does —, and it needs every required statement: when one is missing there is no grade, only the
shortfalls, never a grade on an earlier year, since withholding one statement of a bad year
would then raise the grade; a required indicator not given or printed blank leaves no grade;
a customer with fewer full years than `history_years` ending with the rated one, or with any
indicator whose figure is not given, is graded at most `capped_grade`.
"""

from __future__ import annotations

from ingest.credit_periods import year_months
from ingest.credit_schemas import (
    CoveragePolicy,
    Figures,
    FlowMonths,
    GradeRule,
    IndicatorScore,
    ReferenceTable,
    YearRatios,
)
from ingest.method_schemas import GradeCap, Outcome, Shortfall
from ingest.statements.chart import ITEMS

KIND = {item.code: item.kind for item in ITEMS}


def statements_missing(
    figures: Figures, blanks: dict[int, list[str]], year: int, rules: CoveragePolicy
) -> list[str]:
    """The required statements of which no line of `year` is on file."""
    on_file = {KIND.get(code) for code in [*figures.get(year, {}), *blanks.get(year, [])]}
    return [kind for kind in rules.required_statements if kind not in on_file]


def _is_full(
    figures: Figures,
    flow_months: FlowMonths,
    blanks: dict[int, list[str]],
    year: int,
    rules: CoveragePolicy,
) -> bool:
    return year_months(flow_months, year) is None and not statements_missing(
        figures, blanks, year, rules
    )


def rated_year(
    figures: Figures, flow_months: FlowMonths, blanks: dict[int, list[str]], rules: CoveragePolicy
) -> tuple[int | None, list[Shortfall]]:
    """The latest fiscal year on file, a part of a year aside, and the required statements it
    lacks."""
    years = sorted(set(figures) | set(blanks), reverse=True)
    latest = next((y for y in years if year_months(flow_months, y) is None), None)
    if latest is None:
        if not years:
            return None, []
        reason = f"only a part of a year is on file ({years[0]}), no full fiscal year"
        return None, [Shortfall(kind="year", name="full_year", year=years[0], reason=reason)]
    return latest, [
        Shortfall(kind="statement", name=kind, year=latest, reason=f"no {kind} for {latest}")
        for kind in statements_missing(figures, blanks, latest, rules)
    ]


def indicator_shortfalls(
    year: YearRatios, table: ReferenceTable, rules: CoveragePolicy
) -> list[Shortfall]:
    """Required indicators of the table not given or printed blank."""
    found: list[Shortfall] = []
    for indicator in rules.required_indicators:
        if indicator not in table.indicators:
            continue
        reason = year.absent.get(indicator) or year.left_out.get(indicator)
        if reason is not None:
            gap = year.gaps.get(indicator)
            found.append(
                Shortfall(kind="indicator", name=indicator, year=year.year, reason=reason, gap=gap)
            )
    return found


def history_years(
    figures: Figures,
    flow_months: FlowMonths,
    blanks: dict[int, list[str]],
    year: int,
    rules: CoveragePolicy,
) -> int:
    """Consecutive full fiscal years on file ending with `year`, up to `history_years`."""
    count = 0
    while count < rules.history_years and _is_full(
        figures, flow_months, blanks, year - count, rules
    ):
        count += 1
    return count


def _missing(scores: list[IndicatorScore]) -> list[str]:
    return [s.indicator.value for s in scores if s.outcome == Outcome.missing]


def cap_reasons(history: int, scores: list[IndicatorScore], rules: CoveragePolicy) -> list[str]:
    """Why the grade is capped: too short a history, or indicators whose figures are missing."""
    reasons = []
    if history < rules.history_years:
        reasons.append(
            f"{history} full fiscal year(s) on file, fewer than {rules.history_years}: "
            "a new customer is not graded A (003 篇5 第十四条)"
        )
    missing = _missing(scores)
    if missing:
        reasons.append(
            f"figures not given for {', '.join(missing)}: key data incomplete (003 篇5 第十四条)"
        )
    return reasons


def capped(
    grade: str,
    history: int,
    scores: list[IndicatorScore],
    grades: dict[str, GradeRule],
    rules: CoveragePolicy,
) -> tuple[str, GradeCap | None]:
    """`grade`, or the capped grade when the history is short or figures are missing and it
    ranks higher; the cap names its reasons, and apart from their words the years on file and
    the indicators missing, for the reader's language."""
    reasons = cap_reasons(history, scores, rules)
    if not reasons:
        return grade, None
    ceiling = rules.capped_grade
    cap = GradeCap(
        grade=ceiling,
        reasons=reasons,
        uncapped_grade=grade,
        history_years=history,
        required_years=rules.history_years,
        missing=_missing(scores),
    )
    if grades[grade].min_score <= grades[ceiling].min_score:
        return grade, cap
    return ceiling, cap
