"""The audit log: events waiting for their place, the hash-chained events, signed checkpoints."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base

# SQLite autoincrements only an INTEGER primary key; PostgreSQL gets 64 bits.
Counter = BigInteger().with_variant(Integer(), "sqlite")


class AuditPending(Base):
    """An event written in its request's transaction, waiting for the sequencer to chain it."""

    __tablename__ = "audit_pending"

    id: Mapped[int] = mapped_column(Counter, primary_key=True, autoincrement=True)
    body: Mapped[bytes] = mapped_column(LargeBinary)


class AuditEvent(Base):
    """A chained event; the database refuses to change or remove one."""

    __tablename__ = "audit_event"

    position: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    # The exact bytes that were hashed: canonical JSON, UTF-8.
    body: Mapped[bytes] = mapped_column(LargeBinary)
    leaf: Mapped[str] = mapped_column(String(64))
    chain: Mapped[str] = mapped_column(String(64))
    # Copied out of the body for the auditors' filters; the body is what counts.
    at: Mapped[datetime] = mapped_column(index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    customer_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    document_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    outcome: Mapped[str] = mapped_column(String(16), index=True)


class AuditQuarantine(Base):
    """A chained event whose body could not be indexed in full: which fields, never content.

    Its index columns hold markers (storage/auditindex.py); the database refuses to change or
    remove an entry, as for the events.
    """

    __tablename__ = "audit_quarantine"

    position: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("audit_event.position"), primary_key=True, autoincrement=False
    )
    reason: Mapped[str] = mapped_column(String(400))


class AuditCheckpoint(Base):
    """A signed statement of the log's size and chain head at a moment."""

    __tablename__ = "audit_checkpoint"

    size: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    signature: Mapped[str] = mapped_column(String(128))
