"""The payments' background round: import new files of the drop folder and the configured view
(`DANGAN_PAYMENTS_*`); `dangan payments import` does the same at once."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from archive_api.backends import Backends
from archive_api.worker import Worker
from ingest.payments import ImportReport, import_file, import_view, new_files
from storage.auditevent import Actor
from storage.db import only_one, unit_of_work

logger = logging.getLogger(__name__)

# The round acts for nobody signed in: recorded as this machine's own work.
ROUND = Actor(id=None, client={"address": "local", "worker": "payments"})
# One importer at a time across processes: two would both read a file not yet recorded.
LOCK = 0x70617973  # "pays"


def import_now(backends: Backends, actor: Actor, path: Path | None = None) -> list[ImportReport]:
    """Import `path` (a file, or a folder's new files), else the drop folder's new files and the
    configured view; each file, and the view, in a transaction of its own."""
    settings = backends.settings
    folder = path if path is not None else settings.payments_drop_dir
    files = [] if folder is None else new_files(folder) if folder.is_dir() else [folder]
    reports: list[ImportReport] = []
    for file in files:
        with unit_of_work(backends.sessions) as session:
            if not only_one(session, LOCK):
                return reports  # another process is importing now; it takes these files
            reports.append(import_file(session, actor, file))
    url, view = settings.payments_sql_url, settings.payments_sql_view
    if path is None and url is not None and view is not None:
        with unit_of_work(backends.sessions) as session:
            if only_one(session, LOCK):
                reports.append(import_view(session, actor, url.get_secret_value(), view))
    return reports


def configured(backends: Backends) -> bool:
    """Whether there is anything for the round to import from."""
    settings = backends.settings
    view = settings.payments_sql_url is not None and settings.payments_sql_view is not None
    return settings.payments_drop_dir is not None or view


class PaymentsImporter(Worker):
    """Runs a round every `settings.payments_every` seconds; a file seen before is skipped by
    its SHA-256, the view is read whole each round (unchanged rows stay unchanged)."""

    name = "payments"
    expected = (SQLAlchemyError, OSError)

    def __init__(self, backends: Backends) -> None:
        super().__init__(backends, backends.settings.payments_every)

    def round(self) -> None:
        """Import what is new; a line per run, counts only (the rows may be personal data)."""
        for report in import_now(self._backends, ROUND):
            if report.skipped:
                continue
            logger.info("payments: %s: %s", report.origin, report.problem or summary(report))


def summary(report: ImportReport) -> str:
    """The run's counts in one line."""
    return (
        f"{report.imported} imported, {report.updated} updated, {report.unchanged} unchanged,"
        f" {len(report.rejected)} rejected"
    )
