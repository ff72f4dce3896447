"""Sustained audit append rate: 8 concurrent writers against PostgreSQL, the sequencer running.

Each writer is a process (as workers are) doing what a request does: open a unit of work, append
one event with `auditlog.append` and commit. Reports events appended per second, the writers'
CPU time per event, and whether the sequencer kept up (all chained and verified at the end).

For scale, the same run also measures 8 processes doing the least the database must do for an
event (a bare psycopg INSERT of the same canonical body and a COMMIT, no SQLAlchemy) and prints
the application's rate as a share of it: the machine's two cores are shared, and the absolute
rate moves with whatever else runs. The two alternate in rounds so both meet the same load.
Timing starts once every writer has connected; each round's rate is printed.

    .venv/bin/python -m bench.audit_append [SECONDS]
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import func, make_url, select

from archive_api.backends import connect
from archive_api.config import Settings
from archive_api.sequencer import Sequencer
from storage import auditlog
from storage.db import make_engine, session_factory, unit_of_work
from storage.models import AuditEvent, AuditPending
from storage.models.base import utcnow
from tests.servers import postgres_database, postgres_server

WRITERS = 8
TARGET = 2000
ROUNDS = 3


def _event(actor: str, n: int) -> dict[str, Any]:
    return {
        "action": "document:content:read",
        "outcome": "success",
        "actor": {"id": actor, "username": f"writer{n}", "roles": []},
        "target": {"document": str(uuid.uuid4()), "secrecy": "internal"},
    }


def _writer(url: str, n: int, ready: Any, stop: Any, counts: Any, cpu: Any) -> None:
    engine = make_engine(url)
    sessions = session_factory(engine)
    actor = str(uuid.uuid4())
    engine.connect().close()
    ready.wait()
    started, done = time.process_time(), 0
    while not stop.is_set():
        with unit_of_work(sessions) as session:
            auditlog.append(session, _event(actor, n))
        done += 1
    counts[n], cpu[n] = done, time.process_time() - started
    engine.dispose()


def _bare_writer(url: str, n: int, ready: Any, stop: Any, counts: Any, cpu: Any) -> None:
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    actor = str(uuid.uuid4())
    done = 0
    with psycopg.connect(conninfo) as connection:
        ready.wait()
        started = time.process_time()
        while not stop.is_set():
            event = {"id": str(uuid.uuid4()), "at": auditlog.timestamp(utcnow())}
            body = auditlog.canonical(event | _event(actor, n))
            connection.execute("INSERT INTO audit_pending (body) VALUES (%s)", (body,))
            connection.commit()
            done += 1
        counts[n], cpu[n] = done, time.process_time() - started


@dataclass(frozen=True)
class Result:
    """What one phase of writers did."""

    events: int
    seconds: float
    cpu: float  # the writer processes' user + system time while appending

    @property
    def rate(self) -> float:
        """Events per second."""
        return self.events / self.seconds

    @property
    def cpu_per_event(self) -> float:
        """Writer CPU microseconds per event."""
        return self.cpu / self.events * 1e6


Writer = Callable[[str, int, Any, Any, Any, Any], None]


def _run(writer: Writer, url: str, seconds: float) -> Result:
    ready = multiprocessing.Barrier(WRITERS + 1)
    stop = multiprocessing.Event()
    counts = multiprocessing.Array("l", WRITERS)
    cpu = multiprocessing.Array("d", WRITERS)
    writers = [
        multiprocessing.Process(target=writer, args=(url, n, ready, stop, counts, cpu))
        for n in range(WRITERS)
    ]
    for process in writers:
        process.start()
    ready.wait()
    start = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for process in writers:
        process.join()
    elapsed = time.perf_counter() - start
    return Result(int(sum(counts[:])), elapsed, sum(cpu[:]))


def _total(results: list[Result]) -> Result:
    return Result(
        sum(r.events for r in results), sum(r.seconds for r in results), sum(r.cpu for r in results)
    )


def main() -> None:
    """Run the writers and the bare baseline in alternating rounds, and report the rates."""
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 20.0
    with postgres_database(postgres_server()) as url, tempfile.TemporaryDirectory() as data:
        # The server's own sequencer, on backends as `dangan serve` opens them.
        backends = connect(Settings(_env_file=None, data_dir=Path(data), database_url=url))
        sessions = backends.sessions
        sequencer = Sequencer(backends)
        sequencer.start()
        before = resource.getrusage(resource.RUSAGE_SELF)
        apps, bares = [], []
        for _ in range(ROUNDS):
            apps.append(_run(_writer, url, seconds / ROUNDS))
            bares.append(_run(_bare_writer, url, seconds / ROUNDS))
        sequencer.stop()
        after = resource.getrusage(resource.RUSAGE_SELF)
        with sessions() as session:
            chained = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
            pending = session.scalar(select(func.count()).select_from(AuditPending)) or 0
            broken = auditlog.verify_stored(session)
        backends.close()
    app, bare = _total(apps), _total(bares)
    # This process only sleeps besides, so its CPU time is the sequencer's.
    sequencer_cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    verdict = "PASS" if app.rate >= TARGET else "FAIL"
    print(
        f"{WRITERS} writers, {app.seconds:.1f} s: {app.events} events, {app.rate:.0f} events/s"
        f" (target >= {TARGET}) {verdict}; writer CPU {app.cpu_per_event:.0f} us/event"
    )
    print(
        f"bare psycopg INSERT + COMMIT, same run: {bare.rate:.0f} events/s, writer CPU"
        f" {bare.cpu_per_event:.0f} us/event; application at {app.rate / bare.rate:.0%} of it"
    )
    print(
        "rounds (application / bare, events/s):",
        ", ".join(f"{a.rate:.0f} / {b.rate:.0f}" for a, b in zip(apps, bares, strict=True)),
    )
    print(
        f"chained {chained} of {app.events + bare.events}, pending {pending},"
        f" chain verifies: {broken is None}; sequencer CPU"
        f" {sequencer_cpu / (app.events + bare.events) * 1e6:.0f} us/event"
    )


if __name__ == "__main__":
    main()
