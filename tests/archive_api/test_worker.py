"""`dangan worker`: a server on PostgreSQL only answers requests (unless DANGAN_BACKGROUND=true),
and a worker process on the same database does the background work: it chains the audit log and
reads what was uploaded, and stops cleanly when told to."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from access.identity import ensure_admin
from archive_api.app import create_app
from archive_api.backends import connect
from storage.auditlog import verify_stored
from storage.db import unit_of_work
from storage.models import AuditPending, Extraction
from storage.models.enums import ExtractionStatus
from tests.archive_api.conftest import (
    ADMIN_PASSWORD,
    USER_PASSWORD,
    add_user,
    cli_environment,
    production_settings,
    sign_in,
)
from tests.factories import fake_file, random_uscc
from tests.servers import KmsServer, S3Server

DANGAN = str(Path(sys.executable).with_name("dangan"))


def _until(condition: Callable[[], bool], what: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"waited {seconds} s for {what}")


def test_a_server_without_background_work_leaves_it_to_a_worker(
    tmp_path: Path, postgres_url: str, s3_server: S3Server, kms_server: KmsServer
) -> None:
    settings = production_settings(tmp_path / "data", postgres_url, s3_server, kms_server)
    # With a server database, a server does no background work unless told to.
    assert settings.background is None
    assert not settings.background_here()
    backends = connect(settings)
    with unit_of_work(backends.sessions) as session:
        ensure_admin(session, ADMIN_PASSWORD)

    def waiting() -> tuple[int, int]:
        """Audit events not yet chained, documents not yet read."""
        with unit_of_work(backends.sessions) as session:
            pending = session.scalar(select(func.count()).select_from(AuditPending)) or 0
            unread = session.scalar(
                select(func.count())
                .select_from(Extraction)
                .where(Extraction.status == ExtractionStatus.pending)
            )
        return pending, unread or 0

    with TestClient(create_app(backends)) as admin, TestClient(admin.app) as client:
        sign_in(admin, "admin", ADMIN_PASSWORD)
        department = admin.post(
            "/api/v1/admin/departments", json={"code": "w", "name": "销售一部"}
        ).json()["id"]
        add_user(admin, "archivist", department, "secret", "archivist")
        sign_in(client, "archivist", USER_PASSWORD)
        customer = client.post("/api/v1/customers", json={"name": "客户", "uscc": random_uscc()})
        uploaded = client.post(
            f"/api/v1/customers/{customer.json()['id']}/documents",
            data={"doc_type": "correspondence", "title": "函"},
            files={"file": ("letter.pdf", fake_file("pdf", 4000), "application/pdf")},
        )
        assert uploaded.status_code == 201, uploaded.text
        time.sleep(2)  # four of the sequencer's rounds, had the server run them
        pending, unread = waiting()
        assert pending > 0
        assert unread == 1

        env = cli_environment(settings) | {"DANGAN_DATA_DIR": str(settings.data_dir)}
        worker = subprocess.Popen([DANGAN, "worker"], env=env, stderr=subprocess.PIPE, text=True)
        try:
            _until(lambda: waiting() == (0, 0), "the worker to chain and read")
        finally:
            worker.send_signal(signal.SIGTERM)
            _, said = worker.communicate(timeout=90)
        assert worker.returncode == 0, said
        assert "dangan worker: stopped" in said
        # The chain the worker made holds, event by event.
        with unit_of_work(backends.sessions) as session:
            assert verify_stored(session) is None
    backends.close()


def test_the_embedded_default_keeps_its_background_work_in_serve(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "DANGAN_DATA_DIR": str(tmp_path / "data")}
    worker = subprocess.run(
        [DANGAN, "worker"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert worker.returncode == 2
    assert "does its background work in `dangan serve`" in worker.stdout + worker.stderr
    served = subprocess.run(
        [DANGAN, "serve"], env=env | {"DANGAN_BACKGROUND": "false"},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert served.returncode == 2
    assert served.stderr.startswith("error: ")
    assert "DANGAN_DATABASE_URL" in served.stderr


def test_a_bad_setting_is_named_in_one_line_without_its_value_or_the_others(
    tmp_path: Path,
) -> None:
    """Pydantic would print every setting given, database password included."""
    env = {
        "PATH": "/usr/bin:/bin",
        "DANGAN_DATA_DIR": str(tmp_path / "data"),
        "DANGAN_DATABASE_URL": "postgresql+psycopg://dangan:hunter2-secret@127.0.0.1:1/dangan",
        "DANGAN_KEY_BATCH_MAX_USES": "many",
    }
    served = subprocess.run(
        [DANGAN, "serve"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert served.returncode == 2
    assert served.stderr.splitlines() == [
        "error: DANGAN_KEY_BATCH_MAX_USES: Input should be a valid integer, unable to parse "
        "string as an integer"
    ]
