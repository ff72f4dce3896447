"""Searching the archive by words in documents' text and metadata, within what may be seen."""

from __future__ import annotations

import io
import uuid
from typing import Any

from fastapi.testclient import TestClient
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from archive_api.extractor import Indexer
from storage.db import unit_of_work
from storage.models import DocumentText
from tests.archive_api.conftest import USER_PASSWORD, Api, Cast, add_user, ask, sign_in
from tests.statements import FONT

CONTRACT = ("本合同约定借款人应缴纳保证金人民币伍拾万元。", "如發生逾期，按日計收罰息。")


def text_pdf(*lines: str) -> bytes:
    """A one-page PDF with a text layer of the lines, in a CJK font."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setFont(FONT, 11)
    for n, line in enumerate(lines):
        canvas.drawString(50, 780 - 20 * n, line)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def index_all(api: Api) -> int:
    """Run the indexer until no text job waits; how many it took."""
    return sum(1 for _ in iter(Indexer(api.backends).run_once, False))


def found(client: TestClient, **params: Any) -> dict[str, Any]:
    """The search's answer, failing on anything but 200."""
    response = client.get("/api/v1/search", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def ids(body: dict[str, Any]) -> set[str]:
    return {hit["document"]["id"] for hit in body["items"]}


def _contract(api: Api, customer: str, *lines: str, **fields: str) -> str:
    document = api.upload(
        customer, text_pdf(*lines), doc_type="contract", title="借款合同", **fields
    )
    return str(document["id"])


def test_words_of_the_text_find_the_document_in_either_script(api: Api) -> None:
    customer = api.customer()
    document = _contract(api, customer, *CONTRACT, issued_on="2024-05-01")
    assert found(api.client, q="保证金")["total"] == 0  # not read yet
    assert index_all(api) == 1
    hit = found(api.client, q="保证金")
    assert ids(hit) == {document}
    assert "保证金" in hit["items"][0]["snippet"]  # an archivist reads content
    assert ids(found(api.client, q="发生逾期")) == {document}  # printed traditional
    assert found(api.client, q="保证金 租赁")["total"] == 0  # every word must match
    assert hit["by_type"] == [{"value": "contract", "count": 1}]
    assert hit["by_year"] == [{"value": "2024", "count": 1}]


def test_a_salesperson_without_a_borrowing_sees_no_snippet(api: Api, cast: Cast) -> None:
    customer = api.customer()
    document = _contract(api, customer, *CONTRACT)
    index_all(api)
    seller = cast["seller"]
    [hit] = found(seller, q="保证金")["items"]
    assert (hit["document"]["id"], hit["snippet"]) == (document, None)
    borrowing = ask(seller, document, customer).json()
    approved = cast["head"].post(f"/api/v1/borrowings/{borrowing['id']}/approve")
    assert approved.json()["status"] == "approved", approved.text
    [hit] = found(seller, q="保证金")["items"]
    assert "保证金" in hit["snippet"]  # the open borrowing covers it


def test_a_secret_documents_words_find_nothing(api: Api) -> None:
    customer = api.customer()
    _contract(api, customer, "绝密文件载明抵押物清单。", secrecy="secret")
    assert index_all(api) == 0  # never queued
    assert found(api.client, q="抵押物")["total"] == 0


def test_a_new_version_replaces_the_text_and_a_raised_secrecy_removes_it(api: Api) -> None:
    customer = api.customer()
    document = _contract(api, customer, *CONTRACT)
    index_all(api)
    again = api.client.post(
        f"/api/v1/documents/{document}/versions",
        files={"file": ("v2.pdf", text_pdf("补充协议：展期六个月。"), "application/pdf")},
    )
    assert again.status_code == 201, again.text
    assert index_all(api) == 1
    assert found(api.client, q="保证金")["total"] == 0
    assert ids(found(api.client, q="展期")) == {document}
    raised = api.client.patch(f"/api/v1/documents/{document}/secrecy", json={"secrecy": "secret"})
    assert raised.status_code == 200, raised.text
    assert found(api.client, q="展期")["total"] == 0  # at once, before the indexer's round
    Indexer(api.backends).round()
    with unit_of_work(api.backends.sessions) as session:
        assert (
            session.scalar(
                select(DocumentText).where(DocumentText.document_id == uuid.UUID(document))
            )
            is None
        )


def test_a_changed_secrecy_takes_the_text_into_or_out_of_a_salespersons_search(
    api: Api, cast: Cast
) -> None:
    junior = cast.add("junior", "sales", "internal")
    document = _contract(api, api.customer(), *CONTRACT, secrecy="confidential")
    index_all(api)
    assert found(junior, q="保证金")["total"] == 0

    def change(level: str) -> None:
        changed = api.client.patch(
            f"/api/v1/documents/{document}/secrecy", json={"secrecy": level, "reason": "复核"}
        )
        assert changed.status_code == 200, changed.text

    change("internal")
    assert ids(found(junior, q="保证金")) == {document}  # by its text: the title has no 保证金
    change("confidential")
    assert found(junior, q="保证金")["total"] == 0
    assert ids(found(api.client, q="保证金")) == {document}  # the archivist still finds it


def test_metadata_words_and_filters_find_documents(api: Api) -> None:
    customer = api.customer("六盘水测试有限公司")
    document = _contract(
        api, customer, "正文", counterparty="贵州银行", contract_no="JK-2024-007", amount="500000"
    )
    assert ids(found(api.client, q="贵州银行")) == {document}
    assert ids(found(api.client, q="jk-2024-007")) == {document}
    assert ids(found(api.client, q="六盘水")) == {document}
    assert ids(found(api.client, q="六盘水", amount_min="100000", doc_type="contract")) == {
        document
    }
    assert found(api.client, q="六盘水", amount_max="1000")["total"] == 0
    assert found(api.client, q="六盘水", doc_type="guarantee")["total"] == 0


def test_another_departments_documents_are_not_counted(api: Api) -> None:
    other = api.admin.post("/api/v1/admin/departments", json={"code": "b", "name": "销售二部"})
    add_user(api.admin, "archivist-b", other.json()["id"], "secret", "archivist")
    archivist_b = TestClient(api.client.app)
    sign_in(archivist_b, "archivist-b", USER_PASSWORD)
    theirs = archivist_b.post(
        "/api/v1/customers", json={"name": "别部客户", "uscc": _uscc()}
    ).json()["id"]
    uploaded = archivist_b.post(
        f"/api/v1/customers/{theirs}/documents",
        data={"doc_type": "guarantee", "title": "担保函"},
        files={"file": ("g.pdf", text_pdf("保证金由担保人代为缴纳。"), "application/pdf")},
    )
    assert uploaded.status_code == 201, uploaded.text
    ours = _contract(api, api.customer(), *CONTRACT)
    index_all(api)
    mine = found(api.client, q="保证金")
    assert (ids(mine), mine["total"]) == ({ours}, 1)
    assert mine["by_type"] == [{"value": "contract", "count": 1}]
    assert sum(f["count"] for f in mine["by_year"]) == 1
    assert found(api.client, q="保证金", department_id=other.json()["id"])["total"] == 0


def _uscc() -> str:
    from tests.factories import random_uscc

    return random_uscc()


def test_bad_parameters_are_refused_naming_the_parameter(api: Api) -> None:
    for params, named in (
        ({"limit": 0}, "limit"),
        ({"sort": "size"}, "sort"),
        ({"issued_from": "2024-02-01", "issued_to": "2024-01-01"}, "issued_to"),
        ({"amount_min": "-1"}, "amount_min"),
        ({"q": "字" * 201}, "q"),
        ({"year": 1066}, "year"),
    ):
        refused = api.client.get("/api/v1/search", params=params)
        assert refused.status_code == 422, params
        assert named in refused.json()["detail"], refused.json()


def test_each_search_is_audited_with_its_filter_and_count_never_the_rows(
    api: Api, cast: Cast
) -> None:
    document = _contract(api, api.customer(), *CONTRACT)
    index_all(api)
    found(api.client, q="保证金", sort="date")
    events = cast["auditor"].get(
        "/api/v1/audit/events", params={"limit": 1000, "action": "search:archive:query"}
    )
    [event] = [e["event"] for e in events.json()["items"]]
    assert event["filter"] == {"q": "保证金", "sort": "date", "limit": "20", "offset": "0"}
    assert event["results"] == 1
    assert document not in str(event)


def test_a_customer_file_the_caller_may_not_see_is_neither_named_nor_matched(
    api: Api, cast: Cast
) -> None:
    junior = cast.add("junior", "sales", "internal")
    body = {"name": "遵义保密客户", "uscc": _uscc(), "secrecy": "confidential"}
    customer = api.client.post("/api/v1/customers", json=body).json()["id"]
    document = _contract(api, customer, *CONTRACT, secrecy="internal")
    index_all(api)
    assert junior.get(f"/api/v1/customers/{customer}").status_code == 404  # the premise
    [hit] = found(junior, q="保证金")["items"]
    assert (hit["document"]["id"], hit["customer_name"]) == (document, None)
    assert found(junior, q="遵义保密客户")["total"] == 0
    assert found(api.client, q="遵义保密客户")["items"][0]["customer_name"] == "遵义保密客户"


def test_query_syntax_in_the_words_is_taken_literally(api: Api) -> None:
    document = _contract(api, api.customer(), *CONTRACT)
    index_all(api)
    for q in ('"', "'", "\\", "*", "保证金*", "NEAR(保证 金)", "保证金 OR 租赁", "%", "_", "😀"):
        response = api.client.get("/api/v1/search", params={"q": q})
        assert response.status_code == 200, (q, response.text)
    assert found(api.client, q="保证金 OR 租赁")["total"] == 0  # OR is a word here, not an operator
    assert ids(found(api.client, q='"保证金"')) == {document}
    nul = api.client.get("/api/v1/search", params={"q": "保证\x00金"})
    assert nul.status_code == 422, nul.text
    assert nul.json()["detail"].startswith("q:"), nul.json()


def test_a_year_of_the_facet_chooses_as_many_documents_as_it_counts(api: Api) -> None:
    customer = api.customer()
    dated = _contract(api, customer, *CONTRACT, issued_on="2021-03-01")
    undated = _contract(api, customer, *CONTRACT)  # counted in the year of its upload
    index_all(api)
    facet = {f["value"]: f["count"] for f in found(api.client, q="保证金")["by_year"]}
    uploaded = next(year for year in facet if year != "2021")
    assert facet == {"2021": 1, uploaded: 1}
    assert ids(found(api.client, q="保证金", year=2021)) == {dated}
    assert ids(found(api.client, q="保证金", year=int(uploaded))) == {undated}


def test_the_words_terms_are_given_as_snippets_spell_them(api: Api) -> None:
    _contract(api, api.customer(), *CONTRACT)
    index_all(api)
    body = found(api.client, q="發生逾期 ABC")  # traditional and capitals, as a user may type
    assert body["terms"] == ["发生", "生逾", "逾期", "abc"]
    assert found(api.client, q="發生逾期")["items"][0]["snippet"].find("发生逾期") >= 0
    assert found(api.client)["terms"] == []


def test_relevance_puts_documents_named_by_the_words_first_then_the_newest(api: Api) -> None:
    customer = api.customer()
    named = api.upload(
        customer, text_pdf("双方另行约定。"), doc_type="contract", title="保证金协议",
        issued_on="2020-01-01",
    )["id"]  # fmt: skip
    newer = _contract(api, customer, *CONTRACT, issued_on="2025-03-01")
    older = _contract(api, customer, *CONTRACT, issued_on="2023-03-01")
    index_all(api)
    by_relevance = [hit["document"]["id"] for hit in found(api.client, q="保证金")["items"]]
    assert by_relevance == [named, newer, older]
    by_date = [hit["document"]["id"] for hit in found(api.client, q="保证金", sort="date")["items"]]
    assert by_date == [newer, older, named]


def test_each_word_may_match_the_text_or_the_metadata(api: Api) -> None:
    customer = api.customer("遵义测试商贸有限公司")
    document = _contract(api, customer, *CONTRACT, contract_no="JK-2024-0007")
    index_all(api)
    assert ids(found(api.client, q="保证金 遵义")) == {document}  # text, customer
    assert ids(found(api.client, q="借款合同 jk-2024-0007")) == {document}  # title, number
    assert found(api.client, q="保证金 贵阳")["total"] == 0  # every word must match somewhere
