"""Opening and finding customer files."""

from __future__ import annotations

import uuid

from tests.archive_api.conftest import Api, add_user
from tests.factories import random_uscc


def test_create_read_and_search_a_customer(api: Api) -> None:
    name = f"深圳{uuid.uuid4().hex[:6]}电子有限公司"
    code = random_uscc()
    created = api.client.post(
        "/api/v1/customers", json={"name": name, "uscc": code, "category": "new"}
    )
    assert created.status_code == 201, created.text
    customer = created.json()
    assert customer["name"] == name
    assert customer["uscc"] == code
    assert api.client.get(f"/api/v1/customers/{customer['id']}").json() == customer

    for q in (name[2:8], code, code.lower()):
        page = api.client.get("/api/v1/customers", params={"q": q}).json()
        assert [c["id"] for c in page["items"]] == [customer["id"]], q
        assert page["total"] == 1


def test_a_wrong_check_character_is_a_422_that_says_so(api: Api) -> None:
    code = random_uscc()
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    response = api.client.post("/api/v1/customers", json={"name": "某公司", "uscc": wrong})
    assert response.status_code == 422
    assert "uscc" in response.json()["detail"]
    assert "check character" in response.json()["detail"]


def test_malformed_codes_are_refused_with_the_reason(api: Api) -> None:
    cases = (("9152000021443414", "18 characters"), ("91520000214434146O", "without I, O"))
    for code, reason in cases:
        response = api.client.post("/api/v1/customers", json={"name": "某公司", "uscc": code})
        assert response.status_code == 422
        assert reason in response.json()["detail"]


def test_the_same_code_twice_is_a_conflict(api: Api) -> None:
    code = random_uscc()
    assert (
        api.client.post("/api/v1/customers", json={"name": "甲", "uscc": code}).status_code == 201
    )
    again = api.client.post("/api/v1/customers", json={"name": "乙", "uscc": code})
    assert again.status_code == 409
    # The particular case has its own stable name, which the web UI says in Chinese.
    assert again.json()["error"] == "conflict"
    assert again.json()["reason"] == "uscc_taken"


def test_an_unknown_customer_is_404(api: Api) -> None:
    response = api.client.get(f"/api/v1/customers/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_a_missing_name_is_named(api: Api) -> None:
    response = api.client.post("/api/v1/customers", json={"uscc": random_uscc()})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("name")


def test_a_new_customer_is_kept_only_by_someone_who_can_see_it(api: Api) -> None:
    other = api.admin.post("/api/v1/admin/departments", json={"code": "b", "name": "B"}).json()
    outsider = add_user(api.admin, "outsider", other["id"], "secret", "sales")
    low = add_user(api.admin, "low", api.department, "internal", "sales")
    gone = add_user(api.admin, "gone", api.department, "secret", "sales")
    api.admin.patch(f"/api/v1/admin/users/{gone}", json={"status": "disabled"})
    cases = [
        (outsider, "internal", "custodian_id: not in the customer's department"),
        (low, "confidential", "custodian_id: not cleared for the customer's secrecy"),
        (gone, "internal", "custodian_id: not an active user"),
        (str(uuid.uuid4()), "internal", "custodian_id: not an active user"),
    ]
    for custodian, secrecy, problem in cases:
        body = {
            "name": "某公司",
            "uscc": random_uscc(),
            "custodian_id": custodian,
            "secrecy": secrecy,
        }
        refused = api.client.post("/api/v1/customers", json=body)
        assert (refused.status_code, refused.json()["detail"]) == (422, problem), custodian
    body = {"name": "某公司", "uscc": random_uscc(), "custodian_id": low, "secrecy": "internal"}
    kept = api.client.post("/api/v1/customers", json=body)
    assert (kept.status_code, kept.json()["custodian_id"]) == (201, low)
