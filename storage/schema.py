"""The schema's version: migrate it one migrator at a time, and tell whether it is current.

Invariant: at most one process runs migrations on a database at once. On PostgreSQL a
session-level advisory lock picks the one; a second migrator waits for it and then finds
nothing left to do. On SQLite a file lock beside the database does: SQLite's own locks
serialise single statements, not an upgrade (alembic runs SQLite DDL outside a transaction),
and an SQLite file is only ever opened from one machine, where `flock` is exact.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, func, inspect, select, text

from storage.db import MIGRATIONS, alembic_config

# "danm": apart from the audit sequencer's "dang" (storage/auditlog.py).
_LOCK = 0x64616E6D
# alembic's default table, which storage/migrations/env.py keeps.
_VERSION_TABLE = "alembic_version"
_CURRENT = text("SELECT version_num FROM alembic_version")


@dataclass(frozen=True)
class SchemaState:
    """Where a database's schema stands against this version's migrations."""

    current: str | None  # None: no schema at all (a new database)
    head: str
    known: bool  # False: migrated by a newer version, whose revision this one lacks

    @property
    def is_current(self) -> bool:
        """Whether the schema is exactly the one this version's code expects."""
        return self.current == self.head


@cache
def head() -> str:
    """The newest revision of this version's migrations."""
    heads = ScriptDirectory(str(MIGRATIONS)).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads, not one")
    return heads[0]


@cache
def _known() -> frozenset[str]:
    return frozenset(r.revision for r in ScriptDirectory(str(MIGRATIONS)).walk_revisions())


def state_of(connection: Connection) -> SchemaState:
    """The schema's state, read over an open connection.

    Read directly rather than through alembic's MigrationContext, which logs two lines each
    time: the readiness probe asks every few seconds.
    """
    current = None
    if inspect(connection).has_table(_VERSION_TABLE):
        current = connection.scalar(_CURRENT)
    return SchemaState(current, head(), current is None or current in _known())


def state(engine: Engine) -> SchemaState:
    """The schema's state of the database behind `engine`."""
    with engine.connect() as connection:
        return state_of(connection)


def migrate(engine: Engine, waiting: Callable[[], object] = lambda: None) -> SchemaState:
    """Bring the schema to the head under the migration lock; returns the state found first.

    `waiting` is called once if another migrator holds the lock, before waiting for it.
    """
    with _migration_lock(engine, waiting):
        before = state(engine)
        if not before.is_current:
            command.upgrade(alembic_config(engine), "head")
    return before


@contextmanager
def _migration_lock(engine: Engine, waiting: Callable[[], object]) -> Iterator[None]:
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            if not connection.scalar(select(func.pg_try_advisory_lock(_LOCK))):
                waiting()
                connection.scalar(select(func.pg_advisory_lock(_LOCK)))
            try:
                yield
            finally:
                connection.scalar(select(func.pg_advisory_unlock(_LOCK)))
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or database in (None, "", ":memory:"):
        yield  # a private in-memory database has one migrator by nature
        return
    lock = Path(database).with_name(Path(database).name + ".migrate-lock")
    with os.fdopen(os.open(lock, os.O_RDWR | os.O_CREAT, 0o600), "r+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield  # closing the file releases the lock
