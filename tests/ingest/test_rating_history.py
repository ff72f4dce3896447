"""The history a grade cap counts (003 篇5 第十四条): a year is on file only with figures, as a
credit manager confirms annual reports that compare some statements with the year before and
print the others' prior-year column empty."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from ingest.confirmed import Confirmed, confirmed_figures
from ingest.coverage import KIND, TOTALS, statements_missing
from ingest.credit_schemas import Indicator
from ingest.method_schemas import Outcome
from ingest.rating import load_policy, rate
from ingest.rating_schemas import Rating, RatingRequest
from ingest.statements.chart import KINDS
from storage.models import Statement, StatementFigure
from tests.ingest.test_credit import FIGURES

DOCUMENT = uuid.UUID("00000000-0000-0000-0000-0000000000b2")
FLOWS = ("income_statement", "cash_flow_statement")


def _report(year: int, compared: tuple[str, ...]) -> list[Statement]:
    """`year`'s annual report as confirmed: three statements, each line with a prior-year cell,
    which holds FIGURES of the year before only for the statements in `compared`."""
    statements = []
    for page, kind in enumerate(KINDS, start=10):
        flow = kind != "balance_sheet"
        statement = Statement(
            type=kind, scope="consolidated", fiscal_year=year, multiplier=1, document_id=DOCUMENT,
            confirmed_at=datetime(year + 1, 4, 1, tzinfo=UTC),
            current_months=12 if flow else None, prior_months=12 if flow else None,
            current_end=f"{year}-12-31", prior_end=f"{year - 1}-12-31",
        )  # fmt: skip
        codes = [code for code in FIGURES[year] if KIND[code] == kind]
        statement.figures = [
            StatementFigure(code=code, period="current", value=FIGURES[year][code], page=page)
            for code in codes
        ] + [
            StatementFigure(
                code=code,
                period="prior",
                value=FIGURES[year - 1][code] if kind in compared else None,
                page=page,
            )
            for code in codes
        ]
        statements.append(statement)
    return statements


def _rate(confirmed: Confirmed) -> Rating:
    request = RatingRequest(
        figures=confirmed.figures,
        flow_months=confirmed.flow_months,
        blanks=confirmed.blanks,
        sources=confirmed.sources,
        scope=confirmed.scope,
        table="electronics",
        qualitative_score=Decimal(100),
        today=date(2024, 6, 30),
    )
    return rate(request, load_policy())


def test_a_prior_year_printing_only_its_balance_sheet_is_no_full_year_and_caps_the_grade() -> None:
    confirmed = confirmed_figures(_report(2023, compared=("balance_sheet",)))
    # The prior-year column of the income and cash-flow statements is on file, printed empty.
    assert {KIND[code] for code in confirmed.blanks[2022]} == set(FLOWS)
    policy = load_policy().rating.coverage
    assert policy is not None
    assert statements_missing(confirmed.figures, 2022, policy) == list(FLOWS)
    assert statements_missing(confirmed.figures, 2023, policy) == []
    rating = _rate(confirmed)
    assert rating.rated_year == 2023
    assert rating.shortfalls == []
    assert rating.cap is not None
    assert (rating.cap.history_years, rating.cap.required_years) == (1, 2)
    assert rating.cap.uncapped_grade in {"AAA", "AA", "A"}
    assert rating.grade == policy.capped_grade == "BBB"
    # The cap names what 2022 lacks, for a reader who sees its balance sheet on file.
    assert [(g.kind, g.name, g.year) for g in rating.cap.history_gaps] == [
        ("statement", kind, 2022) for kind in FLOWS
    ]
    lacks = "(no income_statement for 2022; no cash_flow_statement for 2022)"
    assert lacks in rating.cap.reasons[0]


def test_two_years_each_with_all_three_statements_keep_the_uncapped_grade() -> None:
    rating = _rate(confirmed_figures(_report(2023, compared=KINDS)))
    assert (rating.grade, rating.cap) == ("AAA", None)
    assert rating.left_out == {}


def test_a_prior_year_column_printed_empty_never_raises_the_score() -> None:
    # Its lines are not given, not printed blank: the growth indicators score at the bottom,
    # where read as blank they were left out of the average and raised it.
    full = _rate(confirmed_figures(_report(2023, compared=KINDS)))
    sheet_only = _rate(confirmed_figures(_report(2023, compared=("balance_sheet",))))
    assert sheet_only.left_out == {}
    growth = {s.indicator: (s.outcome, s.score) for s in sheet_only.scores}
    assert growth[Indicator.sales_growth] == (Outcome.missing, Decimal(0))
    assert growth[Indicator.profit_growth] == (Outcome.missing, Decimal(0))
    assert sheet_only.cap is not None
    assert sheet_only.cap.missing == ["sales_growth", "profit_growth"]
    assert sheet_only.quantitative_score is not None
    assert full.quantitative_score is not None
    assert sheet_only.quantitative_score < full.quantitative_score


def test_a_first_report_with_an_empty_prior_year_column_is_graded_and_capped() -> None:
    # No prior year at all: the balances stand alone, as for a customer new to us, instead of
    # leaving the averages "printed blank" and the grade out.
    rating = _rate(confirmed_figures(_report(2023, compared=())))
    assert rating.shortfalls == []
    assert rating.cap is not None
    assert (rating.grade, rating.cap.history_years) == ("BBB", 1)
    assert {g.name for g in rating.cap.history_gaps} == set(KINDS)


def test_a_rated_year_whose_income_statement_is_printed_empty_has_no_grade_naming_it() -> None:
    confirmed = confirmed_figures(_report(2023, compared=KINDS))
    for code in [c for c in confirmed.figures[2023] if KIND[c] == "income_statement"]:
        del confirmed.figures[2023][code]
        confirmed.blanks.setdefault(2023, []).append(code)
    rating = _rate(confirmed)
    assert rating.grade is None
    assert [(s.kind, s.name, s.year) for s in rating.shortfalls] == [
        ("statement", "income_statement", 2023)
    ]
    assert rating.ungraded_reason == "insufficient data: no income_statement for 2023"


def test_a_year_with_detail_lines_but_no_total_is_not_on_file() -> None:
    policy = load_policy().rating.coverage
    assert policy is not None
    details = {2022: {"interest_expense": Decimal(1), "cash": Decimal(2), "cash_end": Decimal(3)}}
    assert statements_missing(details, 2022, policy) == list(KINDS)


def test_every_statement_kind_has_totals_of_its_own_in_the_chart() -> None:
    assert set(TOTALS) == set(KINDS)
    assert all(KIND[code] == kind for kind, codes in TOTALS.items() for code in codes)


def test_a_year_before_of_nine_months_is_named_as_a_part_of_a_year() -> None:
    # A company founded in April 2022: its first report's flows cover nine months.
    confirmed = confirmed_figures(_report(2023, compared=KINDS))
    confirmed.flow_months[2022] = dict.fromkeys(confirmed.flow_months[2022], 9)
    rating = _rate(confirmed)
    assert rating.cap is not None
    assert rating.cap.history_years == 1
    assert [(g.kind, g.year) for g in rating.cap.history_gaps] == [("year", 2022)]
    assert "2022's flows cover 9 months" in rating.cap.reasons[0]
