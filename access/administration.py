"""The administrator's steps: departments, users, roles and extra policy rules.

Each step asks the policy itself whether the caller administers (so the CLI and workers are
refused as the API is), acts with `access.admin`'s rules, and records its one audit event in
the caller's transaction with the rule that allowed it.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from access import admin
from access.authz import Access
from access.schemas import (
    DepartmentCreate,
    PolicyRead,
    PolicyRule,
    RoleGrant,
    RoleRead,
    UserCreate,
    UserUpdate,
)
from storage.auditevent import Actor, record
from storage.auditnames import Action
from storage.models import Department, User


def _allowed(policy: Access) -> dict[str, Any]:
    # The decision the administrators' door finds: refused (403) unless the caller administers.
    return {"effect": "allow", "rule": policy.require(None, "admin", "manage")}


def create_department(
    session: Session, actor: Actor, policy: Access, data: DepartmentCreate
) -> Department:
    """Add a department."""
    decision = _allowed(policy)
    department = admin.create_department(session, data)
    target = {"department": str(department.id)}
    record(session, actor, Action.DEPARTMENT_CREATE, "success", target, decision)
    return department


def create_user(session: Session, actor: Actor, policy: Access, data: UserCreate) -> User:
    """Add a user."""
    decision = _allowed(policy)
    user = admin.create_user(session, data)
    target = {"user": str(user.id), "clearance": user.clearance}
    record(session, actor, Action.USER_CREATE, "success", target, decision)
    return user


def update_user(
    session: Session, actor: Actor, policy: Access, user_id: uuid.UUID, data: UserUpdate
) -> User:
    """Change another user (oneself: only name, e-mail and password); a new password or
    disabling ends their sessions and tokens at once."""
    decision = _allowed(policy)
    user = admin.update_user(session, admin.get_user(session, user_id), data, policy.user)
    # What changed, never the new password.
    changed = sorted(data.model_dump(exclude_unset=True))
    target = {"user": str(user_id)}
    record(session, actor, Action.USER_UPDATE, "success", target, decision, changed=changed)
    return user


def grant_role(session: Session, actor: Actor, policy: Access, data: RoleGrant) -> RoleRead:
    """Give another user a role in a department, or company-wide."""
    decision = _allowed(policy)
    granted = admin.grant_role(session, data, policy.user)
    target = granted.model_dump(mode="json")
    record(session, actor, Action.ROLE_GRANT, "success", target, decision)
    return granted


def revoke_role(session: Session, actor: Actor, policy: Access, rule_id: int) -> None:
    """Take a role away from another user."""
    decision = _allowed(policy)
    admin.delete_rule(session, "g", rule_id, policy.user)
    record(session, actor, Action.ROLE_REVOKE, "success", {"rule": rule_id}, decision)


def add_policy(session: Session, actor: Actor, policy: Access, data: PolicyRule) -> PolicyRead:
    """Add an extra allow or deny rule (not about oneself or a role one holds)."""
    decision = _allowed(policy)
    added = admin.add_policy(session, data, policy.user)
    target = added.model_dump(mode="json")
    record(session, actor, Action.POLICY_ADD, "success", target, decision)
    return added


def delete_policy(session: Session, actor: Actor, policy: Access, rule_id: int) -> None:
    """Remove an extra rule (not about oneself or a role one holds)."""
    decision = _allowed(policy)
    admin.delete_rule(session, "p", rule_id, policy.user)
    record(session, actor, Action.POLICY_DELETE, "success", {"rule": rule_id}, decision)
