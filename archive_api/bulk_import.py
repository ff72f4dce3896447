"""`dangan import`: a manifest's rows, each in its own transaction, as an acting archivist.

A bad row is reported and never stops the run; each row commits on its own, so an interrupted
run is resumed by running it again (rows already stored are skipped by their content hash).
"""

from __future__ import annotations

import csv
import time
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from access.authz import Access
from access.roles import roles_of
from archive_api.backends import Backends
from archive_api.events import record_denied
from ingest.errors import InvalidField
from ingest.filing import Vault
from ingest.importing import Imported, Importer, Rejected, Row, Skipped, kind_of, read_manifest
from storage.auditevent import Actor
from storage.db import unit_of_work
from storage.errors import DanganError
from storage.models import Department, User, UserStatus

REPORT_COLUMNS = ("line", "file", "credit_code", "kind", "reason")


@dataclass
class Tally:
    """What a run did: rows imported, skipped as already stored, rejected; bytes stored; time."""

    imported: int = 0
    skipped: int = 0
    rejected: list[tuple[Row, Rejected]] = field(default_factory=list)
    stored_bytes: int = 0
    seconds: float = 0.0

    def rate(self) -> str:
        """Files/s and MB/s of the files stored."""
        seconds = max(self.seconds, 1e-9)
        files, megabytes = self.imported / seconds, self.stored_bytes / 1e6 / seconds
        return f"{files:.1f} files/s, {megabytes:.2f} MB/s"


@dataclass(frozen=True)
class Run:
    """One import: the directory, its manifest, who acts, the new customers' home."""

    root: Path
    manifest: Path
    username: str
    department: str | None = None
    custodian: str | None = None


def import_directory(backends: Backends, run: Run, report: Path, *, progress: bool = True) -> Tally:
    """Import every row of the manifest; write the rejected ones to `report` (CSV)."""
    rows = list(read_manifest(run.manifest))
    with unit_of_work(backends.sessions) as session:
        user_id = _archivist(session, run.username)
        department_id = _department(session, run.department)
        custodian_id = _user_id(session, run.custodian) if run.custodian else None
    vault = Vault(backends.store, backends.keys, backends.settings.max_upload_bytes)
    importer = Importer(
        backends.keys, vault, run.root, department_id, custodian_id,
        backends.categories, backends.today, {},
    )  # fmt: skip
    tally = Tally()
    started = time.perf_counter()
    # rich comes with typer: the bar costs no dependency of its own; it goes to standard error.
    with Progress(console=Console(stderr=True), disable=not progress) as bar:
        task = bar.add_task("importing", total=len(rows))
        for row in rows:
            _one(backends, importer, user_id, row, tally)
            bar.advance(task)
    tally.seconds = time.perf_counter() - started
    _write_report(report, tally.rejected)
    return tally


def _one(
    backends: Backends, importer: Importer, user_id: uuid.UUID, row: Row, tally: Tally
) -> None:
    actor: Actor | None = None
    try:
        with unit_of_work(backends.sessions) as session:
            actor, rights = _acting(backends, session, user_id, row)
            outcome = importer.run(session, actor, rights, row)
    except Rejected as rejected:
        tally.rejected.append((row, rejected))
        return
    except DanganError as error:  # refused by the upload step itself
        if actor is not None and (error.status in (403, 404) or hasattr(error, "attempt")):
            # A refusal is audited as the API's are, in a transaction of its own.
            with unit_of_work(backends.sessions) as session:
                record_denied(session, actor, error)
        tally.rejected.append((row, Rejected(kind_of(error), error.detail)))
        return
    except OSError as error:  # the file went, or cannot be read: say so, name no content
        tally.rejected.append((row, Rejected("unreadable", f"file: {error.strerror}")))
        return
    if isinstance(outcome, Imported):
        tally.imported += 1
        tally.stored_bytes += outcome.size
    elif isinstance(outcome, Skipped):
        tally.skipped += 1


def _acting(
    backends: Backends, session: Session, user_id: uuid.UUID, row: Row
) -> tuple[Actor, Access]:
    # Read anew per row: a user disabled or a role withdrawn mid-run stops being able to import.
    user = session.get(User, user_id)
    if user is None or user.status != UserStatus.active:
        raise Rejected("not_allowed", "the acting user is no longer active")
    rights = Access(backends.authorizer.rules(session), user)
    # The events say the document came from an import, and from which line of which manifest.
    client: dict[str, str | None] = {
        "address": "local",
        "command": "dangan import",
        "import_line": str(row.line),
    }
    return Actor.of(user, roles_of(session, user), client), rights


def _archivist(session: Session, username: str) -> uuid.UUID:
    user = session.scalar(select(User).where(User.username == username))
    if user is None or user.status != UserStatus.active:
        raise InvalidField(f"--as: no active user {username!r}")
    if not any(role.startswith("archivist@") for role in roles_of(session, user)):
        raise InvalidField(f"--as: {username!r} is not an archivist")
    return user.id


def _department(session: Session, wanted: str | None) -> uuid.UUID | None:
    if wanted is None:
        return None
    named = or_(Department.code == wanted, Department.name == wanted)
    with suppress(ValueError):  # unless it is an id, it is a code or a name
        named = or_(named, Department.id == uuid.UUID(wanted))
    found = session.scalar(select(Department.id).where(named))
    if found is None:
        raise InvalidField(f"--department: no department {wanted!r}")
    return found


def _user_id(session: Session, username: str) -> uuid.UUID:
    found = session.scalar(select(User.id).where(User.username == username))
    if found is None:
        raise InvalidField(f"--custodian: no user {username!r}")
    return found


def _write_report(path: Path, rejected: list[tuple[Row, Rejected]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(REPORT_COLUMNS)
        for row, why in rejected:
            cells = [str(row.line), row.get("file"), row.get("credit_code"), why.kind, why.reason]
            # A cell a spreadsheet would run as a formula is quoted out of harm's way.
            writer.writerow([f"'{c}" if c[:1] in ("=", "+", "-", "@") else c for c in cells])


Echo = Callable[[str], None]


def summarise(tally: Tally, report: Path, echo: Echo) -> None:
    """The run's closing lines: counts, rate, where the rejected rows are."""
    counts = (tally.imported, tally.skipped, len(tally.rejected))
    echo("imported {}, already stored {}, rejected {}".format(*counts))
    echo(f"rate: {tally.rate()} ({tally.stored_bytes} bytes in {tally.seconds:.1f} s)")
    echo(f"rejected rows: {report}")
