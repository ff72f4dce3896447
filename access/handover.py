"""Handover (交接): a departing employee's custody passed to a successor, and custody changes.

Invariants: the inventory is computed live while the handover is open and frozen, with the
SHA-256 of its canonical JSON, when it completes; nobody confirms while a borrowing of the
employee is open or a paper original is out; the department head, an archivist and the successor
confirm, three different people, none of them the employee; the last confirmation, in the
caller's one transaction, moves every customer and every contract to the successor, revokes
every token of the employee and marks the account departed — so no customer is ever left with a
custodian who is not active, nor with one whose clearance is below it.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, selectinload

from access.authz import Access
from access.borrowing import documents_of, is_overdue
from access.clearance import shown_inventory
from access.errors import Forbidden
from access.handover_schemas import HandoverCreate, Held, Inventory
from access.identity import revoke_all
from access.roles import roles_in
from storage.auditlog import canonical
from storage.errors import Conflict, DanganError
from storage.models import (
    AuthToken,
    Borrowing,
    BorrowingStatus,
    BorrowMode,
    Capacity,
    Contract,
    Customer,
    Document,
    Handover,
    HandoverConfirmation,
    HandoverStatus,
    Secrecy,
    User,
    UserStatus,
)

_OPEN = ("handover", "open")


class InvalidHandover(DanganError):
    """A handover or custody change that names the wrong people."""

    status = 422
    code = "invalid_field"


class HandoverConflict(Conflict):
    """The handover is not in a state that allows this step (items still out, done already)."""

    def __init__(self, detail: str, act: str, rule: str, reason: str | None = None) -> None:
        super().__init__(detail, reason=reason)
        self.attempt, self.rule = ("handover", act), rule  # audited like a denial


def _active(session: Session, user_id: uuid.UUID, field: str) -> User:
    user = session.get(User, user_id)
    if user is None or user.status != UserStatus.active:
        raise InvalidHandover(f"{field}: not an active user")
    return user


def _may_hold(user: User, customers: list[Customer], field: str) -> None:
    # A custodian who may not know a customer exists is no custodian at all.
    above = [c for c in customers if Secrecy(c.secrecy).rank > Secrecy(user.clearance).rank]
    if above:
        raise InvalidHandover(
            f"{field}: clearance {user.clearance} is below the secrecy of {len(above)} customers",
            reason="successor_not_cleared",
        )


def _in_custody(session: Session, user_id: uuid.UUID) -> list[Customer]:
    query = select(Customer).where(Customer.custodian_id == user_id)
    return list(session.scalars(query.order_by(Customer.name, Customer.id)))


def _leaving(session: Session, *user_ids: uuid.UUID, succeeding: bool = False) -> str | None:
    # The number of an open handover in which one of these people leaves (or succeeds).
    who = Handover.successor_id if succeeding else Handover.employee_id
    query = select(Handover.number).where(Handover.status == HandoverStatus.open)
    return session.scalar(query.where(who.in_(user_ids)))


def open_handover(
    session: Session, policy: Access, data: HandoverCreate, now: datetime
) -> Handover:
    """Open a departing employee's handover (their department head, or an admin)."""
    employee = _active(session, data.employee_id, "employee_id")
    policy.require(employee.department_id, *_OPEN)
    if employee.id == policy.user.id:
        raise Forbidden("nobody opens their own handover", _OPEN, "own handover")
    successor = _active(session, data.successor_id, "successor_id")
    if successor.id == employee.id:
        raise InvalidHandover("successor_id: must be someone other than the employee")
    if successor.department_id != employee.department_id:
        if not data.cross_department:
            raise InvalidHandover("successor_id: not in the employee's department")
        if not policy.allowed(None, "admin", "manage"):
            why = "only an admin hands over to another department"
            raise Forbidden(why, _OPEN, "cross department")
    _may_hold(successor, _in_custody(session, employee.id), "successor_id")
    # Nobody leaves twice at once, nor to someone leaving, nor while taking over from another.
    busy = _leaving(session, employee.id, successor.id) or _leaving(
        session, employee.id, succeeding=True
    )
    if busy is not None:
        raise HandoverConflict(
            f"handover {busy} already involves them", "open", "handover open", "handover_under_way"
        )
    handover = Handover(
        number=f"JJ{now:%Y%m%d}-{secrets.token_hex(3).upper()}",
        employee_id=employee.id,
        successor_id=successor.id,
        department_id=employee.department_id,
        planned_on=data.planned_on,
        opened_by_id=policy.user.id,
        cross_department=successor.department_id != employee.department_id,
        created_at=now,
    )
    session.add(handover)
    session.flush()
    return handover


def inventory(session: Session, employee_id: uuid.UUID, now: datetime) -> Inventory:
    """Everything in the employee's custody now."""
    customers = [
        Held(id=c.id, label=c.name, customer_id=c.id, detail=f"{c.uscc} · {c.secrecy}")
        for c in _in_custody(session, employee_id)
    ]
    responsible = session.scalars(
        select(Contract)
        .where(Contract.custodian_id == employee_id)
        .order_by(Contract.year, Contract.serial, Contract.number)
    )
    contracts = [
        Held(id=c.id, label=f"{c.number} {c.title}", customer_id=c.customer_id, detail=c.status)
        for c in responsible
    ]
    unfiled = session.scalars(
        select(Document)
        .where(Document.created_by_id == employee_id, Document.filed_at.is_(None))
        .order_by(Document.created_at)
    )
    documents = [
        Held(id=d.id, label=d.title, customer_id=d.customer_id, detail=d.doc_type, at=d.created_at)
        for d in unfiled
    ]
    loans = session.scalars(
        select(Borrowing)
        .options(selectinload(Borrowing.documents))
        .where(
            Borrowing.requester_id == employee_id,
            Borrowing.status.in_([BorrowingStatus.pending, BorrowingStatus.approved]),
        )
        .order_by(Borrowing.created_at)
    ).all()
    borrowings, originals = [], []
    for b in loans:
        if b.mode == BorrowMode.physical and b.out_at is not None:
            originals += [
                Held(
                    id=d.id,
                    label=d.title,
                    customer_id=d.customer_id,
                    detail=f"{b.number} · {d.original_cabinet}/{d.original_shelf}/{d.original_box}",
                    at=b.due_at,
                )
                for d in documents_of(session, b)
            ]
        else:
            state = "overdue" if is_overdue(b, now) else b.status
            detail = f"{b.mode} · {state}"
            borrowings.append(
                Held(id=b.id, label=b.number, customer_id=b.customer_id, detail=detail, at=b.due_at)
            )
    live = select(AuthToken).where(
        AuthToken.user_id == employee_id,
        AuthToken.revoked_at.is_(None),
        or_(AuthToken.expires_at.is_(None), AuthToken.expires_at > now),
    )
    tokens = [
        Held(id=t.id, label=t.name or t.kind, detail=t.kind, at=t.expires_at)
        for t in session.scalars(live.order_by(AuthToken.created_at))
    ]
    return Inventory(
        customers=customers,
        contracts=contracts,
        unfiled_documents=documents,
        open_borrowings=borrowings,
        originals_out=originals,
        tokens=tokens,
    )


def current_inventory(session: Session, handover: Handover, now: datetime) -> Inventory:
    """The frozen inventory of a completed handover, the live one otherwise."""
    if handover.inventory is not None:
        return Inventory.model_validate(handover.inventory)
    return inventory(session, handover.employee_id, now)


def capacities(session: Session, handover: Handover, user_id: uuid.UUID) -> list[Capacity]:
    """In which capacities the user may confirm this handover (never the employee)."""
    if user_id == handover.employee_id:
        return []
    roles = roles_in(session, user_id, handover.department_id)
    found = [Capacity(r) for r in (Capacity.dept_head, Capacity.archivist) if r in roles]
    return [*found, Capacity.successor] if user_id == handover.successor_id else found


def awaiting(handover: Handover) -> list[Capacity]:
    """The confirmations still missing."""
    given = {c.capacity for c in handover.confirmations}
    return [c for c in Capacity if c not in given] if handover.status == HandoverStatus.open else []


def may_see(session: Session, policy: Access, handover: Handover) -> bool:
    """Whether the user is a party to the handover or may open one in its department."""
    user_id = policy.user.id
    return (
        user_id in (handover.employee_id, handover.opened_by_id)
        or bool(capacities(session, handover, user_id))
        or policy.allowed(handover.department_id, *_OPEN)
    )


def confirm(
    session: Session,
    policy: Access,
    handover: Handover,
    capacity: Capacity | None,
    now: datetime,
) -> bool:
    """Give one confirmation; True when it was the last and the handover completed."""
    if handover.status != HandoverStatus.open:
        why = f"is {handover.status}: nothing to confirm"
        raise HandoverConflict(f"handover {handover.number} {why}", "confirm", why)
    user_id, attempt = policy.user.id, ("handover", "confirm")
    mine = capacities(session, handover, user_id)
    if any(c.user_id == user_id for c in handover.confirmations):
        raise Forbidden("one person confirms a handover once", attempt, "second confirmation")
    left = [c for c in awaiting(handover) if c in mine and capacity in (None, c)]
    if not left:
        why = "the department head, an archivist and the successor confirm"
        raise Forbidden(f"nothing for you to confirm: {why}", attempt, "not a confirmer")
    items = inventory(session, handover.employee_id, now)
    if items.open_items():
        # Counted as the confirmer may see them: a hidden item is not named, even by number.
        shown = shown_inventory(session, policy, items).open_items()
        why = f"still has {' and '.join(shown) or 'items out'}: bring them back first"
        raise HandoverConflict(
            f"handover {handover.number} {why}", "confirm", "items open", "handover_items_open"
        )
    handover.confirmations.append(
        HandoverConfirmation(capacity=left[0], user_id=user_id, created_at=now)
    )
    done = not awaiting(handover)
    if done:
        _complete(session, handover, items, now)
    session.flush()
    return done


def _complete(session: Session, handover: Handover, items: Inventory, now: datetime) -> None:
    successor = _active(session, handover.successor_id, "successor_id")
    _may_hold(successor, _in_custody(session, handover.employee_id), "successor_id")
    for custody in (Customer, Contract):  # the contracts' hand-over deadlines go to them too
        session.execute(
            update(custody)
            .where(custody.custodian_id == handover.employee_id)
            .values(custodian_id=successor.id)
        )
    revoke_all(session, handover.employee_id, now)
    session.get_one(User, handover.employee_id).status = UserStatus.departed
    frozen = items.model_dump(mode="json")
    handover.inventory = frozen
    handover.inventory_sha256 = hashlib.sha256(canonical(frozen)).hexdigest()
    handover.status, handover.completed_at = HandoverStatus.completed, now


def reassign(session: Session, customer: Customer, custodian_id: uuid.UUID) -> uuid.UUID:
    """Pass one customer to another active custodian of its department; returns the former."""
    custodian = _active(session, custodian_id, "custodian_id")
    if custodian.id == customer.custodian_id:
        raise InvalidHandover("custodian_id: already the custodian")
    problem = custodian.custody_problem(customer.department_id, customer.secrecy)
    if problem is not None:
        raise InvalidHandover(f"custodian_id: {problem}")
    if _leaving(session, custodian.id) is not None:
        raise InvalidHandover("custodian_id: their own handover is under way")
    former, customer.custodian_id = customer.custodian_id, custodian.id
    session.flush()
    return former
