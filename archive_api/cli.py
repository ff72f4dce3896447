"""The `dangan` command."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from access.identity import ADMIN_USERNAME, ensure_admin
from archive_api.app import create_app
from archive_api.backends import Backends, connect
from archive_api.config import Settings
from storage import fixity
from storage.db import unit_of_work

app = typer.Typer(
    help="Dangan (档案): a secure archive for customer credit files.", no_args_is_help=True
)
fixity_app = typer.Typer(
    help="Check that stored documents are whole and unaltered.", no_args_is_help=True
)
app.add_typer(fixity_app, name="fixity")

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Data directory (default ./dangan-data, or DANGAN_DATA_DIR)."),
]


def _backends(data_dir: Path | None) -> Backends:
    settings = Settings() if data_dir is None else Settings(data_dir=data_dir)
    return connect(settings)


@app.command()
def serve(
    data_dir: DataDir = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Run the archive: migrate the database, create the first administrator, serve HTTP."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    backends = _backends(data_dir)
    with unit_of_work(backends.sessions) as session:
        admin_password = backends.settings.admin_password
        generated = ensure_admin(
            session, admin_password.get_secret_value() if admin_password else None
        )
    if generated:
        # Printed once to the console, never logged; the administrator should change it.
        typer.echo(f"Created user '{ADMIN_USERNAME}' with password: {generated}", err=True)
    uvicorn.run(create_app(backends), host=host, port=port, log_level="info")


@fixity_app.command("check")
def fixity_check(
    data_dir: DataDir = None,
    grace_minutes: Annotated[
        int, typer.Option(help="Leave unreferenced objects younger than this (uploads in flight).")
    ] = 60,
) -> None:
    """Re-hash every stored object, report missing or altered ones, remove orphans."""
    backends = _backends(data_dir)
    with unit_of_work(backends.sessions) as session:
        report = fixity.check(session, backends.store, timedelta(minutes=grace_minutes))
    typer.echo(f"checked {report.checked} stored versions")
    for label, keys in (
        ("missing", report.missing),
        ("corrupted", report.corrupted),
        ("orphan removed", report.orphans_removed),
        ("orphan kept (recent)", report.orphans_recent),
    ):
        for key in keys:
            typer.echo(f"{label}: {key}")
    typer.echo("OK" if report.healthy else "PROBLEMS FOUND")
    backends.close()
    if not report.healthy:
        raise typer.Exit(1)
