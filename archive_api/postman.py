"""The notifications' background round: note overdue borrowings, e-mail what is unsent."""

from __future__ import annotations

import logging
import smtplib
import threading

from sqlalchemy.exc import SQLAlchemyError

from access.notifications import notify_overdue, send_pending
from archive_api.backends import Backends
from storage.db import unit_of_work

logger = logging.getLogger(__name__)


class Postman:
    """A thread that runs a round every `settings.notify_every` seconds until stopped.

    Grants need no such round (they are checked at read time); only the messages do.
    """

    def __init__(self, backends: Backends) -> None:
        self._backends = backends
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="postman", daemon=True)

    def start(self) -> None:
        """Begin the rounds."""
        self._thread.start()

    def stop(self) -> None:
        """Stop after the round under way."""
        self._stop.set()
        self._thread.join(timeout=60)

    def run_once(self) -> tuple[int, int]:
        """One round: (borrowings newly noted overdue, e-mails sent)."""
        backends = self._backends
        now = backends.clock()
        with unit_of_work(backends.sessions) as session:
            late = notify_overdue(session, now)
        with unit_of_work(backends.sessions) as session:
            sent = send_pending(session, backends.settings, now)
        return late, sent

    def _run(self) -> None:
        while not self._stop.wait(self._backends.settings.notify_every):
            try:
                self.run_once()
            except (SQLAlchemyError, OSError, smtplib.SMTPException) as error:
                # The outbox keeps what was not sent; the next round tries again.
                logger.warning("postman: round failed (%s), will retry", type(error).__name__)
