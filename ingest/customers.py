"""Opening and finding customer files."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, ScalarSelect, and_, case, func, or_, select
from sqlalchemy.orm import Session

from ingest.errors import InvalidField
from ingest.schemas import CustomerCreate, CustomerRead, CustomerSummary
from storage.db import get_one
from storage.errors import Conflict
from storage.keys import KeyProvider, customer_key_name
from storage.models import Customer, Department, Rating, User


def create_customer(
    session: Session,
    keys: KeyProvider,
    data: CustomerCreate,
    actor: User,
    visible: ColumnElement[bool],
) -> Customer:
    """Open a customer file with its own key-encryption key; one file per code (一户一档).

    Codes are unique across the archive, so a duplicate is refused whoever holds it; the
    refusal names the customer only to a caller who may see it (`visible`).
    """
    existing = select(Customer.id).where(Customer.uscc == data.uscc)
    if session.scalar(existing) is not None:
        shown = session.scalar(existing.where(visible))
        if shown is not None:
            raise Conflict(
                f"a customer with this unified social credit code already exists: {shown}",
                reason="uscc_taken",
            )
        raise Conflict(
            "a customer with this unified social credit code already exists in the archive; "
            "ask an archivist",
            reason="uscc_taken",
        )
    department_id = data.department_id or actor.department_id
    if department_id is None or session.get(Department, department_id) is None:
        raise InvalidField("department_id: no such department (give one; you belong to none)")
    custodian = _custodian(session, data.custodian_id or actor.id, department_id, data.secrecy)
    customer = Customer(
        name=data.name,
        uscc=data.uscc,
        category=data.category,
        department_id=department_id,
        custodian_id=custodian.id,
        secrecy=data.secrecy,
        created_by_id=actor.id,
    )
    session.add(customer)
    session.flush()
    # Creating the key is idempotent, so a rolled-back customer leaves only an unused key.
    keys.create_key(customer_key_name(str(customer.id)))
    return customer


def _custodian(
    session: Session, custodian_id: uuid.UUID, department_id: uuid.UUID, secrecy: str
) -> User:
    # The rule a custodian change follows too (access.handover.reassign).
    custodian = session.get(User, custodian_id)
    if custodian is None:
        raise InvalidField("custodian_id: not an active user")
    problem = custodian.custody_problem(department_id, secrecy)
    if problem is not None:
        raise InvalidField(f"custodian_id: {problem}")
    return custodian


def get_customer(session: Session, customer_id: uuid.UUID) -> Customer:
    """One customer; raises NotFound."""
    return get_one(session, Customer, customer_id, "customer")


@dataclass
class CustomerFilter:
    """What a customer search asks for; every given part must hold."""

    q: str | None = None
    department_id: uuid.UUID | None = None
    custodian_id: uuid.UUID | None = None
    grade: str | None = None


def latest_grade() -> ScalarSelect[str | None]:
    """The grade of the customer's latest saved rating, as a column of a customer query."""
    newest = Rating.created_at.desc(), Rating.id.desc()
    query = select(Rating.grade).where(Rating.customer_id == Customer.id).order_by(*newest)
    return query.limit(1).correlate(Customer).scalar_subquery()


def search_customers(
    session: Session,
    visible: ColumnElement[bool],
    credit_seen: ColumnElement[bool],
    wanted: CustomerFilter,
    limit: int,
    offset: int,
) -> tuple[list[CustomerSummary], int]:
    """A page of visible customers matching `wanted`, by name, and their number.

    The grade is shown, and filtered on, only where `credit_seen` holds (the caller may read
    the customer's credit): elsewhere it is none, and a grade filter never matches.
    """
    where = [visible]
    if wanted.q:
        pattern = f"%{wanted.q.strip()}%"
        where.append(or_(Customer.name.ilike(pattern), Customer.uscc.ilike(pattern.upper())))
    if wanted.department_id:
        where.append(Customer.department_id == wanted.department_id)
    if wanted.custodian_id:
        where.append(Customer.custodian_id == wanted.custodian_id)
    grade = case((credit_seen, latest_grade()), else_=None)
    if wanted.grade:
        where.append(and_(credit_seen, latest_grade() == wanted.grade))
    total = session.scalar(select(func.count()).select_from(Customer).where(*where)) or 0
    query = (
        select(Customer, Department.name, User.display_name, grade)
        .join(Department, Department.id == Customer.department_id)
        .join(User, User.id == Customer.custodian_id)
        .where(*where)
        .order_by(Customer.name, Customer.id)
    )
    rows = session.execute(query.limit(limit).offset(offset)).all()
    return [_summary(*row) for row in rows], total


def describe_customer(
    session: Session, customer: Customer, credit_seen: ColumnElement[bool]
) -> CustomerSummary:
    """One customer with its department's and custodian's names and its grade."""
    found = search_customers(
        session, Customer.id == customer.id, credit_seen, CustomerFilter(), 1, 0
    )
    return found[0][0]


def _summary(
    customer: Customer, department: str, custodian: str, grade: str | None
) -> CustomerSummary:
    read = CustomerRead.model_validate(customer)
    return CustomerSummary(
        **read.model_dump(), department_name=department, custodian_name=custodian, grade=grade
    )


def custodians_of(session: Session, visible: ColumnElement[bool]) -> list[User]:
    """The people who keep at least one of the visible customers, by name."""
    keeping = select(Customer.custodian_id).where(visible)
    query = select(User).where(User.id.in_(keeping)).order_by(User.display_name, User.id)
    return list(session.scalars(query))
