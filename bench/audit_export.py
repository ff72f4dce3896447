"""Exporting and verifying a large audit log: 1,000,000 events on PostgreSQL by default.

Times three things separately: chaining the events (the sequencer's rate), writing the export
bundle of a one-hour window for one user, and verifying it with the standalone verifier.
Reports the peak memory of this process, which does the export.

    .venv/bin/python -m bench.audit_export [EVENTS]
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import insert, text
from sqlalchemy.orm import Session, sessionmaker

from storage import audit_verify, auditlog
from storage.auditexport import ExportFilter, export
from storage.db import make_engine, migrate, session_factory
from storage.models import AuditPending
from storage.models.base import utcnow
from tests.servers import postgres_database, postgres_server

TARGET_SECONDS = 60
ACTORS = [str(uuid.uuid4()) for _ in range(50)]


def _fill(sessions: sessionmaker[Session], count: int) -> None:
    at = auditlog.timestamp(utcnow())
    batch = 10_000
    for first in range(0, count, batch):
        rows = [
            {
                "body": auditlog.canonical(
                    {
                        "id": str(uuid.uuid4()),
                        "at": at,
                        "action": "document:content:read",
                        "outcome": "success",
                        "actor": {"id": ACTORS[n % len(ACTORS)], "username": f"u{n % 50}"},
                        "target": {"document": str(uuid.uuid4()), "secrecy": "internal"},
                        "client": {"address": "10.1.2.3", "request_id": uuid.uuid4().hex},
                    }
                )
            }
            for n in range(first, min(first + batch, count))
        ]
        with sessions() as session:
            session.execute(insert(AuditPending), rows)
            session.commit()


def main() -> None:
    """Fill, chain, export, verify; print the times."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    key = Ed25519PrivateKey.generate()
    with postgres_database(postgres_server()) as url, tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(url)
        migrate(engine)
        sessions = session_factory(engine)
        _fill(sessions, count)
        start = time.perf_counter()
        auditlog.catch_up(sessions)
        chaining = time.perf_counter() - start
        # Settle the table first (a million pending rows were just deleted), so the export is
        # measured against a log in its steady state rather than against autovacuum.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE audit_event, audit_pending"))

        bundle = Path(tmp, "bundle.zip")
        start = time.perf_counter()
        auditlog.seal(sessions, key)
        window = ExportFilter(utcnow() - timedelta(hours=1), utcnow() + timedelta(hours=1),
                              uuid.UUID(ACTORS[0]))  # fmt: skip
        with sessions() as session, bundle.open("wb") as out:
            summary = export(session, key, window, out)
        exporting = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        start = time.perf_counter()
        status = audit_verify.main([str(bundle)])
        verifying = time.perf_counter() - start
        size = bundle.stat().st_size / 1e6
        engine.dispose()
    print(f"{count} events: chained in {chaining:.1f} s ({count / chaining:.0f} events/s)")
    for name, seconds in (("export", exporting), ("verify", verifying)):
        verdict = "PASS" if seconds < TARGET_SECONDS else "FAIL"
        print(f"  {name}: {seconds:.1f} s (target < {TARGET_SECONDS} s) {verdict}")
    print(f"  bundle {size:.0f} MB, {summary.shown} events shown of {summary.size}; "
          f"verifier exit {status}; peak memory of this process {peak:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
