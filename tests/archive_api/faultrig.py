"""A Dangan served over HTTP on real servers, for the fault tests, and what they check."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
import hvac
import sqlalchemy as sa
from sqlalchemy import select

from archive_api.backends import Backends
from storage import fixity
from storage.db import unit_of_work
from storage.models import DocumentVersion
from storage.s3store import PART_SIZE
from tests.servers import Server, postgres_server

BOUNDARY = "dangan-fault-test"


def token(http: httpx.Client, username: str, password: str) -> dict[str, str]:
    """The header that signs a client's requests in as the user."""
    response = http.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@dataclass
class Rig:
    """The app served over HTTP on real servers, an archivist's client, what was committed."""

    http: httpx.Client
    backends: Backends
    s3: Server
    kms: Server
    kms_root: hvac.Client  # an operator's, to seal the key service
    database: str
    customer: str = ""
    kept: dict[str, bytes] = field(default_factory=dict)

    def upload(self, content: bytes) -> httpx.Response:
        """Post a contract; a document created is remembered with its content."""
        response = self.http.post(
            f"/api/v1/customers/{self.customer}/documents",
            data={"doc_type": "contract", "title": "合同"},
            files={"file": ("c.pdf", content, "application/pdf")},
        )
        if response.status_code == 201:
            self.kept[response.json()["id"]] = content
        return response

    def database_away(self, away: bool) -> None:
        """Refuse new connections to the test's database and cut the open ones, or allow again."""
        admin = sa.create_engine(postgres_server(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            allow = "false" if away else "true"
            connection.execute(
                sa.text(f'ALTER DATABASE "{self.database}" ALLOW_CONNECTIONS {allow}')
            )
            if away:
                connection.execute(
                    sa.text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": self.database},
                )
        admin.dispose()


def refused(response: httpx.Response, service: str) -> None:
    """A 503 that names `service` and nothing else, and asks to retry soon."""
    assert response.status_code == 503, response.text
    assert response.json() == {
        "error": "backend_unavailable",
        "detail": f"{service} is unavailable",
    }
    assert 1 <= int(response.headers["Retry-After"]) <= 30


def consistent(rig: Rig) -> fixity.FixityReport:
    """The fixity check finds nothing wrong and leaves every row with its object and no other."""
    store = rig.backends.store
    with unit_of_work(rig.backends.sessions) as session:
        report = fixity.check(session, store, grace=timedelta(0))
        rows = set(session.scalars(select(DocumentVersion.object_key)))
    assert report.missing == report.corrupted == []
    assert {info.key for info in store.list("docs/")} == rows
    assert list(store.leftovers("docs/")) == []
    assert len(rows) == len(rig.kept)
    for document, content in rig.kept.items():
        response = rig.http.get(f"/api/v1/documents/{document}/content")
        assert response.status_code == 200, response.text
        assert response.content == content
    return report


def reads(rig: Rig, document: str) -> tuple[httpx.Response, httpx.Response]:
    """The document's content and its first page image."""
    return (
        rig.http.get(f"/api/v1/documents/{document}/content"),
        rig.http.get(f"/api/v1/documents/{document}/pages/1"),
    )


def form(content: Iterator[bytes]) -> Iterator[bytes]:
    """A multipart body whose file part is sent as `content` yields it."""
    for name, value in (("doc_type", "contract"), ("title", "合同")):
        yield (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        ).encode()
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    yield from content
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def interrupted(rig: Rig, data: bytes, fault: Callable[[], None]) -> httpx.Response:
    """Upload `data` slowly; once the archive is storing it, `fault`, then send the rest."""

    def content() -> Iterator[bytes]:
        step = 1 << 20
        for offset in range(0, len(data), step):
            yield data[offset : offset + step]
            if offset == PART_SIZE + step:  # the first part is on its way to the store
                deadline = time.monotonic() + 20
                while not list(rig.backends.store.leftovers("docs/")):
                    assert time.monotonic() < deadline, "the upload never reached the store"
                    time.sleep(0.05)
                fault()

    return rig.http.post(
        f"/api/v1/customers/{rig.customer}/documents",
        content=form(content()),
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
