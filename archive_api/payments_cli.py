"""`dangan payments import`: import customers' transactions now and print the report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from archive_api.cli_common import DataDir, open_backends, refusals_in_one_line
from archive_api.payments_round import import_now, summary
from storage.auditevent import Actor

payments_app = typer.Typer(
    help="Import customers' transactions from the ERP and finance systems.",
    no_args_is_help=True,
)


@payments_app.command("import")
def payments_import(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="A CSV/XLSX file or a folder; default the drop folder and the view configured "
            "by DANGAN_PAYMENTS_*.",
            exists=True,
        ),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Import new transactions and print, per file or view, what was imported, updated, left
    unchanged and rejected (row and reason); exit 1 if a file was refused whole."""
    backends = open_backends(data_dir)
    try:
        with refusals_in_one_line():
            reports = import_now(backends, Actor.local("dangan payments import"), path)
    finally:
        backends.close()
    if not reports:
        typer.echo("nothing to import", err=True)
    for report in reports:
        if report.skipped:
            typer.echo(f"{report.origin}: skipped, imported before (same SHA-256)")
            continue
        typer.echo(f"{report.origin}: {report.problem or summary(report)}")
        for rejected in report.rejected:
            typer.echo(f"  row {rejected.row}: {rejected.reason}")
    if any(report.problem for report in reports):
        raise typer.Exit(1)
