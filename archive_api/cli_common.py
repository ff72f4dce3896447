"""What the `dangan` commands share: the data directory option, the backends, one-line refusals."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from access.rules import InvalidRules
from archive_api.backends import Backends, connect
from archive_api.config import Settings
from ingest.categories import InvalidCategories
from ingest.rating import InvalidCreditPolicy
from ingest.retention import InvalidRetention
from storage.errors import DanganError

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Data directory (default ./dangan-data, or DANGAN_DATA_DIR)."),
]


def open_backends(data_dir: Path | None) -> Backends:
    """The configured backends; a bad policy file is one line and exit 2."""
    settings = Settings() if data_dir is None else Settings(data_dir=data_dir)
    try:
        return connect(settings)
    except (InvalidRules, InvalidCreditPolicy, InvalidCategories, InvalidRetention) as error:
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
