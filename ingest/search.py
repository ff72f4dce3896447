"""Searching the archive: words in documents' text and metadata, filtered, ranked, counted.

Invariants: results, the total and every facet count come from one condition that includes the
caller's visibility (`Seen`, from the access filter of every list), so nothing hidden is
counted; a document's text matches only while its secrecy is an indexed level, and only where
the same filter holds of the department and secrecy its text row keeps; a snippet of
text is shown only for a document `reads_content` says the caller may read now; the step
(`search_archive`) records each search with its filter and the number found, never the hits.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    extract,
    func,
    select,
    union,
)
from sqlalchemy.orm import Session, contains_eager, selectinload

from ingest.errors import InvalidField
from ingest.matching import Seen, holding, named, seen_by
from ingest.rights import Rights
from ingest.terms import MAX_TERMS, query_terms, snippet
from ingest.textindex import indexed_levels
from storage.auditevent import Actor, record_search
from storage.auditnames import Action
from storage.models import Customer, DocType, Document, DocumentText, Secrecy


@dataclass(frozen=True)
class SearchQuery:
    """What a search asks for; `None` leaves a filter out."""

    q: str | None = None
    doc_type: DocType | None = None
    secrecy: Secrecy | None = None
    department_id: uuid.UUID | None = None
    custodian_id: uuid.UUID | None = None
    issued_from: date | None = None
    issued_to: date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    year: int | None = None  # as the by-year facet counts it (`_year`)
    sort: Literal["relevance", "date"] = "relevance"
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True)
class Hit:
    """One document found, with a snippet of its text for a caller who may read it."""

    document: Document
    customer_name: str | None  # None when the caller may not see the customer file
    snippet: str | None


@dataclass
class Found:
    """A page of hits, the number of all matches, and their counts by type and year."""

    hits: list[Hit]
    total: int
    terms: list[str] = field(default_factory=list)  # of the words, as snippets show them
    by_type: dict[str, int] = field(default_factory=dict)
    by_year: dict[int, int] = field(default_factory=dict)


def search_archive(
    session: Session,
    actor: Actor,
    rights: Rights,
    asked: SearchQuery,
    now: datetime,
    max_secrecy: str,
) -> Found:
    """The documents matching every word and filter among those the caller may see, with text
    around a match where they may read the content now; the search is recorded."""
    if asked.issued_from and asked.issued_to and asked.issued_from > asked.issued_to:
        raise InvalidField("issued_to: before issued_from")
    low, high = asked.amount_min, asked.amount_max
    if low is not None and high is not None and low > high:
        raise InvalidField("amount_max: below amount_min")
    reads_content = rights.content_readable(session, now)
    found = search(session, asked, seen_by(session, rights), reads_content, max_secrecy)
    record_search(session, actor, Action.SEARCH, found.total, None, None, **vars(asked))
    return found


def search(
    session: Session,
    query: SearchQuery,
    seen: Seen,
    reads_content: Callable[[Document], bool],
    max_secrecy: str,
) -> Found:
    """The documents matching every word (in their text or metadata) and filter among those
    the caller may see; a customer's name and code match, and its name is shown, only where
    `seen.customers` holds."""
    terms = query_terms(query.q or "")
    words = (query.q or "").split()[:MAX_TERMS]
    where = [seen.documents, *_filters(query)]
    by_name: ColumnElement[bool] | None = None
    if words:
        # Each word in the text or in the metadata: 借款合同 遵义 finds a loan contract of a
        # customer in 遵义, whose text need not name the town.
        metadata = [named(session, word, seen) for word in words]
        by_name = and_(*(Document.id.in_(union(*found)) for found in metadata))
        where.append(holding(session, words, metadata, seen, max_secrecy))
    base = select(Document).join(Customer, Customer.id == Document.customer_id).where(*where)
    by_type, by_year = _counted(session, base)
    rows = session.scalars(
        base.options(contains_eager(Document.customer), selectinload(Document.versions))
        .order_by(*_order(query, by_name))
        .limit(query.limit)
        .offset(query.offset)
    ).unique()
    documents = list(rows)
    texts = _texts(session, [d for d in documents if reads_content(d)], max_secrecy)
    known = set(
        session.scalars(
            select(Customer.id).where(
                Customer.id.in_({d.customer_id for d in documents}), seen.customers
            )
        )
    )
    hits = [
        Hit(
            d,
            d.customer.name if d.customer_id in known else None,
            snippet(texts[d.id], terms) if d.id in texts else None,
        )
        for d in documents
    ]
    return Found(hits, sum(by_type.values()), terms, by_type, by_year)


def _year() -> ColumnElement[Any]:
    # A document's year: of issue, else of upload; the facet and its filter agree on it.
    return func.coalesce(extract("year", Document.issued_on), extract("year", Document.created_at))


def _counted(session: Session, base: Select[Any]) -> tuple[dict[str, int], dict[int, int]]:
    """Counts of the matches by type and by year, from one pass over them (the total is their
    sum): each pass over a common word's matches is the search's main cost."""
    inner = base.with_only_columns(
        Document.doc_type.expression.label("kind"), _year().label("year")
    ).subquery()
    by_type: Counter[str] = Counter()
    by_year: Counter[int] = Counter()
    groups = select(inner.c.kind, inner.c.year, func.count()).group_by(inner.c.kind, inner.c.year)
    for kind, year, count in session.execute(groups):
        by_type[str(kind)] += count
        if year is not None:
            by_year[int(year)] += count
    return dict(sorted(by_type.items())), dict(sorted(by_year.items()))


def _filters(query: SearchQuery) -> list[ColumnElement[bool]]:
    q = query
    clauses = [
        q.doc_type is not None and Document.doc_type == q.doc_type,
        q.secrecy is not None and Document.secrecy == q.secrecy,
        q.department_id is not None and Customer.department_id == q.department_id,
        q.custodian_id is not None and Customer.custodian_id == q.custodian_id,
        q.issued_from is not None and Document.issued_on >= q.issued_from,
        q.issued_to is not None and Document.issued_on <= q.issued_to,
        q.amount_min is not None and Document.amount >= q.amount_min,
        q.amount_max is not None and Document.amount <= q.amount_max,
        q.year is not None and _year() == q.year,
    ]
    return [clause for clause in clauses if clause is not False]


def _order(query: SearchQuery, by_name: ColumnElement[bool] | None) -> list[Any]:
    newest: list[Any] = [
        func.coalesce(Document.issued_on, func.date(Document.created_at)).desc(),
        Document.created_at.desc(),
        Document.id,
    ]
    if query.sort == "date" or by_name is None:
        return newest
    # Relevance: documents whose title, counterparty, contract number or customer holds the
    # words first, then the rest, newest first. No score from the text: its terms are kept
    # once each, without positions, so a text rank could only favour short documents, and
    # ranking read every match's terms again (1.7 s for 2,000 matches among 10,000 documents).
    return [case((by_name, 0), else_=1), *newest]


def _texts(session: Session, documents: list[Document], max_secrecy: str) -> dict[uuid.UUID, str]:
    readable = [d.id for d in documents if d.secrecy in indexed_levels(max_secrecy)]
    if not readable:
        return {}
    query = select(DocumentText.document_id, DocumentText.text).where(
        DocumentText.document_id.in_(readable)
    )
    return dict(session.execute(query).all())
