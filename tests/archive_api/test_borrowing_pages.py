"""What the borrowing pages read: names, the approval chain with who is awaited, the terms a
request would go by, stable reasons for refusals, and incidents one page at a time."""

from __future__ import annotations

from tests.archive_api.conftest import Api, Cast, ask
from tests.factories import fake_file, sample_pdf


def test_a_borrowing_names_its_people_documents_and_who_is_awaited(api: Api, cast: Cast) -> None:
    customer = api.customer("遵义名字有限公司")
    document = str(api.upload(customer, sample_pdf(), title="营业执照 正本")["id"])
    api.client.patch(f"/api/v1/documents/{document}/secrecy", json={"secrecy": "secret"})
    cast.add("head2", "dept_head", "internal", display_name="低密级主任")
    asked = ask(cast["seller"], document, customer, purpose="核对 check")
    assert asked.status_code == 201, asked.text
    borrowing = asked.json()
    assert borrowing["customer_name"] == "遵义名字有限公司"
    assert borrowing["requester_id"] == cast.ids["seller"]
    assert borrowing["requester_name"]
    assert borrowing["documents"] == [
        {"id": document, "title": "营业执照 正本", "doc_type": "business_license"}
    ]
    assert borrowing["approver_roles"] == ["dept_head", "archivist"]
    # The head of secret clearance is awaited; the head cleared below the material is not.
    assert [p["id"] for p in borrowing["awaited"]] == [cast.ids["head"]]
    assert (borrowing["longest_hours"], borrowing["same_day"]) == (8, True)

    url = f"/api/v1/borrowings/{borrowing['id']}"
    approved = cast["head"].post(f"{url}/approve", json={"reason": "同意"}).json()
    [step] = approved["approvals"]
    assert (step["approver_id"], step["role"], step["approved"]) == (
        cast.ids["head"],
        "dept_head",
        True,
    )
    assert step["approver_name"]
    assert approved["waiting_for"] == "archivist"
    archivists = [p["id"] for p in approved["awaited"]]
    assert archivists
    assert cast.ids["head"] not in archivists
    done = api.client.post(f"{url}/approve").json()
    assert (done["status"], done["awaited"]) == ("approved", [])


def test_the_terms_of_a_request_are_told_before_it_is_sent(api: Api, cast: Cast) -> None:
    customer = api.customer()
    document = str(api.upload(customer, sample_pdf())["id"])
    terms = cast["manager"].get(
        "/api/v1/borrowings/terms", params={"customer_id": customer, "document_ids": [document]}
    )
    assert terms.status_code == 200, terms.text
    assert terms.json() == {
        "rule": "sales-manager-own-department",
        "approver_roles": ["dept_head"],
        "modes": ["view"],
        "longest_hours": 8,
        "same_day": True,
        "secrecy": "internal",
    }
    whole = cast["seller"].get("/api/v1/borrowings/terms", params={"customer_id": customer})
    assert whole.json()["modes"] == ["download", "physical", "view"]
    assert whole.json()["longest_hours"] == 72
    outside = cast["seller"].get(
        "/api/v1/borrowings/terms", params={"customer_id": customer, "external": "true"}
    )
    assert outside.json()["approver_roles"] == ["dept_head", "marketing_director"]
    # The auditor may not borrow at all: refused with a reason the UI can say.
    refused = cast["auditor"].get("/api/v1/borrowings/terms", params={"customer_id": customer})
    assert refused.status_code in (403, 404)


def test_refusals_carry_a_reason_a_page_can_say(api: Api, cast: Cast) -> None:
    customer = api.customer()
    document = str(api.upload(customer, sample_pdf())["id"])
    too_long = ask(cast["manager"], document, customer, hours=9)
    assert (too_long.status_code, too_long.json()["reason"]) == (422, "hours_too_long")
    mode = ask(cast["manager"], document, customer, mode="download")
    assert (mode.status_code, mode.json()["reason"]) == (422, "mode_not_allowed")
    paper = ask(cast["seller"], document, customer, mode="physical")
    assert (paper.status_code, paper.json()["reason"]) == (422, "no_paper_original")
    asked = ask(cast["seller"], document, customer).json()
    url = f"/api/v1/borrowings/{asked['id']}"
    own = cast["seller"].post(f"{url}/approve")
    assert (own.status_code, own.json()["reason"]) == (403, "own_request")
    wrong = cast["director"].post(f"{url}/approve")
    assert (wrong.status_code, wrong.json()["reason"]) == (403, "not_an_approver")
    bare = cast["head"].post(f"{url}/reject", json={})
    assert (bare.status_code, bare.json()["reason"]) == (422, "reason_required")
    no_grant = cast["seller"].get(f"/api/v1/documents/{document}/pages/1")
    assert (no_grant.status_code, no_grant.json()["reason"]) == (403, "no_open_borrowing")
    rejected = cast["head"].post(f"{url}/reject", json={"reason": "用途不明 unclear"})
    assert rejected.json()["status"] == "rejected"
    again = cast["seller"].post(f"{url}/return")
    assert (again.status_code, again.json()["reason"]) == (409, "borrowing_state")


def test_incidents_come_one_page_at_a_time_with_their_names(api: Api, cast: Cast) -> None:
    customer = api.customer("丢失原件有限公司")
    place = {"cabinet": "A-01", "shelf": "2", "box": "17"}
    numbers = []
    for title in ("担保函 正本", "合同 正本"):
        document = str(api.upload(customer, fake_file("pdf", 4000), title=title)["id"])
        api.client.put(f"/api/v1/documents/{document}/original", json=place)
        asked = ask(cast["seller"], document, customer, mode="physical").json()
        url = f"/api/v1/borrowings/{asked['id']}"
        assert cast["head"].post(f"{url}/approve").status_code == 200
        assert api.client.post(f"{url}/hand-out").status_code == 200
        assert api.client.post(f"{url}/missing", json={"reason": "未归还"}).status_code == 200
        numbers.append(asked["number"])
    first = api.client.get("/api/v1/incidents?limit=1").json()
    assert (first["total"], first["limit"], first["offset"]) == (2, 1, 0)
    [newest] = first["items"]
    assert (newest["customer_name"], newest["document_title"]) == ("丢失原件有限公司", "合同 正本")
    assert newest["borrowing_number"] == numbers[1]
    assert newest["reported_by_name"]
    second = api.client.get("/api/v1/incidents?limit=1&offset=1").json()
    assert second["items"][0]["document_title"] == "担保函 正本"
