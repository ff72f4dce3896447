"""The background work of one process: `dangan worker`, or `dangan serve` where it does its own
(DANGAN_BACKGROUND, by default the embedded default only).

On PostgreSQL: the audit sequencer thread and a worker of the job queue (archive_api.queue).
The sequencer stays a thread, not a task: it chains one continuous log, leader-elected by its
advisory lock every half second, and a job every half second would only add the queue's
latency and its rows. Embedded (SQLite): threads polling for the same work the tasks do, calling
the same functions (see archive_api.queue's docstring for why not an in-memory queue).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from datetime import date

from archive_api import queue
from archive_api.backends import Backends
from archive_api.extractor import Extractor, Indexer
from archive_api.payments_round import PaymentsImporter, configured
from archive_api.postman import Postman
from archive_api.sequencer import Sequencer
from archive_api.worker import Worker

logger = logging.getLogger(__name__)


class Rounds:
    """The process's background work, started and stopped together; each part is safe beside
    the same parts of other processes."""

    def __init__(self, backends: Backends) -> None:
        # The sequencer stops last: it chains what the others recorded while stopping.
        self._workers: list[Worker | QueueWorker] = [Sequencer(backends)]
        if backends.settings.database_url is not None:
            self._workers.append(QueueWorker(backends))
            return
        self._workers += [Postman(backends), Extractor(backends), Indexer(backends)]
        if configured(backends):
            self._workers.insert(1, PaymentsImporter(backends))
        if backends.settings.fixity_check_hour is not None:
            self._workers.append(FixityRound(backends))

    def start(self) -> None:
        """Begin every round."""
        for worker in self._workers:
            worker.start()

    def alive(self) -> bool:
        """Whether every part still runs (a queue worker that could not go on has ended)."""
        return all(worker.alive() for worker in self._workers)

    def stop(self) -> None:
        """Stop every round, the sequencer last."""
        for worker in reversed(self._workers):
            worker.stop()


class QueueWorker:
    """A worker of the job queue on a thread of its own, with its own event loop; stopping it
    lets the jobs under way finish (up to the reading time limit)."""

    def __init__(self, backends: Backends) -> None:
        self._backends = backends
        self._thread = threading.Thread(target=self._run, name="queue-worker", daemon=True)
        self._started = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Begin taking jobs."""
        self._thread.start()
        self._started.wait()

    def alive(self) -> bool:
        """Whether the worker still runs."""
        return self._thread.is_alive()

    def stop(self) -> None:
        """Take no more jobs; return when those under way are done."""
        if self._loop is not None and self._task is not None:
            self._loop.call_soon_threadsafe(self._task.cancel)
        self._thread.join(timeout=self._backends.settings.extract_timeout + 60)

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except Exception:  # the thread must say why it ended; the process goes on serving
            logger.exception("queue worker stopped")
        finally:
            self._started.set()

    async def _main(self) -> None:
        self._loop, self._task = asyncio.get_running_loop(), asyncio.current_task()
        self._started.set()
        # Cancelled when asked to stop, once the worker has finished its jobs.
        with contextlib.suppress(asyncio.CancelledError):
            await queue.work(self._backends, install_signal_handlers=False)


class FixityRound(Worker):
    """The embedded default's daily fixity check, at `DANGAN_FIXITY_CHECK_HOUR` (UTC)."""

    name = "fixity"

    def __init__(self, backends: Backends) -> None:
        super().__init__(backends, 300)
        self._checked_on: date | None = None

    def round(self) -> None:
        """Check once a day, in the configured hour."""
        now = self._backends.clock()
        if now.hour != self._backends.settings.fixity_check_hour or self._checked_on == now.date():
            return
        report = queue.run_fixity_check(self._backends)
        self._checked_on = now.date()
        if not report.healthy:
            logger.error("fixity: problems found, run `dangan fixity check`")
