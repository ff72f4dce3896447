"""Sustained audit append rate: 8 concurrent writers against PostgreSQL, the sequencer running.

Each writer is a process (as workers are) doing what a request does: append one event in its
own transaction and commit.
Reports events appended per second and whether the sequencer kept up (all chained at the end).

    .venv/bin/python -m bench.audit_append [SECONDS]
"""

from __future__ import annotations

import multiprocessing
import sys
import time
import uuid
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from storage import auditlog
from storage.db import make_engine, migrate, session_factory
from storage.models import AuditEvent, AuditPending
from tests.servers import postgres_database, postgres_server

WRITERS = 8
TARGET = 2000


def _writer(url: str, n: int, stop: Any, counts: Any) -> None:
    engine = make_engine(url)
    sessions = session_factory(engine)
    actor = str(uuid.uuid4())
    while not stop.is_set():
        with sessions() as session:
            auditlog.append(
                session,
                {
                    "action": "document:content:read",
                    "outcome": "success",
                    "actor": {"id": actor, "username": f"writer{n}", "roles": []},
                    "target": {"document": str(uuid.uuid4()), "secrecy": "internal"},
                },
            )
            session.commit()
        counts[n] += 1
    engine.dispose()


def main() -> None:
    """Run the writers for a while and report the rate."""
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 20.0
    with postgres_database(postgres_server()) as url:
        engine = make_engine(url)
        migrate(engine)
        sessions = session_factory(engine)
        sequencer = auditlog.Sequencer(sessions, Ed25519PrivateKey.generate(), every=10_000)
        sequencer.start()
        stop = multiprocessing.Event()
        counts = multiprocessing.Array("l", WRITERS)
        writers = [
            multiprocessing.Process(target=_writer, args=(url, n, stop, counts))
            for n in range(WRITERS)
        ]
        start = time.perf_counter()
        for process in writers:
            process.start()
        time.sleep(seconds)
        stop.set()
        for process in writers:
            process.join()
        elapsed = time.perf_counter() - start
        sequencer.stop()
        with sessions() as session:
            chained = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
            pending = session.scalar(select(func.count()).select_from(AuditPending)) or 0
            broken = auditlog.verify_stored(session)
        engine.dispose()
    total = int(sum(counts[:]))
    rate = total / elapsed
    print(f"{WRITERS} writers, {elapsed:.1f} s: {total} events, {rate:.0f} events/s "
          f"(target >= {TARGET}) {'PASS' if rate >= TARGET else 'FAIL'}")  # fmt: skip
    print(f"chained {chained}, pending {pending}, chain verifies: {broken is None}")


if __name__ == "__main__":
    main()
