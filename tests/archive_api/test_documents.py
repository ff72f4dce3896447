"""Documents go in encrypted and come out byte-exact, on both deployments."""

from __future__ import annotations

import io
import uuid

import pytest
from sqlalchemy import select

from archive_api.ahead import WHOLE
from storage.db import unit_of_work
from storage.errors import IntegrityError
from storage.models import DocumentVersion
from tests.archive_api.conftest import Api
from tests.factories import MARKER, fake_file, sample_pdf


def _stored(api: Api, document_id: object) -> list[DocumentVersion]:
    with unit_of_work(api.backends.sessions) as session:
        return list(
            session.scalars(
                select(DocumentVersion)
                .where(DocumentVersion.document_id == uuid.UUID(str(document_id)))
                .order_by(DocumentVersion.version)
            )
        )


def _object_bytes(api: Api, key: str) -> bytes:
    return b"".join(api.backends.store.get(key))


def test_upload_list_and_download_a_pdf_and_a_jpeg(api: Api) -> None:
    customer = api.customer()
    pdf = sample_pdf()
    jpeg = fake_file("jpeg", 300_000)
    license_ = api.upload(customer, pdf, title="营业执照 2024", expires_on="2030-12-31")
    scan = api.upload(
        customer, jpeg, doc_type="bank_reference", title="银行资信证明", filename="扫描件.jpg"
    )
    assert license_["versions"][0]["media_type"] == "application/pdf"  # type: ignore[index]
    assert scan["versions"][0]["media_type"] == "image/jpeg"  # type: ignore[index]

    page = api.client.get("/api/v1/documents", params={"customer_id": customer}).json()
    assert {d["id"] for d in page["items"]} == {license_["id"], scan["id"]}
    assert page["total"] == 2
    only = api.client.get(
        "/api/v1/documents", params={"customer_id": customer, "doc_type": "bank_reference"}
    )
    assert [d["id"] for d in only.json()["items"]] == [scan["id"]]
    titled = api.client.get("/api/v1/documents", params={"customer_id": customer, "q": "2024"})
    assert [d["id"] for d in titled.json()["items"]] == [license_["id"]]

    for document, original in ((license_, pdf), (scan, jpeg)):
        response = api.client.get(f"/api/v1/documents/{document['id']}/content")
        assert response.status_code == 200
        assert response.content == original
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["content-disposition"].startswith("attachment")
    detail = api.client.get(f"/api/v1/documents/{scan['id']}").json()
    assert detail["title"] == "银行资信证明"
    assert (
        "%E6%89%AB%E6%8F%8F%E4%BB%B6.jpg"
        in api.client.get(f"/api/v1/documents/{scan['id']}/content").headers["content-disposition"]
    )


def test_byte_ranges_are_served_exactly(api: Api) -> None:
    content = fake_file("pdf", 2 * 1024 * 1024 + 12345)  # spans three encrypted segments
    document = api.upload(api.customer(), content)
    url = f"/api/v1/documents/{document['id']}/content"
    size = len(content)
    for header, start, end in (
        ("bytes=0-99", 0, 100),
        ("bytes=1048000-1049999", 1048000, 1050000),  # crosses a segment boundary
        ("bytes=2097000-", 2097000, size),
        ("bytes=-500", size - 500, size),
        (f"bytes=10-{size + 1000}", 10, size),
    ):
        response = api.client.get(url, headers={"Range": header})
        assert response.status_code == 206, header
        assert response.content == content[start:end], header
        assert response.headers["content-range"] == f"bytes {start}-{end - 1}/{size}"
    outside = api.client.get(url, headers={"Range": f"bytes={size}-"})
    assert outside.status_code == 416
    assert outside.headers["content-range"] == f"bytes */{size}"


def test_new_versions_keep_the_old_ones(api: Api) -> None:
    first, second = fake_file("pdf", 5000), fake_file("pdf", 7000)
    document = api.upload(api.customer(), first)
    response = api.client.post(
        f"/api/v1/documents/{document['id']}/versions", files={"file": ("v2.pdf", second)}
    )
    assert response.status_code == 201, response.text
    assert response.json()["latest_version"] == 2
    url = f"/api/v1/documents/{document['id']}/content"
    assert api.client.get(url).content == second
    assert api.client.get(url, params={"version": 1}).content == first
    assert api.client.get(url, params={"version": 3}).status_code == 404


def test_nothing_is_stored_in_clear(api: Api) -> None:
    content = fake_file("pdf", 3 * 1024 * 1024)
    document = api.upload(api.customer(), content)
    (row,) = _stored(api, document["id"])
    at_rest = _object_bytes(api, row.object_key)
    assert MARKER not in at_rest
    assert len(at_rest) == row.ciphertext_size > len(content)
    assert row.object_key == f"docs/{document['id']}/1"
    # Nothing under the data directory holds the plaintext either (no spooled temp files).
    for path in api.backends.settings.data_dir.rglob("*"):
        if path.is_file():
            assert MARKER not in path.read_bytes(), path


def _corrupt(api: Api, key: str, offset: int) -> None:
    stored = bytearray(_object_bytes(api, key))
    stored[offset] ^= 0x01
    api.backends.store.put(key, io.BytesIO(bytes(stored)))


def test_an_altered_object_is_never_served(api: Api) -> None:
    document = api.upload(api.customer(), fake_file("pdf", 10_000))
    (row,) = _stored(api, document["id"])
    _corrupt(api, row.object_key, row.ciphertext_size - 100)
    response = api.client.get(f"/api/v1/documents/{document['id']}/content")
    assert response.status_code == 500
    assert response.json()["error"] == "integrity_error"
    assert MARKER not in response.content


def test_damage_late_in_a_small_object_is_a_clean_error(api: Api) -> None:
    # A download of up to WHOLE bytes is decrypted whole before the answer starts.
    document = api.upload(api.customer(), fake_file("pdf", WHOLE))
    (row,) = _stored(api, document["id"])
    _corrupt(api, row.object_key, row.ciphertext_size - 1000)  # in the last segment
    response = api.client.get(f"/api/v1/documents/{document['id']}/content")
    assert response.status_code == 500
    assert response.json()["error"] == "integrity_error"


def test_damage_late_in_a_large_object_aborts_the_stream(api: Api) -> None:
    document = api.upload(api.customer(), fake_file("pdf", WHOLE + 2 * 1024 * 1024))
    (row,) = _stored(api, document["id"])
    _corrupt(api, row.object_key, row.ciphertext_size - 1000)  # in the last segment
    # Headers went out with the first, intact segment; the damaged one aborts the stream, so
    # the server raises (the test client re-raises it) instead of sending unverified bytes.
    with pytest.raises((IntegrityError, RuntimeError)) as aborted:
        api.client.get(f"/api/v1/documents/{document['id']}/content")
    assert isinstance(aborted.value, IntegrityError) or isinstance(
        aborted.value.__cause__, IntegrityError
    )
    # The intact first segment is still readable on its own.
    head = api.client.get(
        f"/api/v1/documents/{document['id']}/content", headers={"Range": "bytes=0-99"}
    )
    assert head.status_code == 206


def test_the_documents_list_follows_a_customer_into_another_department(api: Api) -> None:
    """The list decides on each document's copy of its customer's department: moved with the
    customer, the documents leave the old department's list and join the new one's."""
    from sqlalchemy import update

    from storage.models import Customer

    other, keeper = api.archivist_elsewhere()
    customer = api.customer("安顺迁移有限公司")
    document = str(api.upload(customer, fake_file("pdf", 2100))["id"])
    newest = {"limit": 50}
    listed = api.client.get("/api/v1/documents", params=newest).json()
    assert [d["id"] for d in listed["items"]] == [document]
    assert keeper.get("/api/v1/documents", params=newest).json()["total"] == 0

    with unit_of_work(api.backends.sessions) as session:
        session.execute(
            update(Customer)
            .where(Customer.id == uuid.UUID(customer))
            .values(department_id=uuid.UUID(other))
        )

    assert api.client.get("/api/v1/documents", params=newest).json()["total"] == 0
    moved = keeper.get("/api/v1/documents", params=newest).json()
    assert [d["id"] for d in moved["items"]] == [document]
