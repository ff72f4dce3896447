"""`dangan audit`: export the tamper-evident audit log, sign its head, verify a bundle."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from archive_api.cli_common import DataDir, open_backends, refusals_in_one_line
from storage import audit_verify, auditlog
from storage.auditevent import Actor
from storage.auditexport import ExportFilter, export_bundle
from storage.crypto import public_key_pem

audit_app = typer.Typer(
    help="Export and verify the tamper-evident audit log.", no_args_is_help=True
)


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
    backends = open_backends(data_dir)
    wanted = ExportFilter(_utc(since), _utc(until), actor, customer)
    # Exporting is itself audited; from the command line the actor is the local operator.
    operator = Actor.local("dangan audit export")
    try:
        with refusals_in_one_line(), output.open("wb") as out:
            summary = export_bundle(
                backends.sessions, operator, backends.audit_key, wanted, out, backends.rules.zone
            )
    except typer.Exit:
        output.unlink(missing_ok=True)  # a refused export leaves no file that looks like one
        raise
    finally:
        backends.close()
    typer.echo(f"wrote {output}: {summary.shown} of {summary.size} events shown")
    if summary.disagreeing:
        # The bundle chose by the hashed bodies; the database's copies were edited.
        typer.echo(
            f"warning: the index columns of {len(summary.disagreeing)} events disagree with"
            f" their hashed bodies (first at position {summary.disagreeing[0]}):"
            " the database was edited behind the log's back",
            err=True,
        )


@audit_app.command("checkpoint")
def audit_checkpoint(data_dir: DataDir = None) -> None:
    """Sign the log's present head and print it as one JSON line: keep it outside the database
    and give it to `dangan audit verify --anchor`."""
    backends = open_backends(data_dir)
    point = auditlog.seal(backends.sessions, backends.audit_key)
    backends.close()
    if point is None:
        typer.echo("the audit log is empty", err=True)
        raise typer.Exit(1)
    typer.echo(json.dumps(point))


@audit_app.command("public-key")
def audit_public_key(data_dir: DataDir = None) -> None:
    """Print the log's public key (PEM) to keep and give to `dangan audit verify --public-key`;
    its fingerprint, which `verify` prints, goes to standard error."""
    backends = open_backends(data_dir)
    key = backends.audit_key.public_key()
    backends.close()
    typer.echo(public_key_pem(backends.audit_key).decode(), nl=False)
    typer.echo(f"fingerprint {audit_verify.fingerprint(key)}", err=True)


@audit_app.command("verify")
def audit_verify_command(
    bundle: Annotated[Path, typer.Argument(help="An export bundle (.zip).")],
    public_key: Annotated[
        Path | None, typer.Option(help="The log's public key, from a source you trust.")
    ] = None,
    anchor: Annotated[
        str | None,
        typer.Option(help="A signed checkpoint kept outside the database: a file or its JSON."),
    ] = None,
) -> None:
    """Print PASS, or FAIL with the first broken position; exit 1 on failure."""
    argv = [str(bundle)] + (["--public-key", str(public_key)] if public_key else [])
    argv += ["--anchor", anchor] if anchor is not None else []
    status = audit_verify.main(argv)
    if status:
        raise typer.Exit(status)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
