"""Administration: departments, users, role assignments and extra policy rules.

Invariants: role assignments and rules are Casbin lines in the database, written in the
caller's unit of work together with a policy revision bump, so a change is all-or-nothing and
reaches every worker on its next request; a user who is no longer active loses every token at
once, and so does a new password; nobody who is custodian of a customer is disabled, and
departures go through a handover.

Nobody changes their own powers: an administrator's own roles, clearance, status, department,
and every extra rule naming them or a role they hold are changed by another administrator.
Administrators read no document content: nobody holds `admin` together with a role that reads
content or borrows it, and no allow rule for either is given to an administrator or a role one
holds. Every such change, allowed or refused, is an audit event (the refusals as denials).
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from access.authz import ACTIONS, bump_revision, domain, subject
from access.identity import hash_password, revoke_all
from access.powers import check_role, check_rule, check_user_change
from access.schemas import (
    DepartmentCreate,
    PolicyRead,
    PolicyRule,
    RoleGrant,
    RoleRead,
    UserCreate,
    UserUpdate,
)
from storage.db import get_one
from storage.errors import Conflict, NotFound
from storage.models import CasbinRule, Customer, Department, User, UserStatus
from storage.models.base import utcnow


class InvalidRule(Conflict):
    """A rule names something that does not exist."""

    status = 422
    code = "invalid_field"


def create_department(session: Session, data: DepartmentCreate) -> Department:
    """A new department; code and name are unique."""
    clash = select(Department.id).where(
        (Department.code == data.code) | (Department.name == data.name)
    )
    if session.scalar(clash) is not None:
        raise Conflict("a department with this code or name exists", reason="department_taken")
    department = Department(code=data.code, name=data.name)
    session.add(department)
    session.flush()
    return department


def list_departments(session: Session) -> list[Department]:
    """Every department, by code."""
    return list(session.scalars(select(Department).order_by(Department.code)))


def _department(session: Session, department_id: uuid.UUID | None) -> uuid.UUID | None:
    if department_id is not None and session.get(Department, department_id) is None:
        raise InvalidRule("department_id: no such department", reason="no_such_department")
    return department_id


def get_user(session: Session, user_id: uuid.UUID) -> User:
    """One user; raises NotFound."""
    return get_one(session, User, user_id, "user")


def create_user(session: Session, data: UserCreate) -> User:
    """A new active user."""
    if session.scalar(select(User.id).where(User.username == data.username)) is not None:
        raise Conflict("a user with this user name exists", reason="username_taken")
    user = User(
        username=data.username,
        display_name=data.display_name,
        password_hash=hash_password(data.password),
        department_id=_department(session, data.department_id),
        clearance=data.clearance,
        email=data.email,
    )
    session.add(user)
    session.flush()
    return user


def list_users(
    session: Session, search: str | None = None, limit: int = 100, offset: int = 0
) -> tuple[list[User], int]:
    """One page of the users (by user name) whose user name or display name contains `search`,
    and how many match in all."""
    where = []
    if search and search.strip():
        # A "_" or "%" typed in a name is a letter, not a wildcard.
        escaped = search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        where.append(
            User.username.ilike(pattern, escape="\\")
            | User.display_name.ilike(pattern, escape="\\")
        )
    total = session.scalar(select(func.count()).select_from(User).where(*where)) or 0
    query = select(User).where(*where).order_by(User.username).limit(limit).offset(offset)
    return list(session.scalars(query)), total


def update_user(session: Session, user: User, data: UserUpdate, actor: User) -> User:
    """Apply the given changes (never to one's own clearance, status or department).

    A new password or leaving `active` revokes every session and API token of the user at once:
    whoever held the old password may have made them. Clearance and roles are read afresh on
    every request, so changing them needs no revocation to take effect.
    """
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    check_user_change(actor.id, user.id, set(changes))
    if changes.get("status", user.status) != user.status:
        _may_leave(session, user, changes["status"])
    new_password = "password" in changes
    if new_password:
        user.password_hash = hash_password(changes.pop("password"))
    if "department_id" in changes:
        _department(session, changes["department_id"])
    for field, value in changes.items():
        setattr(user, field, value)
    if new_password or user.status != UserStatus.active:
        revoke_all(session, user.id, utcnow())
    session.flush()
    return user


def _may_leave(session: Session, user: User, status: str) -> None:
    # No customer may be left with a custodian who is not active (docs/domain.md, "Handover").
    if status == UserStatus.departed:
        raise Conflict(
            "status: departures go through a handover (POST /api/v1/handovers)",
            reason="departure_needs_handover",
        )
    held = session.scalar(select(func.count()).where(Customer.custodian_id == user.id)) or 0
    if status == UserStatus.disabled and held:
        raise Conflict(
            f"status: the user is custodian of {held} customers; pass them to another "
            "custodian or open a handover first",
            reason="custodian_not_disabled",
        )


def _rule(session: Session, ptype: str, *values: str) -> CasbinRule:
    line = dict(zip(("v0", "v1", "v2", "v3", "v4"), values, strict=False))
    existing = session.scalar(select(CasbinRule).filter_by(ptype=ptype, **line))
    if existing is not None:
        return existing
    rule = CasbinRule(ptype=ptype, **line)
    session.add(rule)
    bump_revision(session)
    return rule


def grant_role(session: Session, data: RoleGrant, actor: User) -> RoleRead:
    """Give another user a role in a department (or company-wide); granting twice is harmless."""
    get_user(session, data.user_id)
    check_role(session, actor.id, data.user_id, data.role, "grant_role")
    department_id = _department(session, data.department_id)
    rule = _rule(session, "g", subject(data.user_id), data.role, domain(department_id))
    return RoleRead(id=rule.id, **data.model_dump())


def _ids(value: str) -> uuid.UUID | None:
    return None if value == "*" else uuid.UUID(value.split(":", 1)[1])


def list_roles(session: Session, user_id: uuid.UUID | None = None) -> list[RoleRead]:
    """Role assignments, of one user or all."""
    query = select(CasbinRule).where(CasbinRule.ptype == "g").order_by(CasbinRule.id)
    if user_id is not None:
        query = query.where(CasbinRule.v0 == subject(user_id))
    return [
        RoleRead(
            id=rule.id,
            user_id=_ids(rule.v0 or ""),
            role=rule.v1,
            department_id=_ids(rule.v2 or "*"),
        )
        for rule in session.scalars(query)
    ]


def add_policy(session: Session, data: PolicyRule, actor: User) -> PolicyRead:
    """Add an extra allow or deny rule, about neither the caller nor a role the caller holds."""
    if data.action not in ACTIONS[data.object]:
        allowed = ", ".join(ACTIONS[data.object])
        raise InvalidRule(f"action: {data.object} knows only {allowed}", reason="unknown_action")
    if isinstance(data.subject, uuid.UUID):
        get_user(session, data.subject)
        who = subject(data.subject)
    else:
        who = data.subject
    check_rule(session, actor.id, who, data.object, data.action, data.effect, "add_policy")
    where = domain(_department(session, data.department_id))
    rule = _rule(session, "p", who, where, data.object, data.action, data.effect)
    return PolicyRead(id=rule.id, **data.model_dump())


def list_policies(session: Session) -> list[PolicyRead]:
    """The extra rules (the base policy lives in access/policy/policy.csv)."""
    query = select(CasbinRule).where(CasbinRule.ptype == "p").order_by(CasbinRule.id)
    return [
        PolicyRead(
            id=rule.id,
            subject=_ids(rule.v0) if (rule.v0 or "").startswith("user:") else rule.v0,  # type: ignore[arg-type]
            department_id=_ids(rule.v1 or "*"),
            object=rule.v2,
            action=rule.v3 or "",
            effect=rule.v4,
        )
        for rule in session.scalars(query)
    ]


def delete_rule(session: Session, ptype: str, rule_id: int, actor: User) -> None:
    """Remove one role assignment (`g`) or extra rule (`p`), neither of them the caller's own."""
    rule = session.get(CasbinRule, rule_id)
    if rule is None or rule.ptype != ptype:
        raise NotFound("no such rule")
    who = rule.v0 or ""
    if ptype == "g" and who.startswith("user:"):
        check_role(session, actor.id, uuid.UUID(who.removeprefix("user:")), "", "revoke_role")
    elif ptype == "p":
        check_rule(session, actor.id, who, "", "", "", "delete_policy")
    session.delete(rule)
    bump_revision(session)
