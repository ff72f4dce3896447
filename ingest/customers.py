"""Opening and finding customer files."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from ingest.errors import InvalidField
from ingest.schemas import CustomerCreate
from storage.db import get_one
from storage.errors import Conflict
from storage.keys import KeyProvider, customer_key_name
from storage.models import Customer, Department, User


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


def search_customers(
    session: Session, visible: ColumnElement[bool], q: str | None, limit: int, offset: int
) -> tuple[list[Customer], int]:
    """A page of visible customers whose name or code contains `q`, by name, and their number."""
    where = [visible]
    if q:
        pattern = f"%{q.strip()}%"
        where.append(or_(Customer.name.ilike(pattern), Customer.uscc.ilike(pattern.upper())))
    total = session.scalar(select(func.count()).select_from(Customer).where(*where)) or 0
    query = select(Customer).where(*where).order_by(Customer.name, Customer.id)
    return list(session.scalars(query.limit(limit).offset(offset))), total
