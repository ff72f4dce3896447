"""The audit chain: order, hashes, checkpoints, and a database that refuses edits."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from storage import auditlog
from storage.crypto import load_signing_key
from storage.db import make_engine, migrate
from storage.models import AuditCheckpoint, AuditEvent, AuditPending, AuditQuarantine


def _event(n: int) -> dict[str, object]:
    return {"action": "document:content:read", "outcome": "success", "n": n, "名": "张三"}


def _write(engine: Engine, count: int) -> None:
    with Session(engine) as session:
        for n in range(count):
            auditlog.append(session, _event(n))
        session.commit()
    with Session(engine) as session:
        auditlog.sequence(session)
        session.commit()


def test_events_are_chained_in_order(engine: Engine) -> None:
    _write(engine, 5)
    with Session(engine) as session:
        events = list(session.scalars(sa.select(AuditEvent).order_by(AuditEvent.position)))
        assert [json.loads(e.body)["n"] for e in events] == [0, 1, 2, 3, 4]
        chain = auditlog.GENESIS
        for event in events:
            leaf = auditlog.leaf_hash(event.body)
            chain = auditlog.chain_hash(chain, leaf)
            assert (event.leaf, event.chain) == (leaf.hex(), chain.hex())
        assert session.scalar(sa.select(sa.func.count()).select_from(AuditPending)) == 0
        # The stored body is canonical JSON, byte for byte.
        body = json.loads(events[0].body)
        assert events[0].body == auditlog.canonical(body)
        assert auditlog.verify_stored(session) is None


def _pending(engine: Engine) -> list[int]:
    with Session(engine) as session:
        bodies = session.scalars(sa.select(AuditPending.body).order_by(AuditPending.id))
        return [json.loads(body)["n"] for body in bodies]


def test_events_commit_with_their_transaction_and_vanish_with_its_rollback(engine: Engine) -> None:
    with Session(engine) as session:
        auditlog.append(session, _event(1))
        auditlog.append(session, _event(2))
        session.rollback()
        # The same pooled connection serves the next transaction: nothing carries over.
        auditlog.append(session, _event(3))
        session.commit()
    with Session(engine) as session:
        auditlog.append(session, _event(4))  # closed without a commit
    with Session(engine) as session:
        auditlog.append(session, _event(5))
        auditlog.append(session, _event(6))
        session.commit()
    assert _pending(engine) == [3, 5, 6]


def test_a_failed_event_write_fails_the_commit_and_keeps_the_change_out(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(sa.text("ALTER TABLE audit_pending RENAME TO audit_pending_away"))
    try:
        # SQLite refuses at once, PostgreSQL with the COMMIT the event travels with.
        with pytest.raises(sa.exc.DBAPIError), Session(engine) as session:  # noqa: PT012
            session.add(AuditCheckpoint(size=99, body=b"{}", signature="x"))
            auditlog.append(session, _event(1))
            session.commit()
    finally:
        # On the pooled connection of the failed commit: it must be usable again.
        with engine.begin() as connection:
            connection.execute(sa.text("ALTER TABLE audit_pending_away RENAME TO audit_pending"))
    with Session(engine) as session:
        assert session.get(AuditCheckpoint, 99) is None
    assert _pending(engine) == []


def test_checkpoints_are_signed_and_linked(engine: Engine, tmp_path: Path) -> None:
    key = load_signing_key(tmp_path / "audit.pem")
    _write(engine, 3)
    with Session(engine, expire_on_commit=False) as session:
        first = auditlog.checkpoint(session, key)
        session.commit()
    _write(engine, 2)
    with Session(engine, expire_on_commit=False) as session:
        second = auditlog.checkpoint(session, key)
        session.commit()
    assert first is not None
    assert second is not None
    assert (first.size, second.size) == (3, 5)
    key.public_key().verify(base64.b64decode(second.signature), second.body)
    assert json.loads(second.body)["previous"] == hashlib.sha256(first.body).hexdigest()
    assert (tmp_path / "audit.pem").stat().st_mode & 0o077 == 0


def test_the_database_refuses_to_edit_or_remove_events(engine: Engine, tmp_path: Path) -> None:
    _write(engine, 2)
    with Session(engine) as session:
        auditlog.checkpoint(session, load_signing_key(tmp_path / "k.pem"))
        session.commit()
    for statement in (
        "UPDATE audit_event SET outcome = 'denied' WHERE position = 1",
        "DELETE FROM audit_event WHERE position = 2",
        "UPDATE audit_checkpoint SET signature = 'x'",
        "DELETE FROM audit_checkpoint",
    ):
        with (
            engine.connect() as connection,
            pytest.raises(sa.exc.DatabaseError, match="append-only"),
        ):
            connection.execute(sa.text(statement))
    with Session(engine) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 2
        assert session.scalar(sa.select(sa.func.count()).select_from(AuditCheckpoint)) == 1


def test_verification_finds_a_changed_event(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'audit.db'}")
    migrate(engine)
    _write(engine, 4)
    with engine.begin() as connection:
        # What an intruder with the database file could do: drop the guard, then edit.
        connection.execute(sa.text("DROP TRIGGER audit_event_no_update"))
        connection.execute(
            sa.text("UPDATE audit_event SET body = :body WHERE position = 3"),
            {"body": auditlog.canonical(_event(99))},
        )
    with Session(engine) as session:
        assert auditlog.verify_stored(session) == auditlog.Broken(
            3, "the event's hash does not match its body"
        )
    engine.dispose()


SECRET = "张三的身份证 110101199003074711"  # personal data a hostile body carries
HOSTILE = [
    b"not json " + SECRET.encode(),
    b"\xff\xfe" + SECRET.encode("utf-16"),
    b"[" * 100_000,  # nested deeper than the parser goes
    b"[1,2]",
    b"{}",
    # The refusal that stopped the log: a path id that was not a UUID as the target.
    auditlog.canonical(
        {"action": "customer:file:read", "outcome": "denied", "at": "2026-11-28T10:00:00.000000Z",
         "actor": None, "target": {"customer": "not-a-uuid"}, "note": SECRET}
    ),
    auditlog.canonical({"action": "x" * 65, "outcome": "success", "at": "yesterday"}),
    auditlog.canonical({"action": "a\u0000b", "outcome": "o" * 17, "at": "2026-11-28T10:00:00"}),
    auditlog.canonical({"action": "a", "outcome": "success", "at": "0001-01-01T00:00:00+14:00"}),
    auditlog.canonical({"action": "a", "outcome": "success", "actor": "root", "target": [1]}),
    b'{"action":"a",\n"outcome":"success","at":"2026-11-28T10:00:00.000000Z"}',
]  # fmt: skip


def test_hostile_pending_events_are_chained_quarantined_and_the_chain_goes_on(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    with Session(engine) as session:
        auditlog.append(session, _event(1))
        session.commit()
    # Written straight into the table, as a bug or someone with database access could.
    with Session(engine) as session:
        session.execute(sa.insert(AuditPending), [{"body": body} for body in HOSTILE])
        session.commit()
    with Session(engine) as session:
        auditlog.append(session, _event(2))
        session.commit()
    with caplog.at_level("ERROR", logger="storage.auditlog"):
        assert auditlog.catch_up(sessionmaker(engine)) == len(HOSTILE) + 2
    with Session(engine) as session:
        events = list(session.scalars(sa.select(AuditEvent).order_by(AuditEvent.position)))
        listed = session.execute(sa.select(AuditQuarantine.position, AuditQuarantine.reason))
        quarantined = {row.position: row.reason for row in listed}
        assert [e.body for e in events[1:-1]] == HOSTILE  # the exact bytes, in order
        assert auditlog.verify_stored(session) is None
        assert session.scalar(sa.select(sa.func.count()).select_from(AuditPending)) == 0
    assert sorted(quarantined) == list(range(2, len(HOSTILE) + 2))
    assert quarantined[2] == "not JSON"
    assert quarantined[7] == "target.customer is not a UUID"
    assert quarantined[len(HOSTILE) + 1] == "not canonical JSON"
    refused = events[6]
    assert (refused.action, refused.outcome, refused.customer_id) == (
        "customer:file:read", "denied", None,
    )  # fmt: skip
    assert (events[3].action, events[3].outcome) == ("audit:event:quarantined", "quarantined")
    # The events before and after are chained and indexed as ever.
    assert [json.loads(e.body)["n"] for e in (events[0], events[-1])] == [1, 2]
    assert events[-1].action == "document:content:read"
    logged = [r.getMessage() for r in caplog.records]
    assert len(logged) == len(HOSTILE)
    assert "audit event 7 quarantined: target.customer is not a UUID" in logged
    assert SECRET not in "\n".join(logged)
    assert "not-a-uuid" not in "\n".join(logged)


def test_a_restarted_sequencer_chains_on_after_a_quarantined_event(engine: Engine) -> None:
    with Session(engine) as session:
        session.execute(sa.insert(AuditPending), [{"body": HOSTILE[5]}])
        session.commit()
    assert auditlog.catch_up(sessionmaker(engine)) == 1
    # A new process: nothing is left pending to stop it, and new events go on the chain.
    _write(engine, 2)
    with Session(engine) as session:
        assert session.scalar(sa.select(sa.func.max(AuditEvent.position))) == 3
        assert auditlog.verify_stored(session) is None


def test_pending_events_cannot_be_rewritten_nor_removed_but_by_the_sequencer(
    engine: Engine,
) -> None:
    with Session(engine) as session:
        auditlog.append(session, _event(1))
        auditlog.append(session, _event(2))
        session.commit()
    refused = ["UPDATE audit_pending SET body = body"]
    if engine.dialect.name == "postgresql":
        # SQLite has no TRUNCATE, and no way for a trigger to know the sequencer's DELETE.
        refused += ["TRUNCATE audit_pending", "DELETE FROM audit_pending"]
    for statement in refused:
        with (
            engine.connect() as connection,
            pytest.raises(sa.exc.DatabaseError, match="append-only"),
        ):
            connection.execute(sa.text(statement))
    assert _pending(engine) == [1, 2]
    assert auditlog.catch_up(sessionmaker(engine)) == 2  # its DELETE, under its lock, goes through
    assert _pending(engine) == []


def test_verification_finds_an_edited_index_column(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'audit.db'}")
    migrate(engine)
    _write(engine, 3)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TRIGGER audit_event_no_update"))
        connection.execute(sa.text("UPDATE audit_event SET outcome = 'denied' WHERE position = 2"))
    with Session(engine) as session:
        assert auditlog.verify_stored(session) == auditlog.Broken(
            2, "the event's index columns do not match its body"
        )
    engine.dispose()
