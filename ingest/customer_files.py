"""The customer file's steps (一户一档): open one, read one, change it, move it through its
lifecycle, read its history, find them, and who keeps them.

Each step checks, acts and records its one audit event in the caller's transaction, and
returns the customer (or the page found); custody changes are `access.handing.reassign`.
A change's audit event names the fields changed, never their values (personal data such as
a legal representative's name, or an account number): those are in the customer's history,
shown only to readers of the customer.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest import lifecycle, master_data, review
from ingest.categories import Categories
from ingest.customer_history import Kind, history_of, record_change
from ingest.customer_schemas import (
    CustomerChangeRead,
    CustomerCreate,
    CustomerDetail,
    CustomerSummary,
    CustomerUpdate,
    StatusChange,
)
from ingest.customers import (
    CustomerFilter,
    Grader,
    create_customer,
    custodians_of,
    describe_customer,
    search_customers,
    visible_grade,
)
from ingest.errors import InvalidField
from ingest.rights import Rights
from ingest.schemas import DepartmentChoice
from storage.auditevent import Actor, customer_target, record, record_search
from storage.auditnames import Action
from storage.keys import KeyProvider
from storage.models import (
    Customer,
    CustomerChange,
    CustomerStatus,
    Department,
    Extraction,
    Secrecy,
    User,
)


def create(
    session: Session,
    actor: Actor,
    rights: Rights,
    keys: KeyProvider,
    data: CustomerCreate,
    categories: Categories,
    today: date,
) -> Customer:
    """Open a new customer file, in the caller's own department unless another is given."""
    data.department_id = data.department_id or rights.user.department_id
    rule = rights.require(data.department_id, "customer", "create", data.secrecy)
    seen = rights.visible(session, "customer", Customer.department_id, Customer.secrecy)
    customer = create_customer(session, keys, data, rights.user, seen, categories, today)
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
    rights: Rights,
    customer: Customer,
    data: CustomerUpdate,
    categories: Categories,
    today: date,
    decision: dict[str, Any],
) -> Customer:
    """Change the fields sent, and only those, keeping the change and its reason in the
    customer's history; `decision` is the one that let the caller update it."""
    sent = data.model_fields_set - {"reason"}
    if not sent:
        raise InvalidField("request: name at least one field to change besides the reason")
    values = master_data.sent(data, sent)
    change = _take(session, rights.user, customer, values, categories, today, data.reason)
    if change is not None:
        record(
            session, actor, Action.CUSTOMER_UPDATE, "success", customer_target(customer),
            decision, change=str(change.id), fields=sorted(change.changes), reason=data.reason,
        )  # fmt: skip
    return customer


def accept_license(
    session: Session,
    actor: Actor,
    rights: Rights,
    customer: Customer,
    extraction_id: uuid.UUID,
    clock: tuple[datetime, date],
    decision: dict[str, Any],
) -> Extraction:
    """Take what a business license was read to say into the record, as an edit is taken
    (checked, and kept in the history naming the license); its validity goes onto the
    document. `clock` is now and the company's day."""
    now, today = clock
    seen = rights.readable_documents(customer.department_id)
    job, fields = review.accept_license(session, customer, extraction_id, seen, rights.user, now)
    values = master_data.from_license(fields)
    # No category is read from a license: the configured ones are not consulted.
    change = _take(
        session, rights.user, customer, values, Categories(()), today, None, job.document_id
    )
    target = {**customer_target(customer), "document": str(job.document_id)}
    record(
        session, actor, Action.CUSTOMER_UPDATE, "success", target, decision,
        accepted="license fields", change=str(change.id) if change else None,
        fields=sorted(change.changes) if change else [],
    )  # fmt: skip
    return job


def _take(
    session: Session,
    user: User,
    customer: Customer,
    values: dict[str, Any],
    categories: Categories,
    today: date,
    reason: str | None,
    document_id: uuid.UUID | None = None,
) -> CustomerChange | None:
    # Checked whole before anything changes; a value already on file is no change.
    before = master_data.current(customer)
    changes = master_data.differences(before, values)
    master_data.check(changes, before, categories, today)
    if not changes:
        return None
    master_data.apply(customer, changes)
    kind: Kind = "edit" if document_id is None else "license"
    return record_change(session, customer, user, kind, changes, reason, document_id)


def change_status(
    session: Session,
    actor: Actor,
    rights: Rights,
    customer: Customer,
    data: StatusChange,
    decision: dict[str, Any],
) -> Customer:
    """Move the customer through its lifecycle, if the move is allowed and the caller holds a
    role that makes it there (`ingest.lifecycle`); kept in its history with the reason."""
    current = CustomerStatus(customer.status)
    lifecycle.check_move(current, data.status, rights.roles_in(customer.department_id))
    customer.status = data.status
    changes = {"status": [current.value, data.status.value]}
    change = record_change(session, customer, rights.user, "status", changes, data.reason)
    record(
        session, actor, Action.CUSTOMER_STATUS, "success", customer_target(customer), decision,
        change=str(change.id), status_from=current.value, status_to=data.status.value,
        reason=data.reason,
    )  # fmt: skip
    return customer


def history(
    session: Session,
    actor: Actor,
    customer: Customer,
    limit: int,
    offset: int,
    decision: dict[str, Any],
) -> tuple[list[CustomerChangeRead], int]:
    """A page of the customer's changes, newest first, its reading recorded."""
    items, total = history_of(session, customer.id, limit, offset)
    asked = {"limit": limit, "offset": offset}
    record_search(session, actor, Action.CUSTOMER_HISTORY, total, customer.id, decision, **asked)
    return items, total


def detail(session: Session, rights: Rights, customer: Customer) -> CustomerDetail:
    """The customer with its master data, and the moves the caller may make from its status."""
    summary = describe_customer(session, customer, grader(session, rights))
    department, level = customer.department_id, customer.secrecy
    moves: list[CustomerStatus] = []
    if rights.allowed(department, "customer", "change_status", level):
        moves = lifecycle.choices(CustomerStatus(customer.status), rights.roles_in(department))
    return CustomerDetail(
        **summary.model_dump(),
        registered_capital=master_data.capital_of(customer),
        legal_representative=customer.legal_representative,
        address=customer.address,
        business_scope=customer.business_scope,
        founded_on=customer.founded_on,
        shareholders=customer.shareholders or [],
        bank_references=customer.bank_references or [],
        cooperation_since=customer.cooperation_since,
        status_choices=moves,
    )


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
        "status": wanted.status,
        "important": wanted.important,
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
