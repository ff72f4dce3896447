"""A customer's master data: opened with the file, changed field by field with a reason, every
change kept in its history, and bad values refused naming the field."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from storage.models import AuditEvent, AuditPending
from tests.archive_api.conftest import Api, Cast
from tests.factories import random_uscc

ACCOUNT = "6222 0210 0109 8765"
BANK = {"bank": "中国工商银行贵阳分行", "account_name": "贵州测试有限公司", "account_no": ACCOUNT}
MASTER: dict[str, Any] = {
    "category": "new",
    "registered_capital": {"amount": "10000000", "currency": "CNY"},
    "legal_representative": "张三",
    "address": "贵州省贵阳市观山湖区长岭北路1号",
    "business_scope": "电子元器件研发、生产、销售",
    "founded_on": "2015-03-12",
    "shareholders": [
        {"name": "贵州甲投资有限公司", "share": "60"},
        {"name": "李四", "share": "40"},
    ],
    "bank_references": [BANK],
    "cooperation_since": "2019-06-01",
}


def _open(api: Api, **fields: Any) -> str:
    body = {"name": "贵州测试有限公司", "uscc": random_uscc(), **MASTER, **fields}
    created = api.client.post("/api/v1/customers", json=body)
    assert created.status_code == 201, created.text
    return f"/api/v1/customers/{created.json()['id']}"


def _change(client: TestClient, url: str, **fields: Any) -> dict[str, Any]:
    response = client.patch(url, json={"reason": "按新营业执照更正", **fields})
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def _audit_bodies(api: Api) -> list[bytes]:
    with api.backends.sessions() as session:
        pending = session.scalars(select(AuditPending.body)).all()
        chained = session.scalars(select(AuditEvent.body)).all()
    return [*pending, *chained]


def test_a_file_opens_as_a_prospect_with_its_master_data(api: Api) -> None:
    url = _open(api)
    customer = api.client.get(url).json()
    assert customer["status"] == "prospect"
    assert customer["registered_capital"] == {"amount": "10000000.00", "currency": "CNY"}
    assert [(s["name"], s["share"]) for s in customer["shareholders"]] == [
        ("贵州甲投资有限公司", "60.00"),
        ("李四", "40.00"),
    ]
    assert customer["bank_references"][0]["account_no"] == ACCOUNT
    assert (customer["founded_on"], customer["cooperation_since"]) == ("2015-03-12", "2019-06-01")
    # Opening a file is no change: its history starts empty.
    assert api.client.get(f"{url}/history").json()["total"] == 0


def test_a_change_touches_only_the_fields_sent_and_is_kept_with_its_reason(api: Api) -> None:
    url = _open(api)
    before = api.client.get(url).json()
    after = _change(api.client, url, address="贵州省遵义市汇川区上海路2号", industry="电子")
    assert after["address"] == "贵州省遵义市汇川区上海路2号"
    assert after["industry"] == "电子"
    unchanged = {k: v for k, v in after.items() if k not in ("address", "industry")}
    assert unchanged == {k: v for k, v in before.items() if k not in ("address", "industry")}
    assert api.client.get(url).json() == after

    _change(api.client, url, registered_capital=None, legal_representative="王五")
    page = api.client.get(f"{url}/history").json()
    assert page["total"] == 2
    newest, first = page["items"]
    assert (newest["kind"], newest["reason"], newest["changed_by_name"]) == (
        "edit",
        "按新营业执照更正",
        "archivist",
    )
    assert {c["field"]: (c["before"], c["after"]) for c in newest["changes"]} == {
        "legal_representative": ("张三", "王五"),
        "registered_capital": ({"amount": "10000000.00", "currency": "CNY"}, None),
    }
    assert [c["field"] for c in first["changes"]] == ["address", "industry"]
    assert api.client.get(url).json()["registered_capital"] is None


def test_sending_what_is_on_file_keeps_no_change(api: Api) -> None:
    url = _open(api)
    _change(api.client, url, legal_representative="张三", founded_on="2015-03-12")
    assert api.client.get(f"{url}/history").json()["total"] == 0


def test_the_reason_is_required_and_nothing_changes_without_it(api: Api) -> None:
    url = _open(api)
    for body in ({"address": "别处"}, {"address": "别处", "reason": "   "}):
        refused = api.client.patch(url, json=body)
        assert refused.status_code == 422, body
        assert refused.json()["detail"].startswith("reason"), refused.text
    only_reason = api.client.patch(url, json={"reason": "核对"})
    assert only_reason.status_code == 422
    assert api.client.get(url).json()["address"] == MASTER["address"]
    assert api.client.get(f"{url}/history").json()["total"] == 0


def test_account_numbers_and_personal_values_stay_out_of_the_audit_log(api: Api) -> None:
    url = _open(api)
    new_account = "6228 4800 1234 5678"
    bank = {**BANK, "account_no": new_account}
    _change(api.client, url, bank_references=[bank], legal_representative="赵六")
    [change] = api.client.get(f"{url}/history").json()["items"]
    [banks] = [c for c in change["changes"] if c["field"] == "bank_references"]
    # The history shows which account changed by its last four characters only.
    assert banks["before"][0]["account_no"] == "****8765"
    assert banks["after"][0]["account_no"] == "****5678"
    bodies = b"\n".join(_audit_bodies(api))
    for secret in (ACCOUNT, new_account, "赵六", "张三"):
        assert secret.encode() not in bodies, secret
    # The event names what changed and why, and the change to find it by.
    [event] = [b for b in _audit_bodies(api) if b'"customer:file:update"' in b]
    assert b'"fields":["bank_references","legal_representative"]' in event
    assert change["id"].encode() in event
    assert "按新营业执照更正".encode() in event


def test_categories_are_the_configured_ones(api: Api) -> None:
    offered = api.client.get("/api/v1/customers/categories").json()
    assert [(c["code"], c["title"]["zh"], c["title"]["en"]) for c in offered] == [
        ("new", "新客户", "New customer"),
        ("existing", "老客户", "Existing customer"),
        ("one_off", "一次性客户", "One-off customer"),
    ]
    url = _open(api)
    assert _change(api.client, url, category="existing")["category"] == "existing"
    refused = api.client.patch(url, json={"category": "vip", "reason": "升级"})
    assert refused.status_code == 422
    assert refused.json()["detail"].startswith("category: not a configured category")


def _bad_values(api: Api) -> list[tuple[dict[str, Any], str]]:
    tomorrow = (api.backends.today() + timedelta(days=1)).isoformat()
    holder = {"name": "甲", "share": "10"}
    return [
        ({"registered_capital": {"amount": "-1", "currency": "CNY"}}, "registered_capital"),
        ({"registered_capital": {"amount": "1", "currency": "RMB1"}}, "registered_capital"),
        ({"shareholders": [{**holder, "share": "100.5"}]}, "shareholders"),
        ({"shareholders": [{**holder, "share": "0"}]}, "shareholders"),
        ({"shareholders": [{**holder, "share": "60"}, {**holder, "share": "50"}]}, "shareholders"),
        ({"shareholders": [holder] * 51}, "shareholders"),
        ({"shareholders": None}, "shareholders"),
        ({"founded_on": tomorrow}, "founded_on"),
        ({"cooperation_since": tomorrow}, "cooperation_since"),
        ({"cooperation_since": "2010-01-01"}, "cooperation_since"),  # before its founding
        ({"founded_on": "2015-02-30"}, "founded_on"),
        ({"legal_representative": "张" * 101}, "legal_representative"),
        ({"address": "路" * 301}, "address"),
        ({"business_scope": "营" * 2001}, "business_scope"),
        ({"address": "贵阳\u202e路"}, "address"),
        ({"name": None}, "name"),
        ({"name": "甲" * 201}, "name"),
        ({"bank_references": [{"bank": "工行", "account_name": "甲", "account_no": "12#4"}]},
         "bank_references"),
        ({"bank_references": [{"bank": "工行"}]}, "bank_references"),
        ({"uscc": random_uscc()}, "uscc"),
        ({"status": "active"}, "status"),  # the lifecycle has its own door
    ]  # fmt: skip


def test_values_too_long_or_malformed_are_refused_naming_the_field(api: Api) -> None:
    url = _open(api)
    for fields, named in _bad_values(api):
        refused = api.client.patch(url, json={"reason": "核对", **fields})
        assert refused.status_code == 422, (fields, refused.text)
        assert named in refused.json()["detail"], (fields, refused.text)
    assert api.client.get(f"{url}/history").json()["total"] == 0
    # Opening a file checks the same values.
    tomorrow = (api.backends.today() + timedelta(days=1)).isoformat()
    body = {"name": "甲", "uscc": random_uscc(), "founded_on": tomorrow}
    refused = api.client.post("/api/v1/customers", json=body)
    assert refused.status_code == 422
    assert refused.json()["detail"].startswith("founded_on: in the future")


@pytest.mark.parametrize("path", ["", "/history", "/status"])
def test_ids_that_are_not_uuids_are_not_found(api: Api, path: str) -> None:
    for bad in ("not-a-uuid", "12345", "00000000-0000-0000-0000-00000000000g"):
        for method in ("GET", "PATCH", "PUT"):
            response = api.client.request(method, f"/api/v1/customers/{bad}{path}")
            assert response.status_code in (404, 405), (method, bad, path)
            if response.status_code == 404:
                assert response.json()["error"] == "not_found"


def test_who_may_edit_follows_the_policy_s_update_right(api: Api, cast: Cast) -> None:
    url = _open(api)
    credit = cast.add("credit", "credit_manager")
    assert _change(credit, url, address="甲路1号")["address"] == "甲路1号"
    assert _change(cast["head"], url, address="乙路2号")["address"] == "乙路2号"
    for who in ("seller", "manager", "director", "auditor"):
        refused = cast[who].patch(url, json={"address": "丙路3号", "reason": "核对"})
        assert refused.status_code == 403, who
    # Anyone who may read the customer reads its history.
    for who in ("seller", "director", "auditor"):
        assert cast[who].get(f"{url}/history").json()["total"] == 2, who
