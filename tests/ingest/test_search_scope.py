"""A document's text is searched within its current department and secrecy, however they change."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from access.authz import Access
from access.decisions import Rules
from ingest.matching import seen_by
from ingest.search import SearchQuery, search
from ingest.terms import index_terms
from storage.models import Customer, DocType, Document, DocumentText, Secrecy, User
from tests.access.test_filter_agrees import DEPARTMENTS, OWNER, enforcer_with, engine

__all__ = ["engine"]  # the migrated SQLite and PostgreSQL databases, shared with that test

TEXT = "贵公司所欠货款已逾期九十天，请于十日内付清。"


def _seller(department: uuid.UUID) -> Access:
    user = User(id=uuid.uuid4(), username="s", display_name="s", clearance=Secrecy.internal)
    return Access(Rules(enforcer_with(user, [("sales", department)], [])), user)


def _found(session: Session, who: Access, word: str) -> set[uuid.UUID]:
    found = search(session, SearchQuery(q=word), seen_by(session, who), lambda _: True, "internal")
    return {hit.document.id for hit in found.hits}


def _letter(session: Session, department: uuid.UUID, secrecy: Secrecy) -> Document:
    """A collection letter: 逾期 and 付清 in its text only, 催收 in its title only."""
    customer = Customer(
        name="甲公司", uscc=uuid.uuid4().hex[:18], department_id=department,
        custodian_id=OWNER, secrecy=Secrecy.public, created_by_id=OWNER,
    )  # fmt: skip
    session.add(customer)
    session.flush()
    document = Document(
        customer_id=customer.id, doc_type="collection_letter", title="催收函",
        secrecy=secrecy, created_by_id=OWNER,
    )  # fmt: skip
    session.add(document)
    session.flush()
    session.add(
        DocumentText(
            document_id=document.id, version=1, text=TEXT, terms=index_terms(TEXT),
            indexed_at=datetime.now(UTC),
        )
    )  # fmt: skip
    session.flush()
    return document


def test_a_customer_moved_to_another_department_is_found_by_that_departments_sellers(
    engine: Engine,
) -> None:
    old, new = DEPARTMENTS[0], DEPARTMENTS[1]
    with Session(engine) as session:
        letter = _letter(session, old, Secrecy.internal)
        sellers = _seller(old), _seller(new)
        before = [_found(session, who, word) for word in ("逾期", "催收") for who in sellers]
        moved = update(Customer).where(Customer.id == letter.customer_id)
        session.execute(moved.values(department_id=new))
        after = [_found(session, who, word) for word in ("逾期", "催收") for who in sellers]
        session.rollback()
    assert before == [{letter.id}, set()] * 2  # by its text, by its title
    assert after == [set(), {letter.id}] * 2


def test_a_lowered_secrecy_lets_a_seller_find_the_text_and_a_raised_one_stops_it(
    engine: Engine,
) -> None:
    department = DEPARTMENTS[2]
    seller = _seller(department)
    with Session(engine) as session:
        letter = _letter(session, department, Secrecy.confidential)
        found = [_found(session, seller, "付清")]
        for level in (Secrecy.internal, Secrecy.confidential):
            letter.secrecy = level
            session.flush()
            found.append(_found(session, seller, "付清"))
        session.rollback()
    assert found == [set(), {letter.id}, set()]


def test_a_changed_type_and_date_of_issue_count_and_filter_the_text_match_anew(
    engine: Engine,
) -> None:
    department = DEPARTMENTS[0]
    seller = _seller(department)
    with Session(engine) as session:
        seen = seen_by(session, seller)
        letter = _letter(session, department, Secrecy.internal)
        letter.issued_on = date(2023, 6, 30)
        session.flush()
        before = search(session, SearchQuery(q="逾期"), seen, lambda _: True, "internal")
        letter.doc_type, letter.issued_on = "contract", date(2021, 1, 4)
        session.flush()
        after = search(session, SearchQuery(q="逾期"), seen, lambda _: True, "internal")
        chosen = SearchQuery(q="逾期", doc_type=DocType.contract, year=2021)
        kept = search(session, chosen, seen, lambda _: True, "internal")
        session.rollback()
    assert (before.by_type, before.by_year) == ({"collection_letter": 1}, {2023: 1})
    assert (after.by_type, after.by_year) == ({"contract": 1}, {2021: 1})
    assert [hit.document.id for hit in kept.hits] == [letter.id]
