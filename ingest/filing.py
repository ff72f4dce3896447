"""The document workflow's steps: upload, add a version, find, read, its readings' states,
change secrecy, file.

Each step checks, acts and records its one audit event in the caller's transaction, and returns
the document. A refusal raises before anything is recorded here (the caller records it in a
transaction of its own); a stored object whose row is rolled back goes with it
(`ingest.upload`). `decision` is the one the caller's door found when it let them at the
customer or document; a step that applies a rule of its own records that one instead.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO, Protocol

from sqlalchemy.orm import Session

from ingest import letters
from ingest import upload as intake
from ingest.documents import change_secrecy as set_level
from ingest.documents import (
    document_filter,
    extractions_of_document,
    file_document,
    list_documents,
)
from ingest.errors import AboveClearance
from ingest.rights import Rights
from ingest.schemas import DocumentCreate, OriginalPlace, SecrecyChange
from storage.auditevent import Actor, document_target, record, record_search
from storage.auditnames import Action
from storage.keys import KeyProvider
from storage.models import Customer, DocType, Document, Extraction, Secrecy
from storage.objects import ObjectStore


@dataclass(frozen=True)
class Vault:
    """Where uploaded files go: the object store, the key provider, the largest file taken."""

    store: ObjectStore
    keys: KeyProvider
    max_bytes: int


class SentFile(Protocol):
    """The file of a form, read as it arrives."""

    @property
    def filename(self) -> str:
        """The name the sender's system gave it."""

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes of it, b'' at its end."""


class SentForm(Protocol):
    """A form whose file comes first and is streamed; its other fields are read after it."""

    def file(self) -> SentFile:
        """The file part."""

    def fields(self) -> dict[str, str]:
        """Every text field, once the rest of the form has been read."""


class LocalFile:
    """A file at hand (on disk, or made by the archive) read as a form's file part."""

    def __init__(self, stream: BinaryIO, filename: str) -> None:
        self._stream, self.filename = stream, filename

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes."""
        return self._stream.read(size)


class LocalForm:
    """A file at hand and its fields as the upload step's form (imports, generated reports)."""

    def __init__(self, stream: BinaryIO, filename: str, fields: dict[str, str]) -> None:
        self._file, self._fields = LocalFile(stream, filename), fields

    def file(self) -> LocalFile:
        """The file."""
        return self._file

    def fields(self) -> dict[str, str]:
        """The document fields."""
        return self._fields


def upload(
    session: Session,
    actor: Actor,
    rights: Rights,
    customer: Customer,
    form: Callable[[], SentForm],
    vault: Vault,
    derived: Secrecy | None = None,
) -> Document:
    """Add a document to a customer file: streamed, checked, encrypted, stored.

    `form` opens the sent form, called only once the caller may add a document. A document the
    archive makes from others (a credit report) takes the `derived` level of its sources: not
    the caller's choice, so it needs no right to change levels, only the clearance.
    """
    rule = rights.require(customer.department_id, "document", "create", customer.secrecy)
    document_id = uuid.uuid4()
    received, fields = _receive(session, form(), vault, customer.id, document_id, 1)
    data = DocumentCreate.model_validate(fields)
    letters.check_kept(data.doc_type, data)
    # The level is known only once the fields after the file have arrived; refusing now rolls
    # the transaction back, and with it the stored object.
    if derived is not None:
        _may_set_secrecy(rights, customer, derived, derived)
        data.secrecy = derived
    else:
        _may_set_secrecy(rights, customer, customer.secrecy, data.secrecy or customer.secrecy)
    document = intake.add_document(
        session,
        customer=customer,
        document_id=document_id,
        data=data,
        received=received,
        actor=rights.user,
        visible=rights.readable_documents(customer.department_id),
    )
    decision = {"effect": "allow", "rule": rule}
    letter = {"letter": found} if (found := letters.letter_of(document)) else {}
    target = document_target(document, 1)
    record(session, actor, Action.DOCUMENT_UPLOAD, "success", target, decision, **letter)
    return document


def add_version(
    session: Session,
    actor: Actor,
    rights: Rights,
    document: Document,
    form: Callable[[], SentForm],
    vault: Vault,
    decision: dict[str, Any],
) -> Document:
    """Store a new version of a document; earlier versions are kept."""
    # The number is taken before the file is stored: two versions sent at once never share one.
    version = intake.claim_version(session, document)
    received, _ = _receive(session, form(), vault, document.customer_id, document.id, version)
    seen = rights.readable_documents(document.customer.department_id)
    intake.add_version(session, document, received, rights.user, seen)
    target = document_target(document, document.latest_version)
    record(session, actor, Action.VERSION_UPLOAD, "success", target, decision)
    return document


def _receive(
    session: Session,
    form: SentForm,
    vault: Vault,
    customer_id: uuid.UUID,
    document_id: uuid.UUID,
    version: int,
) -> tuple[intake.Received, dict[str, str]]:
    # Stream the form's file into the store; returns it and the form's other fields.
    file = form.file()
    received = intake.receive(
        session,
        vault.store,
        vault.keys,
        customer_id=customer_id,
        document_id=document_id,
        version=version,
        source=file,  # type: ignore[arg-type]  # receive needs only read()
        filename=file.filename,
        max_bytes=vault.max_bytes,
    )
    return received, form.fields()


def search(
    session: Session,
    actor: Actor,
    rights: Rights,
    customer_id: uuid.UUID | None,
    doc_type: DocType | None,
    secrecy: Secrecy | None,
    q: str | None,
    page: tuple[int, int],
    letter: Mapping[str, object] | None = None,
) -> tuple[list[Document], int]:
    """A page (`limit`, `offset`) of the visible documents matching every given filter (the
    letters' own in `letter`), newest first, and the number of all of them."""
    limit, offset = page
    where = document_filter(customer_id, doc_type, secrecy, q, letter)
    # On the document's copy of its department: a page of the newest is read from one index.
    where.append(rights.visible(session, "document", Document.department_id, Document.secrecy))
    rows, total = list_documents(session, where, limit, offset)
    record_search(
        session, actor, Action.DOCUMENT_SEARCH, total, customer_id, None, doc_type=doc_type,
        secrecy=secrecy, q=q, limit=limit, offset=offset, **(letter or {}),
    )  # fmt: skip
    return rows, total


def read(session: Session, actor: Actor, document: Document, decision: dict[str, Any]) -> Document:
    """One document and its versions, its reading recorded."""
    record(session, actor, Action.DOCUMENT_READ, "success", document_target(document), decision)
    return document


def extraction_states(
    session: Session, actor: Actor, document: Document, decision: dict[str, Any]
) -> list[Extraction]:
    """Where the background readings of the document's figures stand, newest first; what they
    read is credit data, shown by the customer's extractions to those who read its credit."""
    found = extractions_of_document(session, document)
    target = document_target(document)
    record(
        session, actor, Action.EXTRACTION_STATE_SEARCH, "success", target, decision,
        results=len(found),
    )  # fmt: skip
    return found


def change_secrecy(
    session: Session,
    actor: Actor,
    rights: Rights,
    document: Document,
    change: SecrecyChange,
    decision: dict[str, Any],
) -> Document:
    """Raise or lower a document's secrecy level; lowering it needs a reason."""
    _may_set_secrecy(rights, document.customer, document.secrecy, change.secrecy)
    before = document.secrecy
    set_level(document, change.secrecy, change.reason)
    record(
        session,
        actor,
        Action.SECRECY_CHANGE,
        "success",
        document_target(document),
        decision,
        before=before,
        reason=change.reason,
    )
    return document


def accept(
    session: Session,
    actor: Actor,
    rights: Rights,
    document: Document,
    now: datetime,
    decision: dict[str, Any],
) -> Document:
    """The archive accepts a document handed in (checked and filed); until then it is listed
    in its uploader's handover."""
    file_document(document, rights.user, now)
    record(session, actor, Action.DOCUMENT_FILE, "success", document_target(document), decision)
    return document


def file_original(
    session: Session,
    actor: Actor,
    rights: Rights,
    document: Document,
    place: OriginalPlace,
    now: datetime,
    decision: dict[str, Any],
) -> Document:
    """Record where the paper original is kept (cabinet, shelf, box), so it can be lent; a
    document whose paper the archive holds is filed."""
    document.original_cabinet, document.original_shelf = place.cabinet, place.shelf
    document.original_box = place.box
    file_document(document, rights.user, now)
    record(session, actor, Action.ORIGINAL_FILE, "success", document_target(document), decision)
    return document


def _may_set_secrecy(rights: Rights, customer: Customer, current: str, wanted: str) -> None:
    # Nobody files a document above their own clearance (they could not see it again), and
    # only those who may change levels file one above the customer's default.
    if Secrecy(wanted).rank > Secrecy(rights.user.clearance).rank:
        raise AboveClearance(
            "secrecy: above your clearance",
            ("document", "change_secrecy"),
            "clearance below secrecy",
        )
    if wanted != current:
        rights.require(customer.department_id, "document", "change_secrecy", wanted)
