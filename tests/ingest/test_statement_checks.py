"""Checks that cover every figure they can, ties across a document's statements, digits printed
unlike their column, units in their common forms, and company-only statements."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.statements import Statement, extract_pdf
from ingest.statements.numbers import amount, find_unit, odd
from tests.statements import Table, table_pdf

YEARS = [[("31 December 2025", (0,)), ("31 December 2024", (1,))]]
FLOW_YEARS: list[list[tuple[str, tuple[int, ...]]]] = [
    [("Year ended 31 December", (0, 1))],
    [("2025", (0,)), ("2024", (1,))],
]
COLUMNS = (420.0, 540.0)


def _sheet(cash_label: str = "Cash and cash equivalents", cash: str = "1,000.00") -> Table:
    return Table(
        "Consolidated statement of financial position",
        YEARS,
        [
            (cash_label, cash, "800.00"),
            ("Inventories", "2,000.00", "1,700.00"),
            ("Total current assets", "3,000.00", "2,500.00"),
            ("Total non-current assets", "7,000.00", "6,500.00"),
            ("Total assets", "10,000.00", "9,000.00"),
            ("Total liabilities", "4,000.00", "3,500.00"),
            ("Total equity", "6,000.00", "5,500.00"),
        ],
        COLUMNS,
        unit="AED'000",
    )


def _flows(closing: str = "1,000.00") -> Table:
    return Table(
        "Consolidated statement of cash flows",
        FLOW_YEARS,
        [
            ("Profit for the year", "500.00", "450.00"),
            ("Net cash generated from operating activities", "700.00", "600.00"),
            ("Net cash used in investing activities", "(400.00)", "(300.00)"),
            ("Net cash used in financing activities", "(100.00)", "(100.00)"),
            ("Net increase in cash and cash equivalents", "200.00", "200.00"),
            ("Cash and cash equivalents at the beginning of the year", "800.00", "600.00"),
            ("Cash and cash equivalents at the end of the year", closing, "800.00"),
        ],
        COLUMNS,
        unit="AED'000",
    )


def _income(net: str = "500.00") -> Table:
    return Table(
        "Consolidated statement of profit or loss",
        FLOW_YEARS,
        [
            ("Revenue", "5,000.00", "4,500.00"),
            ("Profit before tax", "550.00", "500.00"),
            ("Income tax", "(50.00)", "(50.00)"),
            ("Profit for the year", net, "450.00"),
        ],
        COLUMNS,
        unit="AED'000",
    )


def _by_type(tables: list[Table]) -> dict[str, Statement]:
    return {s.type: s for s in extract_pdf(table_pdf(tables))}


def test_a_figure_no_identity_covers_is_never_above_eighty_percent() -> None:
    sheet = _by_type([_sheet()])["balance_sheet"]
    assert not sheet.needs_review
    assert sheet.items["inventory"].confidence == 0.8  # read cleanly, but nothing vouches for it
    assert sheet.items["total_assets"].confidence > 0.9  # assets = liabilities + equity holds
    assert sheet.items["current_assets"].confidence > 0.9  # current + non-current = total


def test_subtotals_against_their_items_are_checked() -> None:
    broken = _sheet()
    rows = [
        r if r[0] != "Total non-current assets" else (r[0], "7,100.00", r[2]) for r in broken.rows
    ]
    sheet = _by_type([Table(broken.title, broken.headings, rows, COLUMNS)])["balance_sheet"]
    failed = [c.name for c in sheet.checks if not c.ok]
    assert failed == ["current assets + non-current assets = total assets (current)"]
    assert sheet.needs_review
    assert sheet.items["non_current_assets"].confidence < 0.5


def test_closing_cash_is_tied_to_the_balance_sheet_and_a_difference_flagged() -> None:
    agreed = _by_type([_sheet(), _flows()])
    assert all(not s.needs_review for s in agreed.values())
    assert agreed["balance_sheet"].items["cash"].confidence > 0.9  # vouched for by the tie
    differ = _by_type([_sheet(), _flows(closing="1,100.00")])
    for kind, code in (("balance_sheet", "cash"), ("cash_flow_statement", "cash_end")):
        statement = differ[kind]
        failed = [c for c in statement.checks if not c.ok]
        assert "closing cash = cash on the balance sheet (current)" in [c.name for c in failed]
        assert statement.needs_review
        assert statement.items[code].confidence < 0.5


def test_cash_that_may_differ_by_design_is_not_a_failed_tie() -> None:
    # Cash and bank balances hold deposits the cash-flow statement leaves out.
    found = _by_type([_sheet(cash_label="Cash and bank balances", cash="1,100.00"), _flows()])
    assert not any(not c.ok for s in found.values() for c in s.checks)
    names = [c.name for c in found["balance_sheet"].checks]
    assert "closing cash = cash on the balance sheet (current)" not in names
    assert "closing cash = cash on the balance sheet (prior)" in names  # equal, so it vouches
    assert not found["balance_sheet"].needs_review


def test_a_tie_on_years_alone_vouches_but_never_fails() -> None:
    # Cash-flow columns headed by years only may end elsewhere than the balance sheet's dates.
    years_only = _flows(closing="1,100.00")
    years_only = Table(
        years_only.title, years_only.headings[1:], years_only.rows, COLUMNS, years_only.unit
    )
    found = _by_type([_sheet(), years_only])
    names = {c.name: c.ok for c in found["balance_sheet"].checks}
    assert "closing cash = cash on the balance sheet (current)" not in names
    assert names["closing cash = cash on the balance sheet (prior)"] is True


def test_net_profit_is_tied_to_the_top_of_an_indirect_cash_flow_statement() -> None:
    agreed = _by_type([_income(), _flows()])
    names = [c.name for c in agreed["income_statement"].checks if c.ok]
    assert "net profit = profit opening the cash-flow statement (current)" in names
    differ = _by_type([_income(net="5,000.00"), _flows()])
    assert differ["cash_flow_statement"].needs_review
    assert differ["cash_flow_statement"].items["cash_flow_net_profit"].confidence < 0.5


def test_the_income_chain_from_operating_profit_to_total_profit() -> None:
    def income(non_operating_expenses: str) -> Statement:
        table = Table(
            "合并利润表",
            [[("2025年度", (0,)), ("2024年度", (1,))]],
            [
                ("营业收入", "5,000.00", "4,500.00"),
                ("三、营业利润", "600.00", "520.00"),
                ("加：营业外收入", "30.00", "10.00"),
                ("减：营业外支出", non_operating_expenses, "30.00"),
                ("四、利润总额", "550.00", "500.00"),
                ("减：所得税费用", "50.00", "50.00"),
                ("五、净利润", "500.00", "450.00"),
            ],
            COLUMNS,
            unit="单位：元",
        )
        return _by_type([table])["income_statement"]

    held = income("80.00")
    assert not held.needs_review
    assert held.items["operating_profit"].confidence > 0.9
    broken = income("8.00")
    chain = "operating profit + non-operating income - non-operating expenses = total profit"
    assert [c.name for c in broken.checks if not c.ok] == [f"{chain} (current)"]


def test_a_figure_with_merged_decimals_is_flagged_not_trusted() -> None:
    # OCR dropped the point and separators: 4,918,755.00 read as 491875500.
    sheet = _by_type([_sheet(cash="491875500")])["balance_sheet"]
    cash = sheet.items["cash"]
    assert cash.current == Decimal(491875500)
    assert sheet.needs_review
    failed = [c for c in sheet.checks if not c.ok and c.items == ["cash"]]
    assert [c.name for c in failed] == ["digits of cash (current)"]
    assert "decimals" in failed[0].detail
    assert cash.confidence < 0.5


def test_digits_against_their_column() -> None:
    column = ["1,234.00", "4,918,755.00", "491875500", "(2,000.50)", "-", "4,918,755,00"]
    found = odd(column)
    assert set(found) == {2, 5}
    assert "groups of three" in found[5]
    assert odd(["1,234", "45,678", "(2,000)", "12"]) == {}  # a column of whole numbers is fine
    assert set(odd(["485,192,483", "439,318,810", "8,486,219", "1327.00"])) == {3}
    assert amount("4,918,755,00") == Decimal(491875500)  # read, so that it can be flagged
    assert amount("5,6") is None  # notes 5 and 6, not an amount


def test_the_peso_sign_before_an_amount() -> None:
    # As Philippine filings' text layers give it (P struck through with "=") and as Unicode.
    assert amount("P=17,299,358") == Decimal(17299358)
    assert amount("=P29,984,998") == Decimal(29984998)
    assert amount("(P=17,783,267)") == Decimal(-17783267)
    assert amount("₱1,234.50") == Decimal("1234.50")


@pytest.mark.parametrize(
    ("heading", "unit", "multiplier", "currency"),
    [
        ("单位：人民币元", "元", 1, "CNY"),
        ("单位：千元 币种：人民币", "千元", 1_000, "CNY"),
        ("金额单位：万元", "万元", 10_000, "CNY"),
        ("（除特别注明外，金额单位均为人民币百万元）", "百万元", 1_000_000, "CNY"),
        ("人民幣千元", "千元", 1_000, "CNY"),
        ("人民幣千元人民幣千元", "千元", 1_000, "CNY"),  # over each column, read as one run
        ("（除另有指明外，均以人民幣千元列示）", "千元", 1_000, "CNY"),  # Hong Kong, a sentence
        ("(以人民幣元列示) 人民幣千元 人民幣千元", "千元", 1_000, "CNY"),  # the columns say more
        ("RMB'000", "RMB'000", 1_000, "CNY"),
        ("HK$'000", "HK$'000", 1_000, "HKD"),
        ("US$ millions", "US$ millions", 1_000_000, "USD"),
        ("(in millions, except per share amounts)", "millions", 1_000_000, None),
        ("Notes 2025 £000 2024 £000", "£000", 1_000, "GBP"),
        ("AED'000", "AED'000", 1_000, "AED"),
        ("AED 000", "AED 000", 1_000, "AED"),
    ],
)
def test_units_in_their_common_forms(
    heading: str, unit: str, multiplier: int, currency: str | None
) -> None:
    found = find_unit(heading)
    assert found is not None
    assert (found.text, found.multiplier, found.currency) == (unit, multiplier, currency)


def test_company_only_statements_are_reported_as_the_companys() -> None:
    alone = _sheet()
    alone = Table("Statement of financial position — Company", alone.headings, alone.rows,
                  COLUMNS, unit="£000")  # fmt: skip
    [sheet] = extract_pdf(table_pdf([alone]))
    assert (sheet.scope, sheet.multiplier, sheet.currency) == ("company", 1_000, "GBP")
    group = Table("Consolidated balance sheet", alone.headings, alone.rows, COLUMNS)
    own = Table("Company balance sheet", alone.headings, alone.rows, COLUMNS)
    assert [s.scope for s in extract_pdf(table_pdf([group, own]))] == ["consolidated", "parent"]
    unscoped = Table("Balance sheet", alone.headings, alone.rows, COLUMNS)
    assert [s.scope for s in extract_pdf(table_pdf([unscoped, own]))] == ["consolidated", "parent"]


def test_accounts_whose_titles_name_no_group_are_a_company_reporting_alone() -> None:
    # UK company-only accounts: "Balance sheet", "Profit and loss account", no scope words.
    sheet = Table("Balance sheet", YEARS, _sheet().rows, COLUMNS, unit="£000")
    loss = Table("Profit and loss account", FLOW_YEARS, _income().rows, COLUMNS, unit="£000")
    assert [s.scope for s in extract_pdf(table_pdf([sheet, loss]))] == ["company", "company"]
    # The same titles beside a consolidated statement, or over columns headed "Group", are the
    # group's.
    group = Table("Consolidated profit and loss account", FLOW_YEARS, _income().rows, COLUMNS)
    assert {s.scope for s in extract_pdf(table_pdf([sheet, group]))} == {"consolidated"}
    headed = Table(
        "Balance sheet",
        [
            [("Group", (0, 1)), ("Company", (2, 3))],
            [("2025", (0,)), ("2024", (1,)), ("2025", (2,)), ("2024", (3,))],
        ],
        [(label, a, b, a, b) for label, a, b in _sheet().rows],
        (300.0, 370.0, 470.0, 540.0),
    )
    [found] = extract_pdf(table_pdf([headed]))
    assert found.scope == "consolidated"
