"""Request and response shapes of the administration API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from storage.models import Secrecy, UserStatus

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Role = Literal[
    "sales",
    "sales_manager",
    "credit_manager",
    "archivist",
    "dept_head",
    "marketing_director",
    "auditor",
    "admin",
]
Password = Annotated[str, StringConstraints(min_length=12, max_length=200)]


class DepartmentCreate(BaseModel):
    """A new department."""

    code: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$")]
    name: Name


class DepartmentRead(BaseModel):
    """A department."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    name: str


class UserCreate(BaseModel):
    """A new user; the password is set by the administrator and changed by the user."""

    username: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]{2,64}$")]
    display_name: Name
    password: Password
    department_id: uuid.UUID | None = None
    clearance: Secrecy = Secrecy.internal


class UserUpdate(BaseModel):
    """Changes to a user; fields left out stay as they are."""

    display_name: Name | None = None
    password: Password | None = None
    department_id: uuid.UUID | None = None
    clearance: Secrecy | None = None
    status: UserStatus | None = None


class UserRead(BaseModel):
    """A user as administrators see it (never the password hash)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    username: str
    display_name: str
    department_id: uuid.UUID | None
    clearance: Secrecy
    status: UserStatus
    created_at: datetime


class RoleGrant(BaseModel):
    """A role held by a user in one department, or company-wide when no department is given."""

    user_id: uuid.UUID
    role: Role
    department_id: uuid.UUID | None = None


class RoleRead(RoleGrant):
    """A role assignment with the id to revoke it by."""

    id: int


class PolicyRule(BaseModel):
    """An extra rule: a role (or one user) may, or may not, act on a kind of object."""

    subject: Role | uuid.UUID = Field(description="a role name, or a user id")
    department_id: uuid.UUID | None = Field(None, description="none: every department")
    object: Literal["customer", "document", "admin", "audit"]
    action: Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,32}$")]
    effect: Literal["allow", "deny"]


class PolicyRead(PolicyRule):
    """An extra rule with the id to delete it by."""

    id: int
