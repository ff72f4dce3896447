"""Throttling failed sign-ins, per user name and per client address.

Invariants: the check runs before the password is verified, so once the limit is reached even
the right password is refused until the window has passed; unknown and known user names are
counted and answered alike; failures are recorded in a transaction of their own, so the
refused request's rollback does not erase them.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from access.config import AccessSettings
from access.errors import TooManyAttempts
from storage.models import LoginFailure
from storage.models.base import utcnow


def check(session: Session, settings: AccessSettings, username: str, address: str) -> None:
    """Refuse with 429 while the user name or the address has too many recent failures."""
    since = utcnow() - settings.login_window
    recent = select(func.count()).select_from(LoginFailure).where(LoginFailure.at >= since)
    by_user = session.scalar(recent.where(LoginFailure.username == username)) or 0
    by_address = session.scalar(recent.where(LoginFailure.address == address)) or 0
    if (
        by_user >= settings.login_max_failures_per_user
        or by_address >= settings.login_max_failures_per_address
    ):
        seconds = int(settings.login_window / timedelta(seconds=1))
        raise TooManyAttempts(
            "too many failed sign-ins; try again later", headers={"Retry-After": str(seconds)}
        )


def record_failure(sessions: sessionmaker[Session], username: str, address: str) -> None:
    """Count one failed sign-in, committed at once."""
    with sessions() as session:
        session.add(LoginFailure(username=username[:64], address=address[:64]))
        session.commit()
