"""Searching the archive: words in documents' text and metadata, filtered, ranked, counted.

Invariants: results, the total and every facet count come from one set of matches, each found
within the caller's visibility (`Seen`, from the access filter of every list) as the table that
found it keeps the department and secrecy, so nothing hidden is counted; the page's documents
are checked against the same filter again as they are loaded; a document's text matches only
while its secrecy is an indexed level; a snippet of text is shown only for a document
`reads_content` says the caller may read now; the step (`search_archive`) records each search
with its filter and the number found, never the hits.
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
    CTE,
    ColumnElement,
    Integer,
    Select,
    and_,
    case,
    cast,
    exists,
    extract,
    func,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session, contains_eager, selectinload

from ingest.errors import InvalidField
from ingest.matching import Seen, filed, holding, seen_by
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
    named: list[Select[Any]] = []
    if words:
        # Each word in the text or in the metadata: 借款合同 遵义 finds a loan contract of a
        # customer in 遵义, whose text need not name the town.
        rows, named = holding(session, words, seen, max_secrecy)
        source = rows.subquery("matched")
    else:
        source = filed(seen).subquery("matched")
    # Kept once and read twice, by the counts and by the page: each read of a common word's
    # matches was the search's main cost.
    found = select(source).where(*_filters(query, source.c)).cte("found")
    found = found.prefix_with("MATERIALIZED")
    by_name = and_(*(found.c.id.in_(ids) for ids in named)) if named else None
    by_type, by_year, page = _counted_and_paged(
        session, found, _order(query, found.c, by_name), query
    )
    documents = _documents(session, page, seen)
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


def _year(row: Any) -> ColumnElement[Any]:
    # A document's year: of issue, else of upload; the facet and its filter agree on it.
    return func.coalesce(extract("year", row.issued_on), extract("year", row.uploaded_at))


def _counted_and_paged(
    session: Session, found: CTE, order: list[Any], query: SearchQuery
) -> tuple[dict[str, int], dict[int, int], list[uuid.UUID]]:
    """Counts of the matches by type and by year (the total is their sum), and the ids of the
    page in order, from one statement over them."""
    groups = select(
        found.c.doc_type.label("kind"),
        _year(found.c).label("year"),
        func.count().label("count"),
        cast(null(), found.c.id.type).label("id"),
        cast(null(), Integer).label("place"),
    ).group_by(found.c.doc_type, _year(found.c))
    page = (
        select(found.c.id, func.row_number().over(order_by=order).label("place"))
        .order_by(*order)
        .limit(query.limit)
        .offset(query.offset)
        .subquery("page")
    )
    paged = select(null(), null(), null(), page.c.id, page.c.place)
    by_type: Counter[str] = Counter()
    by_year: Counter[int] = Counter()
    placed: list[tuple[int, uuid.UUID]] = []
    for kind, year, count, key, place in session.execute(union_all(groups, paged)):
        if key is not None:
            placed.append((place, key))
            continue
        by_type[str(kind)] += count
        if year is not None:
            by_year[int(year)] += count
    ids = [key for _, key in sorted(placed)]
    return dict(sorted(by_type.items())), dict(sorted(by_year.items())), ids


def _documents(session: Session, ids: list[uuid.UUID], seen: Seen) -> list[Document]:
    """The page's documents in its order, each with its customer and versions."""
    if not ids:
        return []
    # The caller's filter asked again of the documents themselves: the page is only ever what
    # both the copies that found it and the documents say may be seen.
    query = (
        select(Document)
        .join(Customer, Customer.id == Document.customer_id)
        .where(Document.id.in_(ids), seen.documents)
        .options(contains_eager(Document.customer), selectinload(Document.versions))
    )
    loaded = {d.id: d for d in session.scalars(query).unique()}
    return [loaded[key] for key in ids if key in loaded]


def _filters(query: SearchQuery, row: Any) -> list[ColumnElement[bool]]:
    q = query
    clauses = [
        q.doc_type is not None and row.doc_type == q.doc_type,
        q.secrecy is not None and row.secrecy == q.secrecy,
        q.department_id is not None and row.department_id == q.department_id,
        q.custodian_id is not None
        and exists().where(
            Document.id == row.id,
            Customer.id == Document.customer_id,
            Customer.custodian_id == q.custodian_id,
        ),
        q.issued_from is not None and row.issued_on >= q.issued_from,
        q.issued_to is not None and row.issued_on <= q.issued_to,
        q.amount_min is not None
        and exists().where(Document.id == row.id, Document.amount >= q.amount_min),
        q.amount_max is not None
        and exists().where(Document.id == row.id, Document.amount <= q.amount_max),
        q.year is not None and _year(row) == q.year,
    ]
    return [clause for clause in clauses if clause is not False]


def _order(query: SearchQuery, row: Any, by_name: ColumnElement[bool] | None) -> list[Any]:
    newest: list[Any] = [
        func.coalesce(row.issued_on, func.date(row.uploaded_at)).desc(),
        row.uploaded_at.desc(),
        row.id,
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
