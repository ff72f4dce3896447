"""Reading the contract ledger: one contract with its documents and history, and the ledger
searched and filtered a page at a time.

Invariants: only contracts of customers the caller may see are listed or counted (the list filter
every customer-derived list uses, asked for `contract`); of a contract's documents only those the
caller may know exist are shown; each reading is audited, a search with its filter and size,
never its rows.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from ingest.contract_deadlines import handovers
from ingest.contract_schemas import (
    ContractChangeRead,
    ContractDetail,
    ContractDocument,
    ContractRead,
)
from ingest.customer_schemas import FieldChange
from ingest.rights import Rights
from storage.auditevent import Actor, record_search
from storage.auditnames import Action
from storage.models import Contract, ContractChange, Customer, Document, User


@dataclass
class ContractFilter:
    """What a ledger search asks for; every given part must hold."""

    q: str | None = None
    number: str | None = None
    counterparty: str | None = None
    status: str | None = None
    kind: str | None = None
    customer_id: uuid.UUID | None = None
    department_id: uuid.UUID | None = None
    signed_from: date | None = None
    signed_to: date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    currency: str | None = None


def seen(session: Session, rights: Rights, act: str = "read") -> ColumnElement[bool]:
    """The SQL condition (on `Customer`) for contracts the caller may `act` on."""
    return rights.visible(session, "contract", Customer.department_id, Customer.secrecy, act)


def search(
    session: Session,
    actor: Actor,
    rights: Rights,
    wanted: ContractFilter,
    page: tuple[int, int],
    today: date,
) -> tuple[list[ContractRead], int]:
    """A page of the visible contracts matching every given filter, the newest number first,
    and their number."""
    query = _filtered(select(Contract).join(Customer), wanted).where(seen(session, rights))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    limit, offset = page
    ordered = query.order_by(Contract.year.desc(), Contract.number.desc())
    rows = list(session.scalars(ordered.limit(limit).offset(offset)))
    asked = {k: v for k, v in asdict(wanted).items() if v is not None}
    record_search(session, actor, Action.CONTRACT_SEARCH, total, wanted.customer_id, None,
                  **asked, limit=limit, offset=offset)  # fmt: skip
    return describe(session, rows, today), total


def _filtered(query: Select[Contract], wanted: ContractFilter) -> Select[Contract]:
    if wanted.q:
        like = f"%{_escaped(wanted.q)}%"
        query = query.where(
            Contract.number.ilike(like, escape="\\")
            | Contract.counterparty.ilike(like, escape="\\")
            | Contract.title.ilike(like, escape="\\")
        )
    if wanted.number:
        query = query.where(Contract.number.ilike(f"%{_escaped(wanted.number)}%", escape="\\"))
    if wanted.counterparty:
        part = f"%{_escaped(wanted.counterparty)}%"
        query = query.where(Contract.counterparty.ilike(part, escape="\\"))
    equal = {
        Contract.status: wanted.status, Contract.kind: wanted.kind,
        Contract.customer_id: wanted.customer_id, Customer.department_id: wanted.department_id,
        Contract.currency: wanted.currency,
    }  # fmt: skip
    for column, value in equal.items():
        if value is not None:
            query = query.where(column == value)
    if wanted.signed_from is not None:
        query = query.where(Contract.signed_on >= wanted.signed_from)
    if wanted.signed_to is not None:
        query = query.where(Contract.signed_on <= wanted.signed_to)
    if wanted.amount_min is not None:
        query = query.where(Contract.amount >= wanted.amount_min)
    if wanted.amount_max is not None:
        query = query.where(Contract.amount <= wanted.amount_max)
    return query


def _escaped(text: str) -> str:
    # What is typed is matched as typed: % and _ are not wildcards.
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def describe(session: Session, contracts: list[Contract], today: date) -> list[ContractRead]:
    """The contracts as the ledger lists them, with the names a person reads."""
    people = {c.custodian_id for c in contracts}
    users = select(User.id, User.display_name).where(User.id.in_(people))
    names = dict(session.execute(users).all())
    return [
        ContractRead.model_validate(
            {
                **{k: getattr(c, k) for k in ContractRead.model_fields if hasattr(Contract, k)},
                "customer_name": c.customer.name,
                "department_id": c.customer.department_id,
                "custodian_name": names.get(c.custodian_id, ""),
                "handovers": handovers(c, today),
            }
        )
        for c in contracts
    ]


def detail(session: Session, rights: Rights, contract: Contract, today: date) -> ContractDetail:
    """One contract with the documents of it the caller may know exist, and its history."""
    customer = contract.customer
    known = rights.readable_documents(customer.department_id)
    documents = session.scalars(
        select(Document)
        .where(Document.contract_id == contract.id, known)
        .order_by(Document.created_at)
    )
    changes = session.execute(
        select(ContractChange, User.display_name)
        .join(User, User.id == ContractChange.changed_by_id)
        .where(ContractChange.contract_id == contract.id)
        .order_by(ContractChange.created_at.desc())
    ).all()
    # A link names documents: only those the caller may know exist are shown.
    of_file = select(Document.id).where(Document.customer_id == customer.id, known)
    shown = {str(d) for d in session.scalars(of_file)}
    history = [
        ContractChangeRead(
            id=change.id,
            created_at=change.created_at,
            kind=change.kind,
            reason=change.reason,
            changed_by_id=change.changed_by_id,
            changed_by_name=name,
            changes=[
                FieldChange(field=field, before=before, after=after)
                for field, (before, after) in change.changes.items()
                if change.kind != "link" or field in shown
            ],
        )
        for change, name in changes
    ]
    editable = rights.allowed(customer.department_id, "contract", "update", customer.secrecy)
    [read] = describe(session, [contract], today)
    return ContractDetail(
        **read.model_dump(),
        documents=[ContractDocument.model_validate(d) for d in documents],
        history=[h for h in history if h.kind != "link" or h.changes],
        editable=editable,
    )
