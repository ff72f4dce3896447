"""The extraction workers: threads that read statements and licenses, and text for search, out of
new uploads."""

from __future__ import annotations

import logging
from datetime import timedelta

from archive_api.backends import Backends
from archive_api.metrics import EXTRACTIONS
from archive_api.worker import Worker
from ingest import tasks
from ingest.errors import ExtractionFailed
from ingest.textindex import KIND, forget_above
from storage.db import unit_of_work
from storage.errors import BackendUnavailable, DanganError
from storage.models import Extraction

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

    def run_once(self) -> bool:
        """Take and finish one job; False when none was waiting."""
        backends = self._backends
        settings = backends.settings
        # A job still `running` after twice the time limit lost its worker: take it again.
        limit = timedelta(seconds=2 * settings.extract_timeout)
        with unit_of_work(backends.sessions) as session:
            job = tasks.claim(session, backends.clock(), limit, self.kinds)
            if job is None:
                return False
            job_id, kind = job.id, job.kind
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
                tasks.release(session.get_one(Extraction, job_id))
            EXTRACTIONS.labels(kind, "retry").inc()
            return False
        except DanganError as error:  # stored bytes missing or altered: this file fails
            outcome = ExtractionFailed(f"the stored file could not be read ({error.code})")
        with unit_of_work(backends.sessions) as session:
            job = session.get_one(Extraction, job_id)
            tasks.finish(session, job, outcome, backends.clock(), settings.search_max_secrecy)
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
