"""Administration: departments, users, roles and extra policy rules (role `admin` only)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from access import admin, administration
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
from archive_api.deps import Acting, Admin, DbSession, Policy
from archive_api.schemas import MAX_OFFSET, Page
from ingest.schemas import Typed

router = APIRouter(prefix="/admin", tags=["admin"])


@router.post("/departments", status_code=201)
def create_department(
    data: DepartmentCreate, _: Admin, actor: Acting, session: DbSession, policy: Policy
) -> DepartmentRead:
    """Add a department."""
    department = administration.create_department(session, actor, policy, data)
    return DepartmentRead.model_validate(department)


@router.get("/departments")
def list_departments(_: Admin, session: DbSession) -> list[DepartmentRead]:
    """Every department."""
    return [DepartmentRead.model_validate(d) for d in admin.list_departments(session)]


@router.post("/users", status_code=201)
def create_user(
    data: UserCreate, _: Admin, actor: Acting, session: DbSession, policy: Policy
) -> UserRead:
    """Add a user."""
    user = administration.create_user(session, actor, policy, data)
    return UserRead.model_validate(user)


@router.get("/users")
def list_users(
    _: Admin,
    session: DbSession,
    q: Annotated[Typed | None, Query(max_length=100, description="part of a name")] = None,
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
    user_id: uuid.UUID,
    data: UserUpdate,
    _: Admin,
    actor: Acting,
    session: DbSession,
    policy: Policy,
) -> UserRead:
    """Change another user (yourself: only name, e-mail and password); a new password or
    disabling ends their sessions and tokens at once."""
    user = administration.update_user(session, actor, policy, user_id, data)
    return UserRead.model_validate(user)


@router.post("/roles", status_code=201)
def grant_role(
    data: RoleGrant, _: Admin, actor: Acting, session: DbSession, policy: Policy
) -> RoleRead:
    """Give another user a role in a department, or company-wide."""
    return administration.grant_role(session, actor, policy, data)


@router.get("/roles")
def list_roles(_: Admin, session: DbSession, user_id: uuid.UUID | None = None) -> list[RoleRead]:
    """Role assignments."""
    return admin.list_roles(session, user_id)


@router.delete("/roles/{rule_id:int}", status_code=204)
def revoke_role(rule_id: int, _: Admin, actor: Acting, session: DbSession, policy: Policy) -> None:
    """Take a role away from another user."""
    administration.revoke_role(session, actor, policy, rule_id)


@router.post("/policies", status_code=201)
def add_policy(
    data: PolicyRule, _: Admin, actor: Acting, session: DbSession, policy: Policy
) -> PolicyRead:
    """Add an extra allow or deny rule (not about yourself or a role you hold); a deny
    overrides every allow."""
    return administration.add_policy(session, actor, policy, data)


@router.get("/policies")
def list_policies(_: Admin, session: DbSession) -> list[PolicyRead]:
    """The extra rules kept in the database."""
    return admin.list_policies(session)


@router.delete("/policies/{rule_id:int}", status_code=204)
def delete_policy(
    rule_id: int, _: Admin, actor: Acting, session: DbSession, policy: Policy
) -> None:
    """Remove an extra rule (not about yourself or a role you hold)."""
    administration.delete_policy(session, actor, policy, rule_id)
