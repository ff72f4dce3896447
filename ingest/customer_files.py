"""The customer file's steps (一户一档): open one, read one, change it, find them, and who keeps
them.

Each step checks, acts and records its one audit event in the caller's transaction, and
returns the customer (or the page found); custody changes are `access.handing.reassign`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.customers import (
    CustomerFilter,
    Grader,
    create_customer,
    custodians_of,
    search_customers,
    visible_grade,
)
from ingest.rights import Rights
from ingest.schemas import CustomerCreate, CustomerSummary, CustomerUpdate, DepartmentChoice
from storage.auditevent import Actor, customer_target, record, record_search
from storage.auditnames import Action
from storage.keys import KeyProvider
from storage.models import Customer, Department, Secrecy, User


def create(
    session: Session, actor: Actor, rights: Rights, keys: KeyProvider, data: CustomerCreate
) -> Customer:
    """Open a new customer file, in the caller's own department unless another is given."""
    data.department_id = data.department_id or rights.user.department_id
    rule = rights.require(data.department_id, "customer", "create", data.secrecy)
    seen = rights.visible(session, "customer", Customer.department_id, Customer.secrecy)
    customer = create_customer(session, keys, data, rights.user, seen)
    decision = {"effect": "allow", "rule": rule}
    record(session, actor, Action.CUSTOMER_CREATE, "success", customer_target(customer), decision)
    return customer


def read(session: Session, actor: Actor, customer: Customer, decision: dict[str, Any]) -> Customer:
    """One customer file, its reading recorded; `decision` is the one that let the caller at it."""
    record(session, actor, Action.CUSTOMER_READ, "success", customer_target(customer), decision)
    return customer


def update(
    session: Session,
    actor: Actor,
    customer: Customer,
    data: CustomerUpdate,
    decision: dict[str, Any],
) -> Customer:
    """Change the customer's industry (which chooses its rating's reference table), recorded
    with the value before and after; `decision` is the one that let the caller update it."""
    former, customer.industry = customer.industry, data.industry
    session.flush()
    target = customer_target(customer)
    record(
        session, actor, Action.CUSTOMER_UPDATE, "success", target, decision,
        industry_from=former, industry_to=customer.industry,
    )  # fmt: skip
    return customer


def search(
    session: Session,
    actor: Actor,
    rights: Rights,
    wanted: CustomerFilter,
    limit: int,
    offset: int,
) -> tuple[list[CustomerSummary], int]:
    """A page of the visible customers matching every given filter, by name, and their number."""
    where = rights.visible(session, "customer", Customer.department_id, Customer.secrecy)
    items, total = search_customers(session, where, wanted, limit, offset, grader(session, rights))
    asked = {
        "q": wanted.q,
        "department_id": wanted.department_id,
        "custodian_id": wanted.custodian_id,
        "grade": wanted.grade,
        "limit": limit,
        "offset": offset,
    }
    record_search(session, actor, Action.CUSTOMER_SEARCH, total, None, None, **asked)
    return items, total


def custodians(session: Session, actor: Actor, rights: Rights) -> list[User]:
    """The people who keep at least one of the customers the caller may see, by name."""
    seen = rights.visible(session, "customer", Customer.department_id, Customer.secrecy)
    found = custodians_of(session, seen)
    record_search(session, actor, Action.CUSTODIAN_SEARCH, len(found), None, None)
    return found


def grader(session: Session, rights: Rights) -> Grader:
    """The grade shown of a customer: to whoever reads its credit, from the ratings drawn only
    on documents they may see (as GET /customers/{id}/ratings shows them)."""

    def grade_of(customer: Customer) -> str | None:
        department, level = customer.department_id, customer.secrecy
        if not rights.allowed(department, "customer", "read_credit", level):
            return None
        return visible_grade(session, customer, rights.readable_documents(department))

    return grade_of


def departments(session: Session, rights: Rights) -> list[DepartmentChoice]:
    """The departments whose customers the caller may see or where they may open a file."""
    chosen = []
    for department in session.scalars(select(Department).order_by(Department.name)):
        may_open = rights.allowed(department.id, "customer", "create", Secrecy.internal)
        sees = any(rights.allowed(department.id, "customer", "read", s) for s in Secrecy)
        if may_open or sees:
            chosen.append(
                DepartmentChoice(
                    id=department.id, code=department.code, name=department.name, may_open=may_open
                )
            )
    return chosen
