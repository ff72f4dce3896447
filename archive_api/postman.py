"""The notifications' background round: note overdue borrowings, e-mail what is unsent."""

from __future__ import annotations

import smtplib

from sqlalchemy.exc import SQLAlchemyError

from access.notifications import notify_overdue, send_pending
from archive_api.backends import Backends
from archive_api.worker import Worker
from storage.db import unit_of_work


class Postman(Worker):
    """Runs a round every `settings.notify_every` seconds; grants need no such round (they are
    checked at read time), only the messages do. The outbox keeps what was not sent."""

    name = "postman"
    expected = (SQLAlchemyError, OSError, smtplib.SMTPException)

    def __init__(self, backends: Backends) -> None:
        super().__init__(backends, backends.settings.notify_every)

    def run_once(self) -> tuple[int, int]:
        """One round: (borrowings newly noted overdue, e-mails sent)."""
        backends = self._backends
        now = backends.clock()
        with unit_of_work(backends.sessions) as session:
            late = notify_overdue(session, now)
        with unit_of_work(backends.sessions) as session:
            sent = send_pending(session, backends.settings, now)
        return late, sent

    def round(self) -> None:
        """Note overdue borrowings, send unsent mail."""
        self.run_once()
