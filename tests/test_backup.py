"""`dangan backup` and `dangan restore` on the embedded default, taken while the archive writes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner, Result

from access.identity import ensure_admin
from archive_api.app import create_app
from archive_api.backends import Backends, connect
from archive_api.cli import app as cli
from storage import audit_verify, auditlog, fixity
from storage.auditexport import ExportFilter, export
from storage.crypto import public_key_pem
from storage.db import unit_of_work
from storage.models import Document
from storage.models.audit import AuditEvent
from tests.archive_api.conftest import (
    ADMIN_PASSWORD,
    USER_PASSWORD,
    add_user,
    embedded_settings,
    sign_in,
)
from tests.factories import MARKER, fake_file, random_uscc

DANGAN = str(Path(sys.executable).with_name("dangan"))


def dangan_process(*argv: str) -> subprocess.CompletedProcess[str]:
    """Run a `dangan` command in a process of its own, with nothing configured but `argv`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANGAN_")}
    return subprocess.run(
        [DANGAN, *argv], env=env, capture_output=True, text=True, check=False, timeout=300
    )


def dangan(*argv: str) -> Result:
    """Run a `dangan` command in this process (quicker where no second process is needed)."""
    return CliRunner().invoke(cli, list(argv))


def upload(client: TestClient, customer: str, content: bytes) -> str:
    """Upload a contract as the signed-in archivist; returns the document id."""
    response = client.post(
        f"/api/v1/customers/{customer}/documents",
        data={"doc_type": "contract", "title": "购销合同"},
        files={"file": ("contract.pdf", content, "application/pdf")},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def archive(backends: Backends) -> tuple[TestClient, str]:
    """The archive's app with an archivist signed in, and a customer of theirs."""
    with unit_of_work(backends.sessions) as session:
        ensure_admin(session, ADMIN_PASSWORD)
    app = create_app(backends)
    with TestClient(app) as admin:
        sign_in(admin, "admin", ADMIN_PASSWORD)
        department = admin.post(
            "/api/v1/admin/departments", json={"code": "archive", "name": "档案室"}
        ).json()["id"]
        add_user(admin, "archivist", department, "secret", "archivist")
    client = TestClient(app)
    sign_in(client, "archivist", USER_PASSWORD)
    customer = client.post("/api/v1/customers", json={"name": "客户甲", "uscc": random_uscc()})
    return client, str(customer.json()["id"])


def assert_whole(restored: Backends, uploaded: dict[str, bytes], trusted_key: bytes) -> int:
    """Fixity clean, the audit log verifies under the trusted key, every document byte-exact."""
    with unit_of_work(restored.sessions) as session:
        report = fixity.check(session, restored.store, timedelta(0))
        documents = [str(found) for found in session.scalars(select(Document.id))]
    assert report.healthy, report
    assert report.checked == len(documents)
    auditlog.seal(restored.sessions, restored.audit_key)
    bundle = restored.settings.data_dir.parent / f"audit-{uuid.uuid4().hex}.zip"
    everything = ExportFilter(datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
    with unit_of_work(restored.sessions) as session, bundle.open("wb") as out:
        export(session, restored.audit_key, everything, out)
    audit_verify.verify(str(bundle), trusted_key)  # raises Failure at the first broken place
    with TestClient(create_app(restored)) as reader:
        sign_in(reader, "archivist", USER_PASSWORD)
        for document in documents:
            content = reader.get(f"/api/v1/documents/{document}/content")
            assert content.status_code == 200, content.text
            assert content.content == uploaded[document]
    return len(documents)


def actions(backends: Backends) -> list[str]:
    """The actions in the archive's audit log, once everything pending is chained."""
    auditlog.catch_up(backends.sessions)
    with unit_of_work(backends.sessions) as session:
        return list(session.scalars(select(AuditEvent.action)))


class Uploader(threading.Thread):
    """Uploads one document after another until told to stop."""

    def __init__(self, client: TestClient, customer: str) -> None:
        super().__init__(daemon=True)
        self.client, self.customer = client, customer
        self.uploaded: dict[str, bytes] = {}
        self.stop = threading.Event()
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                content = fake_file("pdf", 150_000 + len(self.uploaded) * 7919)
                self.uploaded[upload(self.client, self.customer, content)] = content
        except BaseException as error:  # reported by the test, not lost in the thread
            self.failure = error

    def wait_for(self, count: int) -> None:
        while len(self.uploaded) < count:
            assert self.failure is None, self.failure
            assert self.is_alive()
            self.stop.wait(0.05)


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[Backends]:
    """The embedded default on a fresh data directory."""
    found = connect(embedded_settings(tmp_path / "data"))
    yield found
    found.close()


def test_a_backup_taken_while_uploading_restores_a_whole_archive(
    embedded: Backends, tmp_path: Path
) -> None:
    client, customer = archive(embedded)
    data = embedded.settings.data_dir
    before = {upload(client, customer, content): content for content in [fake_file("pdf", 3 << 20)]}
    # An orphan (an upload that never committed) and a put still in flight: neither is taken.
    orphan = data / "objects" / "docs" / str(uuid.uuid4()) / "1"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"never committed")
    (orphan.parent / ".partial-2-0a1b2c").write_bytes(b"half written")
    uploader = Uploader(client, customer)
    uploader.start()
    uploader.wait_for(2)
    backup = tmp_path / "dangan.backup"
    # A process of its own, as an operator's would be, beside the one serving.
    taken = dangan_process("backup", "--data-dir", str(data), "-o", str(backup))
    during = len(uploader.uploaded)
    assert during > 2  # uploads went on while the backup was taken
    uploader.wait_for(during + 2)  # and after it
    uploader.stop.set()
    uploader.join()
    assert uploader.failure is None
    assert taken.returncode == 0, taken.stderr
    assert backup.stat().st_mode & 0o777 == 0o600
    with tarfile.open(backup) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        assert all(MARKER not in tar.extractfile(m).read() for m in tar.getmembers())  # type: ignore[union-attr]
    assert {"dangan.db", "keyring.json", "audit-ed25519.pem"} <= set(names)
    assert not any(".partial-" in name or str(orphan.parent.name) in name for name in names)
    assert set(manifest["members"]) == set(names) - {"manifest.json"}
    assert manifest["rows"]["document_version"] >= 1 + 2

    restored_dir = tmp_path / "restored"
    restored = dangan("restore", str(backup), "--data-dir", str(restored_dir))
    assert restored.exit_code == 0, restored.stderr
    assert restored_dir.stat().st_mode & 0o777 == 0o700
    for path in restored_dir.rglob("*"):
        assert path.stat().st_mode & 0o777 == (0o700 if path.is_dir() else 0o600), path
    again = connect(embedded_settings(restored_dir))
    trusted = public_key_pem(embedded.audit_key)
    count = assert_whole(again, before | uploader.uploaded, trusted)
    # Taking and restoring a backup copies every document: both are in the audit log.
    assert "archive:backup:restore" in actions(again)
    again.close()
    assert "archive:backup:create" in actions(embedded)
    # Everything committed before the backup began is there; nothing committed is half there.
    assert count >= 1 + 2
    assert count == manifest["rows"]["document"]


def _small_backup(embedded: Backends, tmp_path: Path) -> Path:
    client, customer = archive(embedded)
    upload(client, customer, fake_file("pdf", 40_000))
    backup = tmp_path / "small.backup"
    taken = dangan("backup", "--data-dir", str(embedded.settings.data_dir), "-o", str(backup))
    assert taken.exit_code == 0, taken.stderr
    return backup


def test_a_tampered_backup_is_refused_naming_the_member(embedded: Backends, tmp_path: Path) -> None:
    backup = _small_backup(embedded, tmp_path)
    damaged = tmp_path / "damaged.backup"
    with tarfile.open(backup) as old, tarfile.open(damaged, "w") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith("objects/"):
                name, data = member.name, data[:100] + bytes([data[100] ^ 1]) + data[101:]
            new.addfile(member, io.BytesIO(data))
    target = tmp_path / "restored"
    refused = dangan("restore", str(damaged), "--data-dir", str(target))
    assert refused.exit_code == 1
    assert f"member {name} does not match the manifest" in refused.stderr
    assert not target.exists() or not any(target.iterdir())  # nothing was written
    # A backup cut short (a copy that did not finish) loses its manifest, written last.
    short = tmp_path / "short.backup"
    short.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    refused = dangan("restore", str(short), "--data-dir", str(target))
    assert refused.exit_code == 1
    assert refused.stderr.startswith("error: the backup ")
    assert not target.exists() or not any(target.iterdir())
    missing = dangan("restore", str(tmp_path / "none.backup"), "--data-dir", str(target))
    assert missing.stderr.strip() == f"error: No such file or directory: {tmp_path}/none.backup"


def test_restore_refuses_a_data_directory_in_use(embedded: Backends, tmp_path: Path) -> None:
    backup = _small_backup(embedded, tmp_path)
    refused = dangan("restore", str(backup), "--data-dir", str(embedded.settings.data_dir))
    assert refused.exit_code == 1
    assert "not empty" in refused.stderr
    # Nor an audit signing key kept outside the data directory, which would be overwritten.
    key = embedded.settings.audit_key_path()
    elsewhere = {"DANGAN_AUDIT_KEY_FILE": str(key)}
    command = ["restore", str(backup), "--data-dir", str(tmp_path / "new")]
    refused = CliRunner().invoke(cli, command, env=elsewhere)
    assert (refused.exit_code, refused.stderr.strip()) == (
        1,
        "error: an audit signing key is at DANGAN_AUDIT_KEY_FILE already",
    )
    assert not (tmp_path / "new").exists()
    # Nor does a backup overwrite an earlier one.
    again = dangan("backup", "--data-dir", str(embedded.settings.data_dir), "-o", str(backup))
    assert (again.exit_code, again.stderr.strip()) == (
        1,
        "error: the backup file exists already; choose a new name",
    )


def test_a_backup_is_refused_when_a_stored_object_was_altered(
    embedded: Backends, tmp_path: Path
) -> None:
    client, customer = archive(embedded)
    upload(client, customer, fake_file("pdf", 40_000))
    (stored,) = [p for p in (embedded.settings.data_dir / "objects").rglob("*") if p.is_file()]
    stored.write_bytes(stored.read_bytes()[:-1] + b"!")
    backup = tmp_path / "altered.backup"
    refused = dangan("backup", "--data-dir", str(embedded.settings.data_dir), "-o", str(backup))
    assert refused.exit_code == 1
    key = stored.relative_to(embedded.settings.data_dir / "objects").as_posix()
    assert f"object {key} does not match its recorded hash" in refused.stderr
    assert not backup.exists()
    assert list(tmp_path.glob(".backup-*")) == []


def test_backup_refuses_a_production_deployment(tmp_path: Path) -> None:
    production = {"DANGAN_DATABASE_URL": "postgresql+psycopg://dangan@127.0.0.1:1/dangan"}
    for argv in (["backup", "-o", str(tmp_path / "b")], ["restore", str(tmp_path / "b")]):
        command = [*argv, "--data-dir", str(tmp_path / "d")]
        refused = CliRunner().invoke(cli, command, env=production)
        assert refused.exit_code == 1
        assert "docs/operations.md" in refused.stderr
    assert list(tmp_path.iterdir()) == []
