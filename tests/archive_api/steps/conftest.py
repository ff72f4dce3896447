"""Calling workflow steps directly, as the CLI and workers do: a session, an Access, an Actor."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from access.authz import Access
from access.roles import roles_of
from archive_api.config import Settings
from storage import auditlog
from storage.auditevent import Actor
from storage.db import unit_of_work
from storage.models import User
from tests.archive_api.conftest import Api, embedded_settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The embedded deployment only: a step does not care where its rows are kept."""
    return embedded_settings(tmp_path / "data")


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every audit event appended from now on, in order (clear it before the step under test)."""
    found: list[dict[str, Any]] = []
    real = auditlog.append

    def append(session: Session, event: dict[str, Any]) -> Any:
        found.append(event)
        return real(session, event)

    monkeypatch.setattr(auditlog, "append", append)
    return found


@contextmanager
def acting(api: Api, username: str) -> Iterator[tuple[Session, Access, Actor]]:
    """One unit of work as `username`: committed at the end, rolled back if the step raises."""
    with unit_of_work(api.backends.sessions) as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        policy = Access(api.backends.authorizer.rules(session), user)
        actor = Actor.of(user, roles_of(session, user), {"address": "test"})
        yield session, policy, actor
