"""Totals printed without a label: small made-up statements laid out as private companies'
audited accounts print them."""

from __future__ import annotations

from decimal import Decimal

from ingest.statements import Statement, extract_pdf
from tests.statements import Table, table_pdf

COLUMNS = (420.0, 540.0)
Headings = list[list[tuple[str, tuple[int, ...]]]]
YEARS: Headings = [[("December 31", (0, 1))], [("2024", (0,)), ("2023", (1,))]]

# Each section ends in its labelled total; the grand totals are the amounts alone, underlined.
SHEET = Table(
    "STATEMENTS OF FINANCIAL POSITION",
    YEARS,
    [
        ("ASSETS",),
        ("Current Assets",),
        ("Cash", "P=1,200", "P=900"),
        ("Trade and other receivables", "800", "600"),
        ("Total Current Assets", "2,000", "1,500"),
        ("Noncurrent Assets",),
        ("Property and equipment", "700", "800"),
        ("Other noncurrent assets", "300", "200"),
        ("Total Noncurrent Assets", "1,000", "1,000"),
        ("", "P=3,000", "P=2,500"),
        ("LIABILITIES AND EQUITY (CAPITAL DEFICIENCY)",),
        ("Current Liabilities",),
        ("Trade and other payables", "1,100", "700"),
        ("Total Current Liabilities", "1,100", "700"),
        ("Noncurrent Liability",),
        ("Retirement liability", "400", "300"),
        ("Total Liabilities", "1,500", "1,000"),
        ("Equity (Capital Deficiency)",),
        ("Capital stock", "1,000", "1,000"),
        ("Retained earnings", "500", "500"),
        ("Total Equity (Capital Deficiency)", "1,500", "1,500"),
        ("", "P=3,000", "P=2,500"),
    ],
    COLUMNS,
)


def _one(table: Table) -> Statement:
    [found] = extract_pdf(table_pdf([table]))
    return found


def _pair(statement: Statement, code: str) -> tuple[Decimal | int | None, Decimal | int | None]:
    figure = statement.items[code]
    return figure.current, figure.prior


def test_an_unlabelled_line_after_a_sections_labelled_totals_is_the_sections_total() -> None:
    sheet = _one(SHEET)
    assert _pair(sheet, "total_assets") == (3_000, 2_500)
    assert _pair(sheet, "total_liabilities_and_equity") == (3_000, 2_500)
    # the labelled subtotals keep their own lines
    assert _pair(sheet, "non_current_assets") == (1_000, 1_000)
    assert _pair(sheet, "total_equity") == (1_500, 1_500)
    # assets = liabilities + equity and current + non-current = total vouch for them
    assert sheet.items["total_assets"].confidence > 0.9
    assert not sheet.needs_review, [c.detail for c in sheet.checks if not c.ok]


def test_amounts_alone_that_do_not_add_up_the_totals_above_are_not_their_sum() -> None:
    # A misprinted (or misread) grand total is left out rather than reported as total assets.
    rows = list(SHEET.rows)
    assert rows[9] == ("", "P=3,000", "P=2,500")
    rows[9] = ("", "P=3,900", "P=2,500")
    sheet = _one(Table(SHEET.title, SHEET.headings, rows, SHEET.columns))
    assert "total_assets" not in sheet.items
    assert _pair(sheet, "total_liabilities_and_equity") == (3_000, 2_500)


def test_a_lone_unlabelled_line_under_a_section_without_a_heading_total_is_not_read() -> None:
    # Amounts alone under "Current Assets" with its total printed, and no wider heading above:
    # the line is no total the reader can name.
    sheet = _one(
        Table(
            "STATEMENTS OF FINANCIAL POSITION",
            YEARS,
            [
                ("Current Assets",),
                ("Cash", "1,200", "900"),
                ("Total Current Assets", "1,200", "900"),
                ("", "5,000", "4,000"),
                ("Total Liabilities", "1,500", "1,000"),
            ],
            COLUMNS,
        )
    )
    assert "total_assets" not in sheet.items
    assert _pair(sheet, "current_assets") == (1_200, 900)
