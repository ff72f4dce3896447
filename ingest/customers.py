"""Opening and finding customer files."""

from __future__ import annotations

import uuid

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ingest.schemas import CustomerCreate
from storage.errors import Conflict, NotFound
from storage.keys import KeyProvider, customer_key_name
from storage.models import Customer, User


def create_customer(
    session: Session, keys: KeyProvider, data: CustomerCreate, actor: User
) -> Customer:
    """Open a customer file with its own key-encryption key; one file per code (一户一档)."""
    if session.scalar(select(Customer.id).where(Customer.uscc == data.uscc)) is not None:
        raise Conflict("a customer with this unified social credit code already exists")
    customer = Customer(
        name=data.name, uscc=data.uscc, category=data.category, created_by_id=actor.id
    )
    session.add(customer)
    session.flush()
    # Creating the key is idempotent, so a rolled-back customer leaves only an unused key.
    keys.create_key(customer_key_name(str(customer.id)))
    return customer


def get_customer(session: Session, customer_id: uuid.UUID) -> Customer:
    """One customer; raises NotFound."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("no such customer")
    return customer


def search_customers(
    session: Session, q: str | None, limit: int, offset: int
) -> tuple[list[Customer], int]:
    """A page of customers whose name or code contains `q`, by name, and the number of matches."""
    where = []
    if q:
        pattern = f"%{q.strip()}%"
        where.append(or_(Customer.name.ilike(pattern), Customer.uscc.ilike(pattern.upper())))
    total = session.scalar(select(func.count()).select_from(Customer).where(*where)) or 0
    query = select(Customer).where(*where).order_by(Customer.name, Customer.id)
    return list(session.scalars(query.limit(limit).offset(offset))), total
