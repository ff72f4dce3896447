"""The job queue on PostgreSQL (archive_api.queue), with real `dangan worker` processes: a worker
killed mid-reading loses no job and stores no result twice; two workers send each notice once
and run each period's task once; a row never has two waiting jobs; a late result of a claim
taken over is dropped. And the embedded default still reads uploads with no worker at all."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from procrastinate import JobContext
from procrastinate.jobs import Job
from pydantic import SecretStr
from sqlalchemy import func, select, text, update

from access.identity import ensure_admin
from archive_api import queue
from archive_api.app import create_app
from archive_api.backends import Backends, connect
from archive_api.config import Settings
from archive_api.extractor import Extractor
from ingest import tasks
from storage.db import unit_of_work
from storage.models import Borrowing, Extraction, Notification, Statement, User
from storage.models.enums import ExtractionStatus
from tests.archive_api.conftest import (
    ADMIN_PASSWORD,
    USER_PASSWORD,
    Api,
    Cast,
    add_user,
    ask,
    audit_events,
    cli_environment,
    production_settings,
    sign_in,
)
from tests.archive_api.test_credit import YEARS
from tests.factories import random_uscc, sample_pdf
from tests.servers import postgres_database, postgres_server, smtp_server
from tests.statements import statement_pdf

DANGAN = str(Path(sys.executable).with_name("dangan"))
pytestmark = pytest.mark.timeout(600)


@pytest.fixture
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Production only: the queue lives in PostgreSQL."""
    template = request.getfixturevalue("migrated_postgres")
    with postgres_database(postgres_server(), template) as url:
        yield production_settings(
            tmp_path / "data",
            url,
            request.getfixturevalue("s3_server"),
            request.getfixturevalue("kms_server"),
        )


def _until(condition: Callable[[], bool], what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"waited {seconds} s for {what}")


def _worker(backends: Backends, log: Path, **variables: str) -> subprocess.Popen[str]:
    """A `dangan worker` on the same backends, in a process group of its own (with its readers),
    declared dead 3 s after its last heartbeat."""
    env = cli_environment(backends.settings) | {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DANGAN_DATA_DIR": str(backends.settings.data_dir),
        "DANGAN_WORKER_STALLED_AFTER": "3",
        **variables,
    }
    with log.open("a") as out:
        return subprocess.Popen(
            [DANGAN, "worker"], env=env, stdout=out, stderr=out, text=True, start_new_session=True
        )


def _stop(worker: subprocess.Popen[str], log: Path) -> None:
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=120)
    assert worker.returncode == 0, log.read_text()[-3000:]


def _row(backends: Backends, document: object, kind: str) -> Extraction:
    with unit_of_work(backends.sessions) as session:
        query = select(Extraction).where(
            Extraction.document_id == uuid.UUID(str(document)), Extraction.kind == kind
        )
        row = session.scalars(query).one()
        session.expunge(row)
        return row


def _jobs(backends: Backends, row: Extraction) -> list[tuple[str, str, int]]:
    """The queue's jobs of one row: (task, status, attempts)."""
    with unit_of_work(backends.sessions) as session:
        found = session.execute(
            text(
                "SELECT task_name, status::text, attempts FROM procrastinate_jobs"
                " WHERE queueing_lock = :lock ORDER BY id"
            ),
            {"lock": f"extraction:{row.id}"},
        )
        return [(t, s, a) for t, s, a in found]


def test_a_worker_killed_mid_reading_loses_no_job_and_stores_its_result_once(
    api: Api, tmp_path: Path
) -> None:
    backends = api.backends
    customer = api.customer()
    document = api.upload(customer, sample_pdf(), doc_type="financial_statement", title="年报")
    row = _row(backends, document["id"], "statements")
    # Deferred as the upload committed: one job, waiting.
    assert _jobs(backends, row) == [("read_extraction", "todo", 0)]

    def status() -> str:
        return _row(backends, document["id"], "statements").status

    first = _worker(backends, tmp_path / "first.log")
    try:
        _until(lambda: status() == ExtractionStatus.running, "the first worker to take the job")
        time.sleep(1)  # into the reading (OCR of a scan: seconds)
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # the worker and its reading child, at once
        first.wait()
    assert status() == ExtractionStatus.running, "the reading ended before the kill"
    assert _jobs(backends, row) == [("read_extraction", "doing", 0)]

    second = _worker(backends, tmp_path / "second.log")
    try:
        _until(lambda: status() == ExtractionStatus.done, "the second worker to read it", 240)
    finally:
        _stop(second, tmp_path / "second.log")
    # The same job, retried once (its worker stopped heart-beating), not a second job: started
    # twice (procrastinate counts each ending, the retry's too), succeeded once.
    assert _jobs(backends, row) == [("read_extraction", "succeeded", 2)]
    with unit_of_work(backends.sessions) as session:
        assert session.get_one(Extraction, row.id).attempts == 2
        stored = session.execute(
            select(Statement.type, Statement.scope, Statement.extraction_id).where(
                Statement.document_id == row.document_id
            )
        ).all()
    assert stored, "the statements of the scan were read"
    assert len(stored) == len(set(stored)), "a statement was stored twice"


def test_a_result_read_under_a_claim_taken_over_is_dropped(api: Api) -> None:
    backends = api.backends
    customer = api.customer("遵义电子有限公司")
    pdf = statement_pdf("遵义电子有限公司", 2023, YEARS[2023], YEARS[2022])
    document = api.upload(customer, pdf, doc_type="financial_statement", title="2023年报")
    row = _row(backends, document["id"], "statements")
    # A worker claims the row, then is thought dead (its heartbeat late) while it still reads.
    with unit_of_work(backends.sessions) as session:
        claimed = tasks.claim(session, backends.clock(), timedelta(hours=1), only=row.id)
        assert claimed is not None
        first_claim = claimed.attempts
    # The retried job takes the row over at once and stores what it read.
    assert Extractor(backends).run_once(row.id, takeover=True)
    with unit_of_work(backends.sessions) as session:
        # The first worker, finishing late, finds the row no longer its own: nothing is stored.
        assert tasks.still_ours(session, row.id, first_claim) is None
        count = select(func.count()).select_from(Statement)
        assert session.scalar(count.where(Statement.document_id == row.document_id)) == 3
    # Without a takeover, a row running under a fresh claim is left to its worker.
    with unit_of_work(backends.sessions) as session:
        session.execute(
            update(Extraction)
            .where(Extraction.id == row.id)
            .values(status=ExtractionStatus.running, started_at=backends.clock())
        )
    assert not Extractor(backends).run_once(row.id)


def test_a_row_never_has_two_waiting_jobs(api: Api) -> None:
    backends = api.backends
    document = api.upload(api.customer(), sample_pdf())  # a business license: two readings
    license_row = _row(backends, document["id"], "license")
    text_row = _row(backends, document["id"], "text")
    assert _jobs(backends, license_row) == [("read_extraction", "todo", 0)]
    assert _jobs(backends, text_row) == [("index_text", "todo", 0)]
    assert backends.queue is not None
    # The sweep defers rows still pending: those with a job waiting keep that one.
    rows = [(license_row.id, "license"), (text_row.id, "text")]
    assert backends.queue.extraction(rows) == 0
    assert _jobs(backends, license_row) == [("read_extraction", "todo", 0)]
    # The operator sees the queue's depth by task, and the readings waiting by kind.
    backends.settings.metrics_token = SecretStr("m" * 16)
    scraped = api.client.get("/metrics", headers={"Authorization": f"Bearer {'m' * 16}"}).text
    assert 'dangan_queue_jobs{status="todo",task="read_extraction"} 1.0' in scraped
    assert 'dangan_queue_jobs{status="todo",task="index_text"} 1.0' in scraped
    assert 'dangan_extractions_waiting{kind="license",status="pending"} 1.0' in scraped
    assert 'dangan_extractions_waiting{kind="statements",status="pending"} 0.0' in scraped


def test_the_sweep_defers_again_a_reading_whose_defer_was_lost(api: Api) -> None:
    backends = api.backends
    document = api.upload(api.customer(), sample_pdf())
    row = _row(backends, document["id"], "license")
    with unit_of_work(backends.sessions) as session:  # as if the process died after its commit
        session.execute(text("DELETE FROM procrastinate_jobs"))
    context = _context(backends, "sweep")
    queue.sweep(context, int(time.time()))
    assert _jobs(backends, row) == [("read_extraction", "todo", 0)]
    queue.sweep(context, int(time.time()))  # still waiting: not deferred twice
    assert _jobs(backends, row) == [("read_extraction", "todo", 0)]


def _context(backends: Backends, task: str) -> JobContext:
    """What a worker hands the task `task` it runs."""
    assert backends.queue is not None
    return JobContext(
        app=backends.queue.app,
        job=Job(id=1, queue="upkeep", lock=None, queueing_lock=None, task_name=task),
        start_timestamp=time.time(),
        additional_context={"backends": backends},
        abort_reason=lambda: None,
    )


def test_a_key_rewrap_is_queued_for_a_worker_and_audited_as_its_work(api: Api) -> None:
    backends = api.backends
    env = cli_environment(backends.settings) | {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DANGAN_DATA_DIR": str(backends.settings.data_dir),
    }
    queued = subprocess.run(
        [DANGAN, "keys", "rewrap", "--defer"], env=env, capture_output=True, text=True, check=False
    )
    assert queued.returncode == 0, queued.stderr
    assert "queued" in queued.stdout
    with unit_of_work(backends.sessions) as session:
        waiting = session.execute(
            text("SELECT task_name, status::text FROM procrastinate_jobs WHERE lock = 'keys'")
        ).all()
    assert [tuple(row) for row in waiting] == [("rewrap_keys", "todo")]
    queue.rewrap_keys(_context(backends, "rewrap_keys"))  # as the worker runs it
    [event] = [e for e in audit_events(backends) if e["action"] == "archive:keys:rewrap"]
    assert event["client"]["command"] == "dangan worker: rewrap_keys"


def test_two_workers_send_each_notice_once_and_run_each_period_once(
    api: Api, cast: Cast, tmp_path: Path
) -> None:
    backends = api.backends
    for name in ("head", "seller"):
        patched = api.admin.patch(
            f"/api/v1/admin/users/{cast.ids[name]}", json={"email": f"{name}@example.cn"}
        )
        assert patched.status_code == 200, patched.text
    customer = api.customer()
    document = str(api.upload(customer, sample_pdf())["id"])
    borrowing = ask(cast["seller"], document, customer).json()["id"]
    approved = cast["head"].post(f"/api/v1/borrowings/{borrowing}/approve", json={"reason": "好"})
    assert approved.status_code == 200, approved.text
    with unit_of_work(backends.sessions) as session:  # due an hour ago, by the real clock
        session.execute(update(Borrowing).values(due_at=datetime.now(UTC) - timedelta(hours=1)))

    with smtp_server() as (port, received):
        mail = {"DANGAN_SMTP_HOST": "127.0.0.1", "DANGAN_SMTP_PORT": str(port)}
        every = {"DANGAN_NOTIFY_EVERY": "1", **mail}
        logs = [tmp_path / "one.log", tmp_path / "two.log"]
        workers = [_worker(backends, log, **every) for log in logs]
        try:
            _until(lambda: len(_postman_periods(backends)) >= 6, "six postman periods", 180)
        finally:
            for worker, log in zip(workers, logs, strict=True):
                _stop(worker, log)
        inbox = sorted(m["To"] for m in received)

    periods = _postman_periods(backends)
    assert all(count == 1 for count in periods.values()), periods
    with unit_of_work(backends.sessions) as session:
        overdue = session.scalar(
            select(func.count()).select_from(Notification).where(Notification.kind == "overdue")
        )
        mailed = session.scalars(
            select(User.email)
            .join(Notification, User.id == Notification.user_id)
            .where(User.email.is_not(None))
        ).all()
        unsent = session.scalar(
            select(func.count())
            .select_from(Notification)
            .join(User, User.id == Notification.user_id)
            .where(User.email.is_not(None), Notification.sent_at.is_(None))
        )
    assert overdue == 2  # the borrower and the archivist, once each
    assert unsent == 0
    assert inbox == sorted(str(email) for email in mailed)  # each notification mailed once
    assert "seller@example.cn" in inbox  # the overdue notice


def _postman_periods(backends: Backends) -> dict[Any, int]:
    """How many postman jobs each period got."""
    with unit_of_work(backends.sessions) as session:
        found = session.execute(
            text(
                "SELECT args->>'timestamp', count(*) FROM procrastinate_jobs"
                " WHERE task_name = 'postman_round' GROUP BY 1"
            )
        )
        return {row[0]: row[1] for row in found}


def test_the_embedded_default_reads_an_upload_with_no_worker(
    tmp_path: Path, migrated_sqlite: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    shutil.copyfile(migrated_sqlite, data / "dangan.db")
    settings = Settings(_env_file=None, data_dir=data, extract_every=0.2)
    assert settings.background_here()
    backends = connect(settings)
    with unit_of_work(backends.sessions) as session:
        ensure_admin(session, ADMIN_PASSWORD)
    with TestClient(create_app(backends)) as admin, TestClient(admin.app) as client:
        sign_in(admin, "admin", ADMIN_PASSWORD)
        department = admin.post(
            "/api/v1/admin/departments", json={"code": "e", "name": "销售一部"}
        ).json()["id"]
        add_user(admin, "archivist", department, "secret", "archivist")
        sign_in(client, "archivist", USER_PASSWORD)
        customer = client.post("/api/v1/customers", json={"name": "客户", "uscc": random_uscc()})
        pdf = statement_pdf("客户", 2023, YEARS[2023], YEARS[2022])
        uploaded = client.post(
            f"/api/v1/customers/{customer.json()['id']}/documents",
            data={"doc_type": "financial_statement", "title": "2023年报"},
            files={"file": ("fs.pdf", pdf, "application/pdf")},
        )
        assert uploaded.status_code == 201, uploaded.text
        assert backends.queue is None  # no queue, no worker: the server's own threads read it

        def read() -> bool:
            row = _row(backends, uploaded.json()["id"], "statements")
            return row.status == ExtractionStatus.done

        _until(read, "the server's own extractor", 120)
    backends.close()


def test_a_server_told_to_runs_the_queue_in_its_own_process(backends: Backends) -> None:
    backends.settings.background = True  # DANGAN_BACKGROUND=true beside DANGAN_DATABASE_URL
    with TestClient(create_app(backends)) as admin, TestClient(admin.app) as client:
        sign_in(admin, "admin", ADMIN_PASSWORD)
        department = admin.post(
            "/api/v1/admin/departments", json={"code": "s", "name": "销售一部"}
        ).json()["id"]
        add_user(admin, "archivist", department, "secret", "archivist")
        sign_in(client, "archivist", USER_PASSWORD)
        customer = client.post("/api/v1/customers", json={"name": "客户", "uscc": random_uscc()})
        pdf = statement_pdf("客户", 2023, YEARS[2023], YEARS[2022])
        uploaded = client.post(
            f"/api/v1/customers/{customer.json()['id']}/documents",
            data={"doc_type": "financial_statement", "title": "2023年报"},
            files={"file": ("fs.pdf", pdf, "application/pdf")},
        )
        assert uploaded.status_code == 201, uploaded.text
        row = _row(backends, uploaded.json()["id"], "statements")
        _until(
            lambda: _jobs(backends, row) == [("read_extraction", "succeeded", 1)],
            "the server's own queue worker",
        )
    # The server stopped its worker with itself: no worker of it is left registered.
    with unit_of_work(backends.sessions) as session:
        workers = session.scalar(text("SELECT count(*) FROM procrastinate_workers"))
    assert workers == 0
