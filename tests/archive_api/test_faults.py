"""A fault in the database, the object store or the key service leaves the archive consistent."""

from __future__ import annotations

import io
import socket
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from archive_api.app import create_app
from storage import fixity
from storage.db import unit_of_work
from storage.models import DocumentVersion
from storage.s3store import S3ObjectStore
from storage.transit import TransitKeyProvider
from tests.archive_api.conftest import Api
from tests.factories import fake_file

UNAVAILABLE = {
    "the database is unavailable",
    "the object store is unavailable",
    "the key service is unavailable",
}


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _versions(api: Api) -> int:
    with unit_of_work(api.backends.sessions) as session:
        return session.scalar(select(func.count()).select_from(DocumentVersion)) or 0


def _objects(api: Api) -> set[str]:
    return {info.key for info in api.backends.store.list("docs/")}


def _post(client: TestClient, customer: str) -> tuple[int, str]:
    response = client.post(
        f"/api/v1/customers/{customer}/documents",
        data={"doc_type": "contract", "title": "合同"},
        files={"file": ("c.pdf", fake_file("pdf", 20_000))},
    )
    if response.status_code == 503:
        # A client may retry soon, and learns which service is away and nothing else.
        assert 1 <= int(response.headers["Retry-After"]) <= 30
        assert response.json()["detail"] in UNAVAILABLE
    return response.status_code, response.json().get("error", "")


class CommitSwitch:
    """Makes every commit fail while `fail` is set, as when the database goes away."""

    fail = False

    def __call__(self, session: Session) -> None:
        if self.fail:
            raise OperationalError("COMMIT", {}, ConnectionError("server closed the connection"))


@pytest.fixture
def commits() -> Iterator[CommitSwitch]:
    switch = CommitSwitch()
    event.listen(Session, "before_commit", switch)
    yield switch
    event.remove(Session, "before_commit", switch)


def test_a_failed_commit_leaves_no_object_and_no_row(api: Api, commits: CommitSwitch) -> None:
    customer = api.customer()
    objects, rows = _objects(api), _versions(api)
    commits.fail = True
    assert _post(api.client, customer) == (503, "backend_unavailable")
    commits.fail = False
    assert _objects(api) == objects
    assert _versions(api) == rows


def test_a_commit_whose_answer_is_lost_keeps_its_object(api: Api) -> None:
    customer = api.customer()

    def arm(session: Session) -> None:
        if any(isinstance(found, DocumentVersion) for found in session.identity_map.values()):
            session.connection().info["lose the answer"] = True

    def lost(connection: Connection) -> None:
        if connection.info.pop("lose the answer", False):
            connection.connection.dbapi_connection.commit()  # type: ignore[union-attr]
            # The COMMIT landed; then the connection dropped before the answer came back.
            raise OperationalError(
                "COMMIT", {}, ConnectionError("connection lost"), connection_invalidated=True
            )

    event.listen(Session, "before_commit", arm)
    event.listen(api.backends.engine, "commit", lost)
    try:
        assert _post(api.client, customer) == (503, "backend_unavailable")
    finally:
        event.remove(api.backends.engine, "commit", lost)
        event.remove(Session, "before_commit", arm)
    assert _versions(api) == 1  # it was committed after all
    with unit_of_work(api.backends.sessions) as session:
        report = fixity.check(session, api.backends.store, grace=timedelta(0))
        row = session.scalars(select(DocumentVersion)).one()
    assert report.missing == []  # the object was not deleted under its row
    assert report.healthy
    assert api.client.get(f"/api/v1/documents/{row.document_id}/content").status_code == 200


def test_an_unreachable_key_service_stores_nothing(api: Api) -> None:
    customer = api.customer()
    objects, rows = _objects(api), _versions(api)
    api.backends.keys = TransitKeyProvider(url=f"http://127.0.0.1:{_closed_port()}", token="t")
    with TestClient(create_app(api.backends), headers=api.client.headers) as client:
        assert _post(client, customer) == (503, "backend_unavailable")
    assert _objects(api) == objects
    assert _versions(api) == rows


def test_an_unreachable_object_store_stores_nothing(api: Api) -> None:
    customer = api.customer()
    rows = _versions(api)
    real_store = api.backends.store
    api.backends.store = S3ObjectStore(
        endpoint=f"127.0.0.1:{_closed_port()}",
        access_key="k",
        secret_key="s",
        bucket="unreachable",
        secure=False,
    )
    with TestClient(create_app(api.backends), headers=api.client.headers) as client:
        assert _post(client, customer) == (503, "backend_unavailable")
    api.backends.store = real_store
    assert _versions(api) == rows


def test_an_offset_out_of_range_is_a_422_naming_it(api: Api) -> None:
    for path in ("/api/v1/customers", "/api/v1/documents", "/api/v1/borrowings"):
        for offset in ("99999999999999999999", str(2**63), "-1"):
            response = api.client.get(path, params={"offset": offset})
            assert response.status_code == 422, (path, offset, response.text)
            assert response.json()["error"] == "invalid_field"
            assert response.json()["detail"].startswith("offset:")
        assert api.client.get(path, params={"offset": 2**31 - 1}).status_code == 200


def test_fixity_finds_orphans_missing_and_altered_objects(api: Api) -> None:
    customer = api.customer()
    kept = api.upload(customer, fake_file("pdf", 5000))
    altered = api.upload(customer, fake_file("pdf", 6000))
    lost = api.upload(customer, fake_file("pdf", 7000))
    orphan = f"docs/{uuid.uuid4()}/1"
    api.backends.store.put(orphan, io.BytesIO(b"ciphertext nobody refers to"))
    store = api.backends.store
    altered_key, lost_key = f"docs/{altered['id']}/1", f"docs/{lost['id']}/1"
    damaged = bytearray(b"".join(store.get(altered_key)))
    damaged[-1] ^= 0xFF
    store.put(altered_key, io.BytesIO(bytes(damaged)))
    store.delete(lost_key)

    with unit_of_work(api.backends.sessions) as session:
        young = fixity.check(session, store, grace=timedelta(hours=1))
    assert orphan in young.orphans_recent  # could be an upload in flight: left alone
    assert orphan in _objects(api)
    with unit_of_work(api.backends.sessions) as session:
        report = fixity.check(session, store, grace=timedelta(0))
    assert orphan in report.orphans_removed
    assert orphan not in _objects(api)
    assert altered_key in report.corrupted
    assert lost_key in report.missing
    assert f"docs/{kept['id']}/1" not in report.corrupted + report.missing
    assert not report.healthy


# The embedded store only: the production servers are stopped in test_fault_servers.
@pytest.mark.parametrize("settings", ["embedded"], indirect=True)
def test_a_lost_objects_directory_is_unavailable_until_it_is_back(api: Api) -> None:
    customer = api.customer()
    content = fake_file("pdf", 30_000)
    kept = api.upload(customer, content)
    objects = api.backends.settings.data_dir / "objects"
    aside = objects.with_name("objects-unmounted")
    objects.rename(aside)
    objects.write_bytes(b"")  # a volume gone, and not even a directory in its place
    try:
        assert _post(api.client, customer) == (503, "backend_unavailable")
        read = api.client.get(f"/api/v1/documents/{kept['id']}/content")
        assert (read.status_code, read.json()["detail"]) == (503, "the object store is unavailable")
    finally:
        objects.unlink()
        aside.rename(objects)
    assert _post(api.client, customer) == (201, "")
    assert api.client.get(f"/api/v1/documents/{kept['id']}/content").content == content
    with unit_of_work(api.backends.sessions) as session:
        report = fixity.check(session, api.backends.store, grace=timedelta(0))
    assert report.healthy
    assert report.orphans_removed == report.unfinished_removed == []
    assert len(_objects(api)) == _versions(api) == 2
