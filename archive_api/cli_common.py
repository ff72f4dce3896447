"""What the `dangan` commands share: the data directory option, the backends, one-line refusals."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from access.rules import InvalidRules
from archive_api import upgrade
from archive_api.backends import Backends, connect, policies
from archive_api.config import Settings
from ingest.categories import InvalidCategories
from ingest.numbering import InvalidNumbering
from ingest.rating import InvalidCreditPolicy
from ingest.retention import InvalidRetention
from ingest.workdays import InvalidCalendar
from storage.errors import DanganError

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Data directory (default ./dangan-data, or DANGAN_DATA_DIR)."),
]


def settings_for(data_dir: Path | None) -> Settings:
    """The settings, with `--data-dir` over `DANGAN_DATA_DIR` when given; a bad one is a line
    each naming the variable, and exit 2."""
    try:
        return Settings() if data_dir is None else Settings(data_dir=data_dir)
    except ValidationError as error:
        # Never the value given: it may be a password or a key (pydantic would print it).
        for problem in error.errors(include_input=False, include_url=False):
            names = ".".join(str(part) for part in problem["loc"])
            where = f"DANGAN_{names.upper()}: " if names else ""
            typer.echo(f"error: {where}{problem['msg']}", err=True)
        raise typer.Exit(2) from None


def open_backends(data_dir: Path | None) -> Backends:
    """The configured backends over a current schema (the embedded database is migrated); a bad
    policy file or a schema not current is one line and exit 2."""
    settings = settings_for(data_dir)
    with refused_at_start():
        policies(settings)  # before the schema: a bad file must leave nothing behind
        schema_ready(settings, migrate=False)
        return connect(settings, apply_migrations=False)


def schema_ready(settings: Settings, migrate: bool) -> None:
    """Migrate the embedded database (any, with `migrate`), else raise SchemaNotCurrent."""
    upgrade.ready(settings, migrate, lambda line: typer.echo(line, err=True))


@contextmanager
def refused_at_start() -> Iterator[None]:
    """A bad rules, credit policy, categories, retention, numbering or calendar file, or a schema
    not current, is one line and exit 2."""
    try:
        yield
    except (
        InvalidRules,
        InvalidCreditPolicy,
        InvalidCategories,
        InvalidRetention,
        InvalidNumbering,
        InvalidCalendar,
        upgrade.SchemaNotCurrent,
    ) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None


@contextmanager
def refusals_in_one_line() -> Iterator[None]:
    """A refused command is one line and exit 1, not a traceback."""
    try:
        yield
    except (DanganError, OSError) as error:
        # An OSError names a path the operator gave or the data directory's, nothing stored.
        reason = f"{error.strerror}: {error.filename}" if isinstance(error, OSError) else error
        typer.echo(f"error: {reason}", err=True)
        raise typer.Exit(1) from None
