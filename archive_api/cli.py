"""The `dangan` command."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess  # only to name a failed build of the web UI  # nosec B404
import tempfile
import threading
import time
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from fastapi import FastAPI
from uvicorn.config import LOGGING_CONFIG

from access.identity import ADMIN_USERNAME, admin_exists, ensure_admin
from archive_api import heap, logs, upgrade, webapp
from archive_api.app import create_app
from archive_api.audit_cli import audit_app
from archive_api.backends import connect, policies
from archive_api.background import Rounds
from archive_api.cli_common import (
    DataDir,
    open_backends,
    refused_at_start,
    schema_ready,
    settings_for,
)
from archive_api.config import Settings
from archive_api.keys_cli import keys_app
from archive_api.payments_cli import payments_app
from archive_api.records_cli import (
    backup_command,
    export_bag_command,
    fixity_app,
    import_command,
    restore_command,
    search_app,
)
from ingest.config import IngestSettings
from ingest.isolation import preload
from ingest.ocr import ocr_page, skim_page
from ingest.statements import extract_document
from ingest.statements.report import as_json, as_table
from ingest.tasks import OCR_SHARE
from storage.db import unit_of_work
from storage.errors import DanganError

app = typer.Typer(
    help="Dangan (档案): a secure archive for customer credit files.", no_args_is_help=True
)
app.add_typer(fixity_app, name="fixity")
app.add_typer(audit_app, name="audit")
app.add_typer(search_app, name="search")
app.add_typer(keys_app, name="keys")
app.add_typer(payments_app, name="payments")


@app.command("migrate")
def migrate_command(data_dir: DataDir = None) -> None:
    """Bring the database schema to this version, one migrator at a time; safe to run again."""
    settings = settings_for(data_dir)
    logs.configure(settings.log_format)  # each step migrated is logged (alembic), as serve's are
    typer.echo(upgrade.migrate(settings, lambda line: typer.echo(line, err=True)))


@app.command()
def serve(
    data_dir: DataDir = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    migrate: Annotated[
        bool,
        typer.Option(
            "--migrate", help="Migrate a server database first (the embedded one always is)."
        ),
    ] = False,
) -> None:
    """Run the archive: check (embedded: migrate) the schema, create the first administrator,
    serve HTTP."""
    settings = settings_for(data_dir)
    logs.configure(settings.log_format)
    # Everything the server writes (objects, keys, the database, locks) is for its account only.
    os.umask(0o077)
    heap.keep_freed_memory()
    # Before the web UI is built (which can take a minute): a bad policy file or a schema not
    # current ends it at once, and a bad file before anything is created.
    with refused_at_start():
        policies(settings)
        schema_ready(settings, migrate)
    try:
        webapp.ensure_built(lambda line: typer.echo(line, err=True))
    except (webapp.UnbuiltUi, subprocess.CalledProcessError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    # The `dangan` script, which each rendering or stamping child runs first, imports this module.
    preload("archive_api.cli")
    with refused_at_start():
        backends = connect(settings, apply_migrations=False)
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
    server = uvicorn.Server(server_config(create_app(backends), backends.settings, host, port))
    server.run()
    if not server.started:  # as uvicorn.run ends: the port was taken, or start-up failed
        raise typer.Exit(3)


@app.command()
def worker(data_dir: DataDir = None) -> None:
    """Do the background work (audit chaining, and the job queue's tasks: reading documents,
    notices, deadlines, imports, fixity checks, key rewraps) until stopped; any number may run
    at once, on any machine."""
    settings = settings_for(data_dir)
    logs.configure(settings.log_format)
    os.umask(0o077)
    if settings.database_url is None:
        typer.echo("error: the embedded default does its background work in `dangan serve`")
        raise typer.Exit(2)
    preload("archive_api.cli")  # as in serve: each reading child starts with this imported
    backends = open_backends(data_dir)
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    rounds = Rounds(backends)
    rounds.start()
    typer.echo("dangan worker: running; stop with SIGTERM or Ctrl-C", err=True)
    # A queue worker that could not go on (its database gone for good) ends the process, so
    # that its supervisor starts a new one.
    alive = True
    while alive and not stopped.wait(1):
        alive = rounds.alive()
    failed = not stopped.is_set()
    rounds.stop()  # the jobs under way finish; the audit sequencer chains what is pending
    backends.close()
    typer.echo("dangan worker: " + ("failed" if failed else "stopped"), err=True)
    if failed:
        raise typer.Exit(1)


@app.command()
def openapi() -> None:
    """Print the HTTP API's OpenAPI document (the web UI's types are generated from it)."""
    with tempfile.TemporaryDirectory() as scratch:
        document = create_app(connect(Settings(data_dir=Path(scratch)))).openapi()
    typer.echo(json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True))


class _PathsOnly(logging.Filter):
    """Access log lines name the path, never the query: searches carry names and codes."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Cut the query off the logged path (uvicorn's args: client, method, path, ...)."""
        if isinstance(record.args, tuple) and len(record.args) >= 3:
            args = list(record.args)
            args[2] = str(args[2]).split("?", 1)[0]
            record.args = tuple(args)
        return True


def server_config(app: FastAPI, settings: Settings, host: str, port: int) -> uvicorn.Config:
    """How uvicorn serves the app: forwarded headers only from `DANGAN_TRUSTED_PROXIES`."""
    trusted = settings.trusted_proxy_list()
    # uvicorn otherwise believes X-Forwarded-For from 127.0.0.1 (or $FORWARDED_ALLOW_IPS).
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="info",
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or [],
        timeout_graceful_shutdown=settings.shutdown_grace,
        timeout_keep_alive=settings.keep_alive,  # uvicorn's own 5 s races proxies' reuse
        # JSON: uvicorn's loggers hand their records to the root's handler (archive_api.logs).
        log_config=None if settings.log_format == "json" else LOGGING_CONFIG,
    )
    access = logging.getLogger("uvicorn.access")  # after Config, which sets logging up
    if not any(isinstance(f, _PathsOnly) for f in access.filters):
        access.addFilter(_PathsOnly())
    return config


def _announce(password: str, url: str) -> None:
    """Show the generated administrator password once, where it cannot be missed."""
    lines = [
        "Dangan's first administrator was created.",
        f"  user name: {ADMIN_USERNAME}",
        f"  password:  {password}",
        f"Next: open {url} , sign in, and change this password (click your name: My account).",
        "It is shown only this once and is not logged.",
    ]
    width = max(len(line) for line in lines) + 2
    box = ["+" + "=" * width + "+", *(f"| {line.ljust(width - 1)}|" for line in lines)]
    typer.echo("\n".join(["", *box, box[0], ""]), err=True)


@app.command("extract")
def extract_command(
    file: Annotated[Path, typer.Argument(help="A PDF: annual report, financial statements, scan.")],
    as_json_object: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of tables.")
    ] = False,
    timeout: Annotated[
        float | None,
        typer.Option(
            min=0.1,
            help="Seconds for the whole reading (default: the worker's, DANGAN_EXTRACT_TIMEOUT).",
        ),
    ] = None,
) -> None:
    """Read the balance sheet, income statement and cash-flow statement out of a local PDF
    (no server, no database); exit 1 when none is found, 2 when the file cannot be read.
    Pages OCR cannot read in time are left out and named (`unread_pages`), as by the worker."""
    seconds = timeout if timeout is not None else IngestSettings().extract_timeout
    deadline = time.monotonic() + OCR_SHARE * seconds
    try:
        found = extract_document(file.read_bytes(), ocr=ocr_page, skim=skim_page, deadline=deadline)
    except (OSError, DanganError) as error:
        reason = error.strerror if isinstance(error, OSError) else error.detail
        typer.echo(f"error: cannot read {file}: {reason}", err=True)
        raise typer.Exit(2) from None
    statements, unread = found.statements, found.unread_pages
    if as_json_object:
        typer.echo(json.dumps(as_json(statements, unread), ensure_ascii=False, indent=2))
    elif statements:
        typer.echo(as_table(statements))
    if unread:
        pages = ", ".join(map(str, unread))
        typer.echo(f"pages not read by OCR in time: {pages}", err=True)
    if not statements:
        typer.echo(f"no financial statements found in {file}", err=True)
        raise typer.Exit(1)


# Registered here, after extract, so that `dangan --help` lists the commands in the same order.
app.command("import")(import_command)
app.command("export-bag")(export_bag_command)
app.command("backup")(backup_command)
app.command("restore")(restore_command)
