"""Disposal end to end: requested from the due list, approved by the department's archivist and
its department head (never the requester), executed with the key shredded, the objects purged and
the documents reduced to tombstones, and a certificate whose hash is in the audit chain."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

import pdfplumber
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from storage import auditlog
from storage.auditnames import Action
from storage.db import unit_of_work
from storage.envelope import wrap_context
from storage.errors import BackendUnavailable, IntegrityError
from storage.keys import customer_key_name, key_provider
from storage.models import AuditEvent, DocumentText, DocumentVersion, Extraction
from tests.archive_api.conftest import Api, Cast
from tests.factories import fake_file

REASON = "保管期满，经鉴定无保存价值 retention passed, appraised of no further value"


def _letter(api: Api, customer: str, title: str, size: int = 3000) -> tuple[str, bytes]:
    """A letter of 2019 from and to named people: kept five years, so due today."""
    content = fake_file("pdf", size)
    fields = {"doc_type": "correspondence", "title": title, "issued_on": "2019-03-01",
              "sender": "赵经理 (客户财务部)", "recipient": "钱会计"}  # fmt: skip
    return str(api.upload(customer, content, **fields)["id"]), content


def _statement(api: Api, customer: str) -> tuple[str, bytes]:
    """A statement of this year: not due for ten years."""
    content = fake_file("pdf", 4000)
    fields = {"doc_type": "financial_statement", "title": "年报", "issued_on": "2025-12-31"}
    return str(api.upload(customer, content, **fields)["id"]), content


def _versions(api: Api) -> dict[str, DocumentVersion]:
    """Every version row by its document, detached: a copy of the database as it is now."""
    with unit_of_work(api.backends.sessions) as session:
        rows = session.scalars(select(DocumentVersion)).all()
        session.expunge_all()
    return {str(r.document_id): r for r in rows}


def _request(client: TestClient, *documents: str) -> Any:
    return client.post(
        "/api/v1/disposals", json={"document_ids": list(documents), "reason": REASON}
    )


def _decide(client: TestClient, disposal: str, approve: bool, reason: str | None = None) -> Any:
    body = {"approve": approve, "reason": reason}
    return client.post(f"/api/v1/disposals/{disposal}/decision", json=body)


def _approved(cast: Cast, *documents: str) -> str:
    asked = _request(cast["archivist"], *documents)
    assert asked.status_code == 201, asked.text
    disposal = str(asked.json()["id"])
    assert _decide(cast["head"], disposal, True).status_code == 200
    done = _decide(cast["keeper"], disposal, True)
    assert done.json()["status"] == "approved", done.text
    return disposal


def _events(api: Api, action: Action) -> list[dict[str, Any]]:
    auditlog.catch_up(api.backends.sessions)
    with unit_of_work(api.backends.sessions) as session:
        bodies = session.scalars(select(AuditEvent.body).where(AuditEvent.action == action))
        return [json.loads(body) for body in bodies]


@pytest.fixture
def people(cast: Cast) -> Cast:
    """The cast, with a second archivist of the department to approve."""
    cast.add("keeper", "archivist")
    return cast


def test_an_approved_disposal_destroys_the_content_even_in_a_copy_taken_before(
    api: Api, people: Cast
) -> None:
    customer = api.customer("遵义销毁有限公司")
    doomed, other_doomed = _letter(api, customer, "往来函 甲"), _letter(api, customer, "往来函 乙")
    kept = _statement(api, customer)
    letter = api.client.get(f"/api/v1/documents/{doomed[0]}").json()
    assert (letter["sender"], letter["recipient"]) == ("赵经理 (客户财务部)", "钱会计")
    before = _versions(api)  # a backup of the database taken before the disposal
    objects = {d: b"".join(api.backends.store.get(before[d].object_key)) for d in before}

    asked = _request(api.client, doomed[0], other_doomed[0])
    assert asked.status_code == 201, asked.text
    disposal = asked.json()
    assert (disposal["status"], disposal["awaiting"]) == ("pending", ["archivist", "dept_head"])
    url = f"/api/v1/disposals/{disposal['id']}"
    # The requester approves nothing, not even in their other capacity.
    own = _decide(api.client, disposal["id"], True)
    assert (own.status_code, own.json()["reason"]) == (403, "own_request")
    early = api.client.post(f"{url}/execute")
    assert (early.status_code, early.json()["reason"]) == (409, "disposal_state")
    assert _decide(people["head"], disposal["id"], True).json()["awaiting"] == ["archivist"]
    twice = _decide(people["head"], disposal["id"], True)
    assert (twice.status_code, twice.json()["reason"]) == (403, "second_step")
    approved = _decide(people["keeper"], disposal["id"], True).json()
    assert approved["status"] == "approved"
    assert [(a["role"], a["approver_name"]) for a in approved["approvals"]] == [
        ("dept_head", "head"),
        ("archivist", "keeper"),
    ]
    # Department heads approve; only archivists execute.
    assert people["head"].post(f"{url}/execute").status_code == 403

    done = api.client.post(f"{url}/execute")

    assert done.status_code == 200, done.text
    executed = done.json()
    assert executed["status"] == "executed"
    assert executed["executed_by_name"] == "archivist"
    items = {i["document_id"]: i for i in executed["items"]}
    assert {i["outcome"] for i in items.values()} == {"disposed"}
    assert items[doomed[0]]["title"] is None
    sha = hashlib.sha256(doomed[1]).hexdigest()
    assert [v["sha256"] for v in items[doomed[0]]["versions"]] == [sha]
    # The content is gone for readers; the tombstone keeps id, type, customer and dates.
    gone = api.client.get(f"/api/v1/documents/{doomed[0]}/content")
    assert (gone.status_code, gone.json()["reason"]) == (404, "disposed")
    tomb = api.client.get(f"/api/v1/documents/{doomed[0]}").json()
    assert (tomb["disposal_id"], tomb["versions"]) == (disposal["id"], [])
    assert (tomb["title"], tomb["doc_type"], tomb["issued_on"]) == (
        "",
        "correspondence",
        "2019-03-01",
    )
    # The people a letter names go with its title.
    assert (tomb["sender"], tomb["recipient"]) == (None, None)
    assert api.client.get(f"/api/v1/documents/{kept[0]}/content").content == kept[1]
    # No row of the database, no object in the store, holds what was disposed of.
    now = _versions(api)
    assert set(now) == {kept[0]}
    with unit_of_work(api.backends.sessions) as session:
        derived = [
            *session.scalars(select(DocumentText.document_id)),
            *session.scalars(select(Extraction.document_id)),
        ]
    assert {str(d) for d in derived} <= {kept[0]}
    assert [o.key for o in api.backends.store.list("docs/")] == [before[kept[0]].object_key]
    # Restore the copy taken before: its wrapped keys open nothing any more.
    fresh = key_provider(api.backends.settings)
    name = customer_key_name(customer)
    for document in (doomed[0], other_doomed[0]):
        row = before[document]
        assert objects[document]  # the object as the old store held it
        with pytest.raises(IntegrityError):
            fresh.unwrap(name, row.wrapped_key, wrap_context(row.document_id, row.version))
    # The certificate: a PDF whose SHA-256 the execution's audit event holds, in a sound chain.
    pdf = api.client.get(f"{url}/certificate.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(pdf.content)) as read:
        printed = "".join(page.extract_text() for page in read.pages)
        cells = [c for p in read.pages for t in p.extract_tables() for r in t for c in r if c]
        fonts = {char["fontname"] for page in read.pages for char in page.chars}
    flat = "".join(printed.split())
    assert "档案销毁证明" in flat
    assert executed["number"] in flat
    assert any(sha in "".join(cell.split()) for cell in cells)
    assert "往来函" not in flat  # titles are not kept, not even here
    assert all(f.endswith("WenQuanYiZenHei-0") for f in fonts)  # the embedded subset only
    digest = hashlib.sha256(pdf.content).hexdigest()
    assert digest == executed["certificate_sha256"]
    # The refused attempts above are recorded under the same action, as refusals.
    [event] = [e for e in _events(api, Action.DISPOSAL_EXECUTE) if e["outcome"] == "success"]
    assert event["certificate_sha256"] == digest
    assert {i["document"] for i in event["items"]} == {doomed[0], other_doomed[0]}
    assert [i["sha256"] for i in event["items"] if i["document"] == doomed[0]] == [[sha]]
    with unit_of_work(api.backends.sessions) as session:
        assert auditlog.verify_stored(session) is None
    # Nothing disposed of is due any more.
    due = api.client.get("/api/v1/retention/disposal-list", params={"state": "due"}).json()
    assert {i["document_id"] for i in due["items"]}.isdisjoint({doomed[0], other_doomed[0]})


def test_a_held_document_is_not_disposed_of_even_when_held_after_approval(
    api: Api, people: Cast
) -> None:
    customer = api.customer("遵义保全有限公司")
    first, second = _letter(api, customer, "往来函 一"), _letter(api, customer, "往来函 二")
    hold = {"reason": "诉讼保全 (2026)黔民初1号"}
    held = api.client.post(f"/api/v1/documents/{first[0]}/holds", json=hold).json()
    refused = _request(api.client, first[0], second[0])
    assert (refused.status_code, refused.json()["reason"]) == (409, "not_due")
    lift = {"reason": "诉讼终结"}
    lifted = api.client.post(f"/api/v1/documents/{first[0]}/holds/{held['id']}/lift", json=lift)
    assert lifted.status_code == 200
    disposal = _approved(people, first[0], second[0])
    # A hold set after the approvals keeps its document at execution.
    assert people["head"].post(f"/api/v1/customers/{customer}/holds", json=hold).status_code == 201

    done = api.client.post(f"/api/v1/disposals/{disposal}/execute").json()

    assert {i["document_id"]: i["outcome"] for i in done["items"]} == {
        first[0]: "held",
        second[0]: "held",
    }
    for document, content in (first, second):
        assert api.client.get(f"/api/v1/documents/{document}/content").content == content


def test_a_refusal_needs_a_reason_and_ends_the_request(api: Api, people: Cast) -> None:
    customer = api.customer("遵义拒绝有限公司")
    letter = _letter(api, customer, "往来函")
    disposal = _request(api.client, letter[0]).json()["id"]

    bare = _decide(people["head"], disposal, False)
    assert (bare.status_code, bare.json()["reason"]) == (422, "reason_required")
    refused = _decide(people["head"], disposal, False, "仍在诉讼时效内 still within limitation")

    assert refused.json()["status"] == "refused"
    assert refused.json()["refusal"] == "仍在诉讼时效内 still within limitation"
    late = _decide(people["keeper"], disposal, True)
    assert (late.status_code, late.json()["reason"]) == (409, "disposal_state")
    # The document may be asked for again.
    assert _request(api.client, letter[0]).status_code == 201


def test_other_departments_learn_nothing(api: Api, people: Cast) -> None:
    customer = api.customer("遵义隔离有限公司")
    letter = _letter(api, customer, "往来函")
    disposal = _approved(people, letter[0])
    _, outsider = api.archivist_elsewhere()
    absent = "00000000-0000-4000-8000-000000000000"

    for path in (f"/api/v1/disposals/{disposal}", f"/api/v1/disposals/{absent}"):
        assert outsider.get(path).json() == {"error": "not_found", "detail": "no such disposal"}
        gone = outsider.post(f"{path}/execute")
        assert gone.json() == {"error": "not_found", "detail": "no such disposal"}
        assert outsider.get(f"{path}/certificate.pdf").status_code == 404
    theirs, nothing = _request(outsider, letter[0]), _request(outsider, absent)
    assert theirs.status_code == nothing.status_code == 404
    assert theirs.json() == nothing.json()
    assert outsider.get("/api/v1/disposals").json()["total"] == 0
    # Nor do people of the department who review no retention.
    assert people["seller"].get(f"/api/v1/disposals/{disposal}").status_code == 404


def test_uploads_to_the_customer_are_refused_while_a_disposal_runs(
    api: Api, people: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer, elsewhere = api.customer("遵义上传有限公司"), api.customer("遵义别家有限公司")
    letter = _letter(api, customer, "往来函")
    disposal = _approved(people, letter[0])
    store, tried = api.backends.store, []
    purge = store.purge

    def meanwhile(key: str) -> Any:
        # Another upload to the customer while its key is shredded and its objects purged.
        sent = {"file": ("scan.pdf", fake_file("pdf", 2000), "application/pdf")}
        fields = {"doc_type": "contract", "title": "合同"}
        for target in (customer, elsewhere):
            path = f"/api/v1/customers/{target}/documents"
            tried.append(people["head"].post(path, data=fields, files=sent))
        return purge(key)

    monkeypatch.setattr(store, "purge", meanwhile)
    assert api.client.post(f"/api/v1/disposals/{disposal}/execute").status_code == 200

    refused, other = tried
    assert (refused.status_code, refused.json()["reason"]) == (409, "disposal_running")
    assert other.status_code == 201, other.text
    # They stay closed until the key batches begun before the shred have aged out.
    again = api.upload
    with pytest.raises(AssertionError, match="disposal_running"):
        again(customer, fake_file("pdf", 2500), doc_type="contract", title="合同")


def test_no_hold_is_set_over_what_an_execution_under_way_destroys(
    api: Api, people: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer, elsewhere = api.customer("遵义执行有限公司"), api.customer("遵义他家有限公司")
    doomed, spared = _letter(api, customer, "往来函 一"), _letter(api, customer, "往来函 二")
    other = _letter(api, elsewhere, "往来函 三")
    disposal = _approved(people, doomed[0])
    store, tried = api.backends.store, {}
    purge = store.purge
    hold = {"reason": "诉讼保全 (2026)黔民初2号"}

    def meanwhile(key: str) -> Any:
        # Holds asked for while the key is already shredded and the objects are going.
        head = people["head"]
        tried["document"] = api.client.post(f"/api/v1/documents/{doomed[0]}/holds", json=hold)
        tried["file"] = head.post(f"/api/v1/customers/{customer}/holds", json=hold)
        tried["spared"] = api.client.post(f"/api/v1/documents/{spared[0]}/holds", json=hold)
        tried["elsewhere"] = head.post(f"/api/v1/customers/{elsewhere}/holds", json=hold)
        return purge(key)

    monkeypatch.setattr(store, "purge", meanwhile)
    done = api.client.post(f"/api/v1/disposals/{disposal}/execute")

    assert done.status_code == 200, done.text
    assert [i["outcome"] for i in done.json()["items"]] == ["disposed"]
    for refused in (tried["document"], tried["file"]):
        assert (refused.status_code, refused.json()["reason"]) == (409, "disposal_running")
    assert tried["spared"].status_code == tried["elsewhere"].status_code == 201
    holds = api.client.get(f"/api/v1/customers/{customer}/holds").json()
    assert [h["document_id"] for h in holds] == [spared[0]]
    assert api.client.get(f"/api/v1/documents/{other[0]}/content").content == other[1]
    # Once the run is over, the file can be held again (its tombstone with the rest).
    again = people["head"].post(f"/api/v1/customers/{customer}/holds", json=hold)
    assert again.status_code == 201, again.text


def test_an_execution_cut_short_by_the_store_is_finished_by_executing_again(
    api: Api, people: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer = api.customer("遵义中断有限公司")
    letter, kept = _letter(api, customer, "往来函"), _statement(api, customer)
    disposal = _approved(people, letter[0])
    url = f"/api/v1/disposals/{disposal}"
    store = api.backends.store
    purge = store.purge

    def down(key: str) -> Any:
        raise BackendUnavailable("the object store")

    monkeypatch.setattr(store, "purge", down)
    cut = api.client.post(f"{url}/execute")
    assert cut.status_code == 503
    assert api.client.get(url).json()["status"] == "executing"
    monkeypatch.setattr(store, "purge", purge)

    done = api.client.post(f"{url}/execute")

    assert done.status_code == 200, done.text
    [item] = done.json()["items"]
    assert (item["outcome"], len(item["versions"])) == ("disposed", 1)
    assert api.client.get(f"/api/v1/documents/{kept[0]}/content").content == kept[1]
    assert [o.key for o in store.list("docs/")] == [_versions(api)[kept[0]].object_key]
    # The file's bag holds what is left, and nothing of the tombstone.
    bag = api.client.get(f"/api/v1/customers/{customer}/bag")
    assert bag.status_code == 200, bag.text
    with zipfile.ZipFile(io.BytesIO(bag.content)) as bagged:
        names = bagged.namelist()
    assert any(kept[0] in n for n in names)
    assert not any(letter[0] in n for n in names)


def test_a_disposed_document_meets_no_requirement_of_the_file_any_more(
    api: Api, people: Cast
) -> None:
    """A license that ended in 2010 is kept ten years after its end; once disposed of, the
    file lacks a license (the completeness check and the deadline round count no tombstone)."""
    customer = api.customer("遵义旧照有限公司")
    license_ = str(
        api.upload(
            customer, fake_file("pdf", 3000), doc_type="business_license", title="旧营业执照",
            issued_on="2000-01-05", expires_on="2010-01-04",
        )["id"]
    )  # fmt: skip

    def license_state() -> tuple[str, str | None]:
        items = api.client.get(f"/api/v1/customers/{customer}/completeness").json()["items"]
        found = next(i for i in items if i["doc_type"] == "business_license")
        return found["state"], found["document_id"]

    assert license_state() == ("expired", license_)
    disposal = _approved(people, license_)
    done = api.client.post(f"/api/v1/disposals/{disposal}/execute")
    assert done.status_code == 200, done.text
    assert license_state() == ("missing", None)
