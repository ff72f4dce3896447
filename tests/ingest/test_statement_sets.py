"""A document printing one statement more than once: this year's set and last year's as first
issued, or a statement and its summary. The latest period is reported, and when the headings
cannot tell which printing that is, the figures go to review instead of being trusted."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.statements import Statement, extract_pdf
from ingest.statements.sets import SEVERAL
from tests.statements import Table, table_pdf

COLUMNS = (420.0, 540.0)
Headings = list[list[tuple[str, tuple[int, ...]]]]


def _dated(current: str, prior: str) -> Headings:
    return [[("December 31", (0, 1))], [(current, (0,)), (prior, (1,))]]


Figures = tuple[int, int, int]


def _sheet(headings: Headings, figures: Figures, before: Figures) -> Table:
    """A balance sheet whose identities hold in both columns: cash, other assets, equity."""
    rows = []
    for label, now, then in (
        ("Cash", figures[0], before[0]),
        ("Total current assets", figures[0] + figures[1], before[0] + before[1]),
        ("Total noncurrent assets", figures[2], before[2]),
        ("Total assets", sum(figures), sum(before)),
        ("Total liabilities", 1_000, 1_000),
        ("Total equity", sum(figures) - 1_000, sum(before) - 1_000),
    ):
        rows.append((label, f"{now:,}", f"{then:,}"))
    return Table("STATEMENTS OF FINANCIAL POSITION", headings, rows, COLUMNS)


def _income(headings: Headings, revenue: int, before: int) -> Table:
    rows = [
        ("Revenue", f"{revenue:,}", f"{before:,}"),
        ("Income before income tax", f"{revenue // 10:,}", f"{before // 10:,}"),
        ("Income tax expense", "(100)", "(100)"),
        ("Net income", f"{revenue // 10 - 100:,}", f"{before // 10 - 100:,}"),
    ]
    return Table("STATEMENTS OF INCOME", headings, rows, COLUMNS)


Y2024, Y2023, Y2022 = (17_000, 40_000, 3_000), (29_000, 50_000, 5_000), (15_000, 87_000, 13_000)
THIS_YEAR = [
    _sheet(_dated("2024", "2023"), Y2024, Y2023),
    _income([[("Years ended December 31", (0, 1))], [("2024", (0,)), ("2023", (1,))]],
            90_000, 120_000),
]  # fmt: skip
# Last year's statements as first issued, bound into the same filing after this year's notes.
LAST_YEAR = [
    _sheet(_dated("2023", "2022"), (29_500, 50_000, 6_000), Y2022),
    _income([[("Years ended December 31", (0, 1))], [("2023", (0,)), ("2022", (1,))]],
            121_000, 150_000),
]  # fmt: skip

NOTES = Table("NOTES TO THE FINANCIAL STATEMENTS", [], [("Corporate information",)])


def _by_type(tables: list[Table]) -> dict[str, Statement]:
    found = extract_pdf(table_pdf(tables))
    assert len(found) == len({s.type for s in found})  # each statement once
    return {s.type: s for s in found}


@pytest.mark.parametrize("order", ["this year first", "last year first"])
def test_of_two_sets_the_one_ending_latest_is_reported(order: str) -> None:
    tables = THIS_YEAR + LAST_YEAR if order == "this year first" else LAST_YEAR + THIS_YEAR
    found = _by_type(tables)
    sheet, income = found["balance_sheet"], found["income_statement"]
    assert sheet.periods["current"].end == "2024-12-31"
    cash = sheet.items["cash"]
    assert (cash.current, cash.prior) == (Decimal(17_000), Decimal(29_000))
    assert sheet.items["total_assets"].current == Decimal(sum(Y2024))
    assert income.items["revenue"].current == 90_000
    assert income.items["net_profit"].current == 8_900
    assert not sheet.needs_review
    assert not income.needs_review
    assert sheet.items["total_assets"].confidence > 0.9  # its identities hold, nothing doubts it
    assert SEVERAL not in [c.name for s in found.values() for c in s.checks]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # The same years over both: this year's figures and the same year's restated.
        (_dated("2024", "2023"),) * 2,
        # A year alone against a date within that year: which ends later is not printed.
        ([[("2024", (0,)), ("2023", (1,))]], [[("30 June 2024", (0,)), ("2023", (1,))]]),
    ],
    ids=["same years", "year against a date in it"],
)
def test_printings_the_headings_cannot_order_go_to_review(
    first: Headings, second: Headings
) -> None:
    tables = [
        _sheet(first, Y2024, Y2023),
        NOTES,
        _sheet(second, (29_500, 50_000, 6_000), Y2022),
    ]
    sheet = _by_type(tables)["balance_sheet"]
    assert sheet.items["total_assets"].current is not None  # the figures are kept ...
    failed = [c for c in sheet.checks if not c.ok and c.name == SEVERAL]
    assert failed
    assert set(failed[0].items) == set(sheet.items)  # ... but none is trusted
    assert "printed more than once" in failed[0].detail
    assert sheet.needs_review
    assert all(f.confidence <= 0.5 for f in sheet.items.values())


def test_a_statement_printed_twice_alike_is_not_in_doubt() -> None:
    # The same figures again, in a summary without year headings: no conflict to resolve.
    summary = _sheet([[("Current year", (0,)), ("Prior year", (1,))]], Y2024, Y2023)
    sheet = _by_type([THIS_YEAR[0], NOTES, summary])["balance_sheet"]
    assert sheet.items["total_assets"].current == Decimal(sum(Y2024))
    assert not sheet.needs_review
    assert sheet.items["total_assets"].confidence > 0.9


def test_profit_or_loss_beside_comprehensive_income_is_not_in_doubt() -> None:
    # IFRS prints two income statements of one year; "Owners of the Company" names the profit
    # attributable in one and the comprehensive income attributable in the other.
    years: Headings = [[("Year ended 31 December", (0, 1))], [("2025", (0,)), ("2024", (1,))]]
    loss = Table("Consolidated statement of profit or loss", years, [
        ("Revenue", "5,000", "4,500"),
        ("Profit before tax", "550", "500"),
        ("Income tax", "(50)", "(50)"),
        ("Profit for the year", "500", "450"),
        ("Owners of the Company", "480", "430"),
    ], COLUMNS)  # fmt: skip
    comprehensive = Table("Consolidated statement of comprehensive income", years, [
        ("Profit for the year", "500", "450"),
        ("Owners of the Company", "530", "410"),
    ], COLUMNS)  # fmt: skip
    income = _by_type([loss, comprehensive])["income_statement"]
    assert income.items["net_profit_parent"].current == 480  # the fuller printing's
    assert SEVERAL not in [c.name for c in income.checks]
    assert not income.needs_review
