"""Bad input gets a clear 4xx naming the problem, and leaves nothing behind."""

from __future__ import annotations

import io
import uuid

import pytest
from sqlalchemy import select, true
from sqlalchemy.orm import Session

from ingest.documents import get_document
from ingest.upload import add_version, claim_version, receive
from storage.db import finish, unit_of_work
from storage.errors import Conflict
from storage.models import Document, User
from tests.archive_api.conftest import Api
from tests.factories import fake_file


def _objects(api: Api) -> set[str]:
    return {info.key for info in api.backends.store.list("docs/")}


def _post(api: Api, customer: str, content: bytes, **fields: str) -> tuple[int, dict[str, str]]:
    response = api.client.post(
        f"/api/v1/customers/{customer}/documents",
        data={"doc_type": "contract", "title": "购销合同", **fields},
        files={"file": ("x.pdf", content)},
    )
    return response.status_code, response.json()


def test_oversize_declared_length_is_refused_before_reading(api: Api) -> None:
    customer = api.customer()
    limit = api.backends.settings.max_upload_bytes
    response = api.client.post(
        f"/api/v1/customers/{customer}/documents",
        content=b"",
        headers={
            "Content-Type": "multipart/form-data; boundary=x",
            "Content-Length": str(limit + 2 * 1024 * 1024),
        },
    )
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]


def test_oversize_streamed_body_is_refused_and_nothing_is_kept(api: Api) -> None:
    customer = api.customer()
    before = _objects(api)
    limit = api.backends.settings.max_upload_bytes
    big = fake_file("pdf", limit + 1)

    def chunked() -> object:
        boundary = "bnd"
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="doc_type"\r\n\r\ncontract\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        for i in range(0, len(big), 1 << 20):
            yield big[i : i + (1 << 20)]
        yield f"\r\n--{boundary}--\r\n".encode()

    response = api.client.post(
        f"/api/v1/customers/{customer}/documents",
        content=chunked(),
        headers={"Content-Type": "multipart/form-data; boundary=bnd"},
    )
    assert response.status_code == 413
    assert _objects(api) == before
    assert (
        api.client.get("/api/v1/documents", params={"customer_id": customer}).json()["total"] == 0
    )


def test_type_is_judged_by_content_not_name(api: Api) -> None:
    status, body = _post(api, api.customer(), b"PK\x03\x04 a zip file named x.pdf" * 10)
    assert status == 415
    assert "PDF, JPEG" in body["detail"]


def test_empty_file_is_named(api: Api) -> None:
    status, body = _post(api, api.customer(), b"")
    assert status == 400
    assert body["detail"].startswith("file")


def test_unknown_doc_type_and_secrecy_are_named_and_nothing_is_kept(api: Api) -> None:
    customer = api.customer()
    before = _objects(api)
    for field, value in (("doc_type", "diary"), ("secrecy", "top"), ("expires_on", "soon")):
        status, body = _post(api, customer, fake_file("pdf", 4000), **{field: value})
        assert status == 422, field
        assert body["detail"].startswith(field)
    status, body = _post(
        api, customer, fake_file("pdf", 4000), issued_on="2025-01-02", expires_on="2024-01-01"
    )
    assert status == 422
    assert "expires_on" in body["detail"]
    assert _objects(api) == before


def test_malformed_multipart_and_missing_file(api: Api) -> None:
    customer = api.customer()
    url = f"/api/v1/customers/{customer}/documents"
    broken = api.client.post(
        url,
        content=b"--b\r\nnot a header line\r\n\r\n",
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    assert broken.status_code == 400
    no_file = api.client.post(
        url, data={"doc_type": "contract", "title": "t"}, files={"other": ("a", b"x")}
    )
    assert no_file.status_code == 400
    assert "file" in no_file.json()["detail"]
    not_form = api.client.post(url, json={"doc_type": "contract"})
    assert not_form.status_code == 415


def test_unknown_customer_is_404(api: Api) -> None:
    status, body = _post(api, str(uuid.uuid4()), fake_file("pdf", 100))
    assert status == 404
    assert body["error"] == "not_found"


def test_the_same_file_twice_names_the_existing_document(api: Api) -> None:
    customer = api.customer()
    content = fake_file("pdf", 50_000)
    first = api.upload(customer, content)
    before = _objects(api)
    status, body = _post(api, customer, content)
    assert status == 409
    assert str(first["id"]) in body["detail"]
    assert _objects(api) == before
    # Another customer may hold the same bytes.
    assert api.upload(api.customer(), content)["id"] != first["id"]


def test_a_version_added_meanwhile_is_a_conflict_that_says_so(api: Api) -> None:
    document_id = uuid.UUID(str(api.upload(api.customer(), fake_file("pdf", 20_000))["id"]))
    backends = api.backends

    content = fake_file("pdf", 30_000)

    def new_version(session: Session, document: Document) -> None:
        received = receive(
            session, backends.store, backends.keys, customer_id=document.customer_id,
            document_id=document.id, version=claim_version(session, document),
            source=io.BytesIO(content), filename="v.pdf", max_bytes=1 << 20,
        )  # fmt: skip
        actor = session.scalars(select(User).where(User.username == "archivist")).one()
        add_version(session, document, received, actor, true())

    before = _objects(api)
    # Two archivists open the document at once; the second to write its version loses.
    with backends.sessions() as late:
        stale = get_document(late, document_id)
        with unit_of_work(backends.sessions) as early:
            new_version(early, get_document(early, document_id))
        with pytest.raises(Conflict) as refused:
            new_version(late, stale)
        finish(late, ok=False)
    assert refused.value.reason == "version_added_meanwhile"
    assert len(_objects(api)) == len(before) + 1  # the loser stored nothing
    kept = api.client.get(f"/api/v1/documents/{document_id}/content", params={"version": 2})
    assert kept.content == content  # and the winner's version is whole
