"""The chart of statement items: statement kinds, what a line is, and the balance sheet's lines.

Label variants are regular expressions over labels as `labels.normalize` leaves them: no
spaces, punctuation, numbering or remarks in brackets; simplified characters; lower case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["balance_sheet", "income_statement", "cash_flow_statement"]
KINDS: tuple[Kind, ...] = ("balance_sheet", "income_statement", "cash_flow_statement")


@dataclass(frozen=True)
class Item:
    """A line of the chart; `labels` are regexes over normalised labels, best first."""

    code: str
    name: str
    kind: Kind
    labels: tuple[str, ...]
    # Where several rows match, the first one counts; bare "TOTAL" lines need the last.
    last: bool = False


_EQUITY = r"(所有者权益|股东权益|股东的权益|所有者的权益|权益)"

BALANCE_SHEET: tuple[Item, ...] = (
    Item(
        "cash",
        "货币资金",
        "balance_sheet",
        (
            r"货币资金",
            r"现金及存放中央银行款项",
            r"现金及现金等价物",  # Hong Kong balance sheets
            r"现金及银行结余",
            r"银行结余及现金",
            r"cashandcashequivalents?",
            r"cashandbankbalances",
            r"cash(and|andcash)?balanceswith(the)?centralbanks?",
            r"cashandbank",
            r"cashonhandandinbanks?",
            r"cash",
        ),
    ),
    Item(
        "accounts_receivable",
        "应收账款",
        "balance_sheet",
        (
            r"应收[账帐]款",
            r"贸易应收(款项|账款)(及应收票据)?",  # Hong Kong wording
            r"应收贸易(款项|账款)",
            r"贸易及其他应收(款项|账款)",
            r"accountsreceivables?(net)?",
            r"tradereceivables?(net)?",
            r"tradeaccountsreceivables?",
            r"tradeandotherreceivables",
            r"receivables?(net)?",
        ),
    ),
    Item("inventory", "存货", "balance_sheet", (r"存货", r"inventor(y|ies)(net)?")),
    Item(
        "intangible_assets",
        "无形资产",
        "balance_sheet",
        (
            r"无形资产",
            r"intangibleassets",
            r"otherintangibleassets",
        ),
    ),
    Item(
        "current_assets",
        "流动资产合计",
        "balance_sheet",
        (
            r"流动资产(合计|总计|总值|总额)",  # 总值 / 总额: Hong Kong wording
            r"totalcurrentassets",
        ),
    ),
    Item(
        "non_current_assets",
        "非流动资产合计",
        "balance_sheet",
        (r"非流动资产(合计|总计|总值|总额)", r"totalnoncurrentassets"),
    ),
    Item(
        "total_assets",
        "资产总计",
        "balance_sheet",
        (
            r"资产(总计|合计|总值|总额)",
            r"总资产",
            r"totalassets",
            r"total",
        ),
    ),
    Item(
        "current_liabilities",
        "流动负债合计",
        "balance_sheet",
        (
            r"流动负债(合计|总计|总额|总值)",
            r"totalcurrentliabilities",
        ),
    ),
    Item(
        "non_current_liabilities",
        "非流动负债合计",
        "balance_sheet",
        (r"非流动负债(合计|总计|总额|总值)", r"totalnoncurrentliabilities"),
    ),
    Item(
        "total_liabilities",
        "负债合计",
        "balance_sheet",
        (
            r"负债(合计|总计|总额|总值)",
            r"总负债",
            r"totalliabilities",
        ),
    ),
    Item(
        "equity_parent",
        "归属于母公司所有者权益合计",
        "balance_sheet",
        (
            rf"归属于(母公司|本公司)(普通股)?{_EQUITY}合计",
            rf"归属于(母公司|本公司)(普通股)?{_EQUITY}",
            r"本公司(拥有人|权益持有人|股东)应占权益(合计|总额)?",  # Hong Kong wording
            r"(total)?equityattributableto(the)?(owners|equityholders|shareholders|stockholders)"
            r"of(the)?(company|parent|bank|group)",
        ),
    ),
    Item(
        "total_equity",
        "所有者权益合计",
        "balance_sheet",
        (
            rf"{_EQUITY}(合计|总计|总额)",
            r"总权益",
            r"total(shareholders|stockholders|owners)?equity",
            r"totalnetassets",
            # Net assets, printed over the equity that equals them (HK 資產淨值, UK)
            r"资产净值|净资产|netassets",
        ),
    ),
    Item(
        "total_liabilities_and_equity",
        "负债和所有者权益总计",
        "balance_sheet",
        (
            rf"负债(和|及){_EQUITY}(总计|合计|总额)",
            rf"{_EQUITY}(和|及)负债(总计|合计|总额)",
            r"总(权益及负债|负债及权益)",
            r"total(equity|shareholdersequity|stockholdersequity)andliabilities",
            r"totalliabilitiesand(shareholders|stockholders|owners)?equity",
            r"total",
        ),
        last=True,
    ),
)
