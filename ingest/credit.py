"""Financial ratios of a customer's credit profile (004 附件二), from confirmed figures in yuan."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from ingest.credit_periods import FLOWS, PartOfYear, basis, year_months
from ingest.credit_schemas import (
    FigureRef,
    Figures,
    FlowMonths,
    Indicator,
    PeriodBasis,
    Ratio,
    Unit,
    YearRatios,
)

# 销售收入净额 is 营业收入; 营业总收入 stands in for statements that show only the total.
NET_SALES = ("revenue", "total_revenue")
# 现金类资产 is 货币资金; the cash-flow statement's closing cash stands in when it is missing.
CASH = ("cash", "cash_end")
# 递延资产 and 开办费 left Chinese statements in 2007, so their absence means none.
OPTIONAL_DEDUCTIONS = ("deferred_assets", "startup_costs")
# Places kept: 0.01 % for shares and times, fen for yuan.
PLACES = {Unit.fraction: 4, Unit.times: 4, Unit.yuan: 2}


def rounded(value: Decimal, places: int) -> Decimal:
    """`value` rounded half up (四舍五入) to `places` decimals."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


class _Absent(Exception):
    """The ratio cannot be computed; the message says why."""


class _Reader:
    """One year's figures and the prior year's, recording every figure read and its span."""

    def __init__(self, figures: Figures, year: int, flow_months: FlowMonths) -> None:
        self.figures = figures
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
        if value is None:
            raise _Absent(f"no {code} figure for {year}")
        self.inputs[(code, year)] = value
        if code in FLOWS:
            self.flows[(code, year)] = self.flow_months.get(year, {}).get(code)
        return value

    def first_of(self, codes: Sequence[str], years: Sequence[int]) -> str:
        """The first of `codes` given for all `years`; a stand-in is noted."""
        for code in codes:
            if all(self.has(code, year) for year in years):
                if code != codes[0]:
                    self.notes.append(f"{code} stands in for {codes[0]}, which is not given")
                return code
        raise _Absent(f"none of {', '.join(codes)} given for {', '.join(map(str, years))}")

    def average(self, code: str) -> Decimal:
        """Mean of the prior and this year's balance, or the year-end balance alone."""
        end = self.figure(code)
        if not self.has(code, self.prior):
            self.notes.append(f"{code}: year-end balance, no {self.prior} balance to average")
            return end
        self.notes.append(f"{code}: average of {self.prior} and {self.year} balances")
        return (self.figure(code, self.prior) + end) / 2

    def growth(self, code: str) -> Decimal:
        """(this year − prior year) / prior year."""
        before = self.figure(code, self.prior)
        return _divide(self.figure(code) - before, before, f"{self.prior} {code}")

    def net_sales(self, years: Sequence[int] | None = None) -> str:
        return self.first_of(NET_SALES, years or [self.year])


def _divide(numerator: Decimal, denominator: Decimal, what: str) -> Decimal:
    """numerator / denominator, refused when the denominator is not positive."""
    if denominator == 0:
        raise _Absent(f"{what} is zero")
    if denominator < 0:
        raise _Absent(f"{what} is negative, so the ratio would mislead")
    return numerator / denominator


def _tangible_net_assets(r: _Reader) -> Decimal:
    value = r.figure("total_equity") - r.figure("intangible_assets")
    for code in OPTIONAL_DEDUCTIONS:
        if r.has(code, r.year):
            value -= r.figure(code)
        else:
            r.notes.append(f"{code}: not given, taken as none")
    return value


def _sales_growth(r: _Reader) -> Decimal:
    return r.growth(r.net_sales([r.prior, r.year]))


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
        lambda r: _divide(r.figure("net_profit"), r.average("total_equity"), "average net assets"),
    ),
    Indicator.roa: Definition(
        "总资产报酬率 ROA",
        "(total_profit + interest_expense) / average total_assets",
        Unit.fraction,
        lambda r: _divide(
            r.figure("total_profit") + r.figure("interest_expense"),
            r.average("total_assets"),
            "average total assets",
        ),
    ),
    Indicator.gross_margin: Definition(
        "销售毛利率 gross margin",
        "(net sales − cost_of_sales) / net sales",
        Unit.fraction,
        lambda r: _divide(
            r.figure(r.net_sales()) - r.figure("cost_of_sales"),
            r.figure(r.net_sales()),
            "net sales",
        ),
    ),
    Indicator.asset_turnover: Definition(
        "总资产周转率 asset turnover",
        "net sales / average total_assets",
        Unit.times,
        lambda r: _divide(
            r.figure(r.net_sales()), r.average("total_assets"), "average total assets"
        ),
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
            r.figure(r.net_sales()),
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
            r.figure(r.first_of(CASH, [r.year])),
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


def year_ratios(figures: Figures, year: int, flow_months: FlowMonths | None = None) -> YearRatios:
    """Every indicator of `year`, using the prior year's figures for averages and growth; flows
    of a part of a year are treated as `credit_periods` says."""
    flow_months = flow_months or {}
    part = year_months(flow_months, year)
    ratios: dict[Indicator, Ratio] = {}
    absent: dict[Indicator, str] = {}
    for indicator, definition in DEFINITIONS.items():
        reader = _Reader(figures, year, flow_months)
        try:
            computed = definition.compute(reader)
            span, months, value, note = basis(indicator, computed, reader.flows, part)
        except (_Absent, PartOfYear) as reason:
            absent[indicator] = str(reason)
            continue
        if note:
            reader.notes.append(note)
        ratios[indicator] = Ratio(
            indicator=indicator,
            title=definition.title,
            formula=definition.formula,
            unit=definition.unit,
            value=rounded(value, PLACES[definition.unit]),
            inputs=[FigureRef(code=c, year=y, value=v) for (c, y), v in reader.inputs.items()],
            notes=list(dict.fromkeys(reader.notes)),  # a stand-in read twice is noted once
            basis=span,
            months=months,
        )
    unknown = any(r.basis == PeriodBasis.unknown for r in ratios.values())
    return YearRatios(year=year, ratios=ratios, absent=absent, months=part, period_unknown=unknown)


def profile_ratios(figures: Figures, flow_months: FlowMonths | None = None) -> list[YearRatios]:
    """The indicators of every fiscal year with figures, oldest first."""
    return [year_ratios(figures, year, flow_months) for year in sorted(figures)]
