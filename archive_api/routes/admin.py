"""Administration: departments, users, roles and extra policy rules (role `admin` only)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

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

router = APIRouter(prefix="/admin", tags=["admin"])


@router.post("/departments", status_code=201)
def create_department(data: DepartmentCreate, _: Admin, session: DbSession) -> DepartmentRead:
    """Add a department."""
    return DepartmentRead.model_validate(admin.create_department(session, data))


@router.get("/departments")
def list_departments(_: Admin, session: DbSession) -> list[DepartmentRead]:
    """Every department."""
    return [DepartmentRead.model_validate(d) for d in admin.list_departments(session)]


@router.post("/users", status_code=201)
def create_user(data: UserCreate, _: Admin, session: DbSession) -> UserRead:
    """Add a user."""
    return UserRead.model_validate(admin.create_user(session, data))


@router.get("/users")
def list_users(_: Admin, session: DbSession) -> list[UserRead]:
    """Every user."""
    return [UserRead.model_validate(u) for u in admin.list_users(session)]


@router.patch("/users/{user_id}")
def update_user(user_id: uuid.UUID, data: UserUpdate, _: Admin, session: DbSession) -> UserRead:
    """Change a user; disabling or marking departed ends their sessions and tokens at once."""
    user = admin.update_user(session, admin.get_user(session, user_id), data)
    return UserRead.model_validate(user)


@router.post("/roles", status_code=201)
def grant_role(data: RoleGrant, _: Admin, session: DbSession) -> RoleRead:
    """Give a user a role in a department, or company-wide."""
    return admin.grant_role(session, data)


@router.get("/roles")
def list_roles(_: Admin, session: DbSession, user_id: uuid.UUID | None = None) -> list[RoleRead]:
    """Role assignments."""
    return admin.list_roles(session, user_id)


@router.delete("/roles/{rule_id}", status_code=204)
def revoke_role(rule_id: int, _: Admin, session: DbSession) -> None:
    """Take a role away."""
    admin.delete_rule(session, "g", rule_id)


@router.post("/policies", status_code=201)
def add_policy(data: PolicyRule, _: Admin, session: DbSession) -> PolicyRead:
    """Add an extra allow or deny rule; a deny overrides every allow."""
    return admin.add_policy(session, data)


@router.get("/policies")
def list_policies(_: Admin, session: DbSession) -> list[PolicyRead]:
    """The extra rules kept in the database."""
    return admin.list_policies(session)


@router.delete("/policies/{rule_id}", status_code=204)
def delete_policy(rule_id: int, _: Admin, session: DbSession) -> None:
    """Remove an extra rule."""
    admin.delete_rule(session, "p", rule_id)
