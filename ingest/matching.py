"""Which documents the caller may see hold a word: in their kept text, or in their metadata.

Invariants: every set of ids is within what the caller may see (`Seen`), each part through the
copies of department and secrecy its own table keeps, so PostgreSQL's indexes, which hold those
copies, never read another department's rows; a text matches only while its document's level
is indexed; a customer's name and code match only where the caller may see the customer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    and_,
    any_,
    column,
    func,
    intersect,
    literal_column,
    or_,
    select,
    table,
    union,
)
from sqlalchemy.orm import Session

from ingest.rights import Rights
from ingest.terms import query_terms
from ingest.textindex import indexed_levels
from storage.models import Customer, Document, DocumentText

# The indexes no model can declare: SQLite's FTS5 table over document_text.terms (migration
# 0015), PostgreSQL's stored tsvector of them in a GIN index with the department and secrecy
# (0016, 0018), and its GIN indexes of metadata pieces (0019) through these functions.
_FTS = table("document_text_fts", column("rowid"), column("terms"))
_VECTOR: ColumnElement[Any] = literal_column("document_text.terms_vector")


@dataclass(frozen=True)
class Seen:
    """What the caller may see: `Rights.visible` asked of each copy of department and secrecy."""

    documents: ColumnElement[bool]  # of Customer.department_id and Document.secrecy
    texts: ColumnElement[bool]  # the same of document_text's copies of them
    filed: ColumnElement[bool]  # the same of the document's copy of its department
    customers: ColumnElement[bool]  # of Customer.department_id and Customer.secrecy


def seen_by(session: Session, rights: Rights) -> Seen:
    """What the caller may see, as the search applies it."""
    return Seen(
        rights.visible(session, "document", Customer.department_id, Document.secrecy),
        rights.visible(session, "document", DocumentText.department_id, DocumentText.secrecy),
        rights.visible(session, "document", Document.department_id, Document.secrecy),
        rights.visible(session, "customer", Customer.department_id, Customer.secrecy),
    )


def named(session: Session, word: str, seen: Seen) -> list[Select[Any]]:
    """The ids of visible documents whose title, counterparty or contract number holds the word,
    and of those whose customer's name or code does (a customer the caller may see).

    Metadata is short and varied (codes, numbers, names): matched as a substring, like the
    documents list, with LIKE's wildcards taken literally."""
    pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    fields = (Document.title, Document.counterparty, Document.contract_no)
    own = select(Document.id).where(
        seen.filed, or_(*(field.ilike(pattern, escape="\\") for field in fields))
    )
    codes = (Customer.name, Customer.uscc)
    theirs = (
        select(Document.id)
        .join(Customer, Customer.id == Document.customer_id)
        .where(seen.documents, seen.customers, or_(*(c.ilike(pattern, escape="\\") for c in codes)))
    )
    if _sqlite(session):
        return [own, theirs]
    # PostgreSQL finds the candidates in its indexes of the fields' pieces within the caller's
    # departments (a field holding the word holds all its pieces); LIKE decides. Scanning every
    # visible document's fields instead cost 90 ms a word at 200,000 documents.
    pieces = func.word_grams(word)
    own = own.where(func.metadata_grams(*fields).op("@>")(pieces))
    theirs = theirs.where(func.metadata_grams(*codes).op("@>")(pieces))
    return [own, theirs]


def holding(
    session: Session,
    words: list[str],
    metadata: list[list[Select[Any]]],
    seen: Seen,
    max_secrecy: str,
) -> ColumnElement[bool]:
    """That a document holds every word, each in its kept text or (`metadata`, from `named`)
    its metadata."""
    each = [
        _holding(session, word, found, seen, max_secrecy)
        for word, found in zip(words, metadata, strict=True)
    ]
    if _sqlite(session):
        return and_(*(Document.id.in_(ids) for ids in each))
    # PostgreSQL: one array of the ids, which the query looks up by primary key. Asked for as
    # sets (IN), they were joined to a scan of every document: 181 ms against 83 ms for a
    # salesperson's 3,736 matches of 审计 at 200,000 documents.
    ids = each[0] if len(each) == 1 else intersect(*each)
    return Document.id == any_(func.array(ids.scalar_subquery()))


def _holding(
    session: Session, word: str, metadata: list[Select[Any]], seen: Seen, max_secrecy: str
) -> CompoundSelect[Any]:
    """The ids of visible documents holding the word in their kept text or their metadata.

    A union the query joins to, not an OR beside the other conditions: under an OR PostgreSQL
    can only test each visible document against the text's matches, which took minutes for a
    common word at a million documents once the matches outgrew its working memory."""
    terms = query_terms(word)
    if not terms:
        return union(*metadata)
    if _sqlite(session):
        hits = select(_FTS.c.rowid).where(_FTS.c.terms.op("MATCH")(_fts_query(terms)))
        has = DocumentText.id.in_(hits.scalar_subquery())
    else:
        has = _VECTOR.op("@@")(func.plainto_tsquery("simple", " ".join(terms)))
    # The text matches only while the document's level is still indexed.
    text = select(DocumentText.document_id).where(
        has, seen.texts, DocumentText.secrecy.in_(indexed_levels(max_secrecy))
    )
    return union(text, *metadata)


def _fts_query(terms: list[str]) -> str:
    # Each term quoted: FTS5's own syntax (AND, NEAR, *, column filters) is never taken from input.
    return " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"
