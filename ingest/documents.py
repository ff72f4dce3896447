"""Finding documents and their stored versions."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import ColumnElement, bindparam, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ingest.errors import InvalidField
from ingest.textindex import KIND as TEXT
from storage.errors import NotFound
from storage.models import DocType, Document, DocumentVersion, Extraction, Secrecy, User

# Every door to a document checks its customer's department, so the customer comes along.
# One query for all three, built once: every request about a document pays for this, and a
# statement built per call spent as long computing its cache key as the ORM loading the rows.
_DOCUMENT = (
    select(Document)
    .options(joinedload(Document.customer), joinedload(Document.versions))
    .where(Document.id == bindparam("id"))
)


def get_document(session: Session, document_id: uuid.UUID) -> Document:
    """One document with its customer and versions; raises NotFound."""
    found = session.scalars(_DOCUMENT, {"id": document_id}).unique().one_or_none()
    if found is None:
        raise NotFound("no such document")
    return found


def get_version(document: Document, version: int | None) -> DocumentVersion:
    """A version of the document, the latest if `version` is None; raises NotFound."""
    if document.disposal_id is not None:
        raise NotFound("the document was disposed of: its content is destroyed", reason="disposed")
    wanted = document.latest_version if version is None else version
    for row in document.versions:
        if row.version == wanted:
            return row
    raise NotFound(f"version: document has no version {wanted}")


def document_filter(
    customer_id: uuid.UUID | None,
    doc_type: DocType | None,
    secrecy: Secrecy | None,
    q: str | None,
    letter: Mapping[str, object] | None = None,
) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a document search; `letter` holds the letters' own fields asked
    (channel, direction, escalation level), each to be equal."""
    clauses: list[ColumnElement[bool]] = []
    if customer_id is not None:
        clauses.append(Document.customer_id == customer_id)
    if doc_type is not None:
        clauses.append(Document.doc_type == doc_type)
    if secrecy is not None:
        clauses.append(Document.secrecy == secrecy)
    if q:
        clauses.append(Document.title.ilike(f"%{q.strip()}%"))
    for name, value in (letter or {}).items():
        if value is not None:
            clauses.append(getattr(Document, name) == value)
    return clauses


def list_documents(
    session: Session, where: list[ColumnElement[bool]], limit: int, offset: int
) -> tuple[list[Document], int]:
    """A page of matching documents, newest first, and the number of all matches."""
    # No join to the customer: its department is tested on the document's copy, so the count
    # and the page are read from the document's indexes alone.
    found = select(Document).where(*where)
    total = session.scalar(select(func.count()).select_from(found.subquery())) or 0
    rows = session.scalars(
        found.options(selectinload(Document.versions))
        .order_by(Document.created_at.desc(), Document.id)
        .limit(limit)
        .offset(offset)
    )
    return list(rows), total


def change_secrecy(document: Document, level: Secrecy, reason: str | None) -> Document:
    """Set a document's secrecy level; lowering it needs a reason."""
    if Secrecy(level).rank < Secrecy(document.secrecy).rank and not reason:
        raise InvalidField("reason: required when lowering a secrecy level")
    document.secrecy = level
    return document


def file_document(document: Document, archivist: User, now: datetime) -> None:
    """The archive accepts the document (checked and filed); the first filing is kept."""
    if document.filed_at is None:
        document.filed_at, document.filed_by_id = now, archivist.id


def extractions_of_document(session: Session, document: Document) -> list[Extraction]:
    """The background readings of figures of a document's versions, newest first."""
    query = select(Extraction).where(Extraction.document_id == document.id, Extraction.kind != TEXT)
    return list(session.scalars(query.order_by(Extraction.created_at.desc(), Extraction.id)))
