"""The income and cash-flow statements' lines, and the whole chart in order, by code and name."""

from __future__ import annotations

from ingest.statements.chart import BALANCE_SHEET, Item

_NET_CASH = r"net(cash|cashflows?)(generated|provided|inflow|outflow|used|from|by|in|arising)*"
# "Cash and cash equivalents at the end of the year", "Cash, cash equivalents and restricted
# cash, end of period", "Cash balance at end of year".
_CASH_AT = r"cash[a-z]{0,40}?(at|as(at|of))?(the)?"

INCOME_STATEMENT: tuple[Item, ...] = (
    Item("total_revenue", "营业总收入", "income_statement", (r"营业总收入",)),
    Item(
        "revenue",
        "营业收入",
        "income_statement",
        (
            # banks print 一、营业收入 as a heading without amounts, the figure on 营业收入合计
            r"营业收入合计",
            r"营业收入",
            r"revenues?",
            r"revenues?fromcontractswithcustomers",
            r"salesrevenues?",
            r"(total)?net(sales|revenues?)",
            r"sales",
            r"turnover",
            r"operatingrevenues?",
            r"total(revenues?|income)",
            # Hong Kong wording, last: a wrapped "（虧損）╱收入" reads as 收入 on its own
            r"收益|收入|营业额",
        ),
    ),
    Item(
        "cost_of_sales",
        "营业成本",
        "income_statement",
        (
            r"营业成本",
            r"销售成本",
            r"costofsales",
            r"costof(goods|products)sold",
            r"costofrevenues?",
            r"costofservices",
            r"directcosts?",
            r"totalcostof(sales|revenues?|goodssold)",
        ),
    ),
    Item(
        "interest_expense",
        "利息费用",
        "income_statement",
        (
            r"利息费用",
            r"利息支出",
            r"(财务|融资)成本",
            r"interestexpenses?",
            r"financecosts?",
            r"interestexpenseon(leaseliabilities|borrowings|bankborrowings|loans)",
        ),
    ),
    Item(
        "operating_profit",
        "营业利润",
        "income_statement",
        (
            r"营业利润",
            r"经营(溢利|利润)",
            r"operating(profit|income)",
            r"(profit|income)fromoperations",
        ),
    ),
    Item("non_operating_income", "营业外收入", "income_statement", (r"营业外收入",)),
    Item("non_operating_expenses", "营业外支出", "income_statement", (r"营业外支出",)),
    Item(
        "total_profit",
        "利润总额",
        "income_statement",
        (
            r"利润总额",
            r"除(所得)?税前(溢利|盈利|利润|亏损)",  # 除稅前(虧損)/溢利 once brackets go
            r"(profit|income|earnings)beforetax(ation)?(fortheyear|fortheperiod)?",
            r"(net)?(profit|income|earnings|loss)before(provisionfor)?incometax(es)?",
            r"(profit|loss)beforetax(ation)?(fortheyear|fortheperiod)?",
        ),
    ),
    Item(
        "income_tax",
        "所得税费用",
        "income_statement",
        (
            r"所得税(费用|开支|抵免)?",
            r"(corporate)?(income)?tax(ation)?(expense|credit|benefit)?s?(fortheyear)?",
            r"provisionforincometax(es)?",
        ),
    ),
    Item(
        "net_profit",
        "净利润",
        "income_statement",
        (
            r"净利润",
            r"([期年]内|期间|年度)(溢利|盈利|利润|亏损)",  # Hong Kong: profit for the period / year
            r"net(profit|income|earnings)(fortheyear|fortheperiod)?",
            r"(profit|loss)(fortheyear|fortheperiod)",
        ),
    ),
    Item(
        "net_profit_parent",
        "归属于母公司股东的净利润",
        "income_statement",
        (
            r"归属于(母公司|本公司)(普通股)?(股东|所有者)的?净利润",
            # under 以下人士应占 (attributable to); OCR reads the dash before it as 一
            r"一?本公司(拥有人|权益持有人|股东)",
            r"本公司(拥有人|权益持有人|股东)应占([期年]内|期间|年度)?(溢利|盈利|利润|亏损)",
            r"(profit|netprofit|netincome)?attributableto(the)?(owners|equityholders|shareholders)"
            r"of(the)?(company|parent|bank)",
            r"(owners|equityholders|shareholders)of(the)?(company|parent|bank)",
        ),
    ),
)
CASH_FLOW_STATEMENT: tuple[Item, ...] = (
    # The first line of an indirect cash-flow statement, tied to the income statement.
    Item(
        "cash_flow_net_profit",
        "现金流量表中的净利润",
        "cash_flow_statement",
        (
            r"净利润",
            r"([期年]内|期间|年度)(溢利|盈利|利润|亏损)",
            r"net(profit|income|earnings)(fortheyear|fortheperiod)?",
            r"(profit|loss)(fortheyear|fortheperiod)",
        ),
    ),
    Item(
        "cash_flow_profit_before_tax",
        "现金流量表中的利润总额",
        "cash_flow_statement",
        (
            r"利润总额",
            r"除(所得)?税前(溢利|盈利|利润|亏损)",
            r"(profit|income|earnings|loss)beforetax(ation)?(fortheyear|fortheperiod)?",
            r"(net)?(profit|income|earnings|loss)beforeincometax(es)?",
            r"(profit|loss)(fortheyear|fortheperiod)beforetax(ation)?",
        ),
    ),
    Item(
        "operating_cash_flow",
        "经营活动产生的现金流量净额",
        "cash_flow_statement",
        (
            r"经营活动(产生|使用)的现金流量净额",
            r"经营活动(产生|所用)的现金(流入|流出)*净额",
            r"经营活动(所得|所用|产生|使用)*[的之]?现金(流量)?净额",  # Hong Kong wording
            rf"{_NET_CASH}operatingactivities",
        ),
    ),
    Item(
        "investing_cash_flow",
        "投资活动产生的现金流量净额",
        "cash_flow_statement",
        (
            r"投资活动(产生|使用)的现金流量净额",
            r"投资活动(产生|所用)的现金(流入|流出)*净额",
            r"投资活动(所得|所用|产生|使用)*[的之]?现金(流量)?净额",
            rf"{_NET_CASH}investingactivities",
        ),
    ),
    Item(
        "financing_cash_flow",
        "筹资活动产生的现金流量净额",
        "cash_flow_statement",
        (
            r"筹资活动(产生|使用)的现金流量净额",
            r"融资活动(产生|所用)的现金(流入|流出)*净额",  # Hong Kong wording
            r"融资活动(所得|所用|产生|使用)*[的之]?现金(流量)?净额",
            rf"{_NET_CASH}financingactivities",
        ),
    ),
    Item(
        "fx_effect",
        "汇率变动对现金及现金等价物的影响",
        "cash_flow_statement",
        (
            r"汇率变动对现金及现金等价物的影响",
            r"(外汇)?汇率变动(对现金及现金等价物)?[的之]?影响",
            r"effects?of(foreign)?exchangerate.*",
        ),
    ),
    Item(
        "net_change_in_cash",
        "现金及现金等价物净增加额",
        "cash_flow_statement",
        (
            r"现金及现金等价物净(增加|减少)+额",
            r"([期年]内)?现金及现金等价物(增加|减少)+净额",  # 增加/(减少)净额 once brackets go
            r"net(increase|decrease)+in(cashandcashequivalents|cash)",
        ),
    ),
    Item(
        "cash_begin",
        "期初现金及现金等价物余额",
        "cash_flow_statement",
        (
            r"于?(期初|年初)的?现金及现金等价物(余额)?",
            # A date that only opens a year: 於1月1日的現金及現金等價物, "... at 1 January".
            r"于(\d{4}年)?1月1日的?现金及现金等价物(余额)?",
            rf"{_CASH_AT}beginningof(the)?(financial)?(year|period)",
            r"cashandcashequivalentsat1(st)?january(\d{4})?",
        ),
    ),
    Item(
        "cash_end",
        "期末现金及现金等价物余额",
        "cash_flow_statement",
        (
            r"于?(期末|年末)的?现金及现金等价物(余额)?",
            r"于(\d{4}年)?12月31日的?现金及现金等价物(余额)?",  # a date that only closes a year
            rf"{_CASH_AT}endof(the)?(financial)?(year|period)",
            r"cashandcashequivalentsat31(st)?december(\d{4})?",
        ),
    ),
)

ITEMS: tuple[Item, ...] = BALANCE_SHEET + INCOME_STATEMENT + CASH_FLOW_STATEMENT

BY_CODE = {item.code: item for item in ITEMS}
BY_NAME = {item.name: item for item in ITEMS}
