"""Legal holds and the disposal list, judged on a fixed clock: what has passed its retention is
due unless a hold (on it, its contract or its customer) keeps it; holds are set and lifted with
reasons by archivists and department heads only, audited, and kept as history."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from tests.archive_api.conftest import USER_PASSWORD, Api, Cast, add_user, sign_in
from tests.factories import fake_file, random_uscc

LIST = "/api/v1/retention/disposal-list"


def _at(api: Api, when: datetime) -> None:
    """Fix the archive's clock: every retention is judged as of that moment."""
    api.backends.clock = lambda: when


def _upload(api: Api, customer: str, title: str, **fields: str) -> str:
    body = api.upload(customer, fake_file("pdf", 1500), title=title, **fields)
    return str(body["id"])


def _listed(client: TestClient, state: str = "due", **params: Any) -> dict[str, dict[str, Any]]:
    response = client.get(LIST, params={"state": state, "limit": 500, **params})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"])
    return {item["title"]: item for item in body["items"]}


def _events(api: Api, action: str) -> list[dict[str, Any]]:
    auditor = TestClient(api.client.app)
    if "auditor-r" not in {
        u["username"] for u in api.admin.get("/api/v1/admin/users").json()["items"]
    }:
        add_user(api.admin, "auditor-r", None, "secret", "auditor", company_wide=True)
    sign_in(auditor, "auditor-r", USER_PASSWORD)
    found = auditor.get("/api/v1/audit/events", params={"action": action, "limit": 1000})
    assert found.status_code == 200, found.text
    return [e["event"] for e in found.json()["items"]]


class File:
    """A customer's file: a letter of 2020 (5 years), a contract whose term ended in 2030 and
    one with no term end recorded (10 years after the term), a statement of 2035 (10 years)."""

    def __init__(self, api: Api, name: str = "遵义档案有限公司") -> None:
        self.customer = api.customer(name)
        self.letter = _upload(
            api, self.customer, "往来函 2020", doc_type="correspondence", issued_on="2020-01-15"
        )
        self.contract = _upload(
            api, self.customer, "购销合同 HT-1", doc_type="contract", issued_on="2020-01-01",
            expires_on="2030-12-31", contract_no="HT-1",
        )  # fmt: skip
        self.change = _upload(
            api, self.customer, "变更协议 HT-1", doc_type="contract", issued_on="2021-03-01",
            expires_on="2030-12-31", contract_no="HT-1",
        )  # fmt: skip
        self.open_contract = _upload(
            api, self.customer, "框架合同 HT-2", doc_type="contract", issued_on="2020-01-01",
            contract_no="HT-2",
        )  # fmt: skip
        self.statement = _upload(
            api, self.customer, "年报 2025", doc_type="financial_statement", issued_on="2025-12-31"
        )


def test_what_has_passed_its_retention_is_due_as_of_the_clock(api: Api) -> None:
    file = File(api)
    _at(api, datetime(2034, 6, 1, 4, tzinfo=UTC))
    due = _listed(api.client)
    assert set(due) == {"往来函 2020"}
    letter = due["往来函 2020"]
    assert (letter["trigger"], letter["trigger_on"], letter["years"]) == ("issued", "2020-01-15", 5)
    assert letter["due_on"] == "2025-01-15"
    assert letter["holds"] == []
    # A contract without its term end is never due: its date is missing, not guessed.
    undated = _listed(api.client, "undated")
    assert set(undated) == {"框架合同 HT-2"}
    assert undated["框架合同 HT-2"]["due_on"] is None
    # The contract's term ended 2030-12-31: due ten years after, on the day and not before.
    _at(api, datetime(2040, 12, 30, 15, 59, tzinfo=UTC))  # 23:59 on the 30th in Shanghai
    assert set(_listed(api.client)) == {"往来函 2020", "年报 2025"}
    _at(api, datetime(2040, 12, 30, 16, 0, tzinfo=UTC))  # midnight of the 31st in Shanghai
    due = _listed(api.client)
    assert set(due) == {"往来函 2020", "年报 2025", "购销合同 HT-1", "变更协议 HT-1"}
    assert due["购销合同 HT-1"]["due_on"] == "2040-12-31"
    assert due["购销合同 HT-1"]["trigger"] == "term_end"
    assert due["年报 2025"]["due_on"] == "2035-12-31"
    assert due["往来函 2020"]["document_id"] == file.letter


def test_a_hold_on_the_document_its_contract_or_its_customer_keeps_it_off_the_list(
    api: Api, cast: Cast
) -> None:
    file = File(api)
    _at(api, datetime(2034, 1, 5, tzinfo=UTC))
    assert set(_listed(api.client)) == {"往来函 2020"}
    _at(api, datetime(2041, 1, 5, tzinfo=UTC))
    assert set(_listed(api.client)) == {
        "往来函 2020",
        "年报 2025",
        "购销合同 HT-1",
        "变更协议 HT-1",
    }

    held = api.client.post(
        f"/api/v1/documents/{file.letter}/holds", json={"reason": "诉讼保全 (2040)民初字第1号"}
    )
    assert held.status_code == 201, held.text
    hold = held.json()
    assert (hold["scope"], hold["active"], hold["set_by_name"]) == ("document", True, "archivist")
    assert set(_listed(api.client)) == {"年报 2025", "购销合同 HT-1", "变更协议 HT-1"}
    kept = _listed(api.client, "held")
    assert set(kept) == {"往来函 2020"}
    assert [h["reason"] for h in kept["往来函 2020"]["holds"]] == ["诉讼保全 (2040)民初字第1号"]
    # Shown with the document and on the customer's file.
    assert [h["id"] for h in api.client.get(f"/api/v1/documents/{file.letter}/holds").json()] == [
        hold["id"]
    ]
    on_file = api.client.get(f"/api/v1/customers/{file.customer}/holds").json()
    assert [(h["scope"], h["document_title"]) for h in on_file] == [("document", "往来函 2020")]

    # A contract hold covers every document carrying the number, and nothing else.
    head = cast["head"]
    contract = head.post(
        f"/api/v1/customers/{file.customer}/holds",
        json={"scope": "contract", "contract_no": "HT-1", "reason": "合同纠纷"},
    )
    assert contract.status_code == 201, contract.text
    assert set(_listed(api.client)) == {"年报 2025"}
    assert set(_listed(api.client, "held")) == {"往来函 2020", "购销合同 HT-1", "变更协议 HT-1"}
    unknown = head.post(
        f"/api/v1/customers/{file.customer}/holds",
        json={"scope": "contract", "contract_no": "HT-404", "reason": "合同纠纷"},
    )
    assert unknown.status_code == 422
    assert "contract_no" in unknown.json()["detail"]

    # Lifting needs a reason; it is kept as history and audited.
    lift = f"/api/v1/documents/{file.letter}/holds/{hold['id']}/lift"
    assert api.client.post(lift, json={}).status_code == 422
    assert api.client.post(lift, json={"reason": "  "}).status_code == 422
    lifted = api.client.post(lift, json={"reason": "撤诉 withdrawn"})
    assert lifted.status_code == 200, lifted.text
    assert (lifted.json()["active"], lifted.json()["lift_reason"]) == (False, "撤诉 withdrawn")
    assert lifted.json()["lifted_by_name"] == "archivist"
    assert api.client.post(lift, json={"reason": "again"}).status_code == 409
    assert set(_listed(api.client)) == {"往来函 2020", "年报 2025"}
    # A document's hold is lifted only through its document, a file's through its customer.
    customer_lift = f"/api/v1/customers/{file.customer}/holds/{hold['id']}/lift"
    assert head.post(customer_lift, json={"reason": "x"}).status_code == 404

    # A hold on the whole customer keeps everything of the file.
    whole = head.post(f"/api/v1/customers/{file.customer}/holds", json={"reason": "审计调取"})
    assert whole.status_code == 201, whole.text
    assert _listed(api.client) == {}
    kept = _listed(api.client, "held")
    assert [h["scope"] for h in kept["年报 2025"]["holds"]] == ["customer"]
    assert [h["scope"] for h in kept["购销合同 HT-1"]["holds"]] == ["contract", "customer"]
    assert [h["set_by_name"] for h in kept["购销合同 HT-1"]["holds"]] == ["head", "head"]
    history = api.client.get(f"/api/v1/customers/{file.customer}/holds").json()
    assert [(h["scope"], h["active"]) for h in history] == [
        ("customer", True), ("contract", True), ("document", False)
    ]  # fmt: skip

    set_events = _events(api, "retention:hold:set")
    assert [e["reason"] for e in set_events] == [
        "诉讼保全 (2040)民初字第1号",
        "合同纠纷",
        "审计调取",
    ]
    [lift_event] = _events(api, "retention:hold:lift")
    assert lift_event["lift_reason"] == "撤诉 withdrawn"
    assert lift_event["hold"] == hold["id"]
    assert lift_event["target"]["document"] == file.letter


def test_only_archivists_and_heads_hold_and_review_and_other_departments_see_nothing(
    api: Api, cast: Cast
) -> None:
    file = File(api)
    _at(api, datetime(2041, 1, 5, tzinfo=UTC))
    reason = {"reason": "诉讼"}
    for name in ("seller", "manager", "director", "auditor"):
        client = cast[name]
        assert (
            client.post(f"/api/v1/customers/{file.customer}/holds", json=reason).status_code == 403
        )
        assert client.post(f"/api/v1/documents/{file.letter}/holds", json=reason).status_code == 403
        assert client.get(LIST).status_code == 403
    hold = cast["head"].post(f"/api/v1/documents/{file.letter}/holds", json=reason).json()
    lift = f"/api/v1/documents/{file.letter}/holds/{hold['id']}/lift"
    assert cast["seller"].post(lift, json=reason).status_code == 403
    # Everyone who may read the file sees its holds.
    assert len(cast["seller"].get(f"/api/v1/customers/{file.customer}/holds").json()) == 1

    # An archivist of another department: the same 404 as for what does not exist.
    other = api.admin.post(
        "/api/v1/admin/departments", json={"code": "sales-b", "name": "销售二部"}
    ).json()["id"]
    add_user(api.admin, "archivist-b", other, "secret", "archivist")
    stranger = TestClient(api.client.app)
    sign_in(stranger, "archivist-b", USER_PASSWORD)
    for url in (
        f"/api/v1/customers/{file.customer}/holds",
        f"/api/v1/documents/{file.letter}/holds",
        lift,
    ):
        assert stranger.post(url, json=reason).status_code == 404, url
    assert stranger.get(f"/api/v1/customers/{file.customer}/holds").status_code == 404
    assert _listed(stranger) == {}
    assert _listed(stranger, "held") == {}
    assert stranger.get(LIST, params={"department_id": api.department}).status_code == 404
    assert api.client.get(LIST, params={"department_id": other}).status_code == 404
    # Their own file is theirs to list.
    theirs = stranger.post("/api/v1/customers", json={"name": "乙公司", "uscc": random_uscc()})
    stranger.post(
        f"/api/v1/customers/{theirs.json()['id']}/documents",
        data={"doc_type": "correspondence", "title": "乙函", "issued_on": "2019-05-01"},
        files={"file": ("b.pdf", fake_file("pdf", 1200), "application/pdf")},
    )
    assert set(_listed(stranger, department_id=other)) == {"乙函"}
    assert "乙函" not in _listed(api.client)

    # Ids that are not UUIDs, and a hold of another customer, are refused.
    assert (
        api.client.post(f"/api/v1/documents/{file.letter}/holds/nope/lift", json=reason).status_code
        == 404
    )
    assert api.client.get(LIST, params={"department_id": "nope"}).status_code == 422
    assert api.client.get(LIST, params={"state": "disposed"}).status_code == 422


def test_a_document_above_the_readers_clearance_is_neither_listed_nor_named_by_a_hold(
    api: Api, cast: Cast
) -> None:
    customer = api.customer()
    secret = _upload(
        api, customer, "绝密函件", doc_type="correspondence", issued_on="2019-01-01",
        secrecy="secret", contract_no="HT-S",
    )  # fmt: skip
    _at(api, datetime(2041, 1, 5, tzinfo=UTC))
    assert (
        api.client.post(f"/api/v1/documents/{secret}/holds", json={"reason": "保全"}).status_code
        == 201
    )
    api.client.post(
        f"/api/v1/customers/{customer}/holds",
        json={"scope": "contract", "contract_no": "HT-S", "reason": "保全"},
    )
    low = cast.add("low-head", "dept_head", "confidential")
    assert low.get(f"/api/v1/documents/{secret}/holds").status_code == 404
    shown = low.get(f"/api/v1/customers/{customer}/holds")
    assert shown.status_code == 200
    assert shown.json() == []
    assert "绝密函件" not in _listed(low, "held")
    assert "绝密函件" not in _listed(low)
    refused = low.post(
        f"/api/v1/customers/{customer}/holds",
        json={"scope": "contract", "contract_no": "HT-S", "reason": "保全"},
    )
    assert refused.status_code == 422  # as if no document carried it


def test_a_document_without_its_date_counts_from_its_upload_day_in_the_companys_zone(
    api: Api,
) -> None:
    customer = api.customer()
    letter = api.upload(
        customer, fake_file("pdf", 1300), doc_type="correspondence", title="无日期函"
    )
    stored = datetime.fromisoformat(str(letter["created_at"]))
    day = stored.astimezone(ZoneInfo("Asia/Shanghai")).date()
    due = day.replace(year=day.year + 5) if (day.month, day.day) != (2, 29) else None
    assert due is not None  # a test run on 29 February would need its own case
    midnight = datetime.combine(due, time(), ZoneInfo("Asia/Shanghai"))
    _at(api, midnight - timedelta(minutes=1))
    assert "无日期函" not in _listed(api.client)
    _at(api, midnight)
    item = _listed(api.client)["无日期函"]
    assert (item["trigger"], item["trigger_on"], item["due_on"]) == (
        "uploaded", day.isoformat(), due.isoformat(),
    )  # fmt: skip
