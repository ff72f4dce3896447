"""Open early warnings reach the allowed credit: the policy's share kept per warning, 0 freezing
it, the strictest applying, the credit limit untouched and the reason named."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ingest.rating import load_policy
from ingest.rating_schemas import CreditLimit, CreditWarning
from ingest.warning_limits import cut_warning, restricted
from tests.ingest.test_rating_method import _moutai

D = Decimal
ORDERS = {"order_volume": "9000000", "credit_period_days": 60}
RULES = load_policy().rating.rules


def _limit(allowed: str = "5400000.00") -> CreditLimit:
    return CreditLimit(
        order_volume=D(9000000),
        credit_period_days=60,
        order_window_days=90,
        limit=D("6000000.00"),
        risk_coefficient=D("0.9"),
        allowed=D(allowed),
    )


def _warning(code: str) -> CreditWarning:
    return CreditWarning(code=code, message_zh=code, message_en=code, figures={})


def test_an_expired_license_freezes_the_allowed_credit_and_says_why() -> None:
    clean = _moutai(None, **ORDERS)
    expired = _moutai(None, **ORDERS, license_expires_on=date(2022, 1, 1))
    assert clean.grade == expired.grade == "AA"
    assert clean.credit_limit is not None
    assert expired.credit_limit is not None
    assert clean.credit_limit.allowed == D("5400000.00")  # 6,000,000 × 0.9
    # The credit limit stays as computed; the allowed credit is frozen while the license is out.
    assert expired.credit_limit.limit == clean.credit_limit.limit
    assert expired.credit_limit.allowed == 0
    cut = expired.credit_limit.warning_cut
    assert cut is not None
    assert (cut.warnings, cut.frozen, cut.allowed_before) == (
        ["license_expired"],
        True,
        D("5400000.00"),
    )
    frozen = next(w for w in expired.warnings if w.code == "allowed_credit_frozen")
    assert "营业执照已过期" in frozen.message_zh
    assert "The business license has expired" in frozen.message_en
    # The rule is a choice of the policy, named with its source.
    choice = next(c for c in expired.choices if c.name == "warning_limits")
    assert "license_expired 0" in choice.value
    assert choice.seed is False


def test_the_strictest_open_warning_applies_and_unnamed_warnings_cut_nothing() -> None:
    assert RULES is not None
    rules = RULES.model_copy(
        update={"warning_limits": {"debt_ratio_rise": D("0.5"), "sales_falling": D("0.8")}}
    )
    halved = restricted(_limit(), [_warning("sales_falling"), _warning("debt_ratio_rise")], rules)
    assert halved is not None
    assert halved.allowed == D("2700000.00")
    assert halved.warning_cut is not None
    assert halved.warning_cut.warnings == ["debt_ratio_rise", "sales_falling"]
    (reduced,) = cut_warning(halved, [_warning("debt_ratio_rise"), _warning("sales_falling")])
    assert reduced.code == "allowed_credit_reduced"
    assert "50%" in reduced.message_zh
    # A warning the policy does not name leaves the allowed credit as it was.
    untouched = restricted(_limit(), [_warning("current_ratio_low")], rules)
    assert untouched == _limit()
    assert cut_warning(untouched, []) == []


def test_a_further_warning_never_raises_the_allowed_credit() -> None:
    assert RULES is not None
    rules = RULES.model_copy(update={"warning_limits": {"a": D("0.5"), "b": D("0.8"), "c": D(0)}})
    codes = ["a", "b", "c"]
    previous = _limit().allowed
    for count in range(1, len(codes) + 1):
        found = restricted(_limit(), [_warning(c) for c in codes[:count]], rules)
        assert found is not None
        assert found.allowed is not None
        assert previous is not None
        assert found.allowed <= previous
        previous = found.allowed
    assert previous == 0
