"""Fixtures: a small archive for taking borrowing and reading steps directly, without HTTP.

Two departments (sales A and B), their people with their roles held as the admin API grants
them, one customer of A with an internal license (its paper original filed) and a secret
contract; each test takes its steps in a session that is rolled back afterwards.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from access import lending
from access.authz import Access, Authorizer, domain, subject
from access.roles import roles_of
from access.rules import Rules, load_rules
from access.schemas import BorrowingCreate
from storage.auditevent import Actor
from storage.db import make_engine, migrate
from storage.models import AuditPending, Borrowing, CasbinRule, Customer, Department, Document, User
from tests.factories import random_uscc

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai: same-day loans have hours left
SALES_A, SALES_B = uuid.UUID(int=1), uuid.UUID(int=2)
# name → (department, clearance, role, held company-wide)
PEOPLE = {
    "archivist": (SALES_A, "secret", "archivist", False),
    "manager": (SALES_A, "confidential", "sales_manager", False),
    "seller": (SALES_A, "secret", "sales", False),
    "head": (SALES_A, "secret", "dept_head", False),
    "director": (None, "secret", "marketing_director", True),
    "outsider": (SALES_B, "secret", "sales", False),
    "archivist_b": (SALES_B, "secret", "archivist", False),
}


@dataclass
class World:
    """The archive's people and documents, and a session to take steps in."""

    session: Session
    authorizer: Authorizer
    rules: Rules
    users: dict[str, uuid.UUID]
    customer: uuid.UUID
    license: uuid.UUID
    contract: uuid.UUID
    seen: int = field(default=0)

    def user(self, name: str) -> User:
        """One of the people, as loaded in this session."""
        return self.session.get_one(User, self.users[name])

    def policy(self, name: str) -> Access:
        """The person under the policy in force."""
        return Access(self.authorizer.rules(self.session), self.user(name))

    def actor(self, name: str) -> Actor:
        """The person as the audit log names them."""
        user = self.user(name)
        return Actor.of(user, roles_of(self.session, user), {"address": "test"})

    def as_(self, name: str) -> tuple[Actor, Access]:
        """What a step takes of the person acting: the actor and the policy."""
        return self.actor(name), self.policy(name)

    def document(self, document_id: uuid.UUID) -> Document:
        """A document, as loaded in this session."""
        return self.session.get_one(Document, document_id)

    def ask(self, **fields: Any) -> BorrowingCreate:
        """A request for the license (to view for 4 hours, unless `fields` say otherwise)."""
        asked: dict[str, Any] = {
            "customer_id": self.customer,
            "document_ids": [self.license],
            "purpose": "核对营业执照 check the license",
            "mode": "view",
            "hours": 4,
            **fields,
        }
        return BorrowingCreate.model_validate(asked)

    def events(self) -> list[dict[str, Any]]:
        """The audit events recorded since the last call, oldest first."""
        rows = self.session.scalars(
            select(AuditPending).where(AuditPending.id > self.seen).order_by(AuditPending.id)
        ).all()
        if rows:
            self.seen = rows[-1].id
        return [json.loads(row.body) for row in rows]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, dict[str, Any]]]:
    """A migrated SQLite archive with the people, the customer and its two documents."""
    engine = make_engine(f"sqlite:///{Path(tmp_path_factory.mktemp('lending')) / 'a.db'}")
    migrate(engine)
    ids = {name: uuid.uuid4() for name in PEOPLE}
    with Session(engine) as session:
        session.add(Department(id=SALES_A, code="sales-a", name="销售一部"))
        session.add(Department(id=SALES_B, code="sales-b", name="销售二部"))
        session.flush()  # rows of unrelated models are inserted in no set order
        for name, (department, clearance, role, company) in PEOPLE.items():
            user = User(
                id=ids[name],
                username=name,
                display_name=name,
                password_hash="x",
                department_id=department,
                clearance=clearance,
            )
            where = domain(None if company else department)
            session.add(user)
            session.flush()
            session.add(CasbinRule(ptype="g", v0=subject(user.id), v1=role, v2=where))
        customer = Customer(
            name="贵州测试有限公司",
            uscc=random_uscc(),
            department_id=SALES_A,
            custodian_id=ids["seller"],
            created_by_id=ids["seller"],
        )
        session.add(customer)
        session.flush()
        made = {"customer": customer.id}
        filed = (("license", "internal", "A-01"), ("contract", "secret", None))
        for name, secrecy, cabinet in filed:
            document = Document(
                customer_id=customer.id,
                doc_type="business_license",
                title=f"{name} 文件",
                secrecy=secrecy,
                original_cabinet=cabinet,
                created_by_id=ids["seller"],
            )
            session.add(document)
            session.flush()
            made[name] = document.id
        session.commit()
    yield engine, {"users": ids, **made}
    engine.dispose()


@pytest.fixture
def world(archive: tuple[Engine, dict[str, Any]]) -> Iterator[World]:
    """The archive in a session of its own, rolled back after the test."""
    engine, made = archive
    with Session(engine) as session:
        latest = session.scalar(select(AuditPending.id).order_by(AuditPending.id.desc()))
        yield World(
            session,
            Authorizer(engine),
            load_rules(None),
            made["users"],
            made["customer"],
            made["license"],
            made["contract"],
            latest or 0,
        )
        session.rollback()


def lent(world: World, borrower: str = "seller", **fields: Any) -> Borrowing:
    """A borrowing of the license by `borrower`, approved by the department head at NOW."""
    borrowing = lending.request(
        world.session, *world.as_(borrower), world.rules, world.ask(**fields), NOW
    )
    lending.approve(world.session, *world.as_("head"), world.rules, borrowing.id, None, NOW)
    world.events()  # the steps that set the scene are not what the test looks at
    return borrowing
