"""Executing an approved disposal: holds and dueness checked again, uploads kept out, the key
shredded, the objects purged, the documents reduced to tombstones, the certificate issued.

Invariants: an item a hold covers at execution (set after approval), or no longer due, is kept
and reported; the customer files of the doomed items take no upload from before the key's new
version until the key batches begun before it have aged out (`Customer.uploads_closed_until`,
which the upload path checks holding the customer's row, so no version can be committed under
an old key version once the closure is committed); the content becomes undecryptable before
any object is deleted, and an object the store's Object Lock keeps is recorded with the time
it may go; a tombstone keeps id, type, customer, dates and the hashes of its versions (in its
item), nothing else of the document, and no row derived from its content; the certificate's
SHA-256 is in the execution's audit event; the audit log itself is never touched. A run that
fails part-way leaves the disposal `executing`, and executing it again resumes with the same
items; two runs of one disposal never overlap.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, selectinload, sessionmaker

from ingest import textindex
from ingest.certificate import certificate_pdf
from ingest.disposal import due_now
from ingest.disposal_schemas import DisposalRead
from ingest.disposing import read_models, target
from ingest.holding import held
from ingest.retention import Retention
from storage import rotation
from storage.auditevent import Actor, record
from storage.auditnames import Action
from storage.db import unit_of_work
from storage.errors import Conflict, NotFound
from storage.keys import KeyProvider
from storage.models import (
    Customer,
    Department,
    Disposal,
    Document,
    DocumentVersion,
    Extraction,
    Statement,
    StatementFigure,
)
from storage.models.base import utcnow
from storage.objects import ObjectStore

# Uploads stay closed this long while a run is under way; a run that dies leaves them closed
# no longer than this, and running it again closes them anew.
RUNNING = timedelta(hours=1)


@dataclass(frozen=True)
class Executor:
    """What a run needs of the archive: its backends, rules and clock."""

    sessions: sessionmaker[Session]
    store: ObjectStore
    keys: KeyProvider
    retention: Retention
    zone: ZoneInfo
    batch_age: float  # seconds a key batch begun before the shred may still wrap uploads


@dataclass
class _Doomed:
    versions: dict[str, set[uuid.UUID]] = field(default_factory=lambda: defaultdict(set))
    objects: dict[uuid.UUID, list[str]] = field(default_factory=lambda: defaultdict(list))


def execute(
    run: Executor,
    actor: Actor,
    executor_id: uuid.UUID,
    disposal_id: uuid.UUID,
    decision: dict[str, Any],
    when: tuple[date, datetime],
) -> DisposalRead:
    """Execute (or resume) an approved disposal; returns it as executed, with its certificate."""
    doomed = _begin(run, executor_id, disposal_id, when[0])
    try:
        for key_name, versions in doomed.versions.items():
            # Uploads are closed, so no version of this customer can be committed under an
            # older key version from now on: nothing needs waiting for before the old ones go.
            rotation.shred(run.sessions, run.keys, key_name, versions)
        kept: dict[uuid.UUID, datetime] = {}
        for document_id, keys in doomed.objects.items():
            locks = [until for until in map(run.store.purge, keys) if until is not None]
            if locks:
                kept[document_id] = max(locks)
        return _finish(run, actor, disposal_id, kept, decision, when[1])
    except BaseException:
        _stopped(run, disposal_id)
        raise


def _begin(run: Executor, executor_id: uuid.UUID, disposal_id: uuid.UUID, today: date) -> _Doomed:
    with unit_of_work(run.sessions) as session:
        disposal = _locked(session, disposal_id)
        if disposal.status not in ("approved", "executing"):
            raise Conflict(
                f"disposal {disposal.number} is {disposal.status}: only approved ones are executed",
                reason="disposal_state",
            )
        started = disposal.executed_at
        if disposal.status == "executing" and started and started > utcnow() - RUNNING:
            # Two runs at once would shred one key twice over, each retiring what the other
            # just wrapped under: only a run that stopped is resumed.
            raise Conflict(f"disposal {disposal.number} is being executed", reason="disposal_state")
        if disposal.status == "approved":
            # A hold is set holding its customer's row (`holding._set`): with the rows held,
            # none can slip in between this check and the disposal's being marked executing.
            files = {i.customer_id for i in disposal.items}
            session.execute(select(Customer.id).where(Customer.id.in_(files)).with_for_update())
            _recheck(session, run.retention, disposal, today)
            disposal.status, disposal.executed_by_id = "executing", executor_id
        disposal.executed_at = utcnow()  # while executing: when this run began
        items = [i for i in disposal.items if i.outcome is None]
        rows = session.scalars(
            select(DocumentVersion)
            .where(DocumentVersion.document_id.in_([i.document_id for i in items]))
            .order_by(DocumentVersion.document_id, DocumentVersion.version)
        ).all()
        doomed, hashes = _Doomed(), defaultdict(list)
        for row in rows:
            doomed.versions[row.key_name].add(row.id)
            doomed.objects[row.document_id].append(row.object_key)
            hashes[row.document_id].append(
                {"version": row.version, "size": row.size, "sha256": row.sha256}
            )
        for item in items:
            item.versions = hashes.get(item.document_id) or item.versions  # a resumed run
        closing = {i.customer_id for i in items}
        session.execute(
            update(Customer)
            .where(Customer.id.in_(closing))
            .values(uploads_closed_until=utcnow() + RUNNING)
            .execution_options(synchronize_session=False)
        )
        return doomed


def _stopped(run: Executor, disposal_id: uuid.UUID) -> None:
    """A run failed: it no longer runs, so executing the disposal again resumes it."""
    with unit_of_work(run.sessions) as session:
        _locked(session, disposal_id).executed_at = None


def _locked(session: Session, disposal_id: uuid.UUID) -> Disposal:
    found = session.get(
        Disposal, disposal_id, options=[selectinload(Disposal.items)], with_for_update=True
    )
    if found is None:
        raise NotFound("no such disposal")
    return found


def _recheck(session: Session, retention: Retention, disposal: Disposal, today: date) -> None:
    ids = [i.document_id for i in disposal.items]
    due = due_now(session, retention, today, ids)
    holding = set(session.scalars(select(Document.id).where(Document.id.in_(ids), held())))
    for item in disposal.items:
        if item.document_id not in due:
            item.outcome = "held" if item.document_id in holding else "not_due"


def _finish(
    run: Executor,
    actor: Actor,
    disposal_id: uuid.UUID,
    kept: dict[uuid.UUID, datetime],
    decision: dict[str, Any],
    now: datetime,
) -> DisposalRead:
    with unit_of_work(run.sessions) as session:
        disposal = _locked(session, disposal_id)
        doomed = [i for i in disposal.items if i.outcome is None]
        for item in doomed:
            _tombstone(session, session.get_one(Document, item.document_id), disposal, now)
            item.outcome, item.kept_until = "disposed", kept.get(item.document_id)
        disposal.status, disposal.executed_at = "executed", now
        # Reopened once every key batch begun before the shred has aged out in every process.
        reopen = utcnow() + timedelta(seconds=run.batch_age)
        session.execute(
            update(Customer)
            .where(Customer.id.in_({i.customer_id for i in doomed}))
            .values(uploads_closed_until=reopen)
            .execution_options(synchronize_session=False)
        )
        session.flush()
        shown = read_models(session, [disposal])[0]
        department = session.get_one(Department, disposal.department_id).name
        pdf = certificate_pdf(shown, department, run.zone)
        digest = hashlib.sha256(pdf).hexdigest()
        disposal.certificate, disposal.certificate_sha256 = pdf, digest
        record(
            session, actor, Action.DISPOSAL_EXECUTE, "success", target(disposal), decision,
            certificate_sha256=digest, items=[_audited(i) for i in shown.items],
        )  # fmt: skip
        return shown.model_copy(update={"certificate_sha256": digest})


def _audited(item: Any) -> dict[str, Any]:
    return {
        "document": str(item.document_id),
        "customer": str(item.customer_id),
        "doc_type": item.doc_type,
        "outcome": item.outcome,
        "sha256": [v.sha256 for v in item.versions],
        "kept_until": item.kept_until.isoformat() if item.kept_until else None,
    }


def _tombstone(session: Session, document: Document, disposal: Disposal, now: datetime) -> None:
    """Reduce the document to its tombstone: what was derived from its content goes too."""
    statements = select(Statement.id).where(Statement.document_id == document.id)
    session.execute(delete(StatementFigure).where(StatementFigure.statement_id.in_(statements)))
    session.execute(delete(Statement).where(Statement.document_id == document.id))
    session.execute(delete(Extraction).where(Extraction.document_id == document.id))
    textindex.forget(session, document)
    session.execute(delete(DocumentVersion).where(DocumentVersion.document_id == document.id))
    document.title = ""
    document.contract_no = document.counterparty = None
    document.sender = document.recipient = None  # names of people, as the title
    document.amount = None
    document.original_cabinet = document.original_shelf = document.original_box = None
    document.disposal_id, document.disposed_at = disposal.id, now
    session.expire(document, ["versions"])
