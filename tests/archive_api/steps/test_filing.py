"""The filing and customer-file steps (ingest.filing, ingest.customer_files), called directly."""

from __future__ import annotations

import io
import uuid
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from access.errors import Forbidden
from ingest import customer_files, filing
from ingest.categories import Categories
from ingest.customer_schemas import CustomerCreate
from ingest.customers import CustomerFilter
from ingest.errors import AboveClearance, InvalidField
from ingest.filing import Vault
from ingest.schemas import OriginalPlace, SecrecyChange
from storage.auditnames import Action
from storage.models import Customer, Document, Secrecy
from tests.archive_api.conftest import Api, Cast, add_user
from tests.archive_api.steps.conftest import acting
from tests.factories import fake_file, random_uscc

DOOR = {"effect": "allow", "rule": "the door's rule"}


class _File:
    filename = "scan.pdf"

    def __init__(self, content: bytes) -> None:
        self._body = io.BytesIO(content)

    def read(self, size: int = -1) -> bytes:
        return self._body.read(size)


class _Form:
    """A sent form; `opened` says whether the step ever asked for it."""

    def __init__(self, content: bytes, **fields: str) -> None:
        self.content, self.sent, self.opened = content, fields, False

    def __call__(self) -> _Form:
        self.opened = True
        return self

    def file(self) -> _File:
        return _File(self.content)

    def fields(self) -> dict[str, str]:
        return self.sent


def _vault(api: Api) -> Vault:
    backends = api.backends
    return Vault(backends.store, backends.keys, backends.settings.max_upload_bytes)


def _actions(events: list[dict[str, Any]]) -> list[str]:
    return [e["action"] for e in events]


def _outsider(api: Api) -> None:
    elsewhere = api.admin.post(
        "/api/v1/admin/departments", json={"code": "sales-b", "name": "销售二部"}
    ).json()["id"]
    add_user(api.admin, "outsider", elsewhere, "secret", "archivist")


def test_upload_new_version_and_filing_record_one_event_each(
    api: Api, events: list[dict[str, Any]]
) -> None:
    customer_id = uuid.UUID(api.customer())
    events.clear()
    form = _Form(fake_file("pdf", 3000), doc_type="contract", title="购销合同")
    with acting(api, "archivist") as (session, policy, actor):
        customer = session.get_one(Customer, customer_id)
        document_id = filing.upload(session, actor, policy, customer, form, _vault(api)).id
    assert _actions(events) == [Action.DOCUMENT_UPLOAD]
    assert events[0]["target"]["document"] == str(document_id)
    assert events[0]["target"]["version"] == 1
    assert events[0]["decision"]["effect"] == "allow"  # the step's own rule, not a door's
    assert events[0]["decision"]["rule"]

    events.clear()
    now, again = api.backends.clock(), _Form(fake_file("pdf", 4000))
    place = OriginalPlace(cabinet="B-1", shelf="3")
    with acting(api, "archivist") as (session, policy, actor):
        document = session.get_one(Document, document_id)
        filing.add_version(session, actor, policy, document, again, _vault(api), DOOR)
        filing.accept(session, actor, policy, document, now, DOOR)
        filing.file_original(session, actor, policy, document, place, now, DOOR)
        version, filed_by = document.latest_version, document.filed_by_id
    assert _actions(events) == [Action.VERSION_UPLOAD, Action.DOCUMENT_FILE, Action.ORIGINAL_FILE]
    assert [e["decision"] for e in events] == [DOOR, DOOR, DOOR]
    assert events[0]["target"]["version"] == version == 2
    assert filed_by == policy.user.id


def test_a_refused_upload_never_opens_the_form_and_stores_nothing(
    api: Api, cast: Cast, events: list[dict[str, Any]]
) -> None:
    customer_id = uuid.UUID(api.customer())
    _outsider(api)
    events.clear()
    # Other department: refused before a byte of the file is read.
    form = _Form(fake_file("pdf", 3000), doc_type="contract", title="购销合同")
    with acting(api, "outsider") as (session, policy, actor):
        customer = session.get_one(Customer, customer_id)
        with pytest.raises(Forbidden):
            filing.upload(session, actor, policy, customer, form, _vault(api))
    assert form.opened is False
    # Above the uploader's own clearance: refused once the fields arrive, the file rolled back.
    secret = _Form(fake_file("pdf", 3000), doc_type="contract", title="密件", secrecy="secret")
    with acting(api, "manager") as (session, policy, actor):
        customer = session.get_one(Customer, customer_id)
        with pytest.raises(AboveClearance, match="above your clearance") as raised:
            filing.upload(session, actor, policy, customer, secret, _vault(api))
    assert raised.value.status == 403
    assert events == []
    with acting(api, "archivist") as (session, _, _):
        assert session.scalar(select(func.count()).select_from(Document)) == 0


def test_changing_secrecy_searching_and_reading_a_document(
    api: Api, events: list[dict[str, Any]]
) -> None:
    customer_id = uuid.UUID(api.customer())
    document_id = uuid.UUID(str(api.upload(str(customer_id), fake_file("pdf", 3000))["id"]))
    _outsider(api)
    events.clear()
    lower = SecrecyChange(secrecy=Secrecy.public)
    with acting(api, "archivist") as (session, policy, actor):
        document = session.get_one(Document, document_id)
        with pytest.raises(InvalidField):
            filing.change_secrecy(session, actor, policy, document, lower, DOOR)
    assert events == []
    raised = SecrecyChange(secrecy=Secrecy.confidential)
    with acting(api, "archivist") as (session, policy, actor):
        document = session.get_one(Document, document_id)
        filing.change_secrecy(session, actor, policy, document, raised, DOOR)
        filing.read(session, actor, document, DOOR)
        rows, total = filing.search(session, actor, policy, None, None, None, "营业", (10, 0))
    assert [d.id for d in rows] == [document_id]
    assert total == 1
    with acting(api, "outsider") as (session, policy, actor):  # another department sees none
        assert filing.search(session, actor, policy, customer_id, None, None, None, (10, 0))[1] == 0
    change, read, found, hidden = events
    assert (
        _actions(events)
        == [Action.SECRECY_CHANGE, Action.DOCUMENT_READ] + [Action.DOCUMENT_SEARCH] * 2
    )
    assert (change["before"], change["target"]["secrecy"]) == ("internal", "confidential")
    assert read["decision"] == DOOR
    assert (found["filter"], found["results"]) == ({"q": "营业", "limit": "10", "offset": "0"}, 1)
    assert (hidden["target"], hidden["results"]) == ({"customer": str(customer_id)}, 0)


def _config(api: Api) -> tuple[Categories, date]:
    return api.backends.categories, api.backends.today()


def test_customer_files_open_read_and_search_in_the_callers_department_only(
    api: Api, cast: Cast, events: list[dict[str, Any]]
) -> None:
    _outsider(api)
    events.clear()
    data = CustomerCreate(name="凯里某公司", uscc=random_uscc(), department_id=api.department)
    with pytest.raises(Forbidden), acting(api, "outsider") as (session, policy, actor):
        customer_files.create(session, actor, policy, api.backends.keys, data, *_config(api))
    assert events == []
    with acting(api, "outsider") as (session, policy, _):  # only where they may open or see
        chosen = customer_files.departments(session, policy)
    assert [(d.name, d.may_open) for d in chosen] == [("销售二部", True)]
    mine = CustomerCreate(name="凯里某公司", uscc=data.uscc)  # the seller's own department
    with acting(api, "seller") as (session, policy, actor):
        customer = customer_files.create(
            session, actor, policy, api.backends.keys, mine, *_config(api)
        )
        customer_files.read(session, actor, customer, DOOR)
        wanted = CustomerFilter(q="凯里")
        items, total = customer_files.search(session, actor, policy, wanted, 10, 0)
        assert (str(customer.department_id), customer.custodian_id) == (
            api.department,
            policy.user.id,
        )
    assert ([c.name for c in items], total) == (["凯里某公司"], 1)
    created, read, found = events
    assert _actions(events) == [
        Action.CUSTOMER_CREATE,
        Action.CUSTOMER_READ,
        Action.CUSTOMER_SEARCH,
    ]
    assert created["decision"]["effect"] == "allow"
    assert created["target"]["customer_name"] == "凯里某公司"
    assert read["decision"] == DOOR
    assert found["filter"] == {"q": "凯里", "limit": "10", "offset": "0"}


def test_who_keeps_the_files_and_a_documents_readings_are_recorded_without_rows(
    api: Api, events: list[dict[str, Any]]
) -> None:
    customer_id = uuid.UUID(api.customer("都匀某公司"))
    document_id = uuid.UUID(str(api.upload(str(customer_id), fake_file("pdf", 3000))["id"]))
    _outsider(api)
    events.clear()
    with acting(api, "archivist") as (session, policy, actor):
        keepers = [u.username for u in customer_files.custodians(session, actor, policy)]
        document = session.get_one(Document, document_id)
        states = filing.extraction_states(session, actor, document, DOOR)
        kinds = [s.kind for s in states]
    # Another department's archivist learns of nobody who keeps files they may not see.
    with acting(api, "outsider") as (session, policy, actor):
        assert customer_files.custodians(session, actor, policy) == []
    assert keepers == ["archivist"]
    assert kinds  # the license's reading waits, and no text reading is listed
    assert "text" not in kinds
    listed, read, hidden = events
    assert _actions(events) == [
        Action.CUSTODIAN_SEARCH, Action.EXTRACTION_STATE_SEARCH, Action.CUSTODIAN_SEARCH,
    ]  # fmt: skip
    assert (listed["results"], hidden["results"]) == (1, 0)
    assert (read["target"]["document"], read["target"]["customer_name"]) == (
        str(document_id),
        "都匀某公司",
    )
    assert (read["decision"], read["results"]) == (DOOR, len(kinds))
