"""Who a handover concerns: the handovers a user may see, and whom a department head may name.

Invariants: `seen_by` is `handover.may_see` as one SQL condition (a test holds them together),
so a list can be paginated in the database; the people are searched only in departments where
the caller may open a handover, so nobody learns of colleagues outside them; the people offered
agree with `open_handover`, which still decides: active, in no open handover, not the caller as
the employee, and a successor of the employee's department cleared for every customer they keep.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, false, func, or_, select, true
from sqlalchemy.orm import Session

from access.authz import Access
from access.errors import Forbidden, Hidden
from access.roles import roles_held
from storage.models import Customer, Department, Handover, HandoverStatus, Secrecy, User, UserStatus

_OPEN = ("handover", "open")


def _open_handover_parties() -> ColumnElement[bool]:
    # Nobody leaves twice at once, nor to someone leaving, nor while taking over from another.
    running = select(Handover.employee_id, Handover.successor_id).where(
        Handover.status == HandoverStatus.open
    )
    taken = running.subquery()
    return or_(User.id.in_(select(taken.c.employee_id)), User.id.in_(select(taken.c.successor_id)))


def _departments(session: Session, policy: Access) -> list[uuid.UUID]:
    every = session.scalars(select(Department.id))
    return [d for d in every if policy.allowed(d, *_OPEN)]


def _named(query_text: str | None) -> ColumnElement[bool] | None:
    if not query_text:
        return None
    pattern = f"%{query_text}%"
    return or_(User.display_name.ilike(pattern), User.username.ilike(pattern))


def candidates(
    session: Session,
    policy: Access,
    employee_id: uuid.UUID | None,
    text: str | None,
    limit: int,
    offset: int,
) -> tuple[list[User], int]:
    """Who may leave (no employee given), or who may take over the employee's files."""
    where = _departments(session, policy)
    if not where:
        raise Forbidden("only a department head or an admin opens a handover", _OPEN, "no rule")
    conditions = [User.status == UserStatus.active, ~_open_handover_parties()]
    if employee_id is None:
        conditions += [User.department_id.in_(where), User.id != policy.user.id]
    else:
        employee = session.get(User, employee_id)
        if employee is None or employee.department_id not in where:
            raise Hidden("no such employee", _OPEN, "not in a department you lead")
        levels = session.scalars(
            select(Customer.secrecy).where(Customer.custodian_id == employee.id).distinct()
        )
        highest = max((Secrecy(level).rank for level in levels), default=0)
        cleared = [s.value for s in Secrecy if s.rank >= highest]
        conditions += [
            User.department_id == employee.department_id,
            User.id != employee.id,
            User.clearance.in_(cleared),
        ]
    named = _named(text)
    if named is not None:
        conditions.append(named)
    total = session.scalar(select(func.count()).select_from(User).where(*conditions)) or 0
    query = select(User).where(*conditions).order_by(User.display_name, User.id)
    return list(session.scalars(query.limit(limit).offset(offset))), total


def _in(departments: list[uuid.UUID], company: bool) -> ColumnElement[bool]:
    # A company-wide power reaches every department, and handovers of people without one.
    if company:
        return true()
    return Handover.department_id.in_(departments) if departments else false()


def seen_by(session: Session, policy: Access) -> ColumnElement[bool]:
    """The handovers the user is a party to, may confirm, or may open in their department."""
    user = policy.user
    held = roles_held(session, user)
    confirming = [d for role, d in held if role in ("dept_head", "archivist") and d is not None]
    company = any(role in ("dept_head", "archivist") and d is None for role, d in held)
    confirmer = _in(confirming, company) & (Handover.employee_id != user.id)
    # Asked department by department: a denial in one must hold even for a company-wide head.
    opener: ColumnElement[bool] = Handover.department_id.in_(_departments(session, policy))
    if policy.allowed(None, *_OPEN):
        opener = opener | Handover.department_id.is_(None)
    return or_(
        Handover.employee_id == user.id,
        Handover.opened_by_id == user.id,
        Handover.successor_id == user.id,
        confirmer,
        opener,
    )


def names_of(session: Session, user_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Display names of the people a handover names."""
    query = select(User.id, User.display_name).where(User.id.in_(user_ids))
    return dict(session.execute(query).all())
