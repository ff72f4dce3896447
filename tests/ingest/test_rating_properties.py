"""Properties of the rating: a worse company never scores or grades better, and a figure taken
away never raises the score or the grade — for any figures, both scoring methods and every
shipped table.

Worsening moves change one figure of the rated year (or a prior-year balance that is only
averaged) in the direction that is worse for every indicator it enters, or book a loss (net
profit, total profit and equity fall together), which takes equity through zero. Figures whose
direction depends on others are not moved alone: more equity lowers ROE but raises capital
accumulation; more assets lower ROA but lower the debt ratio; more cost of sales lowers
the margin but raises inventory turnover; interest expense is added back to ROA. Balances are
never negative. A year wholly absent cannot be told from one not yet reported, so removal takes
one figure from years that keep others.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.credit_schemas import Figures
from ingest.rating import load_policy, rate
from ingest.rating_schemas import Rating, RatingRequest
from tests.ingest.test_credit import FIGURES

POLICY = load_policy()
RATED, PRIOR = 2024, 2023
BALANCES = (
    "cash", "accounts_receivable", "inventory", "current_assets", "total_assets",
    "current_liabilities", "total_liabilities", "intangible_assets",
)  # fmt: skip
SIGNED = ("total_equity", "net_profit", "total_profit", "operating_cash_flow")
FLOWS = ("revenue", "cost_of_sales", "interest_expense")
# (item, year, +1 when more is worse, −1 when less is worse)
WORSE = [
    ("net_profit", RATED, -1), ("total_profit", RATED, -1), ("revenue", RATED, -1),
    ("cash", RATED, -1), ("current_assets", RATED, -1), ("current_liabilities", RATED, 1),
    ("total_liabilities", RATED, 1), ("inventory", RATED, 1), ("accounts_receivable", RATED, 1),
    ("intangible_assets", RATED, 1), ("inventory", PRIOR, 1), ("accounts_receivable", PRIOR, 1),
    ("loss", RATED, -1),
]  # fmt: skip
LOSS = ("net_profit", "total_profit", "total_equity")
NEVER_NEGATIVE = {*BALANCES, *FLOWS}

# Amounts from nil to 400 M yuan, nil often, so that zero denominators come up.
amount = st.one_of(st.just(0), st.integers(0, 400_000_000))
signed = st.one_of(st.just(0), st.integers(-200_000_000, 400_000_000))
year = st.fixed_dictionaries(
    {**dict.fromkeys((*BALANCES, *FLOWS), amount), **dict.fromkeys(SIGNED, signed)}
)
wild = st.fixed_dictionaries({PRIOR: year, RATED: year})


@st.composite
def _plausible(draw: st.DrawFn) -> dict[int, dict[str, int]]:
    """FIGURES' electronics maker with each figure scaled by 0–2, signed ones flipped at times,
    so that every grade comes up."""
    raw: dict[int, dict[str, int]] = {}
    for at in (PRIOR, RATED):
        items = {}
        for code in (*BALANCES, *SIGNED, *FLOWS):
            value = int(FIGURES[at][code] * draw(st.integers(0, 200)) / 100)
            if code in SIGNED and draw(st.integers(0, 9)) == 0:
                value = -value
            items[code] = value
        raw[at] = items
    return raw


company = st.one_of(wild, _plausible())
choices = st.tuples(
    st.sampled_from(sorted(POLICY.rating.methods)),
    st.sampled_from(sorted(POLICY.tables)),
    st.integers(0, 100),
)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _figures(raw: dict[int, dict[str, int]]) -> Figures:
    return {y: {c: Decimal(v) for c, v in items.items()} for y, items in raw.items()}


def _rate(figures: Figures, chosen: tuple[str, str, int]) -> Rating:
    method, table, qualitative = chosen
    request = RatingRequest(
        figures=figures,
        today=date(2025, 4, 30),
        method=method,
        table=table,
        qualitative_score=Decimal(qualitative),
    )
    return rate(request, POLICY)


def _rank(rating: Rating) -> Decimal:
    return Decimal(-1) if rating.grade is None else POLICY.rating.grades[rating.grade].min_score


def _no_better(after: Rating, before: Rating) -> None:
    """`after` scores and grades no better than `before`; no grade counts lowest."""
    if before.quantitative_score is None:
        assert after.quantitative_score is None
    elif after.quantitative_score is not None:
        assert after.quantitative_score <= before.quantitative_score
    if before.combined_score is not None and after.combined_score is not None:
        assert after.combined_score <= before.combined_score
    assert _rank(after) <= _rank(before)


@SETTINGS
@given(
    raw=company,
    chosen=choices,
    move=st.sampled_from(WORSE),
    by=st.integers(1, 300_000_000),
)
def test_worsening_any_figure_never_raises_the_score_or_the_grade(
    raw: dict[int, dict[str, int]],
    chosen: tuple[str, str, int],
    move: tuple[str, int, int],
    by: int,
) -> None:
    code, at, worse = move
    before = _figures(raw)
    after = _figures(raw)
    for moved in LOSS if code == "loss" else (code,):
        value = after[at][moved] + worse * by
        if moved in NEVER_NEGATIVE:
            value = max(value, Decimal(0))
        after[at][moved] = value
    _no_better(_rate(after, chosen), _rate(before, chosen))


@SETTINGS
@given(raw=company, chosen=choices, data=st.data())
def test_taking_any_figure_away_never_raises_the_score_or_the_grade(
    raw: dict[int, dict[str, int]], chosen: tuple[str, str, int], data: Any
) -> None:
    before = _figures(raw)
    at = data.draw(st.sampled_from([PRIOR, RATED]))
    code = data.draw(st.sampled_from(sorted(before[at])))
    after = _figures(raw)
    del after[at][code]
    _no_better(_rate(after, chosen), _rate(before, chosen))


@SETTINGS
@given(raw=company, chosen=choices)
def test_every_indicator_of_the_table_is_scored_or_named(
    raw: dict[int, dict[str, int]], chosen: tuple[str, str, int]
) -> None:
    rating = _rate(_figures(raw), chosen)
    table = POLICY.tables[chosen[1]]
    scored = {s.indicator for s in rating.scores}
    assert scored | set(rating.left_out) == set(table.indicators)
    if rating.grade is not None:
        # A graded rating has every indicator with a number or a reason it scored the bottom
        # or the top; nothing silently dropped.
        assert all(s.value is not None or s.reason for s in rating.scores)


@SETTINGS
@given(raw=company, chosen=choices, data=st.data())
def test_a_figure_not_given_never_rates_better_than_the_same_line_printed_blank(
    raw: dict[int, dict[str, int]], chosen: tuple[str, str, int], data: Any
) -> None:
    # A blank line leaves its indicator out, a figure not given scores it at the bottom: so
    # confirming a statement without the line can never beat confirming it blank.
    at = data.draw(st.sampled_from([PRIOR, RATED]))
    code = data.draw(st.sampled_from(sorted(raw[at])))
    figures = _figures(raw)
    del figures[at][code]
    method, table, qualitative = chosen
    fields: dict[str, Any] = {
        "figures": figures,
        "today": date(2025, 4, 30),
        "method": method,
        "table": table,
        "qualitative_score": Decimal(qualitative),
    }
    blank = rate(RatingRequest(**fields, blanks={at: [code]}), POLICY)
    _no_better(_rate(figures, chosen), blank)
