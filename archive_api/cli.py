"""The `dangan` command."""

from __future__ import annotations

import json
import logging
import subprocess  # nosec B404 - only to name a failed build of the web UI
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from access.identity import ADMIN_USERNAME, admin_exists, ensure_admin
from access.rules import InvalidRules
from archive_api import webapp
from archive_api.app import create_app
from archive_api.backends import Backends, connect
from archive_api.config import Settings
from ingest.ocr import ocr_page
from ingest.rating import InvalidCreditPolicy
from ingest.statements import extract_pdf
from ingest.statements.report import as_json, as_table
from storage import audit_verify, auditlog, fixity
from storage.auditexport import ExportFilter, export
from storage.db import unit_of_work
from storage.errors import DanganError

app = typer.Typer(
    help="Dangan (档案): a secure archive for customer credit files.", no_args_is_help=True
)
fixity_app = typer.Typer(
    help="Check that stored documents are whole and unaltered.", no_args_is_help=True
)
app.add_typer(fixity_app, name="fixity")
audit_app = typer.Typer(
    help="Export and verify the tamper-evident audit log.", no_args_is_help=True
)
app.add_typer(audit_app, name="audit")

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Data directory (default ./dangan-data, or DANGAN_DATA_DIR)."),
]


def _backends(data_dir: Path | None) -> Backends:
    settings = Settings() if data_dir is None else Settings(data_dir=data_dir)
    try:
        return connect(settings)
    except (InvalidRules, InvalidCreditPolicy) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None


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
    try:
        webapp.ensure_built(lambda line: typer.echo(line, err=True))
    except (webapp.UnbuiltUi, subprocess.CalledProcessError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    backends = _backends(data_dir)
    with unit_of_work(backends.sessions) as session:
        admin_password = backends.settings.admin_password
        password = admin_password.get_secret_value() if admin_password else None
        existed = admin_exists(session)
        generated = ensure_admin(session, password)
    if generated:
        _announce(generated, f"http://{host}:{port}/")
    elif existed and password is not None:
        # The variable only names the first password; changing it later changes nothing.
        typer.echo(
            f"note: DANGAN_ADMIN_PASSWORD is ignored: '{ADMIN_USERNAME}' exists already "
            "(change its password in the UI or the admin API)",
            err=True,
        )
    uvicorn.run(create_app(backends), host=host, port=port, log_level="info")


def _announce(password: str, url: str) -> None:
    """Show the generated administrator password once, where it cannot be missed."""
    lines = [
        "Dangan's first administrator was created.",
        f"  user name: {ADMIN_USERNAME}",
        f"  password:  {password}",
        f"Next: open {url} , sign in, and change this password.",
        "It is shown only this once and is not logged.",
    ]
    width = max(len(line) for line in lines) + 2
    box = ["+" + "=" * width + "+", *(f"| {line.ljust(width - 1)}|" for line in lines)]
    typer.echo("\n".join(["", *box, box[0], ""]), err=True)


@fixity_app.command("check")
def fixity_check(
    data_dir: DataDir = None,
    grace_minutes: Annotated[
        int, typer.Option(help="Leave unreferenced objects younger than this (uploads in flight).")
    ] = 60,
) -> None:
    """Re-hash every stored object, report missing or altered ones and customers without an
    active custodian, remove orphans."""
    backends = _backends(data_dir)
    with unit_of_work(backends.sessions) as session:
        report = fixity.check(session, backends.store, timedelta(minutes=grace_minutes))
    typer.echo(f"checked {report.checked} stored versions")
    for label, keys in (
        ("missing", report.missing),
        ("corrupted", report.corrupted),
        ("customer without an active custodian", report.unattended),
        ("orphan removed", report.orphans_removed),
        ("orphan kept (recent)", report.orphans_recent),
    ):
        for key in keys:
            typer.echo(f"{label}: {key}")
    typer.echo("OK" if report.healthy else "PROBLEMS FOUND")
    backends.close()
    if not report.healthy:
        raise typer.Exit(1)


@audit_app.command("export")
def audit_export(
    since: Annotated[
        datetime, typer.Option(help="Start of the window (UTC unless a zone is given).")
    ],
    until: Annotated[datetime, typer.Option(help="End of the window, exclusive.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The bundle to write (.zip).")],
    actor: Annotated[uuid.UUID | None, typer.Option(help="Only this user's events.")] = None,
    customer: Annotated[uuid.UUID | None, typer.Option(help="Only this customer's.")] = None,
    data_dir: DataDir = None,
) -> None:
    """Write a signed, verifiable bundle of the audit log for a time window."""
    backends = _backends(data_dir)
    wanted = ExportFilter(_utc(since), _utc(until), actor, customer)
    with unit_of_work(backends.sessions) as session:
        # Exporting is itself audited; from the command line the actor is the local operator.
        auditlog.append(
            session,
            {
                "action": "audit:bundle:export",
                "outcome": "success",
                "actor": None,
                "client": {"address": "local", "command": "dangan audit export"},
                "target": {"filter": {"since": str(since), "until": str(until)}},
            },
        )
    auditlog.seal(backends.sessions, backends.audit_key)
    with unit_of_work(backends.sessions) as session, output.open("wb") as out:
        summary = export(session, backends.audit_key, wanted, out)
    backends.close()
    typer.echo(f"wrote {output}: {summary.shown} of {summary.size} events shown")


@audit_app.command("verify")
def audit_verify_command(
    bundle: Annotated[Path, typer.Argument(help="An export bundle (.zip).")],
    public_key: Annotated[
        Path | None, typer.Option(help="The log's public key, from a source you trust.")
    ] = None,
) -> None:
    """Print PASS, or FAIL with the first broken position; exit 1 on failure."""
    argv = [str(bundle)] + (["--public-key", str(public_key)] if public_key else [])
    status = audit_verify.main(argv)
    if status:
        raise typer.Exit(status)


@app.command("extract")
def extract_command(
    file: Annotated[Path, typer.Argument(help="A PDF: annual report, financial statements, scan.")],
    as_json_object: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of tables.")
    ] = False,
) -> None:
    """Read the balance sheet, income statement and cash-flow statement out of a local PDF
    (no server, no database); exit 1 when none is found, 2 when the file cannot be read."""
    try:
        statements = extract_pdf(file.read_bytes(), ocr=ocr_page)
    except (OSError, DanganError) as error:
        reason = error.strerror if isinstance(error, OSError) else error.detail
        typer.echo(f"error: cannot read {file}: {reason}", err=True)
        raise typer.Exit(2) from None
    if as_json_object:
        typer.echo(json.dumps(as_json(statements), ensure_ascii=False, indent=2))
    elif statements:
        typer.echo(as_table(statements))
    if not statements:
        typer.echo(f"no financial statements found in {file}", err=True)
        raise typer.Exit(1)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
