"""The tamper-evident audit log: appending events, chaining them, signing checkpoints.

Invariants: an event's body is canonical JSON and is never re-serialised (the stored bytes are
the hashed bytes); writers only insert into `audit_pending` inside their own transaction, so an
event commits with the change or read it records, and writers never wait on each other; one
sequencer at a time (a PostgreSQL advisory lock; SQLite has one writer anyway) moves pending
events into `audit_event` in order with `leaf = SHA-256(0x00 ‖ body)` and
`chain = SHA-256(0x01 ‖ previous chain ‖ leaf)`; every pending body is chained, whatever its
bytes: one whose index columns cannot be derived (storage/auditindex.py) gets markers there and
is quarantined, so no event can stop the chain; `audit_event` is insert-only, enforced by the
database where it can (a PostgreSQL trigger); checkpoints sign (size, head, time, previous).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import threading
import uuid
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, cast

import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.event import listens_for
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

# The body format is part of the log's interface; it lives beside the index derived from it.
from storage.auditindex import canonical as canonical  # noqa: PLC0414 - re-exported
from storage.auditindex import index
from storage.auditindex import timestamp as timestamp  # noqa: PLC0414 - re-exported
from storage.db import only_one
from storage.models.audit import AuditCheckpoint, AuditEvent, AuditPending, AuditQuarantine
from storage.models.base import utcnow

logger = logging.getLogger(__name__)

GENESIS = bytes(32)  # the chain value before the first event
BATCH = 1000
_LOCK = 0x64616E67  # "dang": the sequencer's advisory lock
_SQLITE_LOCK = threading.Lock()  # held on every database; only SQLite needs it


def leaf_hash(body: bytes) -> bytes:
    """The leaf hash of an event body."""
    return hashlib.sha256(b"\x00" + body).digest()


def chain_hash(previous: bytes, leaf: bytes) -> bytes:
    """The chain value after an event."""
    return hashlib.sha256(b"\x01" + previous + leaf).digest()


_PENDING = AuditPending.metadata.tables[AuditPending.__tablename__]
# Built once: a Core statement on the table skips the ORM's bulk-insert handling, and
# `inline()` leaves out the RETURNING of new ids that nobody reads.
_APPEND = insert(_PENDING).inline()
_WAITING = "audit_events"  # connection.info: bodies that go to the server with the COMMIT
_INSERT = b"INSERT INTO audit_pending (body) VALUES "


def append(session: Session, event: dict[str, Any]) -> uuid.UUID:
    """Record an event in the caller's transaction; it is chained shortly after it commits."""
    event_id = uuid.uuid4()
    body = canonical({"id": str(event_id), "at": timestamp(utcnow()), **event})
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.info.setdefault(_WAITING, []).append(body)
    else:
        connection.execute(_APPEND, {"body": body})
    return event_id


def _psycopg(connection: Connection) -> psycopg.Connection[Any]:
    """The driver's own connection under a PostgreSQL connection, for what SQLAlchemy lacks."""
    return cast("psycopg.Connection[Any]", connection.connection.driver_connection)


@listens_for(Engine, "commit")
def _insert_with_commit(connection: Connection) -> None:
    """Send a PostgreSQL transaction's events in the same round trip as its COMMIT.

    A query without parameters goes by the simple protocol, which takes several statements; a
    failing INSERT stops it before the COMMIT. SQLAlchemy's own COMMIT, which follows this
    event, then finds the transaction closed, and psycopg sends nothing. Every audited request
    saves a round trip (BENCHMARKS.md: about a sixth more appends per second).
    """
    bodies: list[bytes] | None = connection.info.pop(_WAITING, None)
    if not bodies:
        return
    # Hex digits only, so nothing in a body can end the literal; psycopg's quoting of a bytes
    # literal cost more CPU than the rest of the append.
    rows = b", ".join(b"(decode('%s', 'hex'))" % body.hex().encode() for body in bodies)
    driver = _psycopg(connection)
    try:
        driver.execute(_INSERT + rows + b"; COMMIT")
    except psycopg.Error as error:
        # SQLAlchemy takes a failed COMMIT as the end of the transaction and returns the
        # connection to the pool as it is, so the aborted transaction is ended here.
        with suppress(psycopg.Error):
            driver.rollback()
        # Reported as SQLAlchemy reports a failed COMMIT: a database error, not a driver's,
        # marked if the connection was lost (then the COMMIT may have landed).
        lost = driver.broken or driver.closed
        raise DBAPIError.instance(
            None, None, error, psycopg.Error, connection_invalidated=lost
        ) from None


@listens_for(Engine, "rollback")
def _forget(connection: Connection) -> None:
    """Events of a transaction that did not commit never happened."""
    if connection.invalidated:
        # The connection was lost (its events with it); asking for its info would try to
        # reconnect inside the failed transaction and hide the database error behind a 500.
        return
    connection.info.pop(_WAITING, None)


def _head(session: Session) -> tuple[int, bytes]:
    last = session.execute(
        select(AuditEvent.position, AuditEvent.chain).order_by(AuditEvent.position.desc()).limit(1)
    ).first()
    return (0, GENESIS) if last is None else (last.position, bytes.fromhex(last.chain))


def sequence(session: Session) -> int:
    """Chain pending events in order; returns how many. Only one sequencer runs at a time.

    PostgreSQL: an advisory lock picks the one sequencer. SQLite: a lock per process; between
    processes, taking the batch is the transaction's first statement and a write, so a second
    sequencer waits for the first to commit (the primary key on `position` refuses a duplicate
    besides).
    """
    if not only_one(session, _LOCK):
        return 0
    # One statement takes the batch out: the rows it returns are the rows it deletes (one
    # snapshot), where a SELECT then a DELETE sent a thousand ids back to the server.
    pending = sorted(session.execute(_TAKE), key=lambda row: row.id)  # RETURNING is unordered
    position, chain = _head(session)
    rows, quarantined = [], []
    now = utcnow()
    for row in pending:
        leaf = leaf_hash(row.body)
        chain = chain_hash(chain, leaf)
        position += 1
        # Every body is chained as it is: one that cannot be indexed in full is quarantined,
        # never left pending (it would stop the chain for good) nor dropped.
        found = index(row.body)
        if found.problems:
            quarantined.append({"position": position, "reason": "; ".join(found.problems)})
        rows.append(
            (
                position,
                row.body,
                leaf.hex(),
                chain.hex(),
                found.at or now,  # an event without a readable time is placed when chained
                found.actor_id,
                found.customer_id,
                found.document_id,
                found.action,
                found.outcome,
            )
        )
    if rows:
        _store(session, rows)
    if quarantined:
        session.execute(insert(AuditQuarantine), quarantined)
        for entry in quarantined:
            # The alert: the position and which fields, never the body.
            logger.error("audit event %(position)d quarantined: %(reason)s", entry)
    session.flush()
    return len(pending)


_COLUMNS = ("position", "body", "leaf", "chain", "at", "actor_id", "customer_id", "document_id",
            "action", "outcome")  # fmt: skip
_COPY = f"COPY audit_event ({', '.join(_COLUMNS)}) FROM STDIN"


def _store(session: Session, rows: list[tuple[Any, ...]]) -> None:
    """Insert chained events; the sequencer must outpace many writers."""
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(AuditEvent), [dict(zip(_COLUMNS, row, strict=True)) for row in rows])
        return
    # COPY costs the sequencer a third of the CPU of an executemany (53 -> 19 us per event) and
    # the server less too; it runs on the session's own connection, inside its transaction.
    with _psycopg(session.connection()).cursor() as cursor, cursor.copy(_COPY) as copy:
        for row in rows:
            copy.write_row(row)


_TAKE = (
    delete(_PENDING)
    .where(_PENDING.c.id.in_(select(_PENDING.c.id).order_by(_PENDING.c.id).limit(BATCH)))
    .returning(_PENDING.c.id, _PENDING.c.body)
)


def checkpoint(session: Session, key: Ed25519PrivateKey) -> AuditCheckpoint | None:
    """Sign the current head, unless the last checkpoint already covers it."""
    size, head = _head(session)
    last = latest_checkpoint(session)
    if size == 0 or (last is not None and last.size == size):
        return last
    previous = hashlib.sha256(last.body).hexdigest() if last is not None else None
    body = canonical(
        {"size": size, "head": head.hex(), "at": timestamp(utcnow()), "previous": previous}
    )
    signature = base64.b64encode(key.sign(body)).decode()
    row = AuditCheckpoint(size=size, body=body, signature=signature)
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class Broken:
    """Where and why the chain stopped verifying."""

    position: int
    reason: str


def verify_stored(session: Session) -> Broken | None:
    """Recompute the whole stored chain; None if every event and checkpoint agrees."""
    chain, expected = GENESIS, 1
    heads: dict[int, str] = {}
    for event in _events(session):
        if event.position != expected:
            return Broken(expected, "an event is missing")
        leaf = leaf_hash(event.body)
        chain = chain_hash(chain, leaf)
        if leaf.hex() != event.leaf or chain.hex() != event.chain:
            return Broken(event.position, "the event's hash does not match its body")
        if not index(event.body, strict=False).agrees_with(event):
            # The chain does not cover the columns that filters read.
            return Broken(event.position, "the event's index columns do not match its body")
        heads[event.position] = event.chain
        expected += 1
    for point in session.scalars(select(AuditCheckpoint)):
        if heads.get(point.size) != json.loads(point.body)["head"]:
            return Broken(point.size, "a checkpoint does not match the chain")
    return None


def _events(session: Session) -> Iterator[Any]:
    # Plain rows in pages, so verifying a large log holds one page, not the whole log.
    columns = (
        AuditEvent.position, AuditEvent.body, AuditEvent.leaf, AuditEvent.chain, AuditEvent.at,
        AuditEvent.actor_id, AuditEvent.customer_id, AuditEvent.document_id, AuditEvent.action,
        AuditEvent.outcome,
    )  # fmt: skip
    after = 0
    while True:
        page = session.execute(
            select(*columns)
            .where(AuditEvent.position > after)
            .order_by(AuditEvent.position)
            .limit(BATCH)
        ).all()
        if not page:
            return
        yield from page
        after = page[-1].position


def catch_up(sessions: sessionmaker[Session]) -> int:
    """Chain everything pending, in transactions of its own; returns how many were chained."""
    done = 0
    with _SQLITE_LOCK, sessions() as session:
        try:
            while (chained := sequence(session)) > 0:
                session.commit()
                done += chained
        except IntegrityError:
            # Another process chained the same events first; they are chained either way.
            session.rollback()
    return done


def seal(sessions: sessionmaker[Session], key: Ed25519PrivateKey) -> dict[str, Any] | None:
    """Chain everything pending and sign a checkpoint of the head; returns it as an anchor."""
    catch_up(sessions)
    with _SQLITE_LOCK, sessions() as session:
        try:
            checkpoint(session, key)
            session.commit()
        except IntegrityError:
            session.rollback()  # another process signed this very head a moment ago
        point = latest_checkpoint(session)
        return None if point is None else anchor(point)


def latest_checkpoint(session: Session) -> AuditCheckpoint | None:
    """The checkpoint of the largest size, if any."""
    return session.scalars(
        select(AuditCheckpoint).order_by(AuditCheckpoint.size.desc()).limit(1)
    ).first()


def anchor(point: AuditCheckpoint) -> dict[str, Any]:
    """A checkpoint as kept outside the database: verifiers trust only its signed body."""
    fields = json.loads(point.body)
    return {
        "size": point.size,
        "head": fields["head"],
        "at": fields["at"],
        "body": point.body.decode(),
        "signature": point.signature,
    }


def keep_up(sessions: sessionmaker[Session], key: Ed25519PrivateKey, every: int) -> int:
    """Chain everything pending; sign a checkpoint once `every` events came since the last."""
    done = catch_up(sessions)
    with sessions() as session:
        size, _ = _head(session)
        signed = session.scalar(select(func.max(AuditCheckpoint.size))) or 0
    if size - signed >= every:
        seal(sessions, key)
    return done
