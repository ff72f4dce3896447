"""The contract ledger's steps (合同管理台帐): open a contract in its department's sequence,
read it, change it with a reason, join documents of its file to it.

Invariants: a contract is a record of its customer's file, so the door that lets a caller at it
asks of the customer's department and secrecy (`archive_api.deps.Authorize`); its documents are
shown only as far as the caller may know they exist; a linked document carries the contract's
number, so holds on that number cover it, and a document held under another number is not moved;
every step is audited in the caller's transaction, edits with their reason and the fields they
changed, never the values (amounts and counterparties are the history's, shown to readers).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from ingest.contract_deadlines import SIGNED
from ingest.contract_schemas import EDITABLE, ContractCreate, ContractLink, ContractUpdate, _Dates
from ingest.errors import InvalidField
from ingest.numbering import Numbering, next_serial
from ingest.rights import Rights
from storage.auditevent import Actor, contract_target, record
from storage.auditnames import Action
from storage.db import get_one
from storage.errors import Conflict
from storage.models import (
    Contract,
    ContractChange,
    ContractKind,
    Customer,
    Department,
    Document,
    LegalHold,
    User,
)

CHANGES = ("amendment", "termination")  # kinds that change another contract


def get_contract(session: Session, contract_id: uuid.UUID) -> Contract:
    """One contract; raises NotFound."""
    return get_one(session, Contract, contract_id, "contract")


def create(
    session: Session,
    actor: Actor,
    rights: Rights,
    numbering: Numbering,
    customer: Customer,
    data: ContractCreate,
    today: date,
) -> Contract:
    """Number and record a new contract of the customer, with the documents that belong to it."""
    department_id = customer.department_id
    rule = rights.require(department_id, "contract", "create", customer.secrecy)
    me = rights.user
    # By default whoever registers it, unless they cannot keep the file (a company-wide credit
    # manager): then the customer's own custodian.
    mine = me.custody_problem(customer.department_id, customer.secrecy) is None
    default = me.id if mine else customer.custodian_id
    custodian = _custodian(session, data.custodian_id or default, customer)
    _check_amends(session, data.kind, data.amends_id, customer)
    if data.signed_on is not None and data.signed_on > today:
        raise InvalidField("signed_on: is in the future")
    _check_signed(data.status, data.signed_on)
    documents = _documents(session, rights, customer, data.document_ids)
    year = (data.signed_on or today).year
    department = session.get_one(Department, department_id)
    serial = next_serial(session, department_id, year)
    try:
        number = numbering.number(department, year, serial)
    except ValueError as error:
        raise Conflict(str(error), reason="numbering") from None
    fields = data.model_dump(exclude={"document_ids", "custodian_id"})
    contract = Contract(
        **fields, number=number, customer_id=customer.id, numbered_in_id=department_id,
        year=year, serial=serial, custodian_id=custodian.id, created_by_id=rights.user.id,
    )  # fmt: skip
    contract.customer = customer
    session.add(contract)
    session.flush()
    _record_change(session, contract, rights.user, "create", _values(contract), None)
    if documents:
        _link(session, contract, documents, rights.user, None)
    record(
        session, actor, Action.CONTRACT_CREATE, "success", contract_target(contract),
        {"effect": "allow", "rule": rule}, documents=len(documents),
    )  # fmt: skip
    return contract


def read(session: Session, actor: Actor, contract: Contract, decision: dict[str, Any]) -> None:
    """Record the reading of one contract; `decision` is the one that let the caller at it."""
    record(session, actor, Action.CONTRACT_READ, "success", contract_target(contract), decision)


def update(
    session: Session,
    actor: Actor,
    rights: Rights,
    contract: Contract,
    data: ContractUpdate,
    today: date,
    decision: dict[str, Any],
) -> Contract:
    """Change the fields sent, and only those, keeping the change and its reason in the
    contract's history."""
    sent = data.model_fields_set - {"reason"}
    if not sent:
        raise InvalidField("request: name at least one field to change besides the reason")
    before = _values(contract)
    after = {**before, **data.model_dump(mode="json", include=sent)}
    changes = {f: [before[f], after[f]] for f in EDITABLE if before[f] != after[f]}
    # Checked whole, on what the record would hold, before anything changes.
    _Dates.model_validate({k: after[k] for k in _Dates.model_fields})
    for day in ("signed_on", "handed_to_credit_on", "handed_to_archive_on"):
        if day in changes and after[day] is not None and date.fromisoformat(after[day]) > today:
            raise InvalidField(f"{day}: is in the future")
    _check_signed(after["status"], after["signed_on"])
    if "custodian_id" in changes:
        _custodian(session, uuid.UUID(after["custodian_id"]), contract.customer)
    if not changes:
        return contract
    for field in changes:
        setattr(contract, field, getattr(data, field))
    change = _record_change(session, contract, rights.user, "edit", changes, data.reason)
    record(
        session, actor, Action.CONTRACT_UPDATE, "success", contract_target(contract), decision,
        change=str(change.id), fields=sorted(changes), reason=data.reason,
    )  # fmt: skip
    return contract


def link(
    session: Session,
    actor: Actor,
    rights: Rights,
    contract: Contract,
    data: ContractLink,
    decision: dict[str, Any],
) -> Contract:
    """Join documents of the contract's file to it: each takes the contract's number."""
    documents = _documents(session, rights, contract.customer, data.document_ids)
    joined = _link(session, contract, documents, rights.user, data.reason)
    record(
        session, actor, Action.CONTRACT_LINK, "success", contract_target(contract), decision,
        documents=[str(d.id) for d in joined], reason=data.reason,
    )  # fmt: skip
    return contract


def link_by_number(session: Session, document: Document) -> None:
    """A document filed with the number of one of its customer's contracts belongs to it (a
    number of another file's contract stays the document's own text, as before the ledger)."""
    if document.contract_no:
        document.contract_id = session.scalar(
            select(Contract.id).where(
                Contract.customer_id == document.customer_id,
                Contract.number == document.contract_no,
            )
        )


def _link(
    session: Session, contract: Contract, documents: list[Document], user: User, why: str | None
) -> list[Document]:
    moved = [d for d in documents if d.contract_id != contract.id]
    for document in moved:
        old = document.contract_no
        if old and old != contract.number and _held(session, document):
            raise Conflict(
                f"document {document.id} is under a legal hold of contract number {old}; "
                "lift the hold before joining it to another contract",
                reason="held",
            )
    for document in moved:
        document.contract_id, document.contract_no = contract.id, contract.number
    if moved:
        joined = {str(d.id): [None, contract.number] for d in moved}
        _record_change(session, contract, user, "link", joined, why)
    return moved


def _held(session: Session, document: Document) -> bool:
    # A hold on the document's contract number keeps it under that number.
    return (
        session.scalar(
            select(LegalHold.id).where(
                and_(
                    LegalHold.customer_id == document.customer_id,
                    LegalHold.scope == "contract",
                    LegalHold.contract_no == document.contract_no,
                    LegalHold.lifted_at.is_(None),
                )
            )
        )
        is not None
    )


def _documents(
    session: Session, rights: Rights, customer: Customer, ids: list[uuid.UUID]
) -> list[Document]:
    # Only documents of the same file the caller may know exist; any other is "no such".
    if not ids:
        return []
    known = rights.readable_documents(customer.department_id)
    found = session.scalars(
        select(Document).where(Document.id.in_(ids), Document.customer_id == customer.id, known)
    ).all()
    if len(found) != len(set(ids)):
        raise InvalidField("document_ids: no such document in this customer's file")
    return list(found)


def _custodian(session: Session, custodian_id: uuid.UUID, customer: Customer) -> User:
    # The custodian of a contract may keep its customer's file (the rule of custody).
    custodian = session.get(User, custodian_id)
    problem = (
        "not an active user"
        if custodian is None
        else custodian.custody_problem(customer.department_id, customer.secrecy)
    )
    if custodian is None or problem is not None:
        raise InvalidField(f"custodian_id: {problem}")
    return custodian


def _check_amends(
    session: Session, kind: ContractKind, amends_id: uuid.UUID | None, customer: Customer
) -> None:
    if (kind in CHANGES) != (amends_id is not None):
        raise InvalidField("amends_id: given exactly for an amendment or a termination")
    if amends_id is not None:
        amended = session.get(Contract, amends_id)
        if amended is None or amended.customer_id != customer.id:
            raise InvalidField("amends_id: no such contract of this customer")


def _check_signed(status: str, signed_on: object) -> None:
    if status in SIGNED and signed_on is None:
        raise InvalidField("signed_on: a contract signed in any form has the day it was signed")


def _values(contract: Contract) -> dict[str, Any]:
    # The record's editable fields in JSON form, as the history keeps them.
    values: dict[str, Any] = {}
    for field in EDITABLE:
        value = getattr(contract, field)
        values[field] = None if value is None else (
            value if isinstance(value, str) else str(value) if not isinstance(value, date)
            else value.isoformat()
        )  # fmt: skip
    return values


def _record_change(
    session: Session,
    contract: Contract,
    user: User,
    kind: str,
    changes: dict[str, Any],
    reason: str | None,
) -> ContractChange:
    if kind == "create":
        changes = {field: [None, value] for field, value in changes.items() if value is not None}
    change = ContractChange(
        contract_id=contract.id, kind=kind, changed_by_id=user.id, reason=reason, changes=changes
    )
    session.add(change)
    session.flush()
    return change
