"""Searching the archive: words in documents' text and metadata, filtered, ranked, counted.

Invariants: results, the total and every facet count come from one condition that includes the
caller's visibility (`visible`, from the access filter of every list), so nothing hidden is
counted; a document's text matches only while its secrecy is an indexed level; a snippet of
text is shown only for a document `reads_content` says the caller may read now; the step
(`search_archive`) records each search with its filter and the number found, never the hits.
"""

from __future__ import annotations

import uuid
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
    column,
    exists,
    extract,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.orm import Session, contains_eager, selectinload

from ingest.errors import InvalidField
from ingest.rights import Rights
from ingest.terms import query_terms, snippet
from ingest.textindex import indexed_levels
from storage.auditevent import Actor, record_search
from storage.auditnames import Action
from storage.models import Customer, DocType, Document, DocumentText, Secrecy

# SQLite's FTS5 index over document_text.terms (migration 0015); no model can declare it.
_FTS = table("document_text_fts", column("rowid"), column("rank"), column("terms"))


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
    visible = rights.visible(session, "document", Customer.department_id, Document.secrecy)
    customers = rights.visible(session, "customer", Customer.department_id, Customer.secrecy)
    reads_content = rights.content_readable(session, now)
    found = search(session, asked, visible, customers, reads_content, max_secrecy)
    record_search(session, actor, Action.SEARCH, found.total, None, None, **vars(asked))
    return found


def search(
    session: Session,
    query: SearchQuery,
    visible: ColumnElement[bool],
    customers: ColumnElement[bool],
    reads_content: Callable[[Document], bool],
    max_secrecy: str,
) -> Found:
    """The documents matching every term and filter among those `visible` to the caller; a
    customer's name and code match, and its name is shown, only where `customers` holds."""
    terms = query_terms(query.q or "")
    matched = _text_match(session, terms, max_secrecy)
    where = [visible, *_filters(query)]
    if query.q is not None and query.q.strip():
        named = _metadata_match(query.q.strip(), customers)
        where.append(or_(matched, named) if terms else false())
    base = select(Document).join(Customer, Customer.id == Document.customer_id).where(*where)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    by_type = session.execute(_grouped(base, Document.doc_type.expression)).all()
    by_year = session.execute(_grouped(base, _year())).all()
    rows = session.scalars(
        base.options(contains_eager(Document.customer), selectinload(Document.versions))
        .order_by(*_order(session, query, terms, matched))
        .limit(query.limit)
        .offset(query.offset)
    ).unique()
    documents = list(rows)
    texts = _texts(session, [d for d in documents if reads_content(d)], max_secrecy)
    known = set(
        session.scalars(
            select(Customer.id).where(
                Customer.id.in_({d.customer_id for d in documents}), customers
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
    return Found(
        hits,
        total,
        terms,
        {str(kind): n for kind, n in by_type},
        {int(y): n for y, n in by_year if y is not None},
    )


def _year() -> ColumnElement[Any]:
    # A document's year: of issue, else of upload; the facet and its filter agree on it.
    return func.coalesce(extract("year", Document.issued_on), extract("year", Document.created_at))


def _grouped(base: Select[Any], key: ColumnElement[Any]) -> Select[Any]:
    inner = base.with_only_columns(key.label("key")).subquery()
    return select(inner.c.key, func.count()).group_by(inner.c.key).order_by(inner.c.key)


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


def _metadata_match(q: str, customers: ColumnElement[bool]) -> ColumnElement[bool]:
    # Metadata is short and varied (codes, numbers, names): matched as a substring, like the
    # documents list, with LIKE's wildcards taken literally.
    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    own = (Document.title, Document.counterparty, Document.contract_no)
    of_customer = (Customer.name, Customer.uscc)
    return or_(
        *(column.ilike(pattern, escape="\\") for column in own),
        and_(customers, or_(*(column.ilike(pattern, escape="\\") for column in of_customer))),
    )


def _text_match(session: Session, terms: list[str], max_secrecy: str) -> ColumnElement[bool]:
    """Documents whose kept text has every term (and whose level is still indexed)."""
    if not terms:
        return false()
    indexed = Document.secrecy.in_(indexed_levels(max_secrecy))
    if _sqlite(session):
        hits = select(_FTS.c.rowid).where(_FTS.c.terms.op("MATCH")(_fts_query(terms)))
        has = DocumentText.id.in_(hits.scalar_subquery())
    else:
        has = _tsvector().op("@@")(func.plainto_tsquery("simple", " ".join(terms)))
    return and_(indexed, exists().where(DocumentText.document_id == Document.id, has))


def _tsvector() -> ColumnElement[object]:
    # The expression of the GIN index (migration 0015), so the index serves the match.
    return func.to_tsvector(literal_column("'simple'"), DocumentText.terms)


def _fts_query(terms: list[str]) -> str:
    # Each term quoted: FTS5's own syntax (AND, NEAR, *, column filters) is never taken from input.
    return " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)


def _order(
    session: Session, query: SearchQuery, terms: list[str], matched: ColumnElement[bool]
) -> list[Any]:
    newest: list[Any] = [Document.created_at.desc(), Document.id]
    if query.sort == "date" or not terms:
        return [func.coalesce(Document.issued_on, func.date(Document.created_at)).desc(), *newest]
    if _sqlite(session):
        # bm25 (FTS5's rank): lower is better; a document found by metadata only ranks after.
        rank = (
            select(_FTS.c.rank)
            .where(_FTS.c.terms.op("MATCH")(_fts_query(terms)), _FTS.c.rowid == DocumentText.id)
            .scalar_subquery()
        )
        score: ColumnElement[Any] = -func.coalesce(rank, literal(0.0))
    else:
        score = func.ts_rank(_tsvector(), func.plainto_tsquery("simple", " ".join(terms)))
    best = select(func.max(score)).where(DocumentText.document_id == Document.id)
    text_first = case((matched, 1), else_=0)
    return [text_first.desc(), func.coalesce(best.scalar_subquery(), 0).desc(), *newest]


def _texts(session: Session, documents: list[Document], max_secrecy: str) -> dict[uuid.UUID, str]:
    readable = [d.id for d in documents if d.secrecy in indexed_levels(max_secrecy)]
    if not readable:
        return {}
    query = select(DocumentText.document_id, DocumentText.text).where(
        DocumentText.document_id.in_(readable)
    )
    return dict(session.execute(query).all())


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"
