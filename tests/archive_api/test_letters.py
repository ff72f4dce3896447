"""Correspondence keeps its channel, direction, sender, recipient and date; a collection letter
its escalation level (004 附件四); each set at upload, corrected after, found by search."""

from __future__ import annotations

from typing import Any

from tests.archive_api.conftest import Api, Cast, audit_events
from tests.factories import fake_file


def _send(api: Api, customer: str, **fields: str) -> Any:
    return api.client.post(
        f"/api/v1/customers/{customer}/documents",
        data={"title": "函件", **fields},
        files={"file": ("letter.pdf", fake_file("pdf", 2500), "application/pdf")},
    )


def _letter(api: Api, customer: str, **fields: str) -> dict[str, Any]:
    response = _send(api, customer, **fields)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _found(api: Api, **params: Any) -> list[str]:
    page = api.client.get("/api/v1/documents", params=params).json()
    return sorted(d["id"] for d in page["items"])


def test_a_letters_details_are_kept_shown_and_searched(api: Api) -> None:
    customer = api.customer()
    fax = _letter(
        api, customer, doc_type="correspondence", channel="fax", direction="incoming",
        sender="遵义酒业 财务部 王芳", recipient="销售一部", issued_on="2026-10-08",
    )  # fmt: skip
    call = _letter(api, customer, doc_type="correspondence", channel="phone", direction="outgoing")
    third = _letter(
        api, customer, doc_type="collection_letter", channel="letter", direction="outgoing",
        escalation_level="3", recipient="遵义酒业",
    )  # fmt: skip
    last = _letter(api, customer, doc_type="collection_letter", escalation_level="5")
    detail = api.client.get(f"/api/v1/documents/{fax['id']}").json()
    assert (detail["channel"], detail["direction"]) == ("fax", "incoming")
    assert (detail["sender"], detail["recipient"]) == ("遵义酒业 财务部 王芳", "销售一部")
    assert (detail["issued_on"], detail["escalation_level"]) == ("2026-10-08", None)
    assert third["escalation_level"] == 3

    assert _found(api, customer_id=customer, channel="fax") == [fax["id"]]
    assert _found(api, customer_id=customer, direction="outgoing") == sorted(
        [call["id"], third["id"]]
    )
    assert _found(api, customer_id=customer, escalation_level=5) == [last["id"]]
    assert _found(api, customer_id=customer, doc_type="correspondence", channel="letter") == []
    bad = api.client.get("/api/v1/documents", params={"escalation_level": 6})
    assert bad.status_code == 422
    assert "escalation_level" in bad.json()["detail"]
    assert api.client.get("/api/v1/documents", params={"channel": "pigeon"}).status_code == 422

    # The upload's event carries the letter's codes, never the names of its people.
    uploads = [e for e in audit_events(api.backends) if e["action"] == "document:file:upload"]
    [event] = [e for e in uploads if e["target"]["document"] == fax["id"]]
    assert event["letter"] == {
        "channel": "fax", "direction": "incoming", "sender": True, "recipient": True,
    }  # fmt: skip
    assert "王芳" not in str(event)
    searches = [e for e in audit_events(api.backends) if e["action"] == "document:metadata:search"]
    assert any(e["filter"].get("escalation_level") == "5" for e in searches)


def test_a_field_another_type_does_not_keep_is_refused_by_name(api: Api) -> None:
    customer = api.customer()
    for fields, named in (
        ({"doc_type": "contract", "channel": "fax"}, "channel"),
        ({"doc_type": "business_license", "sender": "某人"}, "sender"),
        ({"doc_type": "correspondence", "escalation_level": "2"}, "escalation_level"),
        ({"doc_type": "collection_letter", "escalation_level": "6"}, "escalation_level"),
        ({"doc_type": "collection_letter", "escalation_level": "0"}, "escalation_level"),
        ({"doc_type": "correspondence", "channel": "pigeon"}, "channel"),
        ({"doc_type": "correspondence", "direction": "sideways"}, "direction"),
        ({"doc_type": "correspondence", "recipient": "长" * 201}, "recipient"),
    ):
        response = _send(api, customer, **fields)
        assert response.status_code == 422, (fields, response.text)
        assert response.json()["detail"].startswith(named), response.json()
    # Nothing refused was kept.
    assert _found(api, customer_id=customer) == []


def test_a_letters_details_are_corrected_with_the_change_audited(api: Api, cast: Cast) -> None:
    customer = api.customer()
    letter = _letter(
        api, customer, doc_type="collection_letter", channel="fax", escalation_level="2",
        sender="信用管理部", issued_on="2026-10-01",
    )  # fmt: skip
    url = f"/api/v1/documents/{letter['id']}"
    change = {"escalation_level": 4, "channel": "letter", "sender": None}
    change["reason"] = "寄出的是第四封"
    response = api.client.patch(url, json=change)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["escalation_level"], body["channel"], body["sender"]) == (4, "letter", None)
    assert body["issued_on"] == "2026-10-01"  # not sent, not changed
    assert api.client.get(url).json()["escalation_level"] == 4
    [event] = [e for e in audit_events(api.backends) if e["action"] == "document:metadata:update"]
    assert event["fields"] == ["channel", "sender", "escalation_level"]
    assert event["changes"] == {"channel": ["fax", "letter"], "escalation_level": [2, 4]}
    assert event["reason"] == "寄出的是第四封"
    assert "信用管理部" not in str(event)
    # The date is the letter's date.
    moved = api.client.patch(url, json={"issued_on": "2026-10-03"})
    assert moved.json()["issued_on"] == "2026-10-03"

    for wrong, named in (
        ({"escalation_level": 6}, "escalation_level"),
        ({"channel": "pigeon"}, "channel"),
        ({"title": "改名"}, "title"),
        ({"reason": "只有理由"}, "request"),
        ({}, "request"),
    ):
        refused = api.client.patch(url, json=wrong)
        assert refused.status_code == 422, (wrong, refused.text)
        assert refused.json()["detail"].startswith(named), refused.json()
    # A plain letter keeps no level; a contract keeps no letter details at all.
    plain = _letter(api, customer, doc_type="correspondence")
    level = api.client.patch(f"/api/v1/documents/{plain['id']}", json={"escalation_level": 1})
    assert level.status_code == 422
    assert level.json()["detail"].startswith("escalation_level")
    contract = _letter(api, customer, doc_type="contract")
    other = api.client.patch(f"/api/v1/documents/{contract['id']}", json={"channel": "fax"})
    assert other.status_code == 422
    assert other.json()["detail"].startswith("doc_type")
    # Those who keep the file correct it; a salesperson who reads it does not.
    assert cast["seller"].patch(url, json={"escalation_level": 5}).status_code == 403
    assert cast["head"].patch(url, json={"escalation_level": 5}).status_code == 200
    assert api.client.get(url).json()["escalation_level"] == 5
