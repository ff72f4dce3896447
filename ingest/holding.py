"""Legal holds (法律保全): set on a customer's whole file, one contract or one document, and
lifted, each with a reason; a hold keeps what it covers off the disposal list.

Invariants: a hold is never deleted or changed after it is lifted, so the holds of a file are
their own history (who, when, why, set and lifted); each set and lift is an audit event in the
same transaction; a contract hold covers the file's documents carrying its number, whatever
their type; a caller is shown a hold only when they may know what it covers (a document hold
with its document, a contract hold with one of the contract's documents), so a hold never
names a document above their clearance; no hold is set over a document that an execution
under way has yet to destroy (409 `disposal_running`), so a hold set is a hold kept.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.orm import Session

from ingest.errors import InvalidField
from ingest.retention_schemas import HoldCreate, HoldRead
from ingest.rights import Rights
from storage.auditevent import Actor, customer_target, document_target, record, record_search
from storage.auditnames import Action
from storage.errors import Conflict, NotFound
from storage.models import Customer, Disposal, DisposalItem, Document, LegalHold, User


def covers() -> ColumnElement[bool]:
    """The SQL condition that a `LegalHold` row covers a `Document` row, in force or lifted."""
    return and_(
        LegalHold.customer_id == Document.customer_id,
        or_(
            LegalHold.scope == "customer",
            and_(LegalHold.scope == "contract", LegalHold.contract_no == Document.contract_no),
            and_(LegalHold.scope == "document", LegalHold.document_id == Document.id),
        ),
    )


def held() -> ColumnElement[bool]:
    """The SQL condition for documents a hold in force covers."""
    return exists().where(covers(), LegalHold.lifted_at.is_(None))


def hold_customer(
    session: Session,
    actor: Actor,
    rights: Rights,
    customer: Customer,
    data: HoldCreate,
    decision: dict[str, Any],
) -> HoldRead:
    """Put the customer's file, or one of its contracts, under a legal hold."""
    if data.contract_no is not None:
        readable = rights.readable_documents(customer.department_id)
        carried = select(Document.id).where(
            Document.customer_id == customer.id, Document.contract_no == data.contract_no, readable
        )
        if session.scalar(carried.limit(1)) is None:
            raise InvalidField("contract_no: no document of this customer carries it")
    hold = LegalHold(customer_id=customer.id, scope=data.scope, contract_no=data.contract_no)
    return _set(session, actor, rights, hold, data.reason, customer_target(customer), decision)


def hold_document(
    session: Session, actor: Actor, rights: Rights, document: Document, reason: str,
    decision: dict[str, Any],
) -> HoldRead:  # fmt: skip
    """Put one document under a legal hold."""
    hold = LegalHold(customer_id=document.customer_id, scope="document", document_id=document.id)
    return _set(session, actor, rights, hold, reason, document_target(document), decision)


def _set(
    session: Session, actor: Actor, rights: Rights, hold: LegalHold, reason: str,
    target: dict[str, Any], decision: dict[str, Any],
) -> HoldRead:  # fmt: skip
    hold.reason, hold.set_by_id = reason, rights.user.id
    # Held shared until this commits: a disposal's execution checks the file's holds holding
    # it exclusively (`disposal_run._begin`), so a hold is either seen there or sees the run.
    session.scalar(
        select(Customer.id).where(Customer.id == hold.customer_id).with_for_update(read=True)
    )
    session.add(hold)
    session.flush()
    if session.scalar(_being_disposed(hold)) is not None:
        # Its key may be shredded already: a hold set now would promise what cannot be kept.
        raise Conflict(
            "a disposal being executed is destroying documents this hold would cover; "
            "the hold was not set",
            reason="disposal_running",
        )
    record(session, actor, Action.HOLD_SET, "success", target, decision, **_audited(hold))
    return read(session, hold)


def _being_disposed(hold: LegalHold) -> Select[uuid.UUID]:
    """Documents the hold covers that an execution under way has yet to dispose of."""
    return (
        select(DisposalItem.document_id)
        .join(Disposal, Disposal.id == DisposalItem.disposal_id)
        .join(Document, Document.id == DisposalItem.document_id)
        .join(LegalHold, covers())
        .where(
            LegalHold.id == hold.id,
            Disposal.status == "executing",
            DisposalItem.outcome.is_(None),
        )
        .limit(1)
    )


def hold_of(session: Session, hold_id: uuid.UUID, of: Customer | Document) -> LegalHold:
    """A hold of the customer (covering its file or a contract) or of the document; 404 else.

    A document's hold is reached only through its document, whose door judged its secrecy.
    """
    if isinstance(of, Customer):
        mine = and_(LegalHold.customer_id == of.id, LegalHold.scope != "document")
    else:
        mine = and_(LegalHold.document_id == of.id, LegalHold.scope == "document")
    hold = session.scalar(select(LegalHold).where(LegalHold.id == hold_id, mine))
    if hold is None:
        raise NotFound("no such hold")
    return hold


def lift(
    session: Session,
    actor: Actor,
    rights: Rights,
    hold: LegalHold,
    of: Customer | Document,
    reason: str,
    now: datetime,
    decision: dict[str, Any],
) -> HoldRead:
    """Lift a hold in force, with the reason; the hold is kept, lifted, as history."""
    target = customer_target(of) if isinstance(of, Customer) else document_target(of)
    if hold.lifted_at is not None:
        raise Conflict("the hold is already lifted", reason="hold_lifted")
    hold.lifted_at, hold.lifted_by_id, hold.lift_reason = now, rights.user.id, reason
    session.flush()
    record(
        session, actor, Action.HOLD_LIFT, "success", target, decision,
        **_audited(hold), lift_reason=reason,
    )  # fmt: skip
    return read(session, hold)


def _audited(hold: LegalHold) -> dict[str, Any]:
    # The contract number is metadata of documents the caller may know; the reason is the
    # caller's own words about the file, recorded as given.
    return {
        "hold": str(hold.id),
        "scope": hold.scope,
        "contract_no": hold.contract_no,
        "reason": hold.reason,
    }


def holds_of_customer(
    session: Session, actor: Actor, rights: Rights, customer: Customer, decision: dict[str, Any]
) -> list[HoldRead]:
    """Every hold of the customer's file the caller may know of, in force first, newest first."""
    found = holds_covering(session, customer, rights.readable_documents(customer.department_id))
    record_search(session, actor, Action.HOLD_SEARCH, len(found), customer.id, decision)
    return found


def holds_covering(
    session: Session, customer: Customer, documents: ColumnElement[bool]
) -> list[HoldRead]:
    """The holds on the whole file and those on a contract or document of the file that
    `documents` selects (a hold on a document is as secret as the document), in force first."""
    shown = or_(
        LegalHold.scope == "customer",
        exists().where(covers(), LegalHold.scope != "customer", documents),
    )
    return _reads(session, and_(LegalHold.customer_id == customer.id, shown))


def holds_of_document(
    session: Session, actor: Actor, document: Document, decision: dict[str, Any]
) -> list[HoldRead]:
    """Every hold covering the document (on it, its contract or its whole file)."""
    on_it = or_(
        LegalHold.scope == "customer",
        and_(LegalHold.scope == "contract", LegalHold.contract_no == document.contract_no),
        and_(LegalHold.scope == "document", LegalHold.document_id == document.id),
    )
    found = _reads(session, and_(LegalHold.customer_id == document.customer_id, on_it))
    customer = document.customer_id
    record_search(session, actor, Action.HOLD_SEARCH, len(found), customer, decision)
    return found


def read(session: Session, hold: LegalHold) -> HoldRead:
    """One hold as the API shows it."""
    return read_rows(session, [hold])[0]


def _reads(session: Session, where: ColumnElement[bool]) -> list[HoldRead]:
    order = (LegalHold.lifted_at.is_not(None), LegalHold.created_at.desc(), LegalHold.id)
    return read_rows(
        session, list(session.scalars(select(LegalHold).where(where).order_by(*order)))
    )


def read_rows(session: Session, holds: list[LegalHold]) -> list[HoldRead]:
    """Holds as the API shows them, in the order given, with their people's and documents' names."""
    people = {h.set_by_id for h in holds} | {h.lifted_by_id for h in holds if h.lifted_by_id}
    names = dict(
        session.execute(select(User.id, User.display_name).where(User.id.in_(people))).all()
    )
    held_ids = {h.document_id for h in holds if h.document_id is not None}
    titles = dict(
        session.execute(select(Document.id, Document.title).where(Document.id.in_(held_ids))).all()
    )
    return [
        HoldRead(
            id=hold.id,
            customer_id=hold.customer_id,
            scope=hold.scope,
            contract_no=hold.contract_no,
            document_id=hold.document_id,
            document_title=titles.get(hold.document_id) if hold.document_id else None,
            reason=hold.reason,
            set_at=hold.created_at,
            set_by_id=hold.set_by_id,
            set_by_name=names[hold.set_by_id],
            active=hold.lifted_at is None,
            lifted_at=hold.lifted_at,
            lifted_by_id=hold.lifted_by_id,
            lifted_by_name=names.get(hold.lifted_by_id) if hold.lifted_by_id else None,
            lift_reason=hold.lift_reason,
        )
        for hold in holds
    ]
