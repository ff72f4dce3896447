"""A rating is a dated record: viewed later it is shown as made, beside a labelled preview; a
raise of the allowed credit needs a reason; orders beyond the allowed credit stop."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from tests.archive_api.conftest import Api, Cast, extract_all, later
from tests.archive_api.test_audit import _auditor, _events
from tests.archive_api.test_credit import YEARS
from tests.factories import qualitative
from tests.statements import statement_pdf

D = Decimal
ENTERED = {**qualitative("80"), "order_volume": "9000000", "credit_period_days": 60}


def _rated_customer(api: Api, credit: TestClient) -> str:
    """A customer with two years of confirmed statements: its credit profile URL."""
    customer = api.customer("遵义档案电子有限公司")
    for year in (2022, 2023):
        pdf = statement_pdf("遵义档案电子有限公司", year, YEARS[year], YEARS[year - 1])
        api.upload(customer, pdf, doc_type="financial_statement", title=f"{year}年报")
    extract_all(api)
    url = f"/api/v1/customers/{customer}"
    for statement in credit.get(f"{url}/statements").json():
        confirmed = credit.post(f"{url}/statements/{statement['id']}/confirm")
        assert confirmed.status_code == 200, confirmed.text
    return url


def _rate(credit: TestClient, url: str, **changes: Any) -> Any:
    return credit.post(f"{url}/ratings", json={**ENTERED, **changes})


def test_a_rating_viewed_years_later_is_shown_as_made_and_overdue_by_its_own_date(
    api: Api, cast: Cast
) -> None:
    credit = cast.add("credit", "credit_manager", display_name="王信用")
    url = _rated_customer(api, credit)
    orders = {"order_volume": "9000000", "orders_through": "2026-09-30"}
    rated = _rate(credit, url, **orders)
    assert rated.status_code == 201, rated.text
    stored = rated.json()
    made_on = date.fromisoformat(stored["rated_on"])
    due = date.fromisoformat(stored["next_review_on"])
    assert made_on <= date.today() + timedelta(days=1)  # the company's day, not a later one
    assert due > made_on
    assert stored["rated_by_name"] == "王信用"

    # Two and a half years on: the stored rating is unchanged and overdue against ITS review.
    later(api, hours=24 * 913)
    profile = credit.get(f"{url}/credit-profile").json()
    as_of = date.fromisoformat(profile["as_of"])
    assert as_of > due
    assert profile["latest"] == stored
    assert profile["review_overdue"] is True
    # The order volume shown is the one the rating used, with the period it covers.
    assert profile["latest"]["inputs"]["order_volume"] == "9000000"
    assert profile["latest"]["inputs"]["orders_through"] == "2026-09-30"

    # The preview is dated today, compares with the stored rating and says what is overdue.
    preview = profile["preview"]
    assert preview["request"]["today"] == profile["as_of"]
    assert preview["request"]["previous"]["rating_id"] == stored["id"]
    assert preview["request"]["previous"]["rated_on"] == stored["rated_on"]
    assert date.fromisoformat(preview["next_review_on"]) > as_of  # "if rated today"
    warnings = {w["code"]: w["figures"] for w in preview["warnings"]}
    assert warnings["review_overdue"]["review_due_on"] == stored["next_review_on"]
    # 003 篇5 第三十条: no survey report on file, so the refresh counts from the rating.
    assert warnings["quarterly_refresh_due"]["last_refreshed_on"] == stored["rated_on"]


def test_a_raise_of_the_allowed_credit_needs_a_reason_and_a_cut_does_not(
    api: Api, cast: Cast
) -> None:
    credit = cast.add("credit", "credit_manager")
    url = _rated_customer(api, credit)
    first = _rate(credit, url)
    assert first.status_code == 201, first.text
    allowed = D(first.json()["allowed_credit"])
    assert D(first.json()["credit_limit"]) == D(9000000) * 60 / 90  # 信用限额, apart
    assert allowed == D(first.json()["credit_limit"]) * D(
        first.json()["result"]["credit_limit"]["risk_coefficient"]
    )

    # More orders, same grade: a higher allowed credit is refused without a reason …
    more = {"order_volume": "12000000"}
    refused = _rate(credit, url, **more)
    assert refused.status_code == 409, refused.text
    assert refused.json()["reason"] == "allowed_credit_raise_needs_reason"
    assert "第三十一条" in refused.json()["detail"]
    assert str(allowed) not in refused.json()["detail"]  # no figures in error messages
    assert [r["id"] for r in credit.get(f"{url}/ratings").json()] == [first.json()["id"]]

    # … and stored with one, which the record and the audit log keep.
    why = "新签三年框架合同，回款记录良好"
    raised = _rate(credit, url, **more, override_reason=why)
    assert raised.status_code == 201, raised.text
    change = raised.json()["result"]["change"]
    assert (change["direction"], change["needs_reason"], change["override_reason"]) == (
        "raised",
        True,
        why,
    )
    assert D(change["previous"]["allowed_credit"]) == allowed
    events = _events(_auditor(api), action="credit:rating:create")
    bodies = [json.dumps(e, ensure_ascii=False) for e in events]
    assert any(why in body and '"raised"' in body for body in bodies), bodies

    # The profile shows the reason with the rating it was given for, never in the preview.
    profile = credit.get(f"{url}/credit-profile").json()
    assert profile["latest"]["result"]["change"]["override_reason"] == why
    assert profile["preview"]["change"]["direction"] == "unchanged"
    assert profile["preview"]["change"]["override_reason"] is None

    # Fewer orders: lower than before, as the rule expects, with no reason asked.
    lowered = _rate(credit, url, order_volume="6000000")
    assert lowered.status_code == 201, lowered.text
    assert lowered.json()["result"]["change"]["direction"] == "lowered"


def test_the_qualitative_score_is_entered_factor_by_factor(api: Api, cast: Cast) -> None:
    credit = cast.add("credit", "credit_manager", display_name="李评")
    url = f"/api/v1/customers/{api.customer()}"
    total = {"qualitative_score": "80", "order_volume": "1", "credit_period_days": 30}
    refused = credit.post(f"{url}/ratings", json=total)
    assert refused.status_code == 422, refused.text
    assert "industry_position" in refused.json()["detail"]
    four = qualitative("80")["qualitative_factors"][:4]
    partial = {**total, "qualitative_score": None, "qualitative_factors": four}
    refused = credit.post(f"{url}/ratings", json=partial)
    assert refused.status_code == 422
    assert "policy_support" in refused.json()["detail"]
    scores = ["90", "80", "70", "60", "50"]
    blank = qualitative("0")["qualitative_factors"]
    factors = [{**f, "score": s} for f, s in zip(blank, scores, strict=True)]
    rated = credit.post(
        f"{url}/ratings", json={**total, "qualitative_score": None, "qualitative_factors": factors}
    )
    assert rated.status_code == 201, rated.text
    request = rated.json()["result"]["request"]
    assert D(request["qualitative_score"]) == D(70)  # derived: (90+80+70+60+50) / 5
    assert [(f["score"], f["scored_by_name"]) for f in request["qualitative_factors"]] == [
        ("90", "李评"), ("80", "李评"), ("70", "李评"), ("60", "李评"), ("50", "李评"),
    ]  # fmt: skip


def test_orders_beyond_the_allowed_credit_stop(api: Api, cast: Cast) -> None:
    credit = cast.add("credit", "credit_manager")
    url = _rated_customer(api, credit)
    check = f"{url}/order-checks"
    unrated = credit.post(check, json={"order_amount": "1", "outstanding": "0"}).json()
    assert (unrated["decision"], unrated["reason"]) == ("stop", "no_rating")
    allowed = D(_rate(credit, url).json()["allowed_credit"])
    within = {"order_amount": str(allowed - 1000), "outstanding": "1000"}
    assert credit.post(check, json=within).json()["decision"] == "proceed"
    beyond = credit.post(check, json={"order_amount": str(allowed), "outstanding": "1000"})
    assert beyond.status_code == 200, beyond.text
    found = beyond.json()
    assert (found["decision"], found["reason"]) == ("stop", "beyond_allowed_credit")
    assert (D(found["allowed_credit"]), D(found["exposure"]), D(found["excess"])) == (
        allowed,
        allowed + 1000,
        D(1000),
    )
    assert credit.post(check, json={"order_amount": "-1", "outstanding": "0"}).status_code == 422
    # Whoever may not read the customer's credit may not ask either.
    assert cast["seller"].post(check, json=within).status_code in (403, 404)
