"""Administration: departments, users, roles and extra policy rules (role `admin` only)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request

from access import admin
from access.schemas import (
    DepartmentCreate,
    DepartmentRead,
    PolicyRead,
    PolicyRule,
    RoleGrant,
    RoleRead,
    UserCreate,
    UserRead,
    UserUpdate,
)
from archive_api.deps import Admin, DbSession
from archive_api.events import record_done
from archive_api.schemas import MAX_OFFSET, Page
from storage.auditnames import Action

router = APIRouter(prefix="/admin", tags=["admin"])


@router.post("/departments", status_code=201)
def create_department(
    data: DepartmentCreate, request: Request, _: Admin, session: DbSession
) -> DepartmentRead:
    """Add a department."""
    department = admin.create_department(session, data)
    record_done(session, request, Action.DEPARTMENT_CREATE, {"department": str(department.id)})
    return DepartmentRead.model_validate(department)


@router.get("/departments")
def list_departments(_: Admin, session: DbSession) -> list[DepartmentRead]:
    """Every department."""
    return [DepartmentRead.model_validate(d) for d in admin.list_departments(session)]


@router.post("/users", status_code=201)
def create_user(data: UserCreate, request: Request, _: Admin, session: DbSession) -> UserRead:
    """Add a user."""
    user = admin.create_user(session, data)
    target = {"user": str(user.id), "clearance": user.clearance}
    record_done(session, request, Action.USER_CREATE, target)
    return UserRead.model_validate(user)


@router.get("/users")
def list_users(
    _: Admin,
    session: DbSession,
    q: Annotated[str | None, Query(max_length=100, description="part of a name")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page[UserRead]:
    """The users by user name, one page at a time; `q` keeps those whose user name or display
    name contains it."""
    users, total = admin.list_users(session, q, limit, offset)
    items = [UserRead.model_validate(u) for u in users]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/users/{user_id:uuid}")
def read_user(user_id: uuid.UUID, _: Admin, session: DbSession) -> UserRead:
    """One user."""
    return UserRead.model_validate(admin.get_user(session, user_id))


@router.patch("/users/{user_id:uuid}")
def update_user(
    user_id: uuid.UUID, data: UserUpdate, request: Request, actor: Admin, session: DbSession
) -> UserRead:
    """Change another user (yourself: only name, e-mail and password); a new password or
    disabling ends their sessions and tokens at once."""
    user = admin.update_user(session, admin.get_user(session, user_id), data, actor)
    # What changed, never the new password.
    changed = sorted(data.model_dump(exclude_unset=True))
    record_done(session, request, Action.USER_UPDATE, {"user": str(user_id)}, changed=changed)
    return UserRead.model_validate(user)


@router.post("/roles", status_code=201)
def grant_role(data: RoleGrant, request: Request, actor: Admin, session: DbSession) -> RoleRead:
    """Give another user a role in a department, or company-wide."""
    granted = admin.grant_role(session, data, actor)
    record_done(session, request, Action.ROLE_GRANT, granted.model_dump(mode="json"))
    return granted


@router.get("/roles")
def list_roles(_: Admin, session: DbSession, user_id: uuid.UUID | None = None) -> list[RoleRead]:
    """Role assignments."""
    return admin.list_roles(session, user_id)


@router.delete("/roles/{rule_id:int}", status_code=204)
def revoke_role(rule_id: int, request: Request, actor: Admin, session: DbSession) -> None:
    """Take a role away from another user."""
    admin.delete_rule(session, "g", rule_id, actor)
    record_done(session, request, Action.ROLE_REVOKE, {"rule": rule_id})


@router.post("/policies", status_code=201)
def add_policy(data: PolicyRule, request: Request, actor: Admin, session: DbSession) -> PolicyRead:
    """Add an extra allow or deny rule (not about yourself or a role you hold); a deny
    overrides every allow."""
    added = admin.add_policy(session, data, actor)
    record_done(session, request, Action.POLICY_ADD, added.model_dump(mode="json"))
    return added


@router.get("/policies")
def list_policies(_: Admin, session: DbSession) -> list[PolicyRead]:
    """The extra rules kept in the database."""
    return admin.list_policies(session)


@router.delete("/policies/{rule_id:int}", status_code=204)
def delete_policy(rule_id: int, request: Request, actor: Admin, session: DbSession) -> None:
    """Remove an extra rule (not about yourself or a role you hold)."""
    admin.delete_rule(session, "p", rule_id, actor)
    record_done(session, request, Action.POLICY_DELETE, {"rule": rule_id})
