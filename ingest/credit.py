"""Financial ratios of a customer's credit profile (004 附件二), from confirmed figures in yuan.

Invariants: a figure not given is never replaced by another item (营业总收入 can exceed 营业收入,
the cash-flow statement's closing cash can exceed 货币资金 — Moutai 2021: 178.6 bn against
51.8 bn —, so a stand-in would let a missing figure raise the score); interest expense not given
or printed blank is taken as 0, which can only lower ROA; a formula that gives no number is an
`Extreme`, never absent: a nil denominator puts the ratio beyond every value on the side of its
numerator's sign (no current liabilities: the best current ratio), and a denominator that is
negative — or nil where it is a base: average equity, last year's figure of a growth rate — is
undefined by sign and scores at the bottom (a loss over negative equity is no return).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from ingest.credit_periods import FLOWS, PartOfYear, basis, year_months
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
from ingest.method_schemas import FigureGap, FigureSource, Outcome

# 销售收入净额 is 营业收入, 现金类资产 is 货币资金.
NET_SALES = "revenue"
CASH = "cash"
# 递延资产 and 开办费 left Chinese statements in 2007, so their absence means none.
OPTIONAL_DEDUCTIONS = ("deferred_assets", "startup_costs")
# Places kept: 0.01 % for shares and times, fen for yuan.
PLACES = {Unit.fraction: 4, Unit.times: 4, Unit.yuan: 2}
# How 004 附件三 writes each indicator: turnovers too in percent (存货周转率 800 %), the current
# ratio in times (1.5 / 1), amounts in yuan (there in 万元).
TIMES_SHOWN = {Indicator.current_ratio}
Blanks = dict[int, list[str]]
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


class _Absent(Exception):
    """A figure the ratio needs is not given; the message and `gap` say which."""

    def __init__(self, gap: FigureGap) -> None:
        super().__init__(f"no {gap.code} figure for {gap.year}")
        self.gap = gap


class _Blank(Exception):
    """A figure the ratio needs is printed blank; the message and `gap` say which."""

    def __init__(self, gap: FigureGap) -> None:
        super().__init__(f"{gap.code} is printed blank for {gap.year}")
        self.gap = gap


class _Beyond(Exception):
    """The formula gives no number; `outcome` says where the ratio lies, the message why."""

    def __init__(self, outcome: Outcome, reason: str) -> None:
        super().__init__(reason)
        self.outcome = outcome


class _Reader:
    """One year's figures and the prior year's, recording every figure read and its span."""

    def __init__(
        self, figures: Figures, year: int, flow_months: FlowMonths, blanks: Blanks
    ) -> None:
        self.figures = figures
        self.blanks = blanks
        self.flow_months = flow_months
        self.flows: dict[tuple[str, int], int | None] = {}
        self.year = year
        self.prior = year - 1
        self.inputs: dict[tuple[str, int], Decimal] = {}
        self.notes: list[str] = []

    def has(self, code: str, year: int) -> bool:
        return self.figures.get(year, {}).get(code) is not None

    def figure(self, code: str, year: int | None = None) -> Decimal:
        year = self.year if year is None else year
        value = self.figures.get(year, {}).get(code)
        if value is None and code in self.blanks.get(year, ()):
            raise _Blank(FigureGap(code=code, year=year, blank=True))
        if value is None:
            raise _Absent(FigureGap(code=code, year=year, blank=False))
        self.inputs[(code, year)] = value
        if code in FLOWS:
            self.flows[(code, year)] = self.flow_months.get(year, {}).get(code)
        return value

    def nil_if_missing(self, code: str) -> Decimal:
        """The figure, or 0 when it is not given or printed blank, noted."""
        try:
            return self.figure(code)
        except (_Absent, _Blank):
            self.notes.append(f"{code}: not given or blank, taken as 0")
            return Decimal(0)

    def average(self, code: str) -> Decimal:
        """Mean of the prior and this year's balance; the year-end balance alone only when no
        figure of the prior year is on file, since a gap in a year on file is no average."""
        end = self.figure(code)
        if not self.figures.get(self.prior) and not self.blanks.get(self.prior):
            self.notes.append(f"{code}: year-end balance, no {self.prior} figures on file")
            return end
        self.notes.append(f"{code}: average of {self.prior} and {self.year} balances")
        return (self.figure(code, self.prior) + end) / 2

    def growth(self, code: str) -> Decimal:
        """(this year − prior year) / prior year, undefined from a base not above 0."""
        before = self.figure(code, self.prior)
        return _divide(self.figure(code) - before, before, f"{self.prior} {code}", base=True)


def _divide(numerator: Decimal, denominator: Decimal, what: str, base: bool = False) -> Decimal:
    """numerator / denominator; beyond every value when the denominator is nil, undefined by
    sign when it is negative, or nil where it is a base that must be positive."""
    if denominator < 0 or (denominator == 0 and base):
        sign = "negative" if denominator < 0 else "zero"
        raise _Beyond(Outcome.undefined, f"{what} is {sign}, so the formula has no meaning")
    if denominator == 0 and numerator > 0:
        raise _Beyond(Outcome.above, f"{what} is nil: the ratio is beyond every value")
    if denominator == 0 and numerator < 0:
        raise _Beyond(Outcome.below, f"{what} is nil and the numerator negative")
    return Decimal(0) if denominator == 0 else numerator / denominator


def _tangible_net_assets(r: _Reader) -> Decimal:
    value = r.figure("total_equity") - r.figure("intangible_assets")
    for code in OPTIONAL_DEDUCTIONS:
        if r.has(code, r.year):
            value -= r.figure(code)
        else:
            r.notes.append(f"{code}: not given, taken as none")
    return value


def _sales_growth(r: _Reader) -> Decimal:
    return r.growth(NET_SALES)


class Definition(NamedTuple):
    """How an indicator is named, written and computed."""

    title: str
    formula: str
    unit: Unit
    compute: Callable[[_Reader], Decimal]


DEFINITIONS: dict[Indicator, Definition] = {
    Indicator.roe: Definition(
        "净资产收益率 ROE",
        "net_profit / average total_equity",
        Unit.fraction,
        lambda r: _divide(
            r.figure("net_profit"), r.average("total_equity"), "average net assets", base=True
        ),
    ),
    Indicator.roa: Definition(
        "总资产报酬率 ROA",
        "(total_profit + interest_expense) / average total_assets",
        Unit.fraction,
        lambda r: _divide(
            r.figure("total_profit") + r.nil_if_missing("interest_expense"),
            r.average("total_assets"),
            "average total assets",
        ),
    ),
    Indicator.gross_margin: Definition(
        "销售毛利率 gross margin",
        "(net sales − cost_of_sales) / net sales",
        Unit.fraction,
        lambda r: _divide(
            r.figure(NET_SALES) - r.figure("cost_of_sales"),
            r.figure(NET_SALES),
            "net sales",
        ),
    ),
    Indicator.asset_turnover: Definition(
        "总资产周转率 asset turnover",
        "net sales / average total_assets",
        Unit.times,
        lambda r: _divide(r.figure(NET_SALES), r.average("total_assets"), "average total assets"),
    ),
    Indicator.inventory_turnover: Definition(
        "存货周转率 inventory turnover",
        "cost_of_sales / average inventory",
        Unit.times,
        lambda r: _divide(r.figure("cost_of_sales"), r.average("inventory"), "average inventory"),
    ),
    Indicator.receivables_turnover: Definition(
        "应收账款周转率 receivables turnover",
        "net sales / average accounts_receivable",
        Unit.times,
        lambda r: _divide(
            r.figure(NET_SALES),
            r.average("accounts_receivable"),
            "average accounts receivable",
        ),
    ),
    Indicator.debt_ratio: Definition(
        "资产负债率 debt ratio",
        "total_liabilities / total_assets",
        Unit.fraction,
        lambda r: _divide(r.figure("total_liabilities"), r.figure("total_assets"), "total assets"),
    ),
    Indicator.current_ratio: Definition(
        "流动比率 current ratio",
        "current_assets / current_liabilities",
        Unit.times,
        lambda r: _divide(
            r.figure("current_assets"), r.figure("current_liabilities"), "current liabilities"
        ),
    ),
    Indicator.cash_ratio: Definition(
        "现金比率 cash ratio",
        "cash / current_liabilities",
        Unit.fraction,
        lambda r: _divide(
            r.figure(CASH),
            r.figure("current_liabilities"),
            "current liabilities",
        ),
    ),
    Indicator.sales_growth: Definition(
        "销售增长率 sales growth",
        "(net sales − prior net sales) / prior net sales",
        Unit.fraction,
        _sales_growth,
    ),
    Indicator.asset_growth: Definition(
        "总资产增长率 total asset growth",
        "(total_assets − prior total_assets) / prior total_assets",
        Unit.fraction,
        lambda r: r.growth("total_assets"),
    ),
    Indicator.profit_growth: Definition(
        "利润增长率 profit growth",
        "(total_profit − prior total_profit) / prior total_profit",
        Unit.fraction,
        lambda r: r.growth("total_profit"),
    ),
    Indicator.capital_accumulation: Definition(
        "资本积累率 capital accumulation",
        "(total_equity − prior total_equity) / prior total_equity",
        Unit.fraction,
        lambda r: r.growth("total_equity"),
    ),
    Indicator.working_capital: Definition(
        "营运资产 working capital",
        "(current_assets − current_liabilities + total_equity) / 2",
        Unit.yuan,
        lambda r: (
            (
                r.figure("current_assets")
                - r.figure("current_liabilities")
                + r.figure("total_equity")
            )
            / 2
        ),
    ),
    Indicator.total_profit: Definition(
        "利润总额 total profit", "total_profit", Unit.yuan, lambda r: r.figure("total_profit")
    ),
    Indicator.tangible_net_assets: Definition(
        "有形净资产 tangible net assets",
        "total_equity − intangible_assets − deferred_assets − startup_costs",
        Unit.yuan,
        _tangible_net_assets,
    ),
}


def _inputs(reader: _Reader, sources: Sources) -> list[FigureRef]:
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
        reader = _Reader(figures, year, flow_months, blanks)
        try:
            try:
                computed = definition.compute(reader)
            except _Beyond as beyond:
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
        except _Blank as blank:
            found.left_out[indicator] = str(blank)
            found.gaps[indicator] = blank.gap
            continue
        except _Absent as absent:
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
