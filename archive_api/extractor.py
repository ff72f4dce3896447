"""The extraction workers: threads that read statements and licenses, and text for search, out of
new uploads."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from archive_api.backends import Backends
from archive_api.metrics import EXTRACTIONS
from archive_api.worker import Worker
from ingest import tasks
from ingest.errors import ExtractionFailed
from ingest.textindex import KIND, forget_above
from storage.db import unit_of_work
from storage.errors import BackendUnavailable, DanganError

logger = logging.getLogger(__name__)


class Extractor(Worker):
    """Takes one waiting job at a time; the reading itself runs in a child process."""

    name = "extractor"
    kinds: tuple[str, ...] = tasks.READINGS

    def __init__(self, backends: Backends) -> None:
        super().__init__(backends, backends.settings.extract_every)

    def stop(self, wait: float = 60) -> None:
        """Stop after the job under way, which may take up to its time limit."""
        super().stop(wait=self._backends.settings.extract_timeout + 30)

    def run_once(self, only: uuid.UUID | None = None, takeover: bool = False) -> bool:
        """Take and finish one job (the job `only`, if given); False when none was waiting.

        `takeover`: the job queue found the worker of a `running` job dead, so it is taken now,
        not after the time limit."""
        backends = self._backends
        settings = backends.settings
        # A job still `running` after twice the time limit lost its worker: take it again.
        limit = timedelta(seconds=0 if takeover else 2 * settings.extract_timeout)
        with unit_of_work(backends.sessions) as session:
            job = tasks.claim(session, backends.clock(), limit, self.kinds, only)
            if job is None:
                return False
            job_id, kind, attempts = job.id, job.kind, job.attempts
            row = tasks.version_of(session, job)
            session.expunge(row)  # read after this transaction ends
        outcome: tasks.Outcome
        try:
            outcome = tasks.read(backends.store, backends.keys, row, kind, settings)
        except ExtractionFailed as failed:
            outcome = failed
        except BackendUnavailable:
            # The key service or the store is away: the job waits for the next round.
            logger.warning("extractor: a backend is unavailable, job %s will be retried", job_id)
            with unit_of_work(backends.sessions) as session:
                if (taken := tasks.still_ours(session, job_id, attempts)) is not None:
                    tasks.release(taken)
            EXTRACTIONS.labels(kind, "retry").inc()
            return False
        except DanganError as error:  # stored bytes missing or altered: this file fails
            outcome = ExtractionFailed(f"the stored file could not be read ({error.code})")
        with unit_of_work(backends.sessions) as session:
            if (taken := tasks.still_ours(session, job_id, attempts)) is None:
                logger.warning(
                    "extractor: job %s was taken again meanwhile; result dropped", job_id
                )
                return True
            tasks.finish(session, taken, outcome, backends.clock(), settings.search_max_secrecy)
        unread = isinstance(outcome, ExtractionFailed)
        EXTRACTIONS.labels(kind, "failed" if unread else "read").inc()
        return True

    def round(self) -> None:
        """Take jobs until none is waiting."""
        self.prepare()
        for _ in iter(self.run_once, False):
            if self.stopping:
                break

    def prepare(self) -> None:
        """Work due before a round's jobs (none for readings of figures)."""


class Indexer(Extractor):
    """Reads documents' text for search, apart from the figures so neither waits on the other."""

    name = "indexer"
    kinds = (KIND,)

    def prepare(self) -> None:
        """Drop the text of documents raised above the indexed level since the last round."""
        with unit_of_work(self._backends.sessions) as session:
            forget_above(session, self._backends.settings.search_max_secrecy)
