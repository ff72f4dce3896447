"""Which documents the caller may see hold every word: in their kept text, or in their metadata.

Invariants: every row found is within what the caller may see (`Seen`), each part through the
copies of department and secrecy its own table keeps, so PostgreSQL's indexes, which hold those
copies, never read another department's rows; a text matches only while its document's level
is indexed; a customer's name and code match only where the caller may see the customer. A
row is a document's id with what a search counts and orders by (`FACTS`), read from the table
that found it: `document_text` keeps copies of them, so a text match needs no other table.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from itertools import chain
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
    union,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from ingest.rights import Rights
from ingest.terms import query_terms
from ingest.textindex import indexed_levels
from storage.models import Customer, Department, Document, DocumentText

# The indexes no model can declare: SQLite's FTS5 table over document_text.terms (migration
# 0015), PostgreSQL's tsvector of them in a GIN index with the department and secrecy
# (0016, 0018, 0025), and its GIN indexes of metadata pieces (0019) through these functions.
_FTS = table("document_text_fts", column("rowid"), column("terms"))
_VECTOR: ColumnElement[Any] = literal_column("document_text.terms_vector")
# The columns of a found row, as `_facts` names them.
FACTS = ("id", "doc_type", "issued_on", "uploaded_at", "department_id", "secrecy")


@dataclass(frozen=True)
class Seen:
    """What the caller may see: `Rights.visible` asked of each copy of department and secrecy."""

    documents: ColumnElement[bool]  # of Customer.department_id and Document.secrecy
    texts: ColumnElement[bool]  # the same of document_text's copies of them
    filed: ColumnElement[bool]  # the same of the document's copy of its department
    customers: ColumnElement[bool]  # of Customer.department_id and Customer.secrecy


def seen_by(session: Session, rights: Rights) -> Seen:
    """What the caller may see, as the search applies it."""
    # The departments read once for the four conditions, not once each: four round trips to
    # the database were a fifth of a search's time.
    every = list(session.scalars(select(Department.id)))

    def of(
        obj: str, department: InstrumentedAttribute[uuid.UUID], secrecy: InstrumentedAttribute[str]
    ) -> ColumnElement[bool]:
        return rights.visible(session, obj, department, secrecy, "read", every)

    return Seen(
        of("document", Customer.department_id, Document.secrecy),
        of("document", DocumentText.department_id, DocumentText.secrecy),
        of("document", Document.department_id, Document.secrecy),
        of("customer", Customer.department_id, Customer.secrecy),
    )


def filed(seen: Seen) -> Select[Any]:
    """Every document the caller may see, as rows."""
    return select(*_facts(Document)).where(seen.filed)


def holding(
    session: Session, words: list[str], seen: Seen, max_secrecy: str
) -> tuple[CompoundSelect[Any], list[Select[Any]]]:
    """The rows of the visible documents holding every word, each in their kept text or their
    metadata; and for each word, the ids of those whose metadata holds it (for relevance).

    The documents whose text holds all the words come from one look-up of all their terms;
    only those whose metadata holds a word are tested word by word. Each word's text matches
    looked up apart and intersected read every match of each word: a common word's, thousands,
    to find the few that hold both."""
    # Each word's metadata matches are found once and kept (a CTE): the other words' tests and
    # the page's relevance order read them again, and a word common in titles (购销合同: 17,000
    # at a million documents) cost 30 ms each time they were looked up anew.
    metadata = [
        union_all(*named(session, word, seen)).cte(f"named_{k}").prefix_with("MATERIALIZED")
        for k, word in enumerate(words)
    ]
    ids = [select(found.c.id) for found in metadata]
    terms = [query_terms(word) for word in words]
    texts = [_text_has(session, each) if each else None for each in terms]
    parts: list[Select[Any]] = []
    if all(terms):
        every = list(dict.fromkeys(chain.from_iterable(terms)))
        text = select(*_facts(DocumentText)).where(
            _text_has(session, every),
            seen.texts,
            DocumentText.secrecy.in_(indexed_levels(max_secrecy)),
        )
        parts.append(text)
    for k, found in enumerate(metadata):
        others = [
            _held(found.c.id, ids[i], texts[i], seen, max_secrecy)
            for i in range(len(words))
            if i != k
        ]
        parts.append(select(found).where(*others))
    return union(*parts), ids


def named(session: Session, word: str, seen: Seen) -> list[Select[Any]]:
    """The rows of visible documents whose title, counterparty or contract number holds the
    word, and of those whose customer's name or code does (a customer the caller may see).

    Metadata is short and varied (codes, numbers, names): matched as a substring, like the
    documents list, with LIKE's wildcards taken literally."""
    pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    # ILIKE folds the case of every row it tests, a third of the look-up of a word common in
    # titles (购销合同: 17,000 rows, 24 ms against 16.5); a word with no letter that has a case,
    # as Chinese words and numbers are, matches the same rows under LIKE.
    cased = word.lower() != word.upper()

    def holds(field: InstrumentedAttribute[Any]) -> ColumnElement[bool]:
        return field.ilike(pattern, escape="\\") if cased else field.like(pattern, escape="\\")

    fields = (Document.title, Document.counterparty, Document.contract_no)
    own = select(*_facts(Document)).where(seen.filed, or_(*map(holds, fields)))
    codes = (Customer.name, Customer.uscc)
    theirs = (
        select(*_facts(Document))
        .join(Customer, Customer.id == Document.customer_id)
        .where(seen.documents, seen.customers, or_(*map(holds, codes)))
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


def _facts(source: type[Document] | type[DocumentText]) -> list[ColumnElement[Any]]:
    """A found row's columns, from the document or from its text's copies."""
    if source is Document:
        key, uploaded = Document.id, Document.created_at
    else:
        key, uploaded = DocumentText.document_id, DocumentText.uploaded_at
    return [
        key.label("id"),
        source.doc_type.label("doc_type"),
        source.issued_on.label("issued_on"),
        uploaded.label("uploaded_at"),
        source.department_id.label("department_id"),
        source.secrecy.label("secrecy"),
    ]


def _held(
    row_id: ColumnElement[uuid.UUID],
    named_ids: Select[Any],
    text: ColumnElement[bool] | None,
    seen: Seen,
    max_secrecy: str,
) -> ColumnElement[bool]:
    """That the document (of a metadata row) holds a word in its metadata or its kept text."""
    by_name = row_id.in_(named_ids)
    if text is None:
        return by_name
    # The word's text matches as a set the query hashes once: tested row by row instead (an
    # EXISTS), each of 749 collection letters titled 催款 parsed its text's terms again (26 ms at
    # 100,000 documents, against 2 ms for the set).
    kept = row_id.in_(
        select(DocumentText.document_id).where(
            text, seen.texts, DocumentText.secrecy.in_(indexed_levels(max_secrecy))
        )
    )
    return or_(by_name, kept)


def _text_has(session: Session, terms: list[str]) -> ColumnElement[bool]:
    """That a text row holds every term."""
    if _sqlite(session):
        hits = select(_FTS.c.rowid).where(_FTS.c.terms.op("MATCH")(_fts_query(terms)))
        return DocumentText.id.in_(hits.scalar_subquery())
    return _VECTOR.op("@@")(func.plainto_tsquery("simple", " ".join(terms)))


def _fts_query(terms: list[str]) -> str:
    # Each term quoted: FTS5's own syntax (AND, NEAR, *, column filters) is never taken from input.
    return " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"
