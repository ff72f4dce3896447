"""Queueing the reading of new uploads on PostgreSQL: each `extraction` row written is deferred
as a procrastinate job once its transaction commits.

Invariant: a row has at most one job waiting (its queueing lock); a defer lost to a crash or an
outage between the commit and the queue is made again by the sweep (archive_api/queue.py), so
nothing here can fail a request.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable

import procrastinate
from procrastinate import exceptions
from sqlalchemy import event, make_url
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

from storage.models import Extraction

logger = logging.getLogger(__name__)

# The queues and tasks that read rows of `extraction`: figures (statements, licenses) and the
# text for search apart, so that neither waits on the other.
READINGS = ("readings", "read_extraction")
TEXT = ("text", "index_text")
_NEW = "dangan.new_extractions"  # the session's info key: rows flushed, not yet committed


def conninfo(database_url: str) -> str:
    """The psycopg connection string of a SQLAlchemy `postgresql+psycopg://` URL."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(False)


class Deferrer:
    """A procrastinate app of its own, synchronous, that only defers (request threads, the CLI,
    a worker's sweep); the worker's asynchronous app runs what it defers."""

    def __init__(self, database_url: str) -> None:
        connector = procrastinate.SyncPsycopgConnector(
            conninfo=conninfo(database_url), min_size=0, max_size=4
        )
        self.app = procrastinate.App(connector=connector)
        self.app.open()

    def extraction(self, rows: Iterable[tuple[uuid.UUID, str]]) -> int:
        """Defer the reading of each (id, kind) row not already waiting; how many were deferred.
        A row with a job already waiting keeps that one (its queueing lock)."""
        deferred = 0
        for row_id, kind in rows:
            queue, task = TEXT if kind == "text" else READINGS
            job = self.app.configure_task(task, queue=queue, queueing_lock=f"extraction:{row_id}")
            try:
                job.defer(extraction_id=str(row_id))
            except exceptions.AlreadyEnqueued:
                continue
            deferred += 1
        return deferred

    def watch(self, sessions: sessionmaker[Session]) -> None:
        """Defer the reading of every `extraction` row that a session of `sessions` commits."""
        event.listen(sessions, "after_flush", _note_new)
        event.listen(sessions, "after_commit", self._after_commit)
        event.listen(sessions, "after_soft_rollback", _forget_new)

    def close(self) -> None:
        """Release the queue's connections."""
        self.app.close()

    def _after_commit(self, session: Session) -> None:
        rows = session.info.pop(_NEW, None)
        if not rows:
            return
        try:
            self.extraction(rows)
        except exceptions.ProcrastinateException as error:
            # The rows stay `pending`: the sweep defers them within its period.
            logger.warning("queue: reading not deferred (%s), the sweep will", type(error).__name__)


def _note_new(session: Session, _: UOWTransaction) -> None:
    found = [(o.id, o.kind) for o in session.new if isinstance(o, Extraction)]
    if found:
        session.info.setdefault(_NEW, []).extend(found)


def _forget_new(session: Session, _: object) -> None:
    session.info.pop(_NEW, None)
