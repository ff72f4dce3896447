"""The seed's rules around a rating: terms by grade, security below open credit, limit changes,
the quarterly refresh, the qualitative factors and the stop of orders beyond the allowed credit."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from ingest.config import IngestSettings
from ingest.credit_profile_schemas import OrderCheckCreate
from ingest.credit_schemas import CreditPolicy
from ingest.credit_terms import (
    limit_change,
    limit_of,
    order_check,
    qualitative_total,
    rule_warnings,
    scored_factors,
)
from ingest.credit_terms_schemas import FactorScore, QualitativeFactor
from ingest.errors import InvalidField
from ingest.rating import load_policy, rate
from ingest.rating_schemas import RatingCreate, RatingRead, RatingRequest
from tests.ingest.test_credit import FIGURES

D = Decimal
TODAY = date(2026, 11, 30)
POLICY = load_policy(IngestSettings())
RULES = POLICY.rating
SCORER = uuid.UUID("0b5e4c8e-6d0a-4f43-9a53-4c1f2d7c9e01")


def _request(**fields: Any) -> RatingRequest:
    entered = {"order_volume": "9000000", "credit_period_days": 60, **fields}
    return RatingRequest.model_validate({"figures": {}, "today": TODAY, **entered})


def _previous(allowed: str | None, rated_on: date = date(2026, 6, 30)) -> dict[str, Any]:
    return {"rating_id": str(uuid.uuid4()), "rated_on": rated_on, "allowed_credit": allowed}


def _codes(request: RatingRequest, grade: str | None) -> set[str]:
    limit = limit_of(request, RULES, grade)
    change = limit_change(request, limit, RULES.rules)
    return {w.code for w in rule_warnings(request, RULES.rules, limit, change)}


# Terms capped by grade (000: "AAA级客户可享受最长90天账期").


def test_aaa_gets_at_most_ninety_days_and_the_limit_uses_them() -> None:
    request = _request(credit_period_days=120)
    limit = limit_of(request, RULES, "AAA")
    assert limit is not None
    assert (limit.credit_period_days, limit.terms_days, limit.max_credit_days) == (120, 90, 90)
    assert limit.limit == D(9000000) * 90 / 90  # not × 120 / 90
    assert limit.allowed == limit.limit * D("1.0")
    assert "terms_capped" in _codes(request, "AAA")


def test_terms_within_the_cap_are_kept_without_warning() -> None:
    request = _request(credit_period_days=60)
    limit = limit_of(request, RULES, "AA")
    assert limit is not None
    assert (limit.terms_days, limit.limit) == (60, D(6000000))
    assert "terms_capped" not in _codes(request, "AA")


def test_grades_the_seed_gives_no_cap_have_one_set_in_the_policy_never_above_a_better_grade() -> (
    None
):
    caps = {grade: rule.max_credit_days for grade, rule in RULES.grades.items()}
    assert caps["AAA"] == 90
    assert all(cap is not None and cap <= 90 for cap in caps.values())
    data = POLICY.model_dump(mode="json")
    data["rating"]["grades"]["AA"]["max_credit_days"] = 120
    with pytest.raises(ValidationError, match="lower grade's max_credit_days"):
        CreditPolicy.model_validate(data)
    data["rating"]["grades"]["AA"]["max_credit_days"] = None  # no cap below a capped grade
    with pytest.raises(ValidationError, match="lower grade's max_credit_days"):
        CreditPolicy.model_validate(data)


# B and below: prepayment or collateral (000: "B级及以下客户需预付全款或提供抵押担保").


@pytest.mark.parametrize("grade", ["B", "C"])
def test_b_and_below_without_collateral_prepay_and_get_no_credit(grade: str) -> None:
    request = _request()
    limit = limit_of(request, RULES, grade)
    assert limit is not None
    assert (limit.settlement, limit.allowed) == ("prepayment", D(0))
    assert limit.limit == D(6000000)  # the limit is still shown, apart from the allowed credit
    assert "prepayment_required" in _codes(request, grade)


def test_b_with_collateral_gets_credit_up_to_its_value_and_records_it() -> None:
    small = _request(collateral={"description": "厂房抵押 factory mortgage", "value": "500000"})
    limit = limit_of(small, RULES, "B")
    assert limit is not None
    assert (limit.settlement, limit.allowed, limit.collateral_value) == (
        "secured",
        D(500000),  # below 6,000,000 × 0.2 = 1,200,000: no more than the security
        D(500000),
    )
    large = _request(collateral={"description": "银行保函 bank guarantee", "value": "5000000"})
    limit = limit_of(large, RULES, "B")
    assert limit is not None
    assert limit.allowed == D(6000000) * D("0.2")  # the coefficient still bounds it
    assert "prepayment_required" not in _codes(large, "B")


def test_bb_and_above_buy_on_open_credit_without_collateral() -> None:
    limit = limit_of(_request(), RULES, "BB")
    assert limit is not None
    assert (limit.settlement, limit.allowed) == ("open_credit", D(6000000) * D("0.4"))


def test_collateral_needs_what_and_a_value() -> None:
    with pytest.raises(ValidationError):
        _request(collateral={"description": "", "value": "100"})
    with pytest.raises(ValidationError):
        _request(collateral={"description": "房产", "value": "-1"})


# An adjusted limit lower than before (003 篇5 第三十一条).


@pytest.mark.parametrize(
    ("before", "direction", "needs_reason"),
    [("5000000", "raised", True), ("6000000", "unchanged", False), ("7000000", "lowered", False)],
)
def test_the_allowed_credit_is_compared_with_the_previous_rating(
    before: str, direction: str, needs_reason: bool
) -> None:
    request = _request(previous=_previous(before))
    limit = limit_of(request, RULES, "AAA")  # allowed 6,000,000
    change = limit_change(request, limit, RULES.rules)
    assert change is not None
    assert (change.direction, change.needs_reason) == (direction, needs_reason)
    assert change.previous.allowed_credit == D(before)
    assert ("allowed_credit_raised" in _codes(request, "AAA")) is needs_reason


def test_no_previous_rating_or_grade_means_no_comparison() -> None:
    assert limit_change(_request(), limit_of(_request(), RULES, "AA"), RULES.rules) is None
    ungraded = _request(previous=_previous("1"))
    assert limit_change(ungraded, limit_of(ungraded, RULES, None), RULES.rules) is None


# The quarterly full refresh (003 篇5 第三十条).


@pytest.mark.parametrize(
    ("surveyed_on", "due"),
    [(date(2026, 8, 31), False), (date(2026, 8, 29), True), (None, True)],
)
def test_a_survey_older_than_a_quarter_is_due_for_refresh(
    surveyed_on: date | None, due: bool
) -> None:
    # Without a survey report the last rating (30 June) is the last refresh.
    request = _request(surveyed_on=surveyed_on, previous=_previous("1"))
    assert ("quarterly_refresh_due" in _codes(request, "AA")) is due


def test_nothing_to_refresh_before_any_survey_or_rating() -> None:
    assert "quarterly_refresh_due" not in _codes(_request(), "AA")


# The qualitative factors of 000, each scored, with who scored them.

FIVE = [
    FactorScore(factor=QualitativeFactor.industry_position, score=D(90)),
    FactorScore(factor=QualitativeFactor.market_competitiveness, score=D(80)),
    FactorScore(factor=QualitativeFactor.cooperation_years, score=D(70)),
    FactorScore(factor=QualitativeFactor.management_reputation, score=D(60)),
    FactorScore(factor=QualitativeFactor.policy_support, score=D(55)),
]


def test_the_qualitative_score_is_the_factors_weighted_mean_with_their_scorer() -> None:
    assert RULES.rules is not None
    weights = RULES.rules.qualitative.factor_weights
    factors = scored_factors(list(reversed(FIVE)), weights, SCORER, "信用经理")
    assert [f.factor for f in factors] == list(QualitativeFactor)
    assert {(f.scored_by_id, f.scored_by_name) for f in factors} == {(SCORER, "信用经理")}
    assert qualitative_total(factors) == D("71.00")  # (90 + 80 + 70 + 60 + 55) / 5
    heavier = {**weights, QualitativeFactor.industry_position: D(3)}
    assert qualitative_total(scored_factors(FIVE, heavier, SCORER, "x")) == D(
        "76.43"
    )  # (270 + 80 + 70 + 60 + 55) / 7


def test_every_factor_must_be_scored() -> None:
    with pytest.raises(InvalidField, match="policy_support"):
        scored_factors(FIVE[:4], {}, SCORER, "x")


def test_a_rating_enters_the_factors_or_a_total_never_both_nor_a_factor_twice() -> None:
    base = {"order_volume": "1", "credit_period_days": 30}
    factors = [f.model_dump(mode="json") for f in FIVE]
    assert RatingCreate.model_validate({**base, "qualitative_factors": factors})
    for wrong in (
        {},
        {"qualitative_factors": factors, "qualitative_score": "70"},
        {"qualitative_factors": [*factors, factors[0]]},
    ):
        with pytest.raises(ValidationError):
            RatingCreate.model_validate({**base, **wrong})


def test_the_rating_combines_the_derived_total_and_keeps_the_factors() -> None:
    factors = scored_factors(FIVE, {}, SCORER, "x")
    request = RatingRequest(
        figures=FIGURES, today=TODAY, qualitative_score=qualitative_total(factors),
        qualitative_factors=factors,
    )  # fmt: skip
    rating = rate(request, POLICY)
    assert rating.quantitative_score is not None
    assert rating.combined_score is not None
    expected = rating.quantitative_score * D("0.6") + D("71.00") * D("0.4")
    assert abs(rating.combined_score - expected) <= D("0.01")
    assert rating.request.qualitative_factors == factors


# Orders beyond the allowed credit stop (004 §2.3: "超出赊销额度的,停止下单投产").


def _stored(allowed: str | None, settlement: str | None = "open_credit") -> RatingRead:
    request = _request()
    rating = rate(request, POLICY).model_dump(mode="json")
    rating["credit_limit"]["settlement"] = settlement
    return RatingRead.model_validate(
        {
            "id": uuid.uuid4(), "customer_id": uuid.uuid4(), "rated_by_id": SCORER,
            "rated_by_name": "x", "rated_on": date(2026, 10, 1), "grade": "AA",
            "score": "80", "credit_limit": "6000000", "allowed_credit": allowed,
            "next_review_on": None, "result": rating, "created_at": datetime.now(UTC),
            "inputs": {"qualitative_score": "80", "order_volume": "9000000",
                       "credit_period_days": 60},
        }
    )  # fmt: skip


def _order(amount: str, outstanding: str) -> OrderCheckCreate:
    return OrderCheckCreate(order_amount=D(amount), outstanding=D(outstanding))


def test_an_order_within_the_allowed_credit_proceeds() -> None:
    check = order_check(_stored("5400000"), _order("400000", "5000000"))
    assert (check.decision, check.reason) == ("proceed", "within_allowed_credit")
    assert (check.exposure, check.excess, check.allowed_credit) == (D(5400000), D(0), D(5400000))


def test_an_order_beyond_the_allowed_credit_stops_with_the_figures() -> None:
    check = order_check(_stored("5400000"), _order("400001", "5000000"))
    assert (check.decision, check.reason) == ("stop", "beyond_allowed_credit")
    assert (check.exposure, check.excess) == (D(5400001), D(1))


def test_without_a_graded_rating_or_when_prepaying_every_credit_order_stops() -> None:
    assert order_check(None, _order("1", "0")).reason == "no_rating"
    assert order_check(_stored(None), _order("1", "0")).reason == "ungraded"
    prepaying = order_check(_stored("0", "prepayment"), _order("1", "0"))
    assert (prepaying.decision, prepaying.settlement, prepaying.excess) == (
        "stop",
        "prepayment",
        D(1),
    )


def test_a_rating_stored_before_these_rules_reads_with_what_it_did_not_record_empty() -> None:
    old = rate(_request(qualitative_score="80"), POLICY).model_dump(mode="json")
    for field in ("terms_days", "max_credit_days", "settlement", "collateral_value"):
        del old["credit_limit"][field]
    for field in ("qualitative_factors", "collateral", "orders_through", "previous"):
        del old["request"][field]
    del old["policy"]["rules"]
    del old["change"]
    for rule in old["policy"]["grades"].values():
        del rule["max_credit_days"], rule["secured_only"]
    stored = _stored("5400000").model_dump(mode="json") | {"result": old}
    read = RatingRead.model_validate(stored)
    assert read.inputs.qualitative_score == D(80)
    assert read.inputs.qualitative_factors is None  # one total, shown as such
    assert read.result.credit_limit is not None
    assert (read.result.credit_limit.settlement, read.result.policy.rules) == (None, None)
