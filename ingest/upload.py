"""Taking in a document version: size limit, type by magic bytes, hash, then seal and record.

Invariants: the plaintext passes through once, in memory, a chunk at a time; its type is judged by
its first bytes, never by its name, and the stored name is made to agree (`x.html` holding a PDF
is kept as `x.html.pdf`), without folders, control or bidirectional formatting characters; a
version's row is written only after its object is stored, and the object is deleted again if the
unit of work rolls back; a statement or license version is queued for reading with its row, in
the same transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.exc import IntegrityError as DbIntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ingest.contracts import link_by_number
from ingest.intake import Intake, served_name
from ingest.schemas import DocumentCreate
from ingest.textindex import KIND as TEXT
from storage.db import on_rollback
from storage.envelope import Sealed, object_header, seal
from storage.errors import Conflict
from storage.keys import KeyProvider
from storage.models import (
    Customer,
    DocType,
    Document,
    DocumentVersion,
    Extraction,
    Secrecy,
    User,
)
from storage.models.base import utcnow
from storage.objects import ObjectStore

# Documents whose figures are read after upload, and what is read from them.
READ_IN_BACKGROUND = {
    DocType.financial_statement: "statements",
    DocType.business_license: "license",
}


@dataclass(frozen=True)
class Received:
    """A version stored in the object store, not yet recorded."""

    sealed: Sealed
    filename: str
    media_type: str
    size: int
    sha256: str


def receive(
    session: Session,
    store: ObjectStore,
    keys: KeyProvider,
    *,
    customer_id: uuid.UUID,
    document_id: uuid.UUID,
    version: int,
    source: BinaryIO,
    filename: str,
    max_bytes: int,
) -> Received:
    """Check, encrypt and store one version; the object goes again if the session rolls back."""
    _open_for_uploads(session, customer_id)
    intake = Intake(source, max_bytes)
    header = object_header(customer_id, document_id, version, intake.media_type)
    sealed = seal(store, keys, header, intake)  # type: ignore[arg-type]  # seal needs only read()
    on_rollback(session, lambda: store.delete(sealed.object_key))
    name = served_name(filename, intake.media_type)
    return Received(sealed, name, intake.media_type, intake.size, intake.sha256)


def _open_for_uploads(session: Session, customer_id: uuid.UUID) -> None:
    """Refuse while a disposal shreds the customer's key (409).

    The customer's row is held shared until this upload commits: a disposal closing uploads
    waits for it, and an upload after the closure waits for the disposal, then sees it. So no
    version is committed under a key version the shred has passed (`ingest.disposal_run`).
    """
    closed = session.scalar(
        select(Customer.uploads_closed_until)
        .where(Customer.id == customer_id)
        .with_for_update(read=True)
    )
    if closed is not None and closed > utcnow():
        raise Conflict(
            "uploads to this customer file are closed while a disposal destroys old keys; "
            f"send the file again after {closed:%Y-%m-%d %H:%M} UTC",
            reason="disposal_running",
        )


def add_document(
    session: Session,
    *,
    customer: Customer,
    document_id: uuid.UUID,
    data: DocumentCreate,
    received: Received,
    actor: User,
    visible: ColumnElement[bool],
) -> Document:
    """Record a new document with its first version, at the customer's level unless given."""
    document = Document(
        id=document_id,
        customer_id=customer.id,
        created_by_id=actor.id,
        latest_version=1,
        **data.model_dump(exclude={"secrecy"}),
        secrecy=data.secrecy or customer.secrecy,
        versions=[],  # known empty: the response lists the versions without asking the database
    )
    link_by_number(session, document)
    session.add(document)
    _record_version(session, document, 1, received, actor, visible)
    return document


def add_version(
    session: Session,
    document: Document,
    received: Received,
    actor: User,
    visible: ColumnElement[bool],
) -> Document:
    """Record the version `claim_version` took for this request; older versions stay."""
    _record_version(session, document, document.latest_version, received, actor, visible)
    return document


def claim_version(session: Session, document: Document) -> int:
    """Take the document's next version number for this request, before its file is stored.

    Two versions sent at once would otherwise both store `docs/<id>/<n>`, the later object over
    the earlier one. The update holds the document's row until this request ends: the other
    request waits for it, then finds the number taken and is refused before storing anything.
    """
    taken = session.scalar(
        update(Document)
        .where(Document.id == document.id, Document.latest_version == document.latest_version)
        .values(latest_version=Document.latest_version + 1)
        .returning(Document.latest_version)
        .execution_options(synchronize_session=False)
    )
    if taken is None:
        raise _added_meanwhile()
    set_committed_value(document, "latest_version", taken)
    return taken


def _record_version(
    session: Session,
    document: Document,
    version: int,
    received: Received,
    actor: User,
    visible: ColumnElement[bool],
) -> None:
    sealed = received.sealed
    session.add(
        DocumentVersion(
            document=document,
            customer_id=document.customer_id,
            version=version,
            filename=received.filename,
            media_type=received.media_type,
            size=received.size,
            sha256=received.sha256,
            object_key=sealed.object_key,
            ciphertext_size=sealed.ciphertext_size,
            ciphertext_sha256=sealed.ciphertext_sha256,
            key_name=sealed.key_name,
            wrapped_key=sealed.wrapped_key,
            created_by_id=actor.id,
        )
    )
    kind = READ_IN_BACKGROUND.get(DocType(document.doc_type))
    if kind is not None:
        # Figures are read by the extraction worker, never in the request (ingest.tasks).
        session.add(Extraction(document_id=document.id, version=version, kind=kind))
    if document.secrecy != Secrecy.secret:
        # Its text for search, read by the indexer, which checks the configured level then.
        session.add(Extraction(document_id=document.id, version=version, kind=TEXT))
    customer_id = document.customer_id  # a rollback below would expire it
    try:
        # The database's uniqueness finds a duplicate, without asking first: every upload
        # would pay for a question nearly always answered "no". One flush writes the version
        # and its jobs (a duplicate's jobs go with its rollback).
        session.flush()
    except DbIntegrityError:
        session.rollback()  # the transaction is spoilt; the stored object goes with the request
        raise _refusal(session, customer_id, received.sha256, visible) from None


def _refusal(
    session: Session, customer_id: uuid.UUID, sha256: str, visible: ColumnElement[bool]
) -> Conflict:
    """Why a version's row could not be written: the same bytes, or a version added meanwhile."""
    same_bytes = select(DocumentVersion.document_id).where(
        DocumentVersion.customer_id == customer_id, DocumentVersion.sha256 == sha256
    )
    if session.scalar(same_bytes) is None:
        return _added_meanwhile()
    # The bytes are unique per file, so a 409 cannot be avoided; it names the document only to
    # whoever may see it (`visible`, a condition on Document), and to anyone else nothing.
    shown = session.scalar(select(Document.id).where(Document.id.in_(same_bytes), visible))
    named = f" as document {shown}" if shown is not None else ""
    return Conflict(
        f"this file is already stored in this customer file{named}", reason="file_already_stored"
    )


def _added_meanwhile() -> Conflict:
    return Conflict(
        "another version of this document was added meanwhile: send the file again",
        reason="version_added_meanwhile",
    )
