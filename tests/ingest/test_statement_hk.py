"""Hong Kong statements in traditional Chinese only: 綜合財務狀況表 / 綜合損益表 / 綜合現金流量表,
人民幣千元, Hong Kong wording for each line, and subtotals printed without a label."""

from __future__ import annotations

from decimal import Decimal

from ingest.statements import Statement, extract_pdf
from tests.statements import Table, table_pdf

COLUMNS = (420.0, 540.0)
Headings = list[list[tuple[str, tuple[int, ...]]]]
YEAR_END: Headings = [
    [("於12月31日", (0, 1))],
    [("2024年", (0,)), ("2023年", (1,))],
    [("人民幣千元", (0,)), ("人民幣千元", (1,))],
]
YEAR: Headings = [
    [("截至12月31日止年度", (0, 1))],
    [("2024年", (0,)), ("2023年", (1,))],
    [("人民幣千元", (0,)), ("人民幣千元", (1,))],
]

SHEET = Table(
    "綜合財務狀況表",
    YEAR_END,
    [
        ("資產",),
        ("非流動資產",),
        ("物業、廠房及設備", "100,000", "90,000"),
        ("無形資產", "20,000", "25,000"),
        ("", "120,000", "115,000"),
        ("流動資產",),
        ("存貨", "30,000", "28,000"),
        ("貿易應收款項及應收票據", "15,000", "12,000"),
        ("現金及現金等價物", "35,000", "40,000"),
        ("", "80,000", "80,000"),
        ("資產總額", "200,000", "195,000"),
        ("本公司擁有人應佔權益",),
        ("股本", "1,000", "1,000"),
        ("儲備", "119,000", "104,000"),
        ("", "120,000", "105,000"),
        ("非控股權益", "5,000", "4,000"),
        ("權益總額", "125,000", "109,000"),
        ("流動負債",),
        ("貿易應付款項", "45,000", "56,000"),
        ("借款", "30,000", "30,000"),
        ("", "75,000", "86,000"),
        ("負債總額", "75,000", "86,000"),
        ("權益及負債總額", "200,000", "195,000"),
    ],
    COLUMNS,
)
INCOME = Table(
    "綜合損益表",
    YEAR,
    [
        ("收益", "500,000", "450,000"),
        ("銷售成本", "(400,000)", "(370,000)"),
        ("毛利", "100,000", "80,000"),
        ("財務成本", "(5,000)", "(4,000)"),
        ("除稅前溢利", "60,000", "50,000"),
        ("所得稅開支", "(9,000)", "(7,500)"),
        ("年內溢利", "51,000", "42,500"),
        ("以下人士應佔：",),
        ("本公司擁有人", "50,000", "41,000"),
        ("非控股權益", "1,000", "1,500"),
    ],
    COLUMNS,
)
FLOWS = Table(
    "綜合現金流量表",
    YEAR,
    [
        ("經營活動所得現金淨額", "20,000", "30,000"),
        ("投資活動所用現金淨額", "(15,000)", "(10,000)"),
        ("融資活動(所用)/所得現金淨額", "(10,500)", "5,000"),
        ("現金及現金等價物(減少)/增加淨額", "(5,500)", "25,000"),
        ("年初現金及現金等價物", "40,000", "14,000"),
        ("匯率變動的影響", "500", "1,000"),
        ("年末現金及現金等價物", "35,000", "40,000"),
    ],
    COLUMNS,
)


def _by_type() -> dict[str, Statement]:
    found = extract_pdf(table_pdf([SHEET, INCOME, FLOWS]))
    return {s.type: s for s in found if s.scope == "consolidated"}


Pair = tuple[Decimal | int | None, Decimal | int | None]  # expected amounts as plain ints


def _figures(statement: Statement) -> dict[str, Pair]:
    return {code: (f.current, f.prior) for code, f in statement.items.items()}


def test_every_statement_is_found_in_thousands_of_renminbi() -> None:
    found = _by_type()
    assert set(found) == {"balance_sheet", "income_statement", "cash_flow_statement"}
    for statement in found.values():
        assert (statement.unit, statement.multiplier, statement.currency) == ("千元", 1000, "CNY")
        assert statement.periods["current"].end == "2024-12-31"
        assert not statement.needs_review, statement.checks


def test_balance_sheet_lines_in_hong_kong_wording_and_unlabelled_subtotals() -> None:
    sheet = _by_type()["balance_sheet"]
    assert _figures(sheet) == {
        "cash": (35_000, 40_000),
        "inventory": (30_000, 28_000),
        "accounts_receivable": (15_000, 12_000),
        "intangible_assets": (20_000, 25_000),
        "non_current_assets": (120_000, 115_000),  # printed under 非流動資產 without a label
        "current_assets": (80_000, 80_000),
        "total_assets": (200_000, 195_000),
        "equity_parent": (120_000, 105_000),
        "total_equity": (125_000, 109_000),
        "current_liabilities": (75_000, 86_000),
        "total_liabilities": (75_000, 86_000),
        "total_liabilities_and_equity": (200_000, 195_000),
    }
    assert sheet.items["current_assets"].label == "流動資產"
    # current + non-current = total holds on the unlabelled lines: they are trusted
    assert sheet.items["current_assets"].confidence > 0.9


def test_income_statement_lines_in_hong_kong_wording() -> None:
    income = _by_type()["income_statement"]
    assert _figures(income) == {
        "revenue": (500_000, 450_000),
        "cost_of_sales": (-400_000, -370_000),
        "interest_expense": (-5_000, -4_000),
        "total_profit": (60_000, 50_000),
        "income_tax": (-9_000, -7_500),
        "net_profit": (51_000, 42_500),
        "net_profit_parent": (50_000, 41_000),
    }
    assert income.items["net_profit"].confidence > 0.9  # profit before tax − tax holds


def test_cash_flow_lines_in_hong_kong_wording_tie_to_the_balance_sheet() -> None:
    found = _by_type()
    flows = found["cash_flow_statement"]
    assert _figures(flows) == {
        "operating_cash_flow": (20_000, 30_000),
        "investing_cash_flow": (-15_000, -10_000),
        "financing_cash_flow": (-10_500, 5_000),
        "net_change_in_cash": (-5_500, 25_000),
        "cash_begin": (40_000, 14_000),
        "fx_effect": (500, 1_000),
        "cash_end": (35_000, 40_000),
    }
    names = [c.name for c in flows.checks if c.ok]
    assert "closing cash = cash on the balance sheet (current)" in names
    assert found["balance_sheet"].items["cash"].confidence > 0.9


def test_a_line_naming_its_total_beats_an_unlabelled_sum_under_the_same_heading() -> None:
    # Under "Equity" the unlabelled sum of capital and treasury shares is no total equity.
    sheet = Table(
        "Consolidated statement of financial position",
        [[("2025", (0,)), ("2024", (1,))]],
        [
            ("Total assets", "11,000", "10,000"),
            ("Equity",),
            ("Share capital", "8,000", "8,000"),
            ("Treasury shares", "(4)", "(4)"),
            ("", "7,996", "7,996"),
            ("Retained earnings", "1,004", "4"),
            ("Total equity", "9,000", "8,000"),
            ("Total liabilities", "2,000", "2,000"),
        ],
        COLUMNS,
    )
    [found] = extract_pdf(table_pdf([sheet]))
    assert _figures(found)["total_equity"] == (9_000, 8_000)
    assert found.items["total_equity"].label == "Total equity"


def test_a_wrapped_fragment_reading_income_alone_is_not_the_revenue() -> None:
    # Bilingual lines wrap differently in each language: the Chinese half of the second line of
    # "other comprehensive (loss)/income" reads 收入 (income) on its own.
    income = Table(
        "Condensed consolidated statement of comprehensive income",
        [[("2024", (0,)), ("2023", (1,))]],
        [
            ("Revenues from contracts with customers 源自客戶合約的收入", "436,581", "400,533"),
            ("Loss for the period 期內虧損", "(99,040)", "(3,058,067)"),
            ("Other comprehensive (loss)/income 扣除稅項後的期內其他全面",),
            ("for the period, net of tax （虧損）╱收入", "(5,547)", "30,116"),
        ],
        COLUMNS,
    )
    [found] = extract_pdf(table_pdf([income]))
    assert _figures(found)["revenue"] == (436_581, 400_533)
    assert _figures(found)["net_profit"] == (-99_040, -3_058_067)


def test_an_unlabelled_sum_under_a_heading_that_names_an_item() -> None:
    # "PROVISION FOR INCOME TAX", its current and deferred parts, then their sum alone.
    income = Table(
        "STATEMENTS OF INCOME",
        [[("2024", (0,)), ("2023", (1,))]],
        [
            ("INCOME (LOSS) BEFORE INCOME TAX", "(17,584,431)", "22,074,169"),
            ("PROVISION FOR INCOME TAX",),
            ("Current", "198,836", "6,732,731"),
            ("Deferred", "-", "7,180,559"),
            ("", "198,836", "13,913,290"),
            ("NET INCOME (LOSS)", "(P=17,783,267)", "P=8,160,879"),
        ],
        COLUMNS,
    )
    [found] = extract_pdf(table_pdf([income]))
    assert _figures(found)["income_tax"] == (198_836, 13_913_290)
    assert _figures(found)["net_profit"] == (-17_783_267, 8_160_879)
    assert found.items["income_tax"].confidence > 0.9  # profit before tax − tax = net holds


def test_a_bracket_left_open_on_its_line_is_a_closing_bracket_lost() -> None:
    # OCR of "投資活動所得／(所用)現金淨額" lost the ")": the line is still the net investing
    # cash flow, and the roll of the cash-flow statement vouches for it.
    flows = Table(
        "綜合現金流量表",
        YEAR,
        [
            ("經營活動所得現金淨額", "20,000", "30,000"),
            ("投資活動所得/(所用現金淨額", "(15,000)", "(10,000)"),
            ("融資活動(所用)/所得現金淨額", "(10,500)", "5,000"),
            ("現金及現金等價物(減少)/增加淨額", "(5,500)", "25,000"),
        ],
        COLUMNS,
    )
    [found] = extract_pdf(table_pdf([flows]))
    assert _figures(found)["investing_cash_flow"] == (-15_000, -10_000)
    assert found.items["investing_cash_flow"].confidence > 0.9


def test_a_title_in_its_other_language_under_the_title_printed_again_continues_it() -> None:
    # A bilingual cash-flow statement over two pages, scanned: OCR lost the Chinese title of the
    # first page, so the second page's "中期簡明綜合現金流量表" under the English title printed
    # again names nothing the statement has been called yet. It is the same statement.
    years = [[("2024", (0,)), ("2023", (1,))], [("RMB'000", (0,)), ("RMB'000", (1,))]]
    english = "INTERIM CONDENSED CONSOLIDATED STATEMENT OF CASH FLOWS"
    first = Table(
        english,
        years,
        [
            ("Net cash outflow from operating activities", "(97,000)", "(174,000)"),
            ("Net cash inflow from investing activities", "495,000", "174,500"),
        ],
        COLUMNS,
    )
    second = Table(
        english,
        [[("中期簡明綜合現金流量表", (0, 1))], *years],
        [
            ("Net cash (outflow)/inflow from financing activities", "(111,000)", "180,000"),
            ("Net increase in cash and cash equivalents", "287,000", "180,500"),
            ("Cash and cash equivalents at beginning of period", "234,000", "408,000"),
            ("Cash and cash equivalents at end of period", "521,000", "588,500"),
        ],
        COLUMNS,
    )
    [found] = extract_pdf(table_pdf([first, second]))
    assert found.pages == [1, 2]
    assert _figures(found)["operating_cash_flow"] == (-97_000, -174_000)
    assert _figures(found)["financing_cash_flow"] == (-111_000, 180_000)
    assert not found.needs_review, [c.detail for c in found.checks if not c.ok]
