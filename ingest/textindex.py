"""Keeping documents' text for search: read in the background, stored, replaced, removed.

Invariants: only the latest version's text of a document at or below the configured secrecy is
kept (`secret` never); a job for an older version, or for a document raised above the level
since it was queued, stores nothing and removes what was kept; the text is read only in the
isolated worker process, like every other reading of an uploaded file.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, exists, func, select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from ingest.ocr import ocr_image, ocr_page
from ingest.pages import PDF
from ingest.terms import folded, index_terms, joined
from ingest.words import Page, read_pages
from storage.models import Document, DocumentText, Extraction, ExtractionStatus, Secrecy

KIND = "text"
MAX_CHARS = 500_000  # of text kept per document: a longer one is indexed by its beginning
# Of its distinct terms: PostgreSQL refuses a tsvector over 1 MB, about 80,000 bigrams.
MAX_TERMS_CHARS = 150_000


def indexed_levels(max_secrecy: str) -> list[str]:
    """The secrecy levels whose documents' text is indexed (never `secret`)."""
    top = min(Secrecy(max_secrecy).rank, Secrecy.confidential.rank)
    return [level.value for level in Secrecy if level.rank <= top]


def read_text(data: bytes, media_type: str) -> str:
    """A file's text (text layer, else OCR); runs in the isolated process."""
    pages = read_pages(data, ocr=ocr_page) if media_type == PDF else ocr_image(data)
    return "\n".join(page_text(page) for page in pages)


def page_text(page: Page) -> str:
    """A page's words as lines of text, Han characters broken by the layout rejoined."""
    lines: list[list[str]] = []
    top = None
    for word in page.words:
        # A word well below the last one starts a new line.
        if top is None or word.top > top + (word.bottom - word.top) / 2:
            lines.append([])
            top = word.top
        lines[-1].append(word.text)
    return joined(lines)


def keep_text(
    session: Session, job: Extraction, text: str, now: datetime, max_secrecy: str
) -> None:
    """Store the text a job read as its document's, if it is still the one to keep."""
    document = session.get_one(Document, job.document_id)
    if document.secrecy not in indexed_levels(max_secrecy):
        forget(session, document)  # raised since it was queued
        return
    if job.version != document.latest_version:
        return  # a newer version's job keeps its own text
    row = session.scalar(select(DocumentText).where(DocumentText.document_id == document.id))
    kept = folded(text)[:MAX_CHARS]
    if row is None:
        row = DocumentText(document_id=document.id)
        session.add(row)
    terms = index_terms(kept)
    if len(terms) > MAX_TERMS_CHARS:
        terms = terms[: terms.rfind(" ", 0, MAX_TERMS_CHARS)]
    row.version, row.text, row.terms, row.indexed_at = job.version, kept, terms, now


def forget(session: Session, document: Document) -> None:
    """Remove a document's text from the index."""
    session.execute(delete(DocumentText).where(DocumentText.document_id == document.id))


def forget_above(session: Session, max_secrecy: str) -> int:
    """Remove the text of every document now above the indexed levels; how many went."""
    raised = select(Document.id).where(Document.secrecy.not_in(indexed_levels(max_secrecy)))
    gone = session.execute(delete(DocumentText).where(DocumentText.document_id.in_(raised)))
    return int(gone.rowcount)  # type: ignore[attr-defined]


def queue_missing(session: Session, max_secrecy: str) -> int:
    """Queue a text job for every indexable document whose latest text is neither kept nor
    waiting; how many were queued (what a reindex resumes from)."""
    kept = exists().where(
        DocumentText.document_id == Document.id, DocumentText.version == Document.latest_version
    )
    waiting = exists().where(
        Extraction.document_id == Document.id,
        Extraction.kind == KIND,
        Extraction.version == Document.latest_version,
        Extraction.status.in_([ExtractionStatus.pending, ExtractionStatus.running]),
    )
    query = select(Document.id, Document.latest_version).where(
        Document.secrecy.in_(indexed_levels(max_secrecy)),
        Document.disposal_id.is_(None),  # a tombstone has nothing left to read
        ~kept,
        ~waiting,
    )
    found = session.execute(query).all()
    session.add_all(Extraction(document_id=d, version=v, kind=KIND) for d, v in found)
    return len(found)


def rebuild(session: Session) -> None:
    """Rebuild SQLite's FTS5 table from the kept terms (PostgreSQL's index needs no rebuild)."""
    if session.get_bind().dialect.name == "sqlite":
        command = "INSERT INTO document_text_fts(document_text_fts) VALUES ('rebuild')"
        session.execute(sql(command))


def pending(session: Session) -> int:
    """How many text jobs wait or run."""
    query = select(func.count()).where(
        Extraction.kind == KIND,
        Extraction.status.in_([ExtractionStatus.pending, ExtractionStatus.running]),
    )
    return session.scalar(query) or 0
