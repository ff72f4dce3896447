"""Whether a process may start on the database's schema, and the `dangan migrate` step."""

from __future__ import annotations

from collections.abc import Callable

from archive_api.config import Settings
from storage import schema
from storage.db import make_engine

WAITING = "another `dangan migrate` holds the migration lock: waiting for it to finish"


class SchemaNotCurrent(Exception):
    """The database's schema is not the one this version expects; says what to run."""


def ready(settings: Settings, migrate: bool, echo: Callable[[str], object]) -> None:
    """Migrate the embedded database (any, when asked); else raise unless the schema is current.

    The embedded default keeps its one-command start. A server database is migrated by its own
    step, `dangan migrate`, so replicas starting together never race to migrate it.
    """
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    engine = make_engine(settings.sqlalchemy_url())
    try:
        if migrate or engine.dialect.name == "sqlite":
            schema.migrate(engine, lambda: echo(WAITING))
            return
        found = schema.state(engine)
    finally:
        engine.dispose()
    if not found.known:
        raise SchemaNotCurrent(
            f"the database schema is at {found.current}, which this version of Dangan does not"
            f" know (it expects {found.head}): a newer version migrated it"
        )
    if not found.is_current:
        raise SchemaNotCurrent(
            f"the database schema is at {found.current or 'nothing (a new database)'}, this"
            f" version needs {found.head}: run `dangan migrate` first (or `dangan serve"
            " --migrate` where one server starts alone)"
        )


def migrate(settings: Settings, echo: Callable[[str], object]) -> str:
    """Run the migrations under the lock; returns what was done, in a line."""
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    engine = make_engine(settings.sqlalchemy_url())
    try:
        before = schema.migrate(engine, lambda: echo(WAITING))
    finally:
        engine.dispose()
    if before.is_current:
        return f"the schema is at {before.head} already: nothing to do"
    return f"migrated the schema from {before.current or 'nothing'} to {before.head}"
