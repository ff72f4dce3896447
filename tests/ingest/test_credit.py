"""Credit profile: ratios from confirmed figures, scores, grade, limit, review date and warnings."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from ingest.config import IngestSettings
from ingest.confirmed import confirmed_figures
from ingest.credit import profile_ratios, year_ratios
from ingest.credit_periods import FLOWS
from ingest.credit_schemas import (
    CreditPolicy,
    Figures,
    FlowMonths,
    Indicator,
    ReferenceTable,
    ReferenceValue,
)
from ingest.credit_terms import credit_limit
from ingest.errors import InvalidField
from ingest.rating import (
    InvalidCreditPolicy,
    grade_for,
    indicator_score,
    load_policy,
    next_review_on,
    rate,
)
from ingest.rating_schemas import Rating, RatingRequest
from storage.models import Statement, StatementFigure

D = Decimal
TODAY = date(2025, 4, 30)


def share(value: Decimal) -> Decimal:
    """A share or a turnover as the profile shows it: four decimals, half up."""
    return value.quantize(D("0.0001"), ROUND_HALF_UP)


def cents(value: Decimal) -> Decimal:
    """Yuan, and score points, to two decimals, half up."""
    return value.quantize(D("0.01"), ROUND_HALF_UP)


def _year(**items: str) -> dict[str, Decimal]:
    return {code: D(value) for code, value in items.items()}


# A mid-sized electronics maker, three fiscal years in yuan; assets = liabilities + equity.
FIGURES: Figures = {
    2022: _year(
        cash="18500000", accounts_receivable="42000000", inventory="26000000",
        current_assets="95000000", total_assets="160000000", current_liabilities="60000000",
        total_liabilities="88000000", total_equity="72000000", equity_parent="70000000",
        intangible_assets="6500000", total_revenue="212000000", revenue="210000000",
        cost_of_sales="165000000", interest_expense="2400000", total_profit="12000000",
        net_profit="9600000", net_profit_parent="9300000", operating_cash_flow="8800000",
        investing_cash_flow="-6000000", financing_cash_flow="-1500000", cash_end="17900000",
    ),
    2023: _year(
        cash="21000000", accounts_receivable="47500000", inventory="29000000",
        current_assets="108000000", total_assets="178000000", current_liabilities="66000000",
        total_liabilities="97000000", total_equity="81000000", equity_parent="79000000",
        intangible_assets="6200000", total_revenue="238500000", revenue="236000000",
        cost_of_sales="183500000", interest_expense="2600000", total_profit="14100000",
        net_profit="11300000", net_profit_parent="11000000", operating_cash_flow="12400000",
        investing_cash_flow="-9000000", financing_cash_flow="-900000", cash_end="20600000",
    ),
    2024: _year(
        cash="16000000", accounts_receivable="58000000", inventory="35000000",
        current_assets="118000000", total_assets="205000000", current_liabilities="84000000",
        total_liabilities="119000000", total_equity="86000000", equity_parent="84000000",
        intangible_assets="5900000", total_revenue="253000000", revenue="251000000",
        cost_of_sales="198000000", interest_expense="3900000", total_profit="11200000",
        net_profit="9000000", net_profit_parent="8800000", operating_cash_flow="-3200000",
        investing_cash_flow="-4000000", financing_cash_flow="2600000", cash_end="15600000",
    ),
}  # fmt: skip


def _figures(year: int, **changes: str | None) -> Figures:
    """FIGURES with some items of `year` changed, or removed when the value is None."""
    figures = copy.deepcopy(FIGURES)
    for code, value in changes.items():
        if value is None:
            del figures[year][code]
        else:
            figures[year][code] = D(value)
    return figures


def _request(figures: Figures = FIGURES, **fields: object) -> RatingRequest:
    return RatingRequest.model_validate({"figures": figures, "today": TODAY, **fields})


def _policy_with(**indicators: tuple[str, str]) -> tuple[str, CreditPolicy]:
    """The shipped policy with one more table, holding only the given reference values."""
    policy = load_policy(IngestSettings())
    table = ReferenceTable(
        title="test",
        indicators={
            Indicator(code): ReferenceValue(high=D(high), low=D(low))
            for code, (high, low) in indicators.items()
        },
    )
    return "test", policy.model_copy(update={"tables": {**policy.tables, "test": table}})


def test_every_ratio_of_2024_matches_the_hand_calculation() -> None:
    ratios = year_ratios(FIGURES, 2024).ratios
    expected = {
        Indicator.roe: share(D("9000000") / ((D("81000000") + D("86000000")) / 2)),
        Indicator.roa: share(
            (D("11200000") + D("3900000")) / ((D("178000000") + D("205000000")) / 2)
        ),
        Indicator.gross_margin: share((D("251000000") - D("198000000")) / D("251000000")),
        Indicator.asset_turnover: share(D("251000000") / ((D("178000000") + D("205000000")) / 2)),
        Indicator.inventory_turnover: share(D("198000000") / ((D("29000000") + D("35000000")) / 2)),
        Indicator.receivables_turnover: share(
            D("251000000") / ((D("47500000") + D("58000000")) / 2)
        ),
        Indicator.debt_ratio: share(D("119000000") / D("205000000")),
        Indicator.current_ratio: share(D("118000000") / D("84000000")),
        Indicator.cash_ratio: share(D("16000000") / D("84000000")),
        Indicator.sales_growth: share((D("251000000") - D("236000000")) / D("236000000")),
        Indicator.asset_growth: share((D("205000000") - D("178000000")) / D("178000000")),
        Indicator.profit_growth: share((D("11200000") - D("14100000")) / D("14100000")),
        Indicator.capital_accumulation: share((D("86000000") - D("81000000")) / D("81000000")),
        Indicator.working_capital: cents((D("118000000") - D("84000000") + D("86000000")) / 2),
        Indicator.total_profit: cents(D("11200000")),
        Indicator.tangible_net_assets: cents(D("86000000") - D("5900000")),
    }
    assert {indicator: ratio.value for indicator, ratio in ratios.items()} == expected
    assert year_ratios(FIGURES, 2024).absent == {}


def test_a_ratio_names_its_formula_inputs_and_the_averaging() -> None:
    roe = year_ratios(FIGURES, 2024).ratios[Indicator.roe]
    assert roe.formula == "net_profit / average total_equity"
    assert {(f.code, f.year, f.value) for f in roe.inputs} == {
        ("net_profit", 2024, D("9000000")),
        ("total_equity", 2023, D("81000000")),
        ("total_equity", 2024, D("86000000")),
    }
    assert any("average of 2023 and 2024" in note for note in roe.notes)


def test_the_first_year_uses_year_end_balances_and_has_no_growth() -> None:
    first = year_ratios(FIGURES, 2022)
    roe = first.ratios[Indicator.roe]
    assert roe.value == share(D("9600000") / D("72000000"))
    assert any("year-end balance" in note for note in roe.notes)
    assert first.ratios[Indicator.inventory_turnover].value == share(D("165000000") / D("26000000"))
    for growth in (Indicator.sales_growth, Indicator.asset_growth, Indicator.profit_growth):
        assert growth not in first.ratios
        assert "2021" in first.absent[growth]


def test_no_other_item_stands_in_for_a_missing_one() -> None:
    # 营业总收入 is at least 营业收入, and closing cash and equivalents can exceed 货币资金: either
    # standing in would let a missing figure raise the score.
    no_revenue = year_ratios(_figures(2024, revenue=None), 2024)
    for indicator in (Indicator.gross_margin, Indicator.asset_turnover, Indicator.sales_growth):
        assert no_revenue.absent[indicator] == "no revenue figure for 2024"
    no_cash = year_ratios(_figures(2024, cash=None), 2024)
    assert no_cash.absent[Indicator.cash_ratio] == "no cash figure for 2024"


def test_missing_inputs_and_unusable_denominators_give_absent_ratios_with_reasons() -> None:
    # A debt-free company's blank interest expense is 0: ROA is computed, never dropped, and 0
    # can only lower it, since interest is added back.
    no_interest = year_ratios(_figures(2024, interest_expense=None), 2024)
    roa = no_interest.ratios[Indicator.roa]
    assert roa.value == share(D("11200000") / ((D("178000000") + D("205000000")) / 2))
    assert "interest_expense: not given or blank, taken as 0" in roa.notes
    no_intangibles = year_ratios(_figures(2024, intangible_assets=None), 2024)
    assert "intangible_assets" in no_intangibles.absent[Indicator.tangible_net_assets]
    no_sales = year_ratios(_figures(2024, revenue=None, total_revenue=None), 2024)
    assert "revenue" in no_sales.absent[Indicator.gross_margin]
    # No current liabilities: the best current ratio there is, not a missing one.
    zero_liabilities = year_ratios(_figures(2024, current_liabilities="0"), 2024)
    assert zero_liabilities.extremes[Indicator.current_ratio].outcome == "above"
    # Growth from a loss is undefined by sign: scored at the bottom, never absent.
    loss_before = year_ratios(_figures(2023, total_profit="-500000"), 2024)
    assert loss_before.extremes[Indicator.profit_growth].outcome == "undefined"
    assert "negative" in loss_before.extremes[Indicator.profit_growth].reason
    assert Indicator.profit_growth not in loss_before.absent


def test_every_year_with_figures_is_profiled_oldest_first() -> None:
    assert [year.year for year in profile_ratios(FIGURES)] == [2022, 2023, 2024]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("0.15"), D(100)),  # at the high value
        (D("0.04"), D(0)),  # at the low value
        (D("0.22"), D(100)),  # above high: clamped
        (D("0.01"), D(0)),  # below low: clamped
        (D("0.10"), cents((D("0.10") - D("0.04")) / (D("0.15") - D("0.04")) * 100)),
    ],
)
def test_higher_is_better_indicators_interpolate_between_the_reference_values(
    value: Decimal, expected: Decimal
) -> None:
    roe = load_policy().tables["electronics"].indicators[Indicator.roe]
    assert indicator_score(value, roe) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("0.40"), D(100)),
        (D("0.70"), D(0)),
        (D("0.30"), D(100)),  # less debt than the high value: full points
        (D("0.85"), D(0)),
        (D("0.62"), cents((D("0.70") - D("0.62")) / (D("0.70") - D("0.40")) * 100)),
    ],
)
def test_debt_ratio_scores_more_the_lower_it_is(value: Decimal, expected: Decimal) -> None:
    debt = load_policy().tables["electronics"].indicators[Indicator.debt_ratio]
    assert indicator_score(value, debt) == expected


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("100", "AAA"), ("86", "AAA"), ("85.99", "AA"), ("76", "AA"), ("75.99", "A"),
        ("66", "A"), ("65.99", "BBB"), ("56", "BBB"), ("55.99", "BB"), ("46", "BB"),
        ("45.99", "B"), ("36", "B"), ("35.99", "C"), ("0", "C"),
    ],
)  # fmt: skip
def test_grade_bands_include_their_lower_bound(score: str, grade: str) -> None:
    assert grade_for(D(score), load_policy().rating) == grade


def test_combined_score_weighs_quantitative_60_and_qualitative_40() -> None:
    name, policy = _policy_with(debt_ratio=("0.40", "0.70"), current_ratio=("1.5", "1"))
    rating = rate(_request(table=name, qualitative_score="70"), policy)
    debt_points = cents((D("0.70") - share(D("119") / D("205"))) / (D("0.70") - D("0.40")) * 100)
    current_points = cents((share(D("118") / D("84")) - D("1")) / (D("1.5") - D("1")) * 100)
    quantitative = cents((debt_points + current_points) / 2)
    assert rating.quantitative_score == quantitative
    assert rating.combined_score == cents(quantitative * D("0.6") + D("70") * D("0.4"))
    assert rating.grade == "BBB"  # 64.24 lies in 56–66
    assert rating.next_review_on == date(2025, 10, 30)  # BBB: six months
    assert rating.rated_year == 2024


def test_indicator_weights_reweight_the_quantitative_score() -> None:
    name, policy = _policy_with(debt_ratio=("0.40", "0.70"), current_ratio=("1.5", "1"))
    rules = policy.rating.model_copy(update={"indicator_weights": {Indicator.debt_ratio: D(3)}})
    policy = policy.model_copy(update={"rating": rules})
    rating = rate(_request(table=name, qualitative_score="70"), policy)
    debt_points = cents((D("0.70") - share(D("119") / D("205"))) / (D("0.70") - D("0.40")) * 100)
    current_points = cents((share(D("118") / D("84")) - D("1")) / (D("1.5") - D("1")) * 100)
    assert rating.quantitative_score == cents((3 * debt_points + current_points) / 4)


def test_without_a_qualitative_score_there_is_no_grade_and_no_allowed_credit() -> None:
    rating = rate(_request(order_volume="3000000", credit_period_days=60), load_policy())
    assert rating.quantitative_score is not None
    assert rating.combined_score is None
    assert rating.grade is None
    assert rating.ungraded_reason == "no qualitative score entered by a credit manager"
    assert rating.next_review_on is None
    assert rating.credit_limit is not None
    assert rating.credit_limit.limit == cents(D("3000000") * 60 / 90)
    assert rating.credit_limit.allowed is None


def test_credit_limit_is_order_volume_times_credit_period_over_the_window() -> None:
    assert credit_limit(D("4500000"), 45, 90) == cents(D("4500000") * 45 / 90)
    assert credit_limit(D("1000000"), 30, 90) == cents(D("1000000") * 30 / 90)  # 333333.33
    assert credit_limit(D("1500000"), 45, 30) == cents(D("1500000") * 45 / 30)  # monthly volume


def test_allowed_credit_applies_the_grade_risk_coefficient() -> None:
    name, policy = _policy_with(debt_ratio=("0.40", "0.70"), current_ratio=("1.5", "1"))
    rating = rate(
        _request(table=name, qualitative_score="70", order_volume="3000000", credit_period_days=60),
        policy,
    )
    assert rating.grade == "BBB"
    limit = cents(D("3000000") * 60 / 90)
    assert rating.credit_limit is not None
    assert rating.credit_limit.limit == limit
    assert rating.credit_limit.risk_coefficient == D("0.6")
    assert rating.credit_limit.allowed == cents(limit * D("0.6"))


def test_top_grade_is_reviewed_in_a_year_and_grade_c_in_three_months_with_no_credit() -> None:
    # Total assets grew 15 % in 2024, above the 10 % high value; total profit fell, below 0.
    name, policy = _policy_with(asset_growth=("0.10", "0"))
    top = rate(_request(table=name, qualitative_score="100"), policy)
    assert (top.quantitative_score, top.combined_score, top.grade) == (D(100), D(100), "AAA")
    assert top.next_review_on == date(2026, 4, 30)
    name, policy = _policy_with(profit_growth=("0.20", "0"))
    bottom = rate(
        _request(table=name, qualitative_score="0", order_volume="900000", credit_period_days=30),
        policy,
    )
    assert (bottom.combined_score, bottom.grade) == (D(0), "C")
    assert bottom.next_review_on == date(2025, 7, 30)
    assert bottom.credit_limit is not None
    assert bottom.credit_limit.allowed == D(0)


def test_review_date_falls_on_the_month_end_when_the_day_does_not_exist() -> None:
    rules = load_policy().rating
    assert next_review_on("BBB", date(2024, 8, 31), rules) == date(2025, 2, 28)
    assert next_review_on("BB", date(2023, 8, 31), rules) == date(2024, 2, 29)
    assert next_review_on("C", date(2024, 11, 15), rules) == date(2025, 2, 15)
    assert next_review_on("A", date(2024, 2, 29), rules) == date(2025, 2, 28)


def _codes(rating: Rating) -> set[str]:
    return {warning.code for warning in rating.warnings}


def test_sharp_debt_ratio_rise_warns_above_the_threshold_only() -> None:
    rise = (share(D("119") / D("205")) - share(D("97") / D("178"))) * 100  # 3.56 points
    policy = load_policy()
    for threshold, fires in ((rise - 1, True), (rise, False), (rise + 1, False)):
        warnings = policy.rating.warnings.model_copy(update={"debt_ratio_rise_points": threshold})
        rules = policy.rating.model_copy(update={"warnings": warnings})
        rating = rate(_request(), policy.model_copy(update={"rating": rules}))
        assert ("debt_ratio_rise" in _codes(rating)) is fires
        if fires:
            (warning,) = (w for w in rating.warnings if w.code == "debt_ratio_rise")
            assert warning.figures["rise_points"] == rise
            assert "百分点" in warning.message_zh
            assert "percentage points" in warning.message_en


def test_current_ratio_below_one_warns() -> None:
    assert "current_ratio_low" not in _codes(rate(_request(), load_policy()))  # 1.40
    low = rate(_request(_figures(2024, current_assets="80000000")), load_policy())
    (warning,) = (w for w in low.warnings if w.code == "current_ratio_low")
    assert warning.figures["current_ratio_2024"] == share(D("80000000") / D("84000000"))


def test_negative_operating_cash_flow_warns() -> None:
    assert "operating_cash_flow_negative" in _codes(rate(_request(), load_policy()))
    earlier = {year: FIGURES[year] for year in (2022, 2023)}  # 2023 cash flow is positive
    assert "operating_cash_flow_negative" not in _codes(rate(_request(earlier), load_policy()))


def test_falling_sales_warn() -> None:
    assert "sales_falling" not in _codes(rate(_request(), load_policy()))
    assert "sales_falling" in _codes(
        rate(_request(_figures(2024, revenue="230000000")), load_policy())
    )


@pytest.mark.parametrize(
    ("expires_on", "code"),
    [
        (None, None),
        (TODAY + timedelta(days=31), None),
        (TODAY + timedelta(days=30), "license_expiring"),
        (TODAY, "license_expiring"),
        (TODAY - timedelta(days=1), "license_expired"),
    ],
)
def test_business_license_warns_within_30_days_of_expiry(
    expires_on: date | None, code: str | None
) -> None:
    codes = _codes(rate(_request(license_expires_on=expires_on), load_policy()))
    assert codes & {"license_expiring", "license_expired"} == ({code} if code else set())


@pytest.mark.parametrize(
    ("due_on", "overdue"),
    [
        (None, False),
        (TODAY + timedelta(days=1), False),
        (TODAY, False),
        (TODAY - timedelta(days=1), True),
    ],
)
def test_review_past_its_due_date_warns(due_on: date | None, overdue: bool) -> None:
    codes = _codes(rate(_request(review_due_on=due_on), load_policy()))
    assert ("review_overdue" in codes) is overdue


def test_rating_keeps_every_input_and_survives_storage() -> None:
    policy = load_policy()
    request = _request(qualitative_score="72.5", order_volume="3000000", credit_period_days=60)
    rating = rate(request, policy)
    assert rating.request == request
    assert rating.request.today == TODAY
    assert rating.table_name == "electronics"
    assert rating.table == policy.tables["electronics"]
    assert rating.policy == policy.rating
    assert {year.year for year in rating.ratios} == set(FIGURES)
    assert Rating.model_validate_json(rating.model_dump_json()) == rating


def test_no_figures_means_no_grade_with_the_reason() -> None:
    rating = rate(_request({}, qualitative_score="90"), load_policy())
    assert rating.grade is None
    assert rating.ungraded_reason == "no confirmed figures"
    assert rating.rated_year is None


def test_unknown_reference_table_is_refused() -> None:
    with pytest.raises(InvalidField, match="machinery"):
        rate(_request(table="machinery"), load_policy())


MACHINERY = """
[tables.machinery]
title = { zh = "机械", en = "machinery" }
[tables.machinery.indicators]
roe = { high = 0.12, low = 0.03 }
debt_ratio = { high = 0.50, low = 0.75 }
"""


def test_a_tables_file_adds_an_industry(tmp_path: Path) -> None:
    path = tmp_path / "tables.toml"
    path.write_text(MACHINERY, encoding="utf-8")
    policy = load_policy(IngestSettings(credit_tables=path))
    assert set(policy.tables) == {
        "electronics",
        "manufacturing",
        "liquor_food",
        "power",
        "machinery",
    }
    rating = rate(_request(table="machinery", qualitative_score="50"), policy)
    debt = rating.scores[[s.indicator for s in rating.scores].index(Indicator.debt_ratio)]
    assert (debt.high, debt.low) == (D("0.50"), D("0.75"))
    assert debt.score == cents(
        (D("0.75") - share(D("119") / D("205"))) / (D("0.75") - D("0.50")) * 100
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (MACHINERY.replace("high = 0.12", 'high = "lots"'), "tables.machinery.indicators.roe.high"),
        (MACHINERY.replace("roe =", "roi ="), "roi"),
        (
            MACHINERY.replace("low = 0.03", "low = 0.12"),
            "high and low reference values must differ",
        ),
        (MACHINERY.replace('title = { zh = "机械", en = "machinery" }', ""), "title"),
        # A text the reader sees is given in both languages, not one string for both.
        (
            MACHINERY.replace('{ zh = "机械", en = "machinery" }', '"机械 machinery"'),
            r"tables.machinery.title\n.*both languages",
        ),
        (MACHINERY.replace('en = "machinery"', 'en = ""'), "tables.machinery.title.en"),
        (MACHINERY.replace("}", ""), "not valid|Invalid|Expected|Unclosed"),
    ],
)
def test_a_malformed_tables_file_is_refused_naming_the_problem(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "tables.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidCreditPolicy, match=problem) as refused:
        load_policy(IngestSettings(credit_tables=path))
    assert str(path) in str(refused.value)


def test_a_missing_tables_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidCreditPolicy, match="No such file"):
        load_policy(IngestSettings(credit_tables=tmp_path / "absent.toml"))


# An interim report for 2025: nine months of flows to 30 September, balances on that day.
NINE_MONTHS = _year(
    cash="17000000", accounts_receivable="61000000", inventory="37000000",
    current_assets="124000000", total_assets="215000000", current_liabilities="88000000",
    total_liabilities="124000000", total_equity="91000000", equity_parent="89000000",
    intangible_assets="5700000", total_revenue="190500000", revenue="189000000",
    cost_of_sales="149000000", interest_expense="3000000", total_profit="8400000",
    net_profit="6750000", net_profit_parent="6600000", operating_cash_flow="1500000",
    investing_cash_flow="-2000000", financing_cash_flow="900000", cash_end="16600000",
)  # fmt: skip


def _spans(figures: Figures, **months: int | None) -> FlowMonths:
    """Every flow of the given years covering that many months ("y2025": 9)."""
    spans = {int(year[1:]): span for year, span in months.items()}
    return {
        year: {code: spans[year] for code in figures[year] if code in FLOWS}
        for year in figures
        if year in spans
    }


INTERIM: Figures = {**FIGURES, 2025: NINE_MONTHS}


def test_turnovers_of_nine_months_are_annualised_and_say_so() -> None:
    first = year_ratios(INTERIM, 2025, _spans(INTERIM, y2024=12, y2025=9))
    assets = (D("205000000") + D("215000000")) / 2
    expected = {
        Indicator.asset_turnover: D("189000000") * 12 / 9 / assets,
        Indicator.inventory_turnover: D("149000000")
        * 12
        / 9
        / ((D("35000000") + D("37000000")) / 2),
        Indicator.receivables_turnover: D("189000000")
        * 12
        / 9
        / ((D("58000000") + D("61000000")) / 2),
    }
    for indicator, value in expected.items():
        ratio = first.ratios[indicator]
        assert (ratio.value, ratio.basis, ratio.months) == (share(value), "annualised", 9)
        assert "annualised: flows of 9 months × 12 / 9" in ratio.notes
    # Taken as a year, nine months' sales would give a turnover a quarter too low.
    assert first.ratios[Indicator.asset_turnover].value > share(D("189000000") / assets)
    assert (first.months, first.period_unknown) == (9, False)


def test_a_part_of_a_year_is_never_scored_as_a_year_where_length_matters() -> None:
    first = year_ratios(INTERIM, 2025, _spans(INTERIM, y2024=12, y2025=9))
    for indicator in (Indicator.roe, Indicator.roa, Indicator.total_profit):
        assert indicator not in first.ratios
        assert "cover 9 months" in first.absent[indicator]
    # Nine months against the whole of 2024 would read as a fall in sales and profit.
    for indicator in (Indicator.sales_growth, Indicator.profit_growth):
        assert "different spans (9 and 12 months)" in first.absent[indicator]
    # Balances on 30 September are nine months after 2024's: not a year's growth.
    for indicator in (Indicator.asset_growth, Indicator.capital_accumulation):
        assert "cover 9 months" in first.absent[indicator]
    margin = first.ratios[Indicator.gross_margin]
    assert (margin.value, margin.basis) == (
        share((D("189000000") - D("149000000")) / D("189000000")),
        "part",
    )
    debt = first.ratios[Indicator.debt_ratio]
    assert (debt.value, debt.basis) == (share(D("124000000") / D("215000000")), "balances")


def test_growth_against_the_same_nine_months_a_year_before_is_computed() -> None:
    figures: Figures = {2024: FIGURES[2024], 2025: NINE_MONTHS}
    growth = year_ratios(figures, 2025, _spans(figures, y2024=9, y2025=9)).ratios
    sales = growth[Indicator.sales_growth]
    assert (sales.value, sales.basis, sales.months) == (
        share((D("189000000") - D("251000000")) / D("251000000")),
        "part",
        9,
    )


def test_twelve_months_of_flows_give_the_same_ratios_as_before() -> None:
    known = year_ratios(FIGURES, 2024, _spans(FIGURES, y2023=12, y2024=12))
    unknown = year_ratios(FIGURES, 2024)
    assert {i: r.value for i, r in known.ratios.items()} == {
        i: r.value for i, r in unknown.ratios.items()
    }
    assert known.absent == {}
    assert known.ratios[Indicator.asset_turnover].basis == "year"
    assert known.ratios[Indicator.current_ratio].basis == "balances"
    assert known.period_unknown is False


def test_flows_of_unknown_span_count_as_a_year_and_are_marked() -> None:
    old = year_ratios(FIGURES, 2024, _spans(FIGURES, y2023=None, y2024=None))
    turnover = old.ratios[Indicator.asset_turnover]
    assert (turnover.basis, turnover.months) == ("unknown", None)
    assert "revenue 2024: the span is not printed; taken as a year" in turnover.notes
    assert old.period_unknown is True
    # One flow of nine months beside one of unknown span: nothing says they match.
    mixed = _spans(INTERIM, y2024=12, y2025=9)
    mixed[2025]["cost_of_sales"] = None
    margin = year_ratios(INTERIM, 2025, mixed).absent[Indicator.gross_margin]
    assert margin == "the span of cost_of_sales 2025 is not printed, the others' is"


def test_an_interim_year_is_profiled_but_the_last_full_year_is_rated() -> None:
    spans = _spans(INTERIM, y2024=12, y2025=9)
    rating = rate(_request(INTERIM, flow_months=spans, qualitative_score="70"), load_policy())
    assert rating.rated_year == 2024
    assert [year.year for year in rating.ratios] == [2022, 2023, 2024, 2025]
    interim = rating.ratios[-1]
    assert Indicator.asset_turnover in interim.ratios
    assert "cover 9 months" in interim.absent[Indicator.roe]
    assert rating.grade is not None
    # Nine months' sales are lower than a year's; that is no fall in sales.
    assert "sales_falling" not in _codes(rating)


DOCUMENT = uuid.UUID("00000000-0000-0000-0000-00000000d0c5")


def _confirmed(kind: str, months: int | None, end: str, on: int, **values: str) -> Statement:
    """A statement of 2025 confirmed on day `on` of December, its current column only."""
    statement = Statement(
        type=kind, scope="consolidated", fiscal_year=2025, multiplier=1, current_months=months,
        current_end=end, confirmed_at=datetime(2025, 12, on, tzinfo=UTC), document_id=DOCUMENT,
    )  # fmt: skip
    statement.figures = [
        StatementFigure(code=code, period="current", value=D(value), page=3)
        for code, value in values.items()
    ]
    return statement


def test_a_year_on_file_is_taken_before_a_part_of_it_confirmed_later() -> None:
    annual = _confirmed("income_statement", 12, "2025-12-31", 1, revenue="260000000")
    interim = _confirmed("income_statement", 9, "2025-09-30", 2, revenue="189000000")
    year_end = _confirmed("balance_sheet", None, "2025-12-31", 1, total_assets="220000000")
    september = _confirmed("balance_sheet", None, "2025-09-30", 2, total_assets="215000000")
    figures, months, *_ = confirmed_figures([annual, interim, year_end, september])
    assert figures[2025] == {"revenue": D("260000000"), "total_assets": D("220000000")}
    assert months == {2025: {"revenue": 12}}  # balances have no span
    # Only nine months on file: they are used, and known to be nine months.
    figures, months, *_ = confirmed_figures([interim, september])
    assert (figures[2025]["revenue"], months) == (D("189000000"), {2025: {"revenue": 9}})
