"""What a grade needs on file, the year rated and the grade cap of 003 篇5 第十四条.

Invariants: the rated year is the latest fiscal year on file that is not a part of a year —
flows of twelve months, or of a span no heading printed, taken as a year as `credit_periods`
does —, and it needs every required statement, a statement counting for a year only with a
figure of that year in one of its totals (`TOTALS`): when one is missing there is no grade, only
the shortfalls, never a grade on an earlier year, since withholding one statement of a bad year
would then raise the grade; a line of a statement not on file for its year is not given, never
printed blank; a required indicator not given or printed blank leaves no grade;
a customer with fewer full years than `history_years` ending with the rated one, or with any
indicator whose figure is not given, is graded at most `capped_grade`.
"""

from __future__ import annotations

from typing import NamedTuple

from ingest.credit_periods import year_months
from ingest.credit_schemas import (
    CoveragePolicy,
    Figures,
    FlowMonths,
    GradeRule,
    ReferenceTable,
    YearRatios,
)
from ingest.method_schemas import GradeCap, Outcome, Shortfall
from ingest.rating_schemas import IndicatorScore
from ingest.statements.items import ITEMS

KIND = {item.code: item.kind for item in ITEMS}
# A statement is on file for a year only where one of its totals — the lines that sum it up —
# has a figure for that year. Every line read gets a prior-year cell, so a prior-year column
# printed empty (a report that compares only the balance sheet) leaves its statement's lines
# blank for that year: blank lines, or stray detail lines without a total, are no statement of
# that year. Several totals each, as statements print different ones: Hong Kong balance sheets
# end with net assets (total_equity), and some income statements print 营业收入 but no 营业总收入.
TOTALS: dict[str, tuple[str, ...]] = {
    "balance_sheet": ("total_assets", "total_liabilities_and_equity", "total_equity"),
    "income_statement": ("total_revenue", "revenue", "total_profit", "net_profit"),
    "cash_flow_statement": ("operating_cash_flow", "net_change_in_cash"),
}


def on_file(figures: Figures, year: int, kind: str | None) -> bool:
    """Whether one of the statement's totals has a figure for `year`."""
    given = figures.get(year, {})
    return any(given.get(code) is not None for code in TOTALS.get(kind or "", ()))


def statements_missing(figures: Figures, year: int, rules: CoveragePolicy) -> list[str]:
    """The required statements not on file for `year`."""
    return [kind for kind in rules.required_statements if not on_file(figures, year, kind)]


def printed_blank(figures: Figures, blanks: dict[int, list[str]]) -> dict[int, list[str]]:
    """The lines printed blank in a statement on file for their year. A line of a statement
    not on file (its prior-year column printed empty) is not given, not blank: read as blank it
    would leave its indicator out of the score, where one not given scores at the bottom."""
    kept = {
        year: [code for code in codes if on_file(figures, year, KIND.get(code))]
        for year, codes in blanks.items()
    }
    return {year: codes for year, codes in kept.items() if codes}


def year_shortfalls(
    figures: Figures, flow_months: FlowMonths, year: int, rules: CoveragePolicy
) -> list[Shortfall]:
    """Why `year` is not a full fiscal year on file: its flows cover a part of a year, or it
    lacks required statements. The rated year and the history the cap counts both ask this."""
    months = year_months(flow_months, year)
    if months is not None:
        reason = f"{year}'s flows cover {months} months, not a full fiscal year"
        return [Shortfall(kind="year", name="full_year", year=year, reason=reason)]
    return [
        Shortfall(kind="statement", name=kind, year=year, reason=f"no {kind} for {year}")
        for kind in statements_missing(figures, year, rules)
    ]


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
    return latest, year_shortfalls(figures, flow_months, latest, rules)


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


class History(NamedTuple):
    """Full fiscal years on file ending with the rated one, and what the year before them lacks
    where some of that year is on file (none for a customer new to us)."""

    years: int
    gaps: list[Shortfall]


def history(
    figures: Figures,
    flow_months: FlowMonths,
    blanks: dict[int, list[str]],
    year: int,
    rules: CoveragePolicy,
) -> History:
    """Consecutive full fiscal years on file ending with `year`, up to `history_years`."""
    for count in range(rules.history_years):
        before = year - count
        gaps = year_shortfalls(figures, flow_months, before, rules)
        if gaps:
            # A year with lines on file but not full: name what it lacks, as a credit manager
            # who sees its balance sheet on file would otherwise not know why it does not count.
            return History(count, gaps if before in figures or before in blanks else [])
    return History(rules.history_years, [])


def _missing(scores: list[IndicatorScore]) -> list[str]:
    return [s.indicator.value for s in scores if s.outcome == Outcome.missing]


def cap_reasons(history: History, scores: list[IndicatorScore], rules: CoveragePolicy) -> list[str]:
    """Why the grade is capped: too short a history, or indicators whose figures are missing."""
    reasons = []
    if history.years < rules.history_years:
        lacks = f" ({'; '.join(g.reason for g in history.gaps)})" if history.gaps else ""
        reasons.append(
            f"{history.years} full fiscal year(s) on file, fewer than {rules.history_years}"
            f"{lacks}: a new customer is not graded A (003 篇5 第十四条)"
        )
    missing = _missing(scores)
    if missing:
        reasons.append(
            f"figures not given for {', '.join(missing)}: key data incomplete (003 篇5 第十四条)"
        )
    return reasons


def capped(
    grade: str,
    history: History,
    scores: list[IndicatorScore],
    grades: dict[str, GradeRule],
    rules: CoveragePolicy,
) -> tuple[str, GradeCap | None]:
    """`grade`, or the capped grade when the history is short or figures are missing and it
    ranks higher; the cap names its reasons, and apart from their words the years on file, what
    the year before them lacks and the indicators missing, for the reader's language."""
    reasons = cap_reasons(history, scores, rules)
    if not reasons:
        return grade, None
    ceiling = rules.capped_grade
    cap = GradeCap(
        grade=ceiling,
        reasons=reasons,
        uncapped_grade=grade,
        history_years=history.years,
        required_years=rules.history_years,
        history_gaps=history.gaps,
        missing=_missing(scores),
    )
    if grades[grade].min_score <= grades[ceiling].min_score:
        return grade, cap
    return ceiling, cap
