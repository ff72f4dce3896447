"""近三年平均利润率: three full years' margins averaged, or the years it lacks, by name."""

from __future__ import annotations

from decimal import Decimal

from ingest.average_margin import average_margin
from ingest.credit_schemas import Figures, FlowMonths

D = Decimal


def _years(*margins: tuple[int, str, str]) -> Figures:
    return {
        year: {"revenue": D(revenue), "net_profit": D(profit)} for year, revenue, profit in margins
    }


def test_three_years_average_their_margins() -> None:
    figures = _years((2021, "1000", "100"), (2022, "2000", "100"), (2023, "1000", "150"))
    found = average_margin(figures, {}, {}, 2023)
    assert found is not None
    assert [y.margin for y in found.years] == [D("0.1000"), D("0.0500"), D("0.1500")]
    assert (found.value, found.shown) == (D("0.1000"), D("10.00"))
    assert found.shortfalls == []
    assert found.scored is False


def test_a_missing_year_is_named_and_leaves_no_average() -> None:
    # Two good years and none for 2021: averaging the two would hide whatever 2021 was.
    figures = _years((2022, "2000", "100"), (2023, "1000", "150"))
    found = average_margin(figures, {}, {}, 2023)
    assert found is not None
    assert found.value is None
    (shortfall,) = found.shortfalls
    assert (shortfall.name, shortfall.year) == ("average_profit_margin_3y", 2021)
    assert "no revenue or net_profit for 2021" in shortfall.reason


def test_a_part_of_a_year_or_no_revenue_is_not_a_year_s_margin() -> None:
    figures = _years((2021, "1000", "100"), (2022, "0", "-5"), (2023, "900", "90"))
    months: FlowMonths = {2023: {"revenue": 9, "net_profit": 9}}
    found = average_margin(figures, months, {}, 2023)
    assert found is not None
    assert found.value is None
    reasons = [s.reason for s in found.shortfalls]
    assert reasons == [
        "no revenue in 2022: the margin is undefined",
        "2023's income statement covers 9 months, not a year",
    ]


def test_a_worse_year_never_raises_the_average() -> None:
    good = _years((2021, "1000", "100"), (2022, "1000", "100"), (2023, "1000", "100"))
    worse = _years((2021, "1000", "100"), (2022, "1000", "-300"), (2023, "1000", "100"))
    better, lower = average_margin(good, {}, {}, 2023), average_margin(worse, {}, {}, 2023)
    assert better is not None
    assert lower is not None
    assert better.value is not None
    assert lower.value is not None
    assert lower.value < better.value


def test_no_rated_year_no_average() -> None:
    assert average_margin({}, {}, {}, None) is None
