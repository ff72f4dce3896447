"""How a ratio treats flows of a part of a year (an interim report's nine months, say).

Invariants: a flow shorter than twelve months is never taken for a year's. A turnover is
annualised (× 12 / months) and says so, as credit analysts do; a margin, and growth against the
same months of the year before, do not depend on the length and are computed as they are; every
other ratio from flows (ROE, ROA, total profit) and growth of balances at an interim date would
compare a part of a year with a year's reference values, so it is not computed, with the reason.
A flow whose span no heading printed (read before periods were kept) counts as a year, as it
always did, and the ratio is marked `unknown`.
"""

from __future__ import annotations

from decimal import Decimal

from ingest.credit_schemas import FlowMonths, Indicator, PeriodBasis
from ingest.statements.items import ITEMS

# The cash-flow statement's opening and closing cash are balances, not flows.
FLOWS = frozenset(
    item.code
    for item in ITEMS
    if item.kind != "balance_sheet" and item.code not in {"cash_begin", "cash_end"}
)
YEAR = 12
ANNUALISED = {
    Indicator.asset_turnover,
    Indicator.inventory_turnover,
    Indicator.receivables_turnover,
}
LENGTH_FREE = {Indicator.gross_margin, Indicator.sales_growth, Indicator.profit_growth}
BALANCE_GROWTH = {Indicator.asset_growth, Indicator.capital_accumulation}


class PartOfYear(Exception):
    """The ratio is not computed from a part of a year; the message says why."""


def year_months(flow_months: FlowMonths, year: int) -> int | None:
    """The shortest span the year's flows cover, if under a year."""
    parts = [m for m in flow_months.get(year, {}).values() if m is not None and m < YEAR]
    return min(parts) if parts else None


def basis(
    indicator: Indicator,
    value: Decimal,
    flows: dict[tuple[str, int], int | None],
    year_part: int | None,
) -> tuple[PeriodBasis, int | None, Decimal, str | None]:
    """The ratio's basis, months, value (annualised where due) and a note; or PartOfYear."""
    if not flows:
        if indicator in BALANCE_GROWTH and year_part is not None:
            raise PartOfYear(
                f"the year's statements cover {year_part} months, so its balances are not "
                "a year after the prior year's"
            )
        return PeriodBasis.balances, None, value, None
    unknown = sorted(f"{code} {year}" for (code, year), m in flows.items() if m is None)
    spans = {m for m in flows.values() if m is not None}
    if unknown and not spans <= {YEAR}:
        raise PartOfYear(f"the span of {', '.join(unknown)} is not printed, the others' is")
    if unknown:
        note = f"{', '.join(unknown)}: the span is not printed; taken as a year"
        return PeriodBasis.unknown, None, value, note
    if len(spans) > 1:
        covered = " and ".join(f"{m}" for m in sorted(spans))
        raise PartOfYear(f"its flows cover different spans ({covered} months)")
    (months,) = spans
    if months == YEAR:
        return PeriodBasis.year, YEAR, value, None
    if indicator in ANNUALISED:
        note = f"annualised: flows of {months} months × 12 / {months}"
        return PeriodBasis.annualised, months, value * YEAR / months, note
    if indicator in LENGTH_FREE:
        return PeriodBasis.part, months, value, f"flows of {months} months on both sides"
    raise PartOfYear(
        f"its flows cover {months} months, and a part of a year is not compared with a "
        "year's reference values"
    )
