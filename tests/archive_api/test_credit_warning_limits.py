"""Open warnings reach the allowed credit a stored rating keeps, and so the orders it lets
through."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.archive_api.conftest import Api, Cast
from tests.archive_api.test_credit_records import ENTERED, _rated_customer
from tests.archive_api.test_credit_warnings import _license

D = Decimal


def test_an_expired_license_freezes_the_allowed_credit_and_stops_orders(
    api: Api, cast: Cast
) -> None:
    credit = cast.add("credit", "credit_manager")
    url = _rated_customer(api, credit)
    _license(api.client, url.rsplit("/", 1)[1], date(2020, 1, 1))
    rated = credit.post(f"{url}/ratings", json=ENTERED)
    assert rated.status_code == 201, rated.text
    stored = rated.json()
    # 信用限额 as computed; 赊销额度 frozen, with the reason.
    assert D(stored["credit_limit"]) > 0
    assert D(stored["allowed_credit"]) == 0
    cut = stored["result"]["credit_limit"]["warning_cut"]
    assert (cut["warnings"], cut["frozen"]) == (["license_expired"], True)
    assert D(cut["allowed_before"]) > 0
    frozen = next(w for w in stored["result"]["warnings"] if w["code"] == "allowed_credit_frozen")
    assert "营业执照已过期" in frozen["message_zh"]
    check = credit.post(f"{url}/order-checks", json={"order_amount": "1", "outstanding": "0"})
    assert check.status_code == 200, check.text
    assert (check.json()["decision"], check.json()["reason"]) == ("stop", "beyond_allowed_credit")
