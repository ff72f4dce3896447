"""The text of documents kept for search: one row per document, of its latest version."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import FetchedValue, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class DocumentText(Base):
    """A document's words for the index (PostgreSQL full-text search, SQLite FTS5).

    Stored in the database as the rest of the metadata is, so it is protected as the database is;
    only documents up to the configured secrecy (never `secret`) have a row.
    """

    __tablename__ = "document_text"
    # The copies below are read after a write rather than returned by it: SQLite's RETURNING
    # gives the row as inserted, before the trigger that fills them.
    __mapper_args__: Any = {"eager_defaults": False}  # noqa: RUF012 - read once by SQLAlchemy
    # PostgreSQL also keeps `terms_vector`, the tsvector of `terms` its trigger writes
    # (migrations 0016, 0025), in one GIN index with the department and secrecy (0018); SQLite
    # keeps an FTS5 table (0015). Neither can be declared here for both databases, so queries
    # name them (ingest.matching).

    # An integer key: SQLite's FTS5 table refers to rows by it, and it never changes (a rowid
    # without one may be renumbered by VACUUM).
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("document.id"), unique=True)
    version: Mapped[int]  # the version the text was read from
    text: Mapped[str] = mapped_column(Text)  # folded (simplified, NFKC, lower case), for snippets
    # Index terms, space separated: bigrams of Han characters and lower-case words (ingest.terms).
    terms: Mapped[str] = mapped_column(Text)
    indexed_at: Mapped[datetime]
    # Copies of the document's secrecy and its customer's department, for the index to apply
    # the caller's access filter before reading any row (`ingest.search`). Triggers write them
    # on every write of the row, its document or its customer (migration 0018); never set here.
    # Nullable only because SQLite's trigger fills a row just after inserting it.
    department_id: Mapped[uuid.UUID] = mapped_column(
        nullable=True, server_default=FetchedValue(), server_onupdate=FetchedValue()
    )
    secrecy: Mapped[str] = mapped_column(
        String(16), nullable=True, server_default=FetchedValue(), server_onupdate=FetchedValue()
    )
    # Copies of the document's type, date of issue and upload time, for the search to count and
    # order the text's matches without reading their documents; kept by triggers as the two
    # above (migration 0025).
    doc_type: Mapped[str] = mapped_column(
        String(32), nullable=True, server_default=FetchedValue(), server_onupdate=FetchedValue()
    )
    issued_on: Mapped[date | None] = mapped_column(
        server_default=FetchedValue(), server_onupdate=FetchedValue()
    )
    uploaded_at: Mapped[datetime] = mapped_column(
        nullable=True, server_default=FetchedValue(), server_onupdate=FetchedValue()
    )
