"""Search results, totals and facets never include a document the searcher cannot see, and
count exactly the documents found."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from access.authz import Access
from access.decisions import Rules
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
        st.sampled_from(["contract", "collection_letter"]),
        st.sampled_from([None, date(2023, 5, 1), date(2024, 5, 1)]),  # the date of issue
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
    words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=2, unique=True),
    max_secrecy=st.sampled_from(["public", "internal", "confidential"]),
)
def test_search_finds_and_counts_exactly_the_visible_matches_by_title_or_indexed_text(
    engine: Engine,
    clearance: Secrecy,
    roles: list[tuple[str, uuid.UUID | None]],
    extra: list[tuple[str, uuid.UUID | None, str, str, str]],
    stored: list[tuple[uuid.UUID, Secrecy, list[str], str, str, date | None]],
    words: list[str],
    max_secrecy: str,
) -> None:
    user = User(id=uuid.uuid4(), username="u", display_name="u", clearance=clearance)
    standing = Access(Rules(enforcer_with(user, roles, extra)), user)
    indexed = [s for s in Secrecy if s.rank <= Secrecy(max_secrecy).rank]
    with Session(engine) as session:
        expected: dict[uuid.UUID, tuple[str, int]] = {}  # the type and year of each
        for department, level, held, title, kind, issued in stored:
            customer = Customer(
                name="客户", uscc=uuid.uuid4().hex[:18], department_id=department,
                custodian_id=OWNER, secrecy=Secrecy.public, created_by_id=OWNER,
            )  # fmt: skip
            session.add(customer)
            session.flush()
            document = Document(
                customer_id=customer.id, doc_type=kind, title=title,
                secrecy=level, issued_on=issued, created_by_id=OWNER,
            )  # fmt: skip
            session.add(document)
            session.flush()
            # Text kept even above the level (as if raised since): the search must not match it.
            text = "，".join(held)
            session.add(
                DocumentText(
                    document_id=document.id, version=1, text=text, terms=index_terms(text),
                    indexed_at=datetime.now(UTC),
                )
            )  # fmt: skip
            # Each word in its title at any level, or in its text at an indexed one.
            holds = all(w in title or (w in held and level in indexed) for w in words)
            if standing.allowed(department, "document", "read", level) and holds:
                year = (issued or document.created_at).year
                expected[document.id] = (kind, year)
        session.flush()
        asked = SearchQuery(q=" ".join(words), limit=100)
        found = search(session, asked, seen_by(session, standing), lambda _: True, max_secrecy)
        hits = {hit.document.id for hit in found.hits}
        session.rollback()
    assert hits == set(expected)
    assert found.total == len(expected)
    assert found.by_type == dict(Counter(kind for kind, _ in expected.values()))
    assert found.by_year == dict(Counter(year for _, year in expected.values()))
