"""Opening and finding customer files."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from ingest import master_data
from ingest.categories import Categories
from ingest.customer_schemas import CustomerCreate, CustomerRead, CustomerSummary
from ingest.errors import InvalidField
from ingest.profile import rating_history
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
    categories: Categories,
    today: date,
) -> Customer:
    """Open a customer file with its own key-encryption key; one file per code (一户一档).

    Codes are unique across the archive, so a duplicate is refused whoever holds it; the
    refusal names the customer only to a caller who may see it (`visible`). Its master data
    is checked as an edit's is; a new file starts as a prospect, with no history yet.
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
        department_id=department_id,
        custodian_id=custodian.id,
        secrecy=data.secrecy,
        created_by_id=actor.id,
    )
    before = master_data.current(customer)
    given = master_data.sent(data, set(master_data.FIELDS) - {"name"})
    changes = master_data.differences(before, given)
    master_data.check(changes, before, categories, today)
    master_data.apply(customer, changes)
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
    status: str | None = None
    important: bool | None = None


# The grade a caller may see of a customer, or None (see search_customers).
Grader = Callable[[Customer], str | None]


def visible_grade(session: Session, customer: Customer, seen: ColumnElement[bool]) -> str | None:
    """The grade of the customer's latest rating drawn only from documents in `seen`."""
    shown = rating_history(session, customer.id, seen)
    return shown[0].grade if shown else None


def search_customers(
    session: Session,
    visible: ColumnElement[bool],
    wanted: CustomerFilter,
    limit: int,
    offset: int,
    grade_of: Grader,
) -> tuple[list[CustomerSummary], int]:
    """A page of visible customers matching `wanted`, by name, and their number.

    The grade of each is `grade_of` it: the latest rating the caller may see (ratings are
    derived from documents, and shown only with them). A grade filter matches on that grade,
    so it never finds a customer by a rating the caller could not read.
    """
    where = [visible]
    if wanted.q:
        pattern = f"%{wanted.q.strip()}%"
        where.append(or_(Customer.name.ilike(pattern), Customer.uscc.ilike(pattern.upper())))
    if wanted.department_id:
        where.append(Customer.department_id == wanted.department_id)
    if wanted.custodian_id:
        where.append(Customer.custodian_id == wanted.custodian_id)
    if wanted.status:
        where.append(Customer.status == wanted.status)
    if wanted.important is not None:
        where.append(Customer.important == wanted.important)
    query = (
        select(Customer, Department.name, User.display_name)
        .join(Department, Department.id == Customer.department_id)
        .join(User, User.id == Customer.custodian_id)
        .order_by(Customer.name, Customer.id)
    )
    if wanted.grade:
        # Only customers with some rating of that grade can match; which of their ratings
        # the caller may see is decided per customer.
        rated = select(Rating.id).where(Rating.customer_id == Customer.id)
        where.append(rated.where(Rating.grade == wanted.grade).exists())
        rows = session.execute(query.where(*where)).all()
        found = [(row, grade) for row in rows if (grade := grade_of(row[0])) == wanted.grade]
        page = found[offset : offset + limit]
        return [_summary(*row, grade) for row, grade in page], len(found)
    total = session.scalar(select(func.count()).select_from(Customer).where(*where)) or 0
    rows = session.execute(query.where(*where).limit(limit).offset(offset)).all()
    return [_summary(*row, grade_of(row[0])) for row in rows], total


def describe_customer(session: Session, customer: Customer, grade_of: Grader) -> CustomerSummary:
    """One customer with its department's and custodian's names and its grade."""
    this = Customer.id == customer.id
    [summary], _ = search_customers(session, this, CustomerFilter(), 1, 0, grade_of)
    return summary


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
