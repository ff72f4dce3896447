"""How each indicator of a customer's credit profile (004 附件二) is computed from figures in yuan.

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
from decimal import Decimal
from typing import NamedTuple

from ingest.credit_periods import FLOWS
from ingest.credit_schemas import Figures, FlowMonths, Indicator, Unit
from ingest.method_schemas import FigureGap, Outcome

# 销售收入净额 is 营业收入, 现金类资产 is 货币资金.
NET_SALES = "revenue"
CASH = "cash"
# 递延资产 and 开办费 left Chinese statements in 2007, so their absence means none.
OPTIONAL_DEDUCTIONS = ("deferred_assets", "startup_costs")
Blanks = dict[int, list[str]]


class Absent(Exception):
    """A figure the ratio needs is not given; the message and `gap` say which."""

    def __init__(self, gap: FigureGap) -> None:
        super().__init__(f"no {gap.code} figure for {gap.year}")
        self.gap = gap


class Blank(Exception):
    """A figure the ratio needs is printed blank; the message and `gap` say which."""

    def __init__(self, gap: FigureGap) -> None:
        super().__init__(f"{gap.code} is printed blank for {gap.year}")
        self.gap = gap


class Beyond(Exception):
    """The formula gives no number; `outcome` says where the ratio lies, the message why."""

    def __init__(self, outcome: Outcome, reason: str) -> None:
        super().__init__(reason)
        self.outcome = outcome


class Reader:
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
            raise Blank(FigureGap(code=code, year=year, blank=True))
        if value is None:
            raise Absent(FigureGap(code=code, year=year, blank=False))
        self.inputs[(code, year)] = value
        if code in FLOWS:
            self.flows[(code, year)] = self.flow_months.get(year, {}).get(code)
        return value

    def nil_if_missing(self, code: str) -> Decimal:
        """The figure, or 0 when it is not given or printed blank, noted."""
        try:
            return self.figure(code)
        except (Absent, Blank):
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
        raise Beyond(Outcome.undefined, f"{what} is {sign}, so the formula has no meaning")
    if denominator == 0 and numerator > 0:
        raise Beyond(Outcome.above, f"{what} is nil: the ratio is beyond every value")
    if denominator == 0 and numerator < 0:
        raise Beyond(Outcome.below, f"{what} is nil and the numerator negative")
    return Decimal(0) if denominator == 0 else numerator / denominator


def _tangible_net_assets(r: Reader) -> Decimal:
    value = r.figure("total_equity") - r.figure("intangible_assets")
    for code in OPTIONAL_DEDUCTIONS:
        if r.has(code, r.year):
            value -= r.figure(code)
        else:
            r.notes.append(f"{code}: not given, taken as none")
    return value


def _sales_growth(r: Reader) -> Decimal:
    return r.growth(NET_SALES)


class Definition(NamedTuple):
    """How an indicator is named, written and computed."""

    title: str
    formula: str
    unit: Unit
    compute: Callable[[Reader], Decimal]


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
