"""近三年平均利润率 (000): the average profit margin of the three fiscal years ending with the
rated one, shown beside the scores.

Invariants: a year counts only with both its revenue and net profit, of a full year (a part of a
year's margin is not a year's); a year short of either, or a nil revenue, is a named shortfall
and leaves no average, never an average of the years there are, since dropping a bad year
would raise it. It is not scored: the seeds give no reference values for it.
"""

from __future__ import annotations

from decimal import Decimal

from ingest.credit import rounded
from ingest.credit_periods import YEAR
from ingest.credit_schemas import Figures, FlowMonths
from ingest.method_schemas import AverageMargin, FigureSource, Shortfall, YearMargin

NAME = "average_profit_margin_3y"
YEARS = 3
ITEMS = ("revenue", "net_profit")


def _year(
    figures: Figures,
    flow_months: FlowMonths,
    sources: dict[int, dict[str, FigureSource]],
    year: int,
) -> tuple[YearMargin, Shortfall | None]:
    found = figures.get(year, {})
    revenue, profit = (found.get(code) for code in ITEMS)
    kept = {c: s for c, s in sources.get(year, {}).items() if c in ITEMS}
    row = YearMargin(year=year, revenue=revenue, net_profit=profit, margin=None, sources=kept)
    missing = [code for code, value in zip(ITEMS, (revenue, profit), strict=True) if value is None]
    if missing:
        reason = f"no {' or '.join(missing)} for {year}: three years of income statements needed"
        return row, Shortfall(kind="year", name=NAME, year=year, reason=reason)
    months = [flow_months.get(year, {}).get(code) for code in ITEMS]
    short = [m for m in months if m is not None and m < YEAR]
    if short:
        reason = f"{year}'s income statement covers {min(short)} months, not a year"
        return row, Shortfall(kind="year", name=NAME, year=year, reason=reason)
    assert revenue is not None  # checked above  # nosec B101
    assert profit is not None  # nosec B101
    if revenue <= 0:
        reason = f"no revenue in {year}: the margin is undefined"
        return row, Shortfall(kind="indicator", name=NAME, year=year, reason=reason)
    return row.model_copy(update={"margin": rounded(profit / revenue, 4)}), None


def average_margin(
    figures: Figures,
    flow_months: FlowMonths,
    sources: dict[int, dict[str, FigureSource]],
    rated_year: int | None,
) -> AverageMargin | None:
    """The average of the rated year's and the two before's margins, or their shortfalls."""
    if rated_year is None:
        return None
    rows, shortfalls = [], []
    for year in range(rated_year - YEARS + 1, rated_year + 1):
        row, shortfall = _year(figures, flow_months, sources, year)
        rows.append(row)
        if shortfall is not None:
            shortfalls.append(shortfall)
    margins = [r.margin for r in rows if r.margin is not None]
    value = None if shortfalls else rounded(sum(margins, Decimal(0)) / YEARS, 4)
    return AverageMargin(
        formula="mean over three fiscal years of 净利润 / 营业收入 (net profit / revenue)",
        years=rows,
        value=value,
        shown=None if value is None else rounded(value * 100, 2),
        shortfalls=shortfalls,
        scored=False,
        note="shown, not scored: the seeds give no reference values for it",
    )
