"""A customer's industry chooses the reference table of its ratings; none, or one without a
table, is rated against the default with a warning naming why; banking is refused."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.archive_api.conftest import Api, Cast
from tests.archive_api.test_credit_records import ENTERED, _rated_customer


def _choices(rating: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in rating["result"]["choices"]}


def _set(client: TestClient, url: str, industry: str | None) -> dict[str, Any]:
    response = client.patch(url, json={"industry": industry, "reason": "按营业执照核对行业"})
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def test_the_customer_s_industry_chooses_the_table_and_the_rating_names_it(
    api: Api, cast: Cast
) -> None:
    credit = cast.add("credit", "credit_manager")
    url = _rated_customer(api, credit)
    assert _set(credit, url, "白酒")["industry"] == "白酒"
    assert credit.get(url).json()["industry"] == "白酒"

    rated = credit.post(f"{url}/ratings", json=ENTERED)
    assert rated.status_code == 201, rated.text
    rating = rated.json()
    assert rating["result"]["table_name"] == "liquor_food"
    table = _choices(rating)["reference_table"]
    assert table["value"] == "liquor_food"
    assert "chosen by the customer's industry: 白酒" in table["source"]["en"]
    assert "按客户所属行业选定：白酒" in table["source"]["zh"]
    # An example table says so; the default was not used, so no default warning.
    codes = [w["code"] for w in rating["result"]["method_warnings"]]
    assert codes == ["example_table"]

    # A table the credit manager names still wins over the industry's.
    named = credit.post(
        f"{url}/ratings", json={**ENTERED, "table": "electronics", "override_reason": "复核"}
    )
    assert named.status_code == 201, named.text
    assert named.json()["result"]["table_name"] == "electronics"
    named_table = _choices(named.json())["reference_table"]
    assert "chosen by the credit manager" in named_table["source"]["en"]


def test_without_an_industry_the_default_table_is_used_and_the_warning_says_why(
    api: Api, cast: Cast
) -> None:
    credit = cast.add("credit", "credit_manager")
    url = _rated_customer(api, credit)
    rating = credit.post(f"{url}/ratings", json=ENTERED).json()
    assert rating["result"]["table_name"] == "electronics"
    (warning,) = rating["result"]["method_warnings"]
    assert warning["code"] == "default_table"
    assert "no industry on file" in warning["message_en"]
    assert "未登记行业" in warning["message_zh"]

    # An industry no table is for: the default again, naming the industry.
    _set(credit, url, "造船")
    preview = credit.get(f"{url}/credit-profile").json()["preview"]
    assert preview["table_name"] == "electronics"
    (warning,) = preview["method_warnings"]
    assert "造船" in warning["message_en"]
    assert "造船" in warning["message_zh"]
    source = _choices({"result": preview})["reference_table"]["source"]
    assert "no table is for the customer's industry 造船" in source["en"]
    assert "没有适用于客户所属行业 造船 的参照表" in source["zh"]


def test_a_bank_is_refused_with_the_reason_and_the_industry_can_be_cleared(
    api: Api, cast: Cast
) -> None:
    credit = cast.add("credit", "credit_manager")
    url = _rated_customer(api, credit)
    _set(credit, url, "银行")
    refused = credit.post(f"{url}/ratings", json=ENTERED)
    assert refused.status_code == 422
    # The web UI says it in the reader's language by the reason.
    assert refused.json()["reason"] == "industry_refused"
    assert "banking does not fit this table" in refused.json()["detail"]
    # The profile says why; the desk's warnings of other customers are still listed.
    profile = credit.get(f"{url}/credit-profile")
    assert profile.status_code == 422
    assert profile.json()["reason"] == "industry_refused"
    assert credit.get("/api/v1/warnings", params={"scope": "all"}).status_code == 200
    assert _set(credit, url, None)["industry"] is None
    assert credit.post(f"{url}/ratings", json=ENTERED).status_code == 201


def test_the_industry_is_set_on_opening_and_bad_input_is_named(api: Api, cast: Cast) -> None:
    from tests.factories import random_uscc

    opened = api.client.post(
        "/api/v1/customers", json={"name": "电力公司", "uscc": random_uscc(), "industry": "电力"}
    )
    assert opened.status_code == 201, opened.text
    assert opened.json()["industry"] == "电力"
    url = f"/api/v1/customers/{opened.json()['id']}"
    too_long = api.client.patch(url, json={"industry": "电" * 65, "reason": "更正"})
    assert too_long.status_code == 422
    assert "industry" in too_long.text
    # The code is the file's identity (一户一档): it is not among what may be changed.
    unknown = api.client.patch(url, json={"uscc": random_uscc(), "reason": "更正"})
    assert unknown.status_code == 422
    assert "uscc" in unknown.json()["detail"]
    # Sales may read the customer but not change its file.
    sales = cast.add("sales", "sales")
    assert sales.patch(url, json={"industry": "白酒", "reason": "更正"}).status_code == 403
    assert api.client.get(url).json()["industry"] == "电力"
