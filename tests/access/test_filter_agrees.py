"""The list filter and the enforcer agree, for random users, roles, rules and documents."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import get_args

import casbin
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from access.authz import ACTIONS, POLICY, Access, domain, subject
from access.decisions import Rules
from access.schemas import Role
from storage.db import make_engine, migrate
from storage.models import Customer, Department, Document, Secrecy, User
from tests.servers import postgres_database, postgres_server

ROLES = list(get_args(Role))
DEPARTMENTS = [uuid.UUID(int=n) for n in range(1, 4)]
LEVELS = list(Secrecy)
places = st.sampled_from([*DEPARTMENTS, None])  # None: company-wide


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A migrated database with three departments and an owner for the documents."""
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('agree') / 'agree.db'}"
        else:
            url = stack.enter_context(postgres_database(postgres_server()))
        found = make_engine(url)
        stack.callback(found.dispose)
        migrate(found)
        with Session(found) as session:
            for n, department in enumerate(DEPARTMENTS):
                session.add(Department(id=department, code=f"d{n}", name=f"部门{n}"))
            session.add(User(id=OWNER, username="owner", display_name="o", password_hash="x"))
            session.commit()
        yield found


OWNER = uuid.UUID(int=99)
grants = st.lists(st.tuples(st.sampled_from(ROLES), places), max_size=4)
rules = st.lists(
    st.tuples(
        st.sampled_from([*ROLES, "me"]),
        places,
        st.sampled_from(["customer", "document"]),
        st.sampled_from(["read", "create"]),
        st.sampled_from(["allow", "deny"]),
    ),
    max_size=3,
)
documents = st.lists(
    st.tuples(st.sampled_from(DEPARTMENTS), st.sampled_from(LEVELS), st.sampled_from(LEVELS)),
    min_size=1,
    max_size=8,
)


def enforcer_with(
    user: User,
    roles: list[tuple[str, uuid.UUID | None]],
    extra: list[tuple[str, uuid.UUID | None, str, str, str]],
) -> casbin.Enforcer:
    """The base policy plus the generated role assignments and extra rules."""
    enforcer = casbin.Enforcer(str(POLICY / "model.conf"), str(POLICY / "policy.csv"))
    for role, where in roles:
        enforcer.add_grouping_policy(subject(user.id), role, domain(where))
    for who, where, obj, act, effect in extra:
        name = subject(user.id) if who == "me" else who
        enforcer.add_policy(name, domain(where), obj, act, effect)
    return enforcer


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(clearance=st.sampled_from(LEVELS), roles=grants, extra=rules, stored=documents)
def test_the_filter_returns_exactly_what_the_enforcer_allows(
    engine: Engine,
    clearance: Secrecy,
    roles: list[tuple[str, uuid.UUID | None]],
    extra: list[tuple[str, uuid.UUID | None, str, str, str]],
    stored: list[tuple[uuid.UUID, Secrecy, Secrecy]],
) -> None:
    user = User(id=uuid.uuid4(), username="u", display_name="u", clearance=clearance)
    standing = Access(Rules(enforcer_with(user, roles, extra)), user)
    with Session(engine) as session:
        expected_customers, expected_documents = set(), set()
        levels: dict[uuid.UUID, Secrecy] = {}
        for department, customer_level, document_level in stored:
            customer = Customer(
                name="客户", uscc=uuid.uuid4().hex[:18], department_id=department,
                custodian_id=OWNER, secrecy=customer_level, created_by_id=OWNER,
            )  # fmt: skip
            session.add(customer)
            session.flush()
            document = Document(
                customer_id=customer.id, doc_type="contract", title="合同",
                secrecy=document_level, created_by_id=OWNER,
            )  # fmt: skip
            session.add(document)
            session.flush()
            levels[document.id] = document_level
            if standing.allowed(department, "customer", "read", customer_level):
                expected_customers.add(customer.id)
            if standing.allowed(department, "document", "read", document_level):
                expected_documents.add(document.id)
        seen_customers = set(
            session.scalars(
                select(Customer.id).where(
                    standing.visible(
                        session,
                        "customer",
                        Customer.department_id,
                        Customer.secrecy,
                    )
                )
            )
        )
        seen_documents = set(
            session.scalars(
                select(Document.id)
                .join(Customer, Customer.id == Document.customer_id)
                .where(
                    standing.visible(
                        session,
                        "document",
                        Customer.department_id,
                        Document.secrecy,
                    )
                )
            )
        )
        session.rollback()
    assert seen_customers == expected_customers
    assert seen_documents == expected_documents
    # Never above the clearance, whatever the roles and rules say.
    assert all(levels[document].rank <= clearance.rank for document in seen_documents)


def test_actions_cover_the_base_policy() -> None:
    for line in (Path(POLICY) / "policy.csv").read_text().splitlines():
        if line.startswith("p,"):
            _, _, _, obj, act, _ = (part.strip() for part in line.split(","))
            assert act in ACTIONS[obj], line
