"""The `dangan` commands on the records: import, export-bag, backup, restore, fixity, search."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from archive_api.bag_export import export_bag
from archive_api.bulk_import import Run, import_directory, summarise
from archive_api.cli_common import DataDir, open_backends, refusals_in_one_line, settings_for
from archive_api.reindex import reindex
from storage import backup as archive_backup
from storage import fixity
from storage.auditevent import Actor, record
from storage.auditnames import Action
from storage.db import unit_of_work

fixity_app = typer.Typer(
    help="Check that stored documents are whole and unaltered.", no_args_is_help=True
)
search_app = typer.Typer(help="The full-text search index.", no_args_is_help=True)


@search_app.command("reindex")
def search_reindex(data_dir: DataDir = None) -> None:
    """Read the text of every document missing from the search index, printing progress; run
    it again after an interruption to resume."""
    backends = open_backends(data_dir)
    try:
        reindex(backends, typer.echo)
    finally:
        backends.close()


@fixity_app.command("check")
def fixity_check(
    data_dir: DataDir = None,
    grace_minutes: Annotated[
        int, typer.Option(help="Leave unreferenced objects younger than this (uploads in flight).")
    ] = 60,
) -> None:
    """Re-hash every stored object, report missing or altered ones and customers without an
    active custodian, remove orphans."""
    backends = open_backends(data_dir)
    with unit_of_work(backends.sessions) as session:
        report = fixity.check(session, backends.store, timedelta(minutes=grace_minutes))
    typer.echo(f"checked {report.checked} stored versions")
    for label, keys in (
        ("missing", report.missing),
        ("corrupted", report.corrupted),
        ("customer without an active custodian", report.unattended),
        ("orphan removed", report.orphans_removed),
        ("orphan kept (recent)", report.orphans_recent),
        ("unfinished upload removed", report.unfinished_removed),
        ("unfinished upload kept (recent)", report.unfinished_recent),
    ):
        for key in keys:
            typer.echo(f"{label}: {key}")
    typer.echo("OK" if report.healthy else "PROBLEMS FOUND")
    backends.close()
    if not report.healthy:
        raise typer.Exit(1)


def import_command(
    directory: Annotated[Path, typer.Argument(help="The folder holding the files.")],
    manifest: Annotated[Path, typer.Option(help="CSV, one row per file (docs/import.md).")],
    acting: Annotated[str, typer.Option("--as", help="The archivist the import acts as.")],
    report: Annotated[Path, typer.Option(help="Where to write the rejected rows (CSV).")] = Path(
        "import-rejected.csv"
    ),
    department: Annotated[
        str | None, typer.Option(help="New customers' department (code, name or id).")
    ] = None,
    custodian: Annotated[
        str | None, typer.Option(help="New customers' custodian (user name; default: --as).")
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Import a folder of files described by a manifest; run it again to resume (what is stored
    already is skipped by its content hash)."""
    backends = open_backends(data_dir)
    run = Run(directory, manifest, acting, department, custodian)
    try:
        with refusals_in_one_line():
            tally = import_directory(backends, run, report)
    finally:
        backends.close()
    summarise(tally, report, typer.echo)


def export_bag_command(
    customer: Annotated[uuid.UUID, typer.Argument(help="The customer's id.")],
    out_dir: Annotated[Path, typer.Argument(help="The bag's folder (new or empty).")],
    acting: Annotated[str, typer.Option("--as", help="The archivist who exports.")],
    data_dir: DataDir = None,
) -> None:
    """Write a customer's whole file as a BagIt bag, decrypted: it leaves the archive's
    protection (docs/import.md); audited as the archivist."""
    backends = open_backends(data_dir)
    try:
        with refusals_in_one_line():
            summary = export_bag(backends, customer, out_dir, acting)
    finally:
        backends.close()
    typer.echo(f"wrote {out_dir}: {summary.files} files, {summary.withheld} withheld")
    typer.echo(f"manifest-sha256.txt sha256 {summary.manifest_sha256}")


def backup_command(
    output: Annotated[
        Path, typer.Option("-o", "--output", help="The backup file to write (a tar, 0600).")
    ],
    data_dir: DataDir = None,
) -> None:
    """Back up the embedded archive while it serves: database, objects, keyring, audit key.

    The file holds the keys: keep it as secret as they are (docs/operations.md).
    """
    settings = settings_for(data_dir)
    with refusals_in_one_line():
        summary = archive_backup.take(settings, output)
    versions = summary.rows.get("document_version", 0)
    _record_backup(data_dir, Action.BACKUP_CREATE, "dangan backup", versions)
    typer.echo(f"wrote {output}: {summary.members} files, {versions} document versions")


def restore_command(
    backup_file: Annotated[Path, typer.Argument(help="A file written by `dangan backup`.")],
    data_dir: DataDir = None,
) -> None:
    """Check a backup against its manifest, then restore it into an empty data directory."""
    settings = settings_for(data_dir)
    with refusals_in_one_line():
        summary = archive_backup.restore(backup_file, settings)
    versions = summary.rows.get("document_version", 0)
    _record_backup(data_dir, Action.BACKUP_RESTORE, "dangan restore", versions)
    typer.echo(f"restored {summary.members} files, {versions} document versions")
    typer.echo(f"next: dangan fixity check --data-dir {settings.data_dir}, then dangan serve")


def _record_backup(data_dir: Path | None, action: Action, command: str, versions: int) -> None:
    # Taking or restoring a backup copies every document: it is accounted for like a read.
    backends = open_backends(data_dir)
    with unit_of_work(backends.sessions) as session:
        record(session, Actor.local(command), action, "success", {"document_versions": versions})
    backends.close()
