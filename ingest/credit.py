"""Financial ratios of a customer's credit profile (004 附件二), from confirmed figures in yuan."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ingest.credit_formulas import DEFINITIONS, Absent, Beyond, Blank, Blanks, Reader
from ingest.credit_periods import PartOfYear, basis, year_months
from ingest.credit_schemas import (
    Extreme,
    FigureRef,
    Figures,
    FlowMonths,
    Indicator,
    PeriodBasis,
    Ratio,
    Unit,
    YearRatios,
)
from ingest.method_schemas import FigureSource

# Places kept: 0.01 % for shares and times, fen for yuan.
PLACES = {Unit.fraction: 4, Unit.times: 4, Unit.yuan: 2}
# How 004 附件三 writes each indicator: turnovers too in percent (存货周转率 800 %), the current
# ratio in times (1.5 / 1), amounts in yuan (there in 万元).
TIMES_SHOWN = {Indicator.current_ratio}
Sources = dict[int, dict[str, FigureSource]]


def rounded(value: Decimal, places: int) -> Decimal:
    """`value` rounded half up (四舍五入) to `places` decimals."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def shown(indicator: Indicator, unit: Unit, value: Decimal) -> tuple[Decimal, str]:
    """`value` as the seed tables write it, and its unit."""
    if unit == Unit.yuan:
        return value, "yuan"
    if indicator in TIMES_SHOWN:
        return value, "times"
    return rounded(value * 100, 2), "%"


def _inputs(reader: Reader, sources: Sources) -> list[FigureRef]:
    return [
        FigureRef(code=c, year=y, value=v, source=sources.get(y, {}).get(c))
        for (c, y), v in reader.inputs.items()
    ]


def year_ratios(
    figures: Figures,
    year: int,
    flow_months: FlowMonths | None = None,
    blanks: Blanks | None = None,
    sources: Sources | None = None,
) -> YearRatios:
    """Every indicator of `year`, using the prior year's figures for averages and growth; flows
    of a part of a year are treated as `credit_periods` says."""
    flow_months, blanks, sources = flow_months or {}, blanks or {}, sources or {}
    found = YearRatios(year=year, ratios={}, absent={}, months=year_months(flow_months, year))
    for indicator, definition in DEFINITIONS.items():
        reader = Reader(figures, year, flow_months, blanks)
        try:
            try:
                computed = definition.compute(reader)
            except Beyond as beyond:
                # A part of a year says no more beyond the formula than within it.
                basis(indicator, Decimal(0), reader.flows, found.months)
                found.extremes[indicator] = Extreme(
                    indicator=indicator,
                    outcome=beyond.outcome,
                    reason=str(beyond),
                    inputs=_inputs(reader, sources),
                )
                continue
            span, months, value, note = basis(indicator, computed, reader.flows, found.months)
        except Blank as blank:
            found.left_out[indicator] = str(blank)
            found.gaps[indicator] = blank.gap
            continue
        except Absent as absent:
            found.absent[indicator] = str(absent)
            found.gaps[indicator] = absent.gap
            continue
        except PartOfYear as reason:
            found.absent[indicator] = str(reason)
            continue
        if note:
            reader.notes.append(note)
        value = rounded(value, PLACES[definition.unit])
        display, display_unit = shown(indicator, definition.unit, value)
        found.ratios[indicator] = Ratio(
            indicator=indicator,
            title=definition.title,
            formula=definition.formula,
            unit=definition.unit,
            value=value,
            inputs=_inputs(reader, sources),
            notes=list(dict.fromkeys(reader.notes)),  # a note made twice is kept once
            basis=span,
            months=months,
            shown=display,
            shown_unit=display_unit,
        )
    found.period_unknown = any(r.basis == PeriodBasis.unknown for r in found.ratios.values())
    return found


def profile_ratios(
    figures: Figures,
    flow_months: FlowMonths | None = None,
    blanks: Blanks | None = None,
    sources: Sources | None = None,
) -> list[YearRatios]:
    """The indicators of every fiscal year with figures, oldest first."""
    years = sorted(year for year, found in figures.items() if found)
    return [year_ratios(figures, year, flow_months, blanks, sources) for year in years]
