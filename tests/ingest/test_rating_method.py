"""Rating method: the Moutai 2021 worked example under both scoring methods, every choice named
with its source, industry tables, percentages."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from ingest.credit_schemas import Figures, Indicator
from ingest.errors import InvalidField
from ingest.rating import load_policy, rate
from ingest.rating_schemas import Rating, RatingRequest

D = Decimal

# Kweichow Moutai, 2021 annual report, consolidated statements (tests/data/statements, pages
# 50–58 of the PDF; truth.json holds the hand-read figures). 应收账款 is printed blank in both
# years, and so is 2020's 利息费用.
MOUTAI: Figures = {
    2021: {
        "cash": D("51810243607.11"), "inventory": D("33394365084.83"),
        "current_assets": D("220765692846.31"), "intangible_assets": D("6208358330.24"),
        "total_assets": D("255168195159.90"), "current_liabilities": D("57914222254.82"),
        "total_liabilities": D("58210688454.56"), "total_equity": D("196957506705.34"),
        "total_revenue": D("109464278563.89"), "revenue": D("106190154843.76"),
        "cost_of_sales": D("8983377809.96"), "interest_expense": D("13529867.76"),
        "total_profit": D("74528031894.76"), "net_profit": D("55720529956.46"),
        "operating_cash_flow": D("64028676147.37"), "cash_end": D("178640587379.52"),
    },
    2020: {
        "cash": D("36091090060.90"), "inventory": D("28869087678.06"),
        "current_assets": D("185652154956.94"), "intangible_assets": D("4817170981.91"),
        "total_assets": D("213395810527.46"), "current_liabilities": D("45673669912.95"),
        "total_liabilities": D("45675127426.18"), "total_equity": D("167720683101.28"),
        "total_revenue": D("97993240501.21"), "revenue": D("94915380916.72"),
        "cost_of_sales": D("8154001476.28"), "total_profit": D("66196941991.11"),
        "net_profit": D("49523329882.40"), "operating_cash_flow": D("51669068693.03"),
        "cash_end": D("146740524868.05"),
    },
}  # fmt: skip
MOUTAI_BLANKS = {2021: ["accounts_receivable"], 2020: ["accounts_receivable", "interest_expense"]}


def _half_up(value: Decimal, places: str) -> Decimal:
    return value.quantize(D(places), ROUND_HALF_UP)


def _by_hand() -> dict[Indicator, Decimal]:
    """Moutai's 2021 indicators from the seed formulas (004 附件二), four decimals."""
    now, before = MOUTAI[2021], MOUTAI[2020]

    def mean(code: str) -> Decimal:
        return (now[code] + before[code]) / 2

    def growth(code: str) -> Decimal:
        return (now[code] - before[code]) / before[code]

    values = {
        Indicator.roe: now["net_profit"] / mean("total_equity"),
        Indicator.roa: (now["total_profit"] + now["interest_expense"]) / mean("total_assets"),
        Indicator.gross_margin: (now["revenue"] - now["cost_of_sales"]) / now["revenue"],
        Indicator.asset_turnover: now["revenue"] / mean("total_assets"),
        Indicator.inventory_turnover: now["cost_of_sales"] / mean("inventory"),
        Indicator.debt_ratio: now["total_liabilities"] / now["total_assets"],
        Indicator.current_ratio: now["current_assets"] / now["current_liabilities"],
        Indicator.cash_ratio: now["cash"] / now["current_liabilities"],
        Indicator.sales_growth: growth("revenue"),
        Indicator.asset_growth: growth("total_assets"),
        Indicator.profit_growth: growth("total_profit"),
        Indicator.capital_accumulation: growth("total_equity"),
        Indicator.working_capital: (
            now["current_assets"] - now["current_liabilities"] + now["total_equity"]
        )
        / 2,
        Indicator.total_profit: now["total_profit"],
        Indicator.tangible_net_assets: now["total_equity"] - now["intangible_assets"],
    }
    yuan = {Indicator.working_capital, Indicator.total_profit, Indicator.tangible_net_assets}
    return {i: _half_up(v, "0.01" if i in yuan else "0.0001") for i, v in values.items()}


def _points_by_hand(at_low: int) -> Decimal:
    """Mean points of the 15 indicators: `at_low` points at 004 附件三's low value, 100 at its
    high one, linear between and below (never under 0), 100 above."""
    table = load_policy().tables["electronics"].indicators
    points = []
    for indicator, value in _by_hand().items():
        low, high = table[indicator].low, table[indicator].high
        raw = at_low + (value - low) / (high - low) * (100 - at_low)
        points.append(_half_up(min(max(raw, D(0)), D(100)), "0.01"))
    return _half_up(sum(points, D(0)) / len(points), "0.01")


def _moutai(method: str | None = None, **fields: object) -> Rating:
    request = RatingRequest.model_validate(
        {
            "figures": MOUTAI,
            "blanks": MOUTAI_BLANKS,
            "today": date(2022, 6, 30),
            "qualitative_score": "80",
            "table": "electronics",
            "method": method,
            **fields,
        }
    )
    return rate(request, load_policy())


def test_moutai_2021_under_the_linear_method_gives_84_90_82_94_aa() -> None:
    by_hand = _points_by_hand(at_low=0)
    assert by_hand == D("84.90")
    rating = _moutai()
    assert rating.method == "linear"
    assert rating.rated_year == 2021
    assert {s.indicator: s.value for s in rating.scores} == _by_hand()
    assert rating.quantitative_score == by_hand
    assert rating.combined_score == _half_up(by_hand * D("0.6") + 80 * D("0.4"), "0.01")
    assert rating.combined_score == D("82.94")
    assert (rating.grade, rating.cap) == ("AA", None)
    # 应收账款 printed blank: the turnover is left out by name, not scored 0 nor 100.
    assert set(rating.left_out) == {Indicator.receivables_turnover}
    assert "accounts_receivable is printed blank for 2021" in rating.left_out.values()


def test_moutai_2021_under_the_efficacy_coefficient_method_gives_93_20_87_92_aaa() -> None:
    by_hand = _points_by_hand(at_low=60)
    assert by_hand == D("93.20")
    rating = _moutai("efficacy")
    assert rating.scoring is not None
    assert (rating.scoring.low_points, rating.scoring.high_points) == (D(60), D(100))
    # Inventory turns 0.29 times against a low value of 2: below 60, as the method has it.
    inventory = next(s for s in rating.scores if s.indicator == Indicator.inventory_turnover)
    assert inventory.score == D("48.59")
    assert rating.quantitative_score == by_hand
    assert rating.combined_score == D("87.92")
    assert rating.grade == "AAA"


def test_an_unknown_scoring_method_is_refused_by_name() -> None:
    with pytest.raises(InvalidField, match="no scoring method named 'median'"):
        _moutai("median")


def test_every_choice_is_named_with_its_value_and_whether_the_seeds_give_it() -> None:
    choices = {c.name: c for c in _moutai().choices}
    assert (choices["method"].value, choices["method"].seed) == ("linear", False)
    assert "ours" in choices["method"].source.en
    assert "本系统自定" in choices["method"].source.zh
    assert choices["quantitative_weight"].value == "0.6 / 0.4"
    assert choices["quantitative_weight"].seed is True
    assert "000" in choices["quantitative_weight"].source.en
    assert choices["top_grade_bound"].value == "86"
    assert choices["top_grade_bound"].seed is True
    assert choices["lower_grade_bounds"].seed is False
    assert choices["risk_coefficients"].seed is False
    assert choices["indicator_weights"].seed is False
    assert choices["grade_cap"].seed is True
    assert "003 篇5 第十四条" in choices["grade_cap"].source.en
    assert "003 篇5 第十四条" in choices["grade_cap"].source.zh
    assert choices["reference_table"].value == "electronics"
    assert "004 附件三" in choices["reference_table"].source.en
    assert "004 附件三" in choices["reference_table"].source.zh
    # Every choice states a source; none is left unexplained.
    assert all(c.source.en != "not stated in the policy" for c in choices.values())


def test_ratios_are_shown_in_percent_where_the_seed_table_writes_percent() -> None:
    rating = _moutai()
    scores = {s.indicator: s for s in rating.scores}
    debt = scores[Indicator.debt_ratio]
    assert (debt.value, debt.value_shown, debt.shown_unit) == (D("0.2281"), D("22.81"), "%")
    assert (debt.high_shown, debt.low_shown) == (D("40.00"), D("70.00"))
    inventory = scores[Indicator.inventory_turnover]
    assert (inventory.value_shown, inventory.low_shown, inventory.shown_unit) == (
        D("28.86"),
        D("200.00"),
        "%",
    )  # 004 附件三: 存货周转率 800 % / 200 %
    current = scores[Indicator.current_ratio]
    assert (current.value_shown, current.shown_unit) == (D("3.8119"), "times")
    assert scores[Indicator.total_profit].shown_unit == "yuan"
    roe = next(r for r in rating.ratios if r.year == 2021).ratios[Indicator.roe]
    assert (roe.shown, roe.shown_unit) == (_half_up(roe.value * 100, "0.01"), "%")


def test_the_default_table_is_used_with_a_warning_and_an_example_table_says_so() -> None:
    defaulted = _moutai(table=None)
    assert defaulted.table_name == "electronics"
    assert [w.code for w in defaulted.method_warnings] == ["default_table"]
    chosen = _moutai(table="electronics")
    assert chosen.method_warnings == []
    liquor = _moutai(table="liquor_food")
    assert [w.code for w in liquor.method_warnings] == ["example_table"]
    assert liquor.table.example is True
    assert liquor.table.source is not None
    assert "example — replace" in liquor.table.source.en
    assert "示例，需替换" in liquor.table.source.zh


def test_each_industry_table_covers_every_indicator_and_names_its_source() -> None:
    policy = load_policy()
    assert {"electronics", "manufacturing", "liquor_food", "power"} <= set(policy.tables)
    for name, table in policy.tables.items():
        assert set(table.indicators) == set(Indicator), name
        assert table.source, name
        assert table.example == (name != "electronics"), name
        assert table.industries, name


def test_liquor_is_not_scored_against_electronics_inventory_turnover() -> None:
    # Base liquor ages for years: against electronics' 2–8 times Moutai's 0.29 scores 0.
    electronics = _moutai(table="electronics")
    liquor = _moutai(table="liquor_food")

    def inventory(rating: Rating) -> Decimal:
        return next(s.score for s in rating.scores if s.indicator == Indicator.inventory_turnover)

    assert inventory(electronics) == 0
    assert inventory(liquor) > 0


def test_a_table_is_found_by_the_customer_s_industry() -> None:
    assert _moutai(table="白酒").table_name == "liquor_food"
    assert _moutai(table="电力").table_name == "power"
    with pytest.raises(InvalidField, match="no credit reference table named '造船'"):
        _moutai(table="造船")


def test_banking_is_refused_with_the_reason() -> None:
    with pytest.raises(
        InvalidField, match="no rating against 'banking': banking does not fit"
    ) as e:
        _moutai(table="banking")
    assert e.value.reason == "industry_refused"  # the web UI says it in the reader's language
