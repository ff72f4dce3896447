"""Period columns read from their headings: the full current period and its comparative are
chosen explicitly, and a statement whose columns cannot be told apart is never trusted."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.statements import Statement, extract_pdf
from ingest.statements.checks import PERIODS
from ingest.statements.periods import choose, parse
from tests.statements import Table, table_pdf

# Quarter beside nine months, as IFRS interim reports print them; the pairs stand apart.
INTERIM_COLUMNS = (290.0, 360.0, 470.0, 540.0)
INTERIM_ROWS = [
    ("Revenue", "1,000", "900", "3,000", "2,700"),
    ("Finance costs", "(20)", "(15)", "(60)", "(45)"),
    ("Profit before tax", "400", "350", "1,200", "1,000"),
    ("Income tax", "(40)", "(35)", "(120)", "(100)"),
    ("Profit for the period", "360", "315", "1,080", "900"),
]


def _one(data: bytes) -> Statement:
    [statement] = extract_pdf(data)
    return statement


def test_an_interim_income_statement_gives_the_nine_months_not_the_quarter() -> None:
    table = Table(
        "Condensed consolidated statement of profit or loss",
        [
            [
                ("Three months ended 30 September", (0, 1)),
                ("Nine months ended 30 September", (2, 3)),
            ],
            [("2025", (0,)), ("2024", (1,)), ("2025", (2,)), ("2024", (3,))],
            [("AED'000", (0,)), ("AED'000", (1,)), ("AED'000", (2,)), ("AED'000", (3,))],
        ],
        INTERIM_ROWS,
        INTERIM_COLUMNS,
    )
    income = _one(table_pdf([table]))
    revenue, net = income.items["revenue"], income.items["net_profit"]
    assert (revenue.current, revenue.prior) == (Decimal(3000), Decimal(2700))
    assert (net.current, net.prior) == (Decimal(1080), Decimal(900))
    current, prior = income.periods["current"], income.periods["prior"]
    assert (current.months, current.end) == (9, "2025-09-30")
    assert (prior.months, prior.end) == (9, "2024-09-30")
    assert current.heading.startswith("Nine months ended 30 September 2025")
    assert income.columns == {"current": "2025", "prior": "2024"}
    assert not income.needs_review
    assert net.confidence > 0.9  # profit before tax − tax = profit holds on the nine months


def test_four_amount_columns_without_headings_go_to_review_with_low_confidence() -> None:
    table = Table("Condensed consolidated statement of profit or loss", [], INTERIM_ROWS,
                  INTERIM_COLUMNS, unit="AED'000")  # fmt: skip
    income = _one(table_pdf([table]))
    assert income.needs_review
    assert any("heading" in reason for reason in income.review)
    # Stored and shown as a failed check on every figure, to be accepted before confirming.
    [doubt] = [c for c in income.checks if not c.ok]
    assert (doubt.name, doubt.items) == (PERIODS, sorted(income.items))
    assert income.items
    assert all(f.confidence <= 0.5 for f in income.items.values())


def test_repeated_years_with_nothing_to_tell_them_apart_go_to_review() -> None:
    table = Table(
        "Condensed consolidated statement of profit or loss",
        [[("2025", (0,)), ("2024", (1,)), ("2025", (2,)), ("2024", (3,))]],
        INTERIM_ROWS,
        INTERIM_COLUMNS,
    )
    income = _one(table_pdf([table]))
    assert income.needs_review
    assert all(f.confidence <= 0.5 for f in income.items.values())


def test_a_10k_with_three_years_and_dollar_signs_in_cells_of_their_own() -> None:
    table = Table(
        "CONSOLIDATED STATEMENTS OF OPERATIONS",
        [
            [("Year Ended December 31,", (0, 1, 2))],
            [("2025", (0,)), ("2024", (1,)), ("2023", (2,))],
        ],
        [
            ("Net sales", "$ 9,000", "$ 8,000", "$ 7,000"),
            ("Cost of sales:",),
            ("Products", "3,000", "2,500", "2,000"),
            ("Income before provision for income taxes", "2,000", "1,800", "1,500"),
            ("Provision for income taxes", "500", "450", "400"),
            ("Net income", "$ 1,500", "$ 1,350", "$ 1,100"),
        ],
        (380.0, 460.0, 540.0),
        unit="(In millions, except per share data)",
    )
    income = _one(table_pdf([table]))
    assert (income.unit, income.multiplier) == ("millions", 1_000_000)
    revenue = income.items["revenue"]
    assert (revenue.current, revenue.prior) == (Decimal(9000), Decimal(8000))
    net = income.items["net_profit"]
    assert (net.current, net.prior) == (Decimal(1500), Decimal(1350))
    assert net.label == "Net income"
    assert (income.periods["current"].months, income.periods["current"].end) == (12, "2025-12-31")
    assert income.periods["prior"].end == "2024-12-31"
    assert not income.needs_review


@pytest.mark.parametrize(
    ("headings", "kind", "current", "prior"),
    [
        ([["本期发生额"], ["上期发生额"]], "income_statement", 0, 1),
        ([["期末余额"], ["上年年末余额"]], "balance_sheet", 0, 1),
        ([["上期金额"], ["本期金额"]], "income_statement", 1, 0),
        ([["2025年前三季度（1-9月）"], ["2024年前三季度（1-9月）"]], "income_statement", 0, 1),
        # 截至9月30日止六個月: Hong Kong interim, the span over both years
        (
            [["2024", "截至9月30日止六個月"], ["2023", "截至9月30日止六個月"]],
            "income_statement",
            0,
            1,
        ),
        ([["30 September 2025"], ["31 December 2024"]], "balance_sheet", 0, 1),
        ([["2023"], ["2025"], ["2024"]], "cash_flow_statement", 1, 2),
        ([["本月数"], ["本年累计数"]], "income_statement", 1, None),
        # an A-share third-quarter report: the quarter, then the year to date
        (
            [
                ["本期金额（7-9月）"],
                ["上期金额（7-9月）"],
                ["年初至报告期末金额（1-9月）"],
                ["上年年初至报告期末金额（1-9月）"],
            ],
            "income_statement",
            2,
            3,
        ),
        # a span read over one of two columns only
        ([["2024", "Six months ended 30 September"], ["2023"]], "income_statement", 0, 1),
    ],
)
def test_headings_in_their_common_forms(
    headings: list[list[str]], kind: str, current: int, prior: int | None
) -> None:
    choice = choose([parse(h) for h in headings], kind)  # type: ignore[arg-type]
    assert (choice.current, choice.prior) == (current, prior)


def test_a_bank_printing_group_and_bank_headings_gives_the_groups_columns() -> None:
    headings = [["2025", "本集团"], ["2024", "本集团"], ["2025", "本行"], ["2024", "本行"]]
    choice = choose([parse(h) for h in headings], "income_statement")
    assert (choice.current, choice.prior, choice.doubt) == (0, 1, None)
    reversed_ = [["2025", "本行"], ["2024", "本行"], ["2025", "本集团"], ["2024", "本集团"]]
    choice = choose([parse(h) for h in reversed_], "income_statement")
    assert (choice.current, choice.prior, choice.doubt) == (2, 3, None)


def test_a_date_over_the_table_is_the_current_columns_not_the_openings() -> None:
    title = "合并资产负债表 2021年12月31日"
    assert parse(["期末余额", title]).end_text == "2021-12-31"
    assert parse(["上年年末余额", title]).end_text is None  # it ended a year earlier


def test_amounts_outside_the_headed_columns_send_the_statement_to_review() -> None:
    # Only the quarter's columns carry a heading the reader can place; the nine months' amounts
    # stand beside them under none.
    table = Table(
        "Condensed consolidated statement of profit or loss",
        [[("2025", (0,)), ("2024", (1,))]],
        INTERIM_ROWS,
        INTERIM_COLUMNS,
    )
    income = _one(table_pdf([table]))
    assert income.needs_review
    assert any("no period heading" in reason for reason in income.review)
    assert all(f.confidence <= 0.5 for f in income.items.values())


def test_a_hong_kong_interim_headed_in_two_languages() -> None:
    table = Table(
        "中期簡明綜合損益表",
        [
            [("截至9月30日止六個月", (0, 1))],
            [("Six months ended 30 September", (0, 1))],
            [("2024", (0,)), ("2023", (1,))],
            [("人民幣千元", (0,)), ("人民幣千元", (1,))],
        ],
        [
            ("Revenue", "1,603,265", "1,801,334"),
            ("Profit before tax", "120,500", "98,000"),
            ("Income tax", "(20,500)", "(18,000)"),
            ("Profit for the period", "100,000", "80,000"),
        ],
        (420.0, 540.0),
    )
    income = _one(table_pdf([table]))
    assert (income.unit, income.multiplier, income.currency) == ("千元", 1000, "CNY")
    assert income.items["revenue"].current == Decimal(1603265)
    current = income.periods["current"]
    assert (current.months, current.end) == (6, "2024-09-30")
    assert income.periods["prior"].end == "2023-09-30"
    assert not income.needs_review


def test_columns_headed_by_the_year_alone_take_the_length_the_title_states() -> None:
    rows = [("Revenue", "5,000", "4,000"), ("Profit for the year", "700", "600")]
    year = [[("2025", (0,)), ("2024", (1,))]]
    title = "Consolidated statement of profit or loss"
    for line, months in (("for the year ended 31 December 2025  AED'000", 12),
                         ("AED'000", None)):  # fmt: skip
        income = _one(table_pdf([Table(title, year, rows, (460.0, 540.0), unit=line)]))
        assert income.periods["current"].months == months
        assert income.periods["prior"].months == months
        assert income.items["revenue"].current == Decimal(5000)


def test_a_heading_row_ending_in_a_colon_gives_way_to_its_total() -> None:
    table = Table(
        "CONSOLIDATED STATEMENTS OF OPERATIONS",
        [[("Year Ended December 31,", (0, 1))], [("2025", (0,)), ("2024", (1,))]],
        [
            ("Net sales", "$ 9,000", "$ 8,000"),
            ("Cost of sales:",),
            ("Products", "3,000", "2,500"),
            ("Services", "1,000", "900"),
            ("Total cost of sales", "4,000", "3,400"),
            ("Net income", "$ 1,500", "$ 1,350"),
        ],
        (460.0, 540.0),
        unit="(In millions)",
    )
    cost = _one(table_pdf([table])).items["cost_of_sales"]
    assert (cost.current, cost.prior) == (Decimal(4000), Decimal(3400))
    assert cost.label == "Total cost of sales"


def test_a_heading_stacked_over_lines_and_ending_in_a_remark() -> None:
    # "2023 / (As Restated - / Note 2)": the year is two lines above the header row, which
    # prints only the remark's end under it.
    table = Table(
        "STATEMENTS OF FINANCIAL POSITION",
        [
            [("December 31", (1, 2))],
            [("2023", (2,))],
            [("(As Restated -", (2,))],
            [("Note", (0,)), ("2024", (1,)), ("Note 2)", (2,))],
        ],
        [
            ("Cash", "3", "17,299,358", "29,984,998"),
            ("Total assets", "", "60,806,742", "85,703,741"),
            ("Total liabilities", "", "67,547,883", "59,320,178"),
            ("Total equity (capital deficiency)", "", "(6,741,141)", "26,383,563"),
        ],
        (350.0, 450.0, 535.0),
    )
    sheet = _one(table_pdf([table]))
    assert sheet.periods["current"].end == "2024-12-31"
    assert sheet.periods["prior"].end == "2023-12-31"
    cash = sheet.items["cash"]
    assert (cash.current, cash.prior) == (Decimal(17299358), Decimal(29984998))
    assert not sheet.review
