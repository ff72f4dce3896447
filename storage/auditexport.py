"""Audit export bundles: the events of a window, provably complete, for auditors.

Invariants: the bundle covers the whole log from the first event to a checkpoint signed at
export time; which events the filter shows is decided by their hashed bodies, never by the
index columns, which the chain does not cover (columns that disagree with their body are
reported); events outside the filter, and bodies that are not canonical JSON, appear as their
leaf hash only, so order and completeness stay provable without disclosing them;
events.jsonl holds the exact hashed bytes; the spreadsheet copies neutralise formulas;
everything streams, so memory does not grow with the size of the window; an export is itself
recorded, and committed and chained before the bundle is written, so the bundle holds it.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import logging
import tempfile
import uuid
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage import audit_verify, auditlog, audittable
from storage.auditevent import Actor, record
from storage.auditindex import Index, index, is_canonical
from storage.auditnames import Action
from storage.crypto import public_key_pem
from storage.db import unit_of_work
from storage.errors import InvalidWindow
from storage.models import AuditCheckpoint, AuditEvent

PAGE = 10_000
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportFilter:
    """Which events an export shows in full."""

    since: datetime
    until: datetime
    actor_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None

    def matches(self, event: Index) -> bool:
        """Whether one event, as its body says, is inside the filter."""
        return (
            event.readable
            and event.at is not None
            and self.since <= event.at < self.until
            and self.actor_id in (None, event.actor_id)
            and self.customer_id in (None, event.customer_id)
        )


@dataclass(frozen=True)
class ExportSummary:
    """What an export holds."""

    size: int
    shown: int
    # Positions whose index columns disagree with the hashed body: edited behind the log's back.
    disagreeing: tuple[int, ...] = ()


def _pages(session: Session, size: int) -> Iterator[Sequence[Any]]:
    # Plain rows in pages: no ORM objects, and one page in memory at a time.
    columns = (
        AuditEvent.position, AuditEvent.body, AuditEvent.leaf, AuditEvent.chain, AuditEvent.at,
        AuditEvent.actor_id, AuditEvent.customer_id, AuditEvent.document_id, AuditEvent.action,
        AuditEvent.outcome,
    )  # fmt: skip
    after = 0
    while after < size:
        page = session.execute(
            select(*columns)
            .where(AuditEvent.position > after, AuditEvent.position <= size)
            .order_by(AuditEvent.position)
            .limit(PAGE)
        ).all()
        if not page:
            return
        yield page
        after = page[-1].position


class _Hashed:
    """A zip member being written, with the SHA-256 of what went in."""

    def __init__(self, member: IO[bytes]) -> None:
        self.member, self.sha256 = member, hashlib.sha256()

    def write(self, data: bytes) -> None:
        self.member.write(data)
        self.sha256.update(data)


def export_bundle(
    sessions: sessionmaker[Session],
    actor: Actor,
    key: Ed25519PrivateKey,
    wanted: ExportFilter,
    out: IO[bytes],
    zone: tzinfo = UTC,
    decision: dict[str, Any] | None = None,
) -> ExportSummary:
    """Record the export, seal the log and write the bundle of `wanted` to `out`: it reaches
    the present and holds its own event; `decision` is the rule that let the caller export."""
    # A time without a zone is UTC, as the log's own times are.
    wanted = replace(wanted, since=_utc(wanted.since), until=_utc(wanted.until))
    if wanted.until <= wanted.since:
        raise InvalidWindow("until: not after since")
    # The export's own transactions: its event is committed and chained before the bundle is
    # cut, so the bundle holds it (and an export is accounted for even if writing it fails).
    with unit_of_work(sessions) as session:
        # Named like the auditors' search: an export of one customer's events names the
        # customer, so the log answers who read that customer's history.
        target = {"customer": str(wanted.customer_id)} if wanted.customer_id else {}
        asked = {
            "since": auditlog.timestamp(wanted.since),
            "until": auditlog.timestamp(wanted.until),
        }
        if wanted.actor_id:
            asked["actor_id"] = str(wanted.actor_id)
        record(session, actor, Action.AUDIT_EXPORT, "success", target, decision, filter=asked)
    auditlog.seal(sessions, key)
    with unit_of_work(sessions) as session:
        return export(session, key, wanted, out, zone)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def export(
    session: Session,
    key: Ed25519PrivateKey,
    wanted: ExportFilter,
    out: IO[bytes],
    zone: tzinfo = UTC,
) -> ExportSummary:
    """Write a bundle for `wanted` to `out`, up to the last signed checkpoint; the tables give
    each event's time in UTC and in the company's `zone`.

    Callers seal the log first (`auditlog.seal`), so the bundle reaches the present.
    """
    size = session.scalar(select(func.max(AuditCheckpoint.size))) or 0
    digests: dict[str, str] = {}
    shown, disagreeing = 0, []
    with (
        # Level 1: hashes and JSON shrink well even so, and exports must stay quick.
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as bundle,
        tempfile.TemporaryDirectory() as tmp,
    ):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("events")
        audittable.start_sheet(sheet, zone)
        # A zip takes one member at a time: events stream in, the rest go to files beside it.
        csv_path, chain_path = Path(tmp, "events.csv"), Path(tmp, "chain.txt")
        with bundle.open("events.jsonl", "w") as member, chain_path.open("wb") as chain:
            events = _Hashed(member)
            # UTF-8 with BOM, so spreadsheets read the Chinese names right.
            with csv_path.open("w", encoding="utf-8-sig", newline="") as csv_file:
                table = csv.writer(csv_file)
                table.writerow(audittable.headings(zone))
                for page in _pages(session, size):
                    # Written a page at a time: one write per page, not per event.
                    chain.write("".join(f"{r.leaf} {r.chain}\n" for r in page).encode())
                    lines = []
                    for row in page:
                        # Canonical form is checked for the events shown only: a million
                        # re-serialisations would double the export's time.
                        event = index(row.body, strict=False)
                        if not event.agrees_with(row):
                            disagreeing.append(row.position)
                        body = json.loads(row.body) if wanted.matches(event) else None
                        if body is None or not is_canonical(body, row.body):
                            lines.append(b'{"leaf":"%s"}' % row.leaf.encode())
                            continue
                        shown += 1
                        lines.append(row.body)
                        values = audittable.row(row.position, body, zone)
                        table.writerow(audittable.csv_row(values))
                        sheet.append(audittable.sheet_row(sheet, values))
                    events.write(b"\n".join(lines) + b"\n")
            digests["events.jsonl"] = events.sha256.hexdigest()
        xlsx_path = Path(tmp, "events.xlsx")
        workbook.save(xlsx_path)
        points = session.scalars(
            select(AuditCheckpoint)
            .where(AuditCheckpoint.size <= size)
            .order_by(AuditCheckpoint.size)
        )
        files = {
            "checkpoints.jsonl": b"".join(
                json.dumps({"body": p.body.decode(), "signature": p.signature}).encode() + b"\n"
                for p in points
            ),
            "public_key.pem": public_key_pem(key),
            "verify.py": Path(audit_verify.__file__).read_bytes(),
        }
        for name, path in (
            ("chain.txt", chain_path), ("events.csv", csv_path), ("events.xlsx", xlsx_path),
        ):  # fmt: skip
            bundle.write(path, name)
            with path.open("rb") as written:
                digests[name] = hashlib.file_digest(written, "sha256").hexdigest()
        for name, data in files.items():
            bundle.writestr(name, data)
            digests[name] = hashlib.sha256(data).hexdigest()
        manifest = auditlog.canonical(
            {
                "files": dict(sorted(digests.items())),
                "size": size,
                "filter": {
                    "since": auditlog.timestamp(wanted.since),
                    "until": auditlog.timestamp(wanted.until),
                    "actor": str(wanted.actor_id) if wanted.actor_id else None,
                    "customer": str(wanted.customer_id) if wanted.customer_id else None,
                },
            }
        )
        bundle.writestr("manifest.json", manifest)
        bundle.writestr("manifest.sig", base64.b64encode(key.sign(manifest)))
    if disagreeing:
        # The alert: the bundle is right (chosen by the bodies), the database was edited.
        logger.error(
            "audit export: index columns of %d events disagree with their hashed bodies,"
            " first at position %d",
            len(disagreeing),
            disagreeing[0],
        )
    return ExportSummary(size=size, shown=shown, disagreeing=tuple(disagreeing))
