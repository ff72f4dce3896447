"""Rating coverage, signs and scope: the edge cases of issue 18 items 1–3 as a credit manager
would try them."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ingest.confirmed import confirmed_figures
from ingest.coverage import KIND
from ingest.credit_schemas import CreditPolicy, Figures, Indicator
from ingest.errors import InvalidField
from ingest.method_schemas import FigureGap, FigureSource, Outcome
from ingest.rating import load_policy, rate
from ingest.rating_schemas import Rating, RatingRequest
from storage.models import Statement, StatementFigure
from tests.ingest.test_credit import FIGURES

D = Decimal
TODAY = date(2025, 4, 30)


def _rate(figures: Figures, policy: CreditPolicy | None = None, **fields: object) -> Rating:
    request = RatingRequest.model_validate(
        {"figures": figures, "today": TODAY, "table": "electronics", **fields}
    )
    return rate(request, policy or load_policy())


def _only(kinds: set[str], years: tuple[int, ...] = (2024,)) -> Figures:
    """FIGURES with only the lines of the given statements in `years`."""
    figures = copy.deepcopy(FIGURES)
    for year in years:
        figures[year] = {c: v for c, v in figures[year].items() if KIND[c] in kinds}
    return figures


def _rank(rating: Rating) -> Decimal:
    """A grade's place on the scale: its lower score bound; no grade ranks lowest."""
    if rating.grade is None:
        return D(-1)
    return rating.policy.grades[rating.grade].min_score


def test_only_a_balance_sheet_gives_no_grade_but_names_what_is_missing() -> None:
    full = _rate(FIGURES, qualitative_score="80")
    sheet_only = _rate(_only({"balance_sheet"}, (2022, 2023, 2024)), qualitative_score="80")
    assert full.grade is not None
    assert (sheet_only.grade, sheet_only.quantitative_score) == (None, None)
    assert sheet_only.credit_limit is None
    assert sheet_only.ungraded_reason is not None
    assert sheet_only.ungraded_reason.startswith("insufficient data")
    assert {(s.kind, s.name, s.year) for s in sheet_only.shortfalls} == {
        ("statement", "income_statement", 2024),
        ("statement", "cash_flow_statement", 2024),
    }


def test_a_later_year_with_some_statements_gives_no_grade_rather_than_an_older_one() -> None:
    # 2025's balance sheet alone is on file. Rating 2024 instead would let a customer whose
    # 2025 went badly keep 2024's grade by withholding one statement.
    figures = {**FIGURES, 2025: {"total_assets": D("215000000"), "cash": D("17000000")}}
    rating = _rate(figures, qualitative_score="80")
    assert (rating.rated_year, rating.grade) == (2025, None)
    assert {(s.name, s.year) for s in rating.shortfalls} == {
        ("income_statement", 2025),
        ("cash_flow_statement", 2025),
    }


def test_a_required_indicator_not_on_file_leaves_no_grade() -> None:
    figures = copy.deepcopy(FIGURES)
    del figures[2024]["total_profit"]
    rating = _rate(figures, qualitative_score="90")
    assert rating.grade is None
    named = {s.name for s in rating.shortfalls if s.kind == "indicator"}
    assert named == {Indicator.roa, Indicator.total_profit}
    assert "no total_profit figure for 2024" in (rating.ungraded_reason or "")
    # The figure each lacks, apart from the words, for the web UI to name in the reader's.
    gaps = {s.name: s.gap for s in rating.shortfalls}
    assert gaps[Indicator.total_profit] == FigureGap(code="total_profit", year=2024, blank=False)
    assert gaps[Indicator.roa] == gaps[Indicator.total_profit]


def test_an_optional_indicator_not_given_scores_the_bottom_and_caps_the_grade() -> None:
    figures = copy.deepcopy(FIGURES)
    del figures[2024]["accounts_receivable"]
    rating = _rate(figures, qualitative_score="100")
    full = _rate(FIGURES, qualitative_score="100")
    (turnover,) = (s for s in rating.scores if s.indicator == Indicator.receivables_turnover)
    assert (turnover.outcome, turnover.score) == (Outcome.missing, D(0))
    assert turnover.gap == FigureGap(code="accounts_receivable", year=2024, blank=False)
    assert rating.quantitative_score is not None
    assert full.quantitative_score is not None
    assert rating.quantitative_score < full.quantitative_score
    assert rating.cap is not None
    assert "receivables_turnover" in rating.cap.reasons[0]
    # Apart from the words, what the web UI says in the reader's language.
    assert rating.cap.missing == ["receivables_turnover"]
    assert (rating.cap.history_years, rating.cap.required_years) == (2, 2)


def _top_table(policy: CreditPolicy) -> CreditPolicy:
    """The shipped policy with a table on which FIGURES' debt ratio (58 %) scores 100."""
    table = policy.tables["electronics"].model_copy(
        update={"indicators": {Indicator.debt_ratio: policy.tables["electronics"].indicators[
            Indicator.debt_ratio
        ].model_copy(update={"high": D("0.60"), "low": D("0.90")})}}
    )  # fmt: skip
    return policy.model_copy(update={"tables": {**policy.tables, "electronics": table}})


def test_a_new_customer_without_two_full_years_is_capped_below_a() -> None:
    policy = _top_table(load_policy())
    established = _rate(FIGURES, policy, qualitative_score="100")
    assert (established.grade, established.cap) == ("AAA", None)
    new = _rate({2024: FIGURES[2024]}, policy, qualitative_score="100")
    assert new.combined_score == D(100)
    assert new.grade == "BBB"
    assert new.cap is not None
    assert new.cap.uncapped_grade == "AAA"
    assert "第十四条" in new.cap.reasons[0]
    assert (new.cap.history_years, new.cap.required_years, new.cap.missing) == (1, 2, [])
    # Nothing of 2023 is on file: a new customer, with no year of which something is lacking.
    assert new.cap.history_gaps == []


def test_the_cap_and_the_history_it_asks_for_are_configurable() -> None:
    policy = _top_table(load_policy())
    assert policy.rating.coverage is not None
    rules = policy.rating.coverage.model_copy(update={"capped_grade": "A", "history_years": 3})
    policy = policy.model_copy(
        update={"rating": policy.rating.model_copy(update={"coverage": rules})}
    )
    # Three full years on file pass; two do not, under this policy.
    assert _rate(FIGURES, policy, qualitative_score="100").grade == "AAA"
    two_years = {year: FIGURES[year] for year in (2023, 2024)}
    assert _rate(two_years, policy, qualitative_score="100").grade == "A"


def _company(equity: tuple[str, str], profit: tuple[str, str]) -> Figures:
    """FIGURES with 2023/2024 equity and profits replaced (net profit = total profit)."""
    figures = copy.deepcopy(FIGURES)
    for year, eq, pr in ((2023, equity[0], profit[0]), (2024, equity[1], profit[1])):
        figures[year].update(total_equity=D(eq), total_profit=D(pr), net_profit=D(pr))
    return figures


def test_negative_equity_and_losses_never_score_better_than_thin_equity_and_profit() -> None:
    # The pair: with ROE, capital accumulation and profit growth "absent", the worse
    # company rated B and the better one C.
    losses = _company(("-1000000", "-2000000"), ("-1000000", "-3000000"))
    worse = _rate(losses, qualitative_score="70")
    better = _rate(_company(("500000", "1000000"), ("100000", "500000")), qualitative_score="70")
    for indicator in (Indicator.roe, Indicator.capital_accumulation, Indicator.profit_growth):
        (score,) = (s for s in worse.scores if s.indicator == indicator)
        assert (score.outcome, score.score) == (Outcome.undefined, D(0)), indicator
    assert worse.quantitative_score is not None
    assert better.quantitative_score is not None
    assert worse.quantitative_score <= better.quantitative_score
    assert _rank(worse) <= _rank(better)


def test_a_loss_over_negative_equity_is_not_read_as_a_positive_return() -> None:
    # −3 M / −1.5 M would be a 200 % ROE.
    rating = _rate(_company(("-1000000", "-2000000"), ("-1000000", "-3000000")))
    roe = next(r for r in rating.ratios if r.year == 2024)
    assert Indicator.roe not in roe.ratios
    assert "average net assets is negative" in roe.extremes[Indicator.roe].reason


def test_a_blank_interest_expense_keeps_roa_and_never_raises_the_score() -> None:
    figures = copy.deepcopy(FIGURES)
    del figures[2024]["interest_expense"]
    blank = _rate(figures, blanks={2024: ["interest_expense"]}, qualitative_score="70")
    full = _rate(FIGURES, qualitative_score="70")
    (roa,) = (s for s in blank.scores if s.indicator == Indicator.roa)
    assert roa.outcome == "value"
    assert blank.unscored == {}
    assert blank.left_out == {}
    assert blank.quantitative_score is not None
    assert full.quantitative_score is not None
    assert blank.quantitative_score <= full.quantitative_score


DOCUMENT = uuid.UUID("00000000-0000-0000-0000-0000000000a1")


def _sheet(scope: str, page: int, **values: str | None) -> Statement:
    """A 2021 balance sheet of the given scope, both columns given the same values."""
    statement = Statement(
        type="balance_sheet", scope=scope, fiscal_year=2021, multiplier=1, document_id=DOCUMENT,
        confirmed_at=datetime(2022, 5, 1, tzinfo=UTC), current_end="2021-12-31",
        prior_end="2020-12-31",
    )  # fmt: skip
    statement.figures = [
        StatementFigure(code=code, period=period, value=None if v is None else D(v), page=page)
        for code, v in values.items()
        for period in ("current", "prior")
    ]
    return statement


def _income(scope: str, page: int, revenue: str) -> Statement:
    statement = Statement(
        type="income_statement", scope=scope, fiscal_year=2021, multiplier=1, document_id=DOCUMENT,
        confirmed_at=datetime(2022, 5, 1, tzinfo=UTC), current_months=12, prior_months=12,
    )  # fmt: skip
    statement.figures = [
        StatementFigure(code="revenue", period=period, value=D(revenue), page=page)
        for period in ("current", "prior")
    ]
    return statement


def test_parent_receivables_never_fill_a_blank_consolidated_line() -> None:
    statements = [
        _sheet("consolidated", 50, accounts_receivable=None, total_assets="255168195159.90"),
        _income("consolidated", 54, "106190154843.76"),
        _sheet("parent", 52, accounts_receivable="5341930545.46", total_assets="143576118742"),
        _income("parent", 56, "37344898964.17"),
    ]
    confirmed = confirmed_figures(statements)
    assert confirmed.scope == "consolidated"
    assert "accounts_receivable" not in confirmed.figures[2021]
    assert confirmed.blanks == {2020: ["accounts_receivable"], 2021: ["accounts_receivable"]}
    assert confirmed.figures[2021]["revenue"] == D("106190154843.76")  # the group's, not parent's
    rating = _rate(
        confirmed.figures,
        blanks=confirmed.blanks,
        sources=confirmed.sources,
        scope=confirmed.scope,
    )
    year = next(r for r in rating.ratios if r.year == 2021)
    # Group sales over the parent's receivables would read 19.88.
    assert Indicator.receivables_turnover not in year.ratios
    assert "accounts_receivable is printed blank" in year.left_out[Indicator.receivables_turnover]
    gap = year.gaps[Indicator.receivables_turnover]
    assert (gap.code, gap.year, gap.blank) == ("accounts_receivable", 2021, True)


def test_a_company_without_consolidated_statements_is_rated_on_its_own() -> None:
    statements = [_sheet("parent", 52, accounts_receivable="9"), _income("parent", 56, "90")]
    confirmed = confirmed_figures(statements)
    assert confirmed.scope == "parent"
    assert confirmed.figures[2021] == {"accounts_receivable": D(9), "revenue": D(90)}


def test_every_ratio_input_names_statement_scope_year_document_and_page() -> None:
    statements = [
        _sheet("consolidated", 50, accounts_receivable="10", total_assets="400"),
        _income("consolidated", 54, "120"),
    ]
    confirmed = confirmed_figures(statements)
    rating = _rate(confirmed.figures, sources=confirmed.sources, scope=confirmed.scope)
    turnover = next(r for r in rating.ratios if r.year == 2021).ratios[Indicator.asset_turnover]
    assert sorted(((f.code, f.year, f.source) for f in turnover.inputs), key=str) == [
        ("revenue", 2021, FigureSource(statement="income_statement", scope="consolidated",
                                       report_year=2021, column="current",
                                       document_id=str(DOCUMENT), page=54)),
        ("total_assets", 2020, FigureSource(statement="balance_sheet", scope="consolidated",
                                            report_year=2021, column="prior",
                                            document_id=str(DOCUMENT), page=50)),
        ("total_assets", 2021, FigureSource(statement="balance_sheet", scope="consolidated",
                                            report_year=2021, column="current",
                                            document_id=str(DOCUMENT), page=50)),
    ]  # fmt: skip


def test_a_request_mixing_scopes_is_refused() -> None:
    source = FigureSource(
        statement="balance_sheet",
        scope="parent",
        report_year=2024,
        column="current",
        document_id=str(DOCUMENT),
        page=52,
    )
    with pytest.raises(InvalidField, match="consolidated rating"):
        _rate(FIGURES, scope="consolidated", sources={2024: {"accounts_receivable": source}})
