"""The notifications' background round: note overdue borrowings and, once a day, the upkeep
deadlines of customer files; e-mail what is unsent."""

from __future__ import annotations

import smtplib
from datetime import date

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from access.deadline_notices import announce
from access.notifications import notify_overdue, send_pending
from archive_api.backends import Backends
from archive_api.worker import Worker
from ingest import contract_deadlines, deadlines, handin_deadlines
from storage.auditevent import Actor, customer_target, record
from storage.auditnames import Action
from storage.db import only_one, unit_of_work
from storage.models import Customer, Deadline

# The round acts for nobody signed in: recorded as this machine's own work.
ROUND = Actor(id=None, client={"address": "local", "worker": "postman"})
# One postman at a time across processes: two would both send a message not yet marked sent.
LOCK = 0x706F7374  # "post"


class Postman(Worker):
    """Runs a round every `settings.notify_every` seconds; grants need no such round (they are
    checked at read time), only the messages do. The outbox keeps what was not sent."""

    name = "postman"
    expected = (SQLAlchemyError, OSError, smtplib.SMTPException)

    def __init__(self, backends: Backends) -> None:
        super().__init__(backends, backends.settings.notify_every)
        self._deadlines_on: date | None = None  # the day this process last found deadlines

    def run_once(self) -> tuple[int, int]:
        """One round: (borrowings newly noted overdue, e-mails sent)."""
        backends = self._backends
        now = backends.clock()
        with unit_of_work(backends.sessions) as session:
            late = notify_overdue(session, now) if only_one(session, LOCK) else 0
        with unit_of_work(backends.sessions) as session:
            sent = send_pending(session, backends.settings, now) if only_one(session, LOCK) else 0
        return late, sent

    def keep_deadlines(self) -> int:
        """Find today's deadlines, record and announce them; returns how many were announced.

        Once a day per process is enough (a deadline is a day); a second process, or a second
        run, finds them recorded and raises nothing new."""
        backends = self._backends
        today = backends.today()
        with unit_of_work(backends.sessions) as session:
            if not only_one(session, LOCK):
                return 0  # another process is finding them now; it records the day's
            found = deadlines.find(session, backends.categories.requirements, today)
            found += contract_deadlines.find(session, today)
            found += handin_deadlines.find(session, backends.calendar, backends.rules.zone, today)
            changed = deadlines.keep(session, found, today)
            for deadline, occasion in changed:
                _keep(session, deadline, occasion)
        self._deadlines_on = today
        return sum(1 for _, occasion in changed if occasion != "resolved")

    def round(self) -> None:
        """Note overdue borrowings and (first round of a day) the deadlines, send unsent mail."""
        if self._deadlines_on != self._backends.today():
            self.keep_deadlines()
        self.run_once()


def _keep(session: Session, deadline: Deadline, occasion: deadlines.Occasion) -> None:
    # Announced (raised or escalated) or resolved, each recorded with whom it told, never what.
    told = [] if occasion == "resolved" else announce(session, deadline, occasion == "overdue")
    action = Action.DEADLINE_RESOLVE if occasion == "resolved" else Action.DEADLINE_RAISE
    customer = session.get_one(Customer, deadline.customer_id)
    record(
        session, ROUND, action, "success", customer_target(customer), None,
        deadline=str(deadline.id), kind=deadline.kind, due_on=str(deadline.due_on),
        occasion=occasion, notified=[str(u) for u in told],
    )  # fmt: skip
