"""The background work as procrastinate tasks on PostgreSQL, run by `dangan worker` processes
(and by `dangan serve` with DANGAN_BACKGROUND=true): reading uploads, the postman, deadlines,
payments imports, the daily fixity check, key rewraps, and the sweeps that keep the queue whole.

Each task is a thin call into what the embedded default's threads call (archive_api.background):
the embedded default (SQLite) keeps those threads rather than procrastinate's in-memory
connector, which holds its jobs in one process's memory (lost at every restart), is not meant
to be deferred into from the request threads, and would need a periodic sweep of the table
anyway; the threads read the `extraction` table itself, which survives everything.

Invariants: an `extraction` row is read under its compare-and-set claim and its result written
only by the claim still holding it (`ingest.tasks.still_ours`), so a job run twice (retried,
re-deferred) never stores twice; overlapping tasks are kept apart by procrastinate locks and the
domain's advisory locks; a periodic task is deferred once per period however many workers run
(procrastinate's periodic defers are unique per task and timestamp); a job of a worker that
stopped heart-beating is retried by `retry_stalled`, and a row whose defer was lost is deferred
again by `sweep`.
"""

from __future__ import annotations

import logging
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import procrastinate
from procrastinate import JobContext, exceptions
from sqlalchemy import or_, select

from archive_api.backends import Backends
from archive_api.deferring import READINGS, TEXT, conninfo
from archive_api.extractor import Extractor, Indexer
from archive_api.keys_cli import rewrap_all
from archive_api.metrics import TASK_SECONDS
from archive_api.payments_round import PaymentsImporter, configured
from archive_api.postman import Postman
from ingest.textindex import forget_above
from storage import fixity, rotation
from storage.db import unit_of_work
from storage.models import Extraction, ExtractionStatus

logger = logging.getLogger(__name__)

UPKEEP = "upkeep"  # the queue of the periodic tasks and key rewraps
# Procrastinate's sixth cron field is the seconds.
SWEEP_CRON = "* * * * * */30"  # rows whose defer was lost wait at most this long
STALLED_CRON = "* * * * * */15"


def make_app(backends: Backends, connector: procrastinate.PsycopgConnector) -> procrastinate.App:
    """The worker's app: every task, the periodic ones on the periods the settings give."""
    settings = backends.settings
    app = procrastinate.App(connector=connector, periodic_defaults={"max_delay": 600})
    app.task(name=READINGS[1], queue=READINGS[0], pass_context=True)(read_extraction)
    app.task(name=TEXT[1], queue=TEXT[0], pass_context=True)(index_text)
    app.task(name="rewrap_keys", queue=UPKEEP, lock="keys", pass_context=True)(rewrap_keys)

    def periodic(function: Callable[..., Any], cron: str, lock: str | None = None) -> None:
        name = function.__name__
        task = app.task(name=name, queue=UPKEEP, lock=lock, pass_context=True)(function)
        app.periodic(cron=cron, periodic_id=name)(task)

    # The postman's two tasks share a lock: neither runs beside the other, nor beside itself.
    periodic(postman_round, cron_every(settings.notify_every), lock="postman")
    # Hourly, so the company's day (its own time zone) is caught within the hour; a day's
    # deadlines are recorded once, later runs of the day find nothing new.
    periodic(keep_deadlines, "0 * * * *", lock="postman")
    if configured(backends):
        periodic(import_payments, cron_every(settings.payments_every), lock="payments")
    if settings.fixity_check_hour is not None:
        periodic(check_fixity, f"0 {settings.fixity_check_hour} * * *", lock="fixity")
    periodic(sweep, SWEEP_CRON, lock="sweep")
    # No lock: a lock held by a job of a killed worker waits for this very task to free it.
    periodic(retry_stalled, STALLED_CRON)
    # Not procrastinate's own builtin task: its name changes with each App made in a process.
    periodic(remove_old_jobs, "17 3 * * *", lock="remove_old_jobs")
    return app


def cron_every(seconds: float) -> str:
    """A cron line for about every `seconds` (rounded to whole seconds, minutes or hours)."""
    if seconds < 60:
        return f"* * * * * */{max(1, round(seconds))}"
    if seconds < 3600:
        return f"*/{round(seconds / 60)} * * * *"
    return f"0 */{min(24, round(seconds / 3600))} * * *"


async def work(backends: Backends, install_signal_handlers: bool) -> None:
    """Run a worker of the queue until cancelled (or, with the handlers, SIGTERM / SIGINT); the
    job under way finishes first, up to the reading time limit."""
    settings = backends.settings
    if settings.database_url is None:
        raise RuntimeError("the job queue lives in a server database (DANGAN_DATABASE_URL)")
    connector = procrastinate.PsycopgConnector(
        conninfo=conninfo(settings.sqlalchemy_url()),
        min_size=1,
        max_size=settings.worker_concurrency + 2,  # the jobs', the listener's, the heartbeat's
    )
    app = make_app(backends, connector)
    stalled = settings.worker_stalled_after
    async with app.open_async():
        await app.run_worker_async(
            name=f"{socket.gethostname()}-{uuid.uuid4().hex[:6]}",
            concurrency=settings.worker_concurrency,
            shutdown_graceful_timeout=settings.extract_timeout + 30,
            install_signal_handlers=install_signal_handlers,
            update_heartbeat_interval=stalled / 6,
            stalled_worker_timeout=stalled,
            additional_context={"backends": backends},
        )


def _backends(context: JobContext) -> Backends:
    found: Backends = context.additional_context["backends"]
    return found


@contextmanager
def _timed(task: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        TASK_SECONDS.labels(task).observe(time.perf_counter() - start)


def read_extraction(context: JobContext, extraction_id: str) -> None:
    """Read one upload's statements or license (the row's claim guards against a second run);
    a retried job takes over the row at once: its worker is known dead."""
    with _timed(READINGS[1]):
        Extractor(_backends(context)).run_once(uuid.UUID(extraction_id), _retried(context))


def index_text(context: JobContext, extraction_id: str) -> None:
    """Read one document's text for search, as `read_extraction` does its figures."""
    with _timed(TEXT[1]):
        Indexer(_backends(context)).run_once(uuid.UUID(extraction_id), _retried(context))


def _retried(context: JobContext) -> bool:
    return context.job.attempts > 0


def postman_round(context: JobContext, timestamp: int) -> None:
    """Note overdue borrowings, e-mail what is unsent."""
    with _timed("postman_round"):
        Postman(_backends(context)).run_once()


def keep_deadlines(context: JobContext, timestamp: int) -> None:
    """Find, record and announce the day's deadlines."""
    with _timed("keep_deadlines"):
        Postman(_backends(context)).keep_deadlines()


def import_payments(context: JobContext, timestamp: int) -> None:
    """Import new files of the drop folder and the configured view."""
    with _timed("import_payments"):
        PaymentsImporter(_backends(context)).round()


def check_fixity(context: JobContext, timestamp: int) -> None:
    """Re-hash every stored object, as `dangan fixity check` does; counts only in the log."""
    with _timed("check_fixity"):
        report = run_fixity_check(_backends(context))
    logger.log(
        logging.INFO if report.healthy else logging.ERROR,
        "fixity: %d checked, %d missing, %d corrupted, %d without a custodian: %s",
        report.checked, len(report.missing), len(report.corrupted), len(report.unattended),
        "OK" if report.healthy else "PROBLEMS FOUND, run `dangan fixity check`",
    )  # fmt: skip


def run_fixity_check(backends: Backends) -> fixity.FixityReport:
    """One fixity check, leaving alone uploads of the last hour (as the command's default)."""
    with unit_of_work(backends.sessions) as session:
        return fixity.check(session, backends.store, timedelta(minutes=60))


def rewrap_keys(context: JobContext) -> None:
    """Rewrap every data key still under an earlier version of its key (`dangan keys rewrap
    --defer`); the rewrap skips rows already on the latest version, so a rerun is harmless."""
    backends = _backends(context)
    with _timed("rewrap_keys"):
        with unit_of_work(backends.sessions) as session:
            names = rotation.wrapping_keys(session)
        done = rewrap_all(backends, names, "dangan worker: rewrap_keys")
    logger.info("keys: rewrapped %d data keys, %d changed meanwhile", done.moved, done.changed)


def sweep(context: JobContext, timestamp: int) -> None:
    """Defer the reading of every row still waiting, or left `running` by a dead worker past
    the time limit (a defer lost between a commit and the queue); drop the search text of
    documents raised above the indexed level."""
    backends = _backends(context)
    settings = backends.settings
    limit = backends.clock() - timedelta(seconds=2 * settings.extract_timeout)
    stale = (Extraction.status == ExtractionStatus.running) & (Extraction.started_at < limit)
    with _timed("sweep"), unit_of_work(backends.sessions) as session:
        forget_above(session, settings.search_max_secrecy)
        waiting = or_(Extraction.status == ExtractionStatus.pending, stale)
        rows = session.execute(select(Extraction.id, Extraction.kind).where(waiting)).all()
    if rows and backends.queue is not None:
        backends.queue.extraction((row.id, row.kind) for row in rows)


async def retry_stalled(context: JobContext, timestamp: int) -> None:
    """Put back in the queue the jobs of workers that stopped heart-beating (killed, or cut
    off); each is retried once per stall, and the extraction's claim keeps its result single."""
    manager = context.app.job_manager
    after = _backends(context).settings.worker_stalled_after
    for job in await manager.get_stalled_jobs(seconds_since_heartbeat=after):
        try:
            await manager.retry_job(job)
        except exceptions.ProcrastinateException:
            continue  # it ended meanwhile, or another run retried it first
        logger.warning("queue: job %s (%s) of a stalled worker is retried", job.id, job.task_name)


async def remove_old_jobs(context: JobContext, timestamp: int) -> None:
    """Forget jobs that succeeded more than three days ago (failed ones stay, for the operator)."""
    await context.app.job_manager.delete_old_jobs(nb_hours=72)


def defer_rewrap(backends: Backends) -> None:
    """Queue a key rewrap for a worker."""
    if backends.queue is None:
        raise RuntimeError("the job queue lives in a server database (DANGAN_DATABASE_URL)")
    backends.queue.app.configure_task("rewrap_keys", queue=UPKEEP, lock="keys").defer()
