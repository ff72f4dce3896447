"""Secrecy proposals (004 §5.1.5): proposed with a reason by those who collect the file, decided
by a department head or the marketing director, never by the proposer; important customers
(004 §4.1.2) marked with a reason and listed apart."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.archive_api.conftest import USER_PASSWORD, Api, Cast, add_user, audit_events, sign_in
from tests.factories import fake_file

WHY = "含客户银行账户信息 holds bank accounts"


def _document(api: Api, customer: str, level: str) -> str:
    response = api.client.post(
        f"/api/v1/customers/{customer}/documents",
        data={"doc_type": "bank_reference", "title": "银行资信证明", "secrecy": level},
        files={"file": ("b.pdf", fake_file("pdf", 2400), "application/pdf")},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _propose(client: TestClient, url: str, level: str, reason: str = WHY) -> Any:
    return client.post(f"{url}/secrecy-proposals", json={"secrecy": level, "reason": reason})


def _decide(client: TestClient, proposal: str, approve: bool, reason: str | None = None) -> Any:
    body = {"approve": approve, "reason": reason}
    return client.post(f"/api/v1/secrecy-proposals/{proposal}/decision", json=body)


def _pending(client: TestClient) -> set[str]:
    page = client.get("/api/v1/secrecy-proposals", params={"status": "pending"}).json()
    return {p["id"] for p in page["items"]}


def test_a_raised_level_is_proposed_by_sales_and_applied_when_the_head_approves(
    api: Api, cast: Cast
) -> None:
    document = _document(api, api.customer(), "internal")
    url = f"/api/v1/documents/{document}"
    made = _propose(cast["seller"], url, "confidential")
    assert made.status_code == 201, made.text
    proposal = made.json()
    assert (proposal["status"], proposal["current"], proposal["proposed"]) == (
        "pending", "internal", "confidential",
    )  # fmt: skip
    assert proposal["proposed_by"] == "seller"
    # One at a time per document; a reason always; the level it already has is no proposal.
    assert _propose(cast["seller"], url, "secret").status_code == 409
    assert _propose(cast["manager"], url, "internal").json()["detail"].startswith("secrecy")
    missing = cast["seller"].post(f"{url}/secrecy-proposals", json={"secrecy": "secret"})
    assert missing.status_code == 422
    assert missing.json()["detail"].startswith("reason")
    # Leadership decides, those who propose do not; approvers do not propose.
    assert proposal["id"] in _pending(cast["head"])
    assert _decide(cast["seller"], proposal["id"], True).status_code == 403
    assert _propose(cast["head"], url, "secret").status_code == 403
    approved = _decide(cast["head"], proposal["id"], True)
    assert approved.status_code == 200, approved.text
    assert (approved.json()["status"], approved.json()["decided_by"]) == ("approved", "head")
    assert api.client.get(url).json()["secrecy"] == "confidential"
    assert proposal["id"] not in _pending(cast["head"])
    assert _decide(cast["director"], proposal["id"], False, "晚了").status_code == 409
    events = audit_events(api.backends)
    [event] = [
        e for e in events if e["action"] == "secrecy:proposal:approve" and e["outcome"] == "success"
    ]
    # The proposer's attempt was refused, and recorded as such.
    assert any(
        e["action"] == "secrecy:proposal:approve" and e["outcome"] != "success" for e in events
    )
    assert (event["before"], event["proposed"]) == ("internal", "confidential")
    assert event["target"]["document"] == document


def test_the_proposer_never_decides_even_holding_an_approving_role(api: Api, cast: Cast) -> None:
    add_user(api.admin, "both", api.department, "secret", "sales", "dept_head")
    both = TestClient(api.client.app)
    sign_in(both, "both", USER_PASSWORD)
    document = _document(api, api.customer(), "internal")
    proposal = _propose(both, f"/api/v1/documents/{document}", "secret").json()["id"]
    refused = _decide(both, proposal, True)
    assert refused.status_code == 403
    assert refused.json()["reason"] == "own_proposal"
    assert _decide(cast["head"], proposal, True).status_code == 200


def test_lowering_and_refusing_need_a_reason_and_a_stale_proposal_is_not_applied(
    api: Api, cast: Cast
) -> None:
    customer = api.customer()
    document = _document(api, customer, "secret")
    url = f"/api/v1/documents/{document}"
    lower = _propose(cast["seller"], url, "internal").json()["id"]
    no_reason = _decide(cast["head"], lower, True)
    assert no_reason.status_code == 422
    assert no_reason.json()["detail"].startswith("reason")
    assert _decide(cast["head"], lower, False).status_code == 422
    assert (
        _decide(cast["head"], lower, True, "合同已公开 the contract is public").status_code == 200
    )
    assert api.client.get(url).json()["secrecy"] == "internal"
    # Refused with a reason: nothing changes, the reason is kept.
    raise_ = _propose(cast["seller"], url, "confidential").json()["id"]
    refused = _decide(cast["director"], raise_, False, "无须 not needed")
    assert (refused.json()["status"], refused.json()["decision_reason"]) == (
        "refused",
        "无须 not needed",
    )
    assert api.client.get(url).json()["secrecy"] == "internal"
    # A level changed directly since the proposal: deciding on the old one is refused.
    stale = _propose(cast["seller"], url, "confidential").json()["id"]
    moved = api.client.patch(f"{url}/secrecy", json={"secrecy": "secret"})
    assert moved.status_code == 200
    assert _decide(cast["head"], stale, True).status_code == 409
    assert api.client.get(url).json()["secrecy"] == "secret"


def test_nobody_learns_of_a_document_above_their_clearance_through_a_proposal(
    api: Api, cast: Cast
) -> None:
    customer = api.customer()
    hidden = _document(api, customer, "secret")
    shown = _document(api, customer, "internal")
    on_hidden = _propose(cast["seller"], f"/api/v1/documents/{hidden}", "confidential").json()
    on_shown = _propose(cast["seller"], f"/api/v1/documents/{shown}", "secret").json()
    # The sales manager's clearance is confidential.
    manager = cast["manager"]
    assert _pending(manager) == {on_shown["id"]}
    page = manager.get("/api/v1/secrecy-proposals").json()
    assert page["total"] == 1
    unseen = manager.get(f"/api/v1/secrecy-proposals/{on_hidden['id']}")
    assert unseen.status_code == 404
    assert unseen.json()["detail"] == "no such proposal"
    # Nobody proposes a level they could not see again.
    assert _propose(manager, f"/api/v1/documents/{shown}", "confidential").status_code == 409
    other = _document(api, customer, "internal")
    above = _propose(manager, f"/api/v1/documents/{other}", "secret")
    assert above.status_code == 403
    # Once raised above their clearance, the proposal goes from their list with the document.
    assert _decide(cast["head"], on_shown["id"], True).status_code == 200
    assert manager.get("/api/v1/secrecy-proposals").json()["total"] == 0
    assert manager.get(f"/api/v1/secrecy-proposals/{on_shown['id']}").status_code == 404
    assert manager.get(f"/api/v1/documents/{shown}").status_code == 404
    # Another department's head knows nothing of them.
    _, elsewhere = api.archivist_elsewhere()
    assert elsewhere.get("/api/v1/secrecy-proposals").json()["total"] == 0


def test_a_customers_own_level_is_proposed_and_kept_in_its_history(api: Api, cast: Cast) -> None:
    customer = api.customer()
    url = f"/api/v1/customers/{customer}"
    proposal = _propose(api.client, url, "confidential").json()  # the archivist proposes
    assert proposal["document_id"] is None
    assert proposal["customer_id"] == customer
    assert _decide(cast["director"], proposal["id"], True).status_code == 200
    assert api.client.get(url).json()["secrecy"] == "confidential"
    newest = api.client.get(f"{url}/history").json()["items"][0]
    assert (newest["kind"], newest["reason"]) == ("secrecy", WHY)
    assert newest["changes"] == [
        {"field": "secrecy", "before": "internal", "after": "confidential"}
    ]


def test_an_important_customer_is_marked_with_a_reason_and_listed_apart(
    api: Api, cast: Cast
) -> None:
    important, plain = api.customer("遵义重要客户有限公司"), api.customer("遵义一般客户有限公司")
    url = f"/api/v1/customers/{important}/important"
    mark = {"important": True, "reason": "连续三年合同额超过标准 (004 §2.3)"}
    assert cast["seller"].put(url, json=mark).status_code == 403
    assert api.client.put(url, json=mark).status_code == 403  # archivists keep, heads decide
    assert cast["head"].put(url, json={"important": True}).status_code == 422
    marked = cast["head"].put(url, json=mark)
    assert marked.status_code == 200, marked.text
    assert marked.json()["important"] is True
    listed = api.client.get("/api/v1/customers", params={"important": "true"}).json()
    assert [c["id"] for c in listed["items"]] == [important]
    others = api.client.get("/api/v1/customers", params={"important": "false"}).json()
    assert plain in {c["id"] for c in others["items"]}
    assert important not in {c["id"] for c in others["items"]}
    history = api.client.get(f"/api/v1/customers/{important}/history").json()["items"][0]
    assert (history["kind"], history["changed_by_name"]) == ("important", "head")
    marks = [e for e in audit_events(api.backends) if e["action"] == "customer:important:change"]
    [event] = [e for e in marks if e["outcome"] == "success"]
    assert (event["important"], event["reason"]) == (True, mark["reason"])
    unmark = {"important": False, "reason": "合作终止"}
    assert cast["director"].put(url, json=unmark).json()["important"] is False
