"""Search results, totals and facets never include a document the searcher cannot see."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from access.authz import Access, Rules
from ingest.matching import seen_by
from ingest.search import SearchQuery, search
from ingest.terms import index_terms
from storage.models import Customer, Document, DocumentText, Secrecy, User
from tests.access.test_filter_agrees import (
    DEPARTMENTS,
    LEVELS,
    OWNER,
    enforcer_with,
    engine,
    grants,
    rules,
)

__all__ = ["engine"]  # the migrated SQLite and PostgreSQL databases, shared with that test

WORDS = ["保证金", "逾期", "担保", "租赁"]
documents = st.lists(
    st.tuples(
        st.sampled_from(DEPARTMENTS),
        st.sampled_from(LEVELS),
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
        st.sampled_from(["合同", *(f"{word}合同" for word in WORDS)]),  # the title
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    clearance=st.sampled_from(LEVELS),
    roles=grants,
    extra=rules,
    stored=documents,
    word=st.sampled_from(WORDS),
    max_secrecy=st.sampled_from(["public", "internal", "confidential"]),
)
def test_search_finds_exactly_the_visible_matches_by_title_or_indexed_text(
    engine: Engine,
    clearance: Secrecy,
    roles: list[tuple[str, uuid.UUID | None]],
    extra: list[tuple[str, uuid.UUID | None, str, str, str]],
    stored: list[tuple[uuid.UUID, Secrecy, list[str], str]],
    word: str,
    max_secrecy: str,
) -> None:
    user = User(id=uuid.uuid4(), username="u", display_name="u", clearance=clearance)
    standing = Access(Rules(enforcer_with(user, roles, extra)), user)
    indexed = [s for s in Secrecy if s.rank <= Secrecy(max_secrecy).rank]
    with Session(engine) as session:
        expected = set()
        for department, level, words, title in stored:
            customer = Customer(
                name="客户", uscc=uuid.uuid4().hex[:18], department_id=department,
                custodian_id=OWNER, secrecy=Secrecy.public, created_by_id=OWNER,
            )  # fmt: skip
            session.add(customer)
            session.flush()
            document = Document(
                customer_id=customer.id, doc_type="contract", title=title,
                secrecy=level, created_by_id=OWNER,
            )  # fmt: skip
            session.add(document)
            session.flush()
            # Text kept even above the level (as if raised since): the search must not match it.
            text = "，".join(words)
            session.add(
                DocumentText(
                    document_id=document.id, version=1, text=text, terms=index_terms(text),
                    indexed_at=datetime.now(UTC),
                )
            )  # fmt: skip
            # Its title matches at any level; its text only at an indexed one.
            held = word in title or (word in words and level in indexed)
            if standing.allowed(department, "document", "read", level) and held:
                expected.add(document.id)
        session.flush()
        asked = SearchQuery(q=word, limit=100)
        found = search(session, asked, seen_by(session, standing), lambda _: True, max_secrecy)
        hits = {hit.document.id for hit in found.hits}
        session.rollback()
    assert hits == expected
    assert found.total == len(expected)
    assert sum(found.by_type.values()) == sum(found.by_year.values()) == len(expected)
