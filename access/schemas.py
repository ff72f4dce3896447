"""Request and response shapes of administration, borrowing and handover."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from storage.models import (
    BorrowingStatus,
    BorrowMode,
    Secrecy,
    UserStatus,
)

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
    email: EmailStr | None = None


class UserUpdate(BaseModel):
    """Changes to a user; fields left out stay as they are."""

    display_name: Name | None = None
    password: Password | None = None
    department_id: uuid.UUID | None = None
    clearance: Secrecy | None = None
    status: UserStatus | None = None
    email: EmailStr | None = None


class UserRead(BaseModel):
    """A user as administrators see it (never the password hash)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    username: str
    display_name: str
    department_id: uuid.UUID | None
    clearance: Secrecy
    status: UserStatus
    email: str | None
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
    object: Literal["customer", "document", "borrowing", "handover", "admin", "audit"]
    action: Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,32}$")]
    effect: Literal["allow", "deny"]


class PolicyRead(PolicyRule):
    """An extra rule with the id to delete it by."""

    id: int


Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class BorrowingCreate(BaseModel):
    """A request to borrow a customer's whole file (no documents named) or chosen documents."""

    customer_id: uuid.UUID
    document_ids: list[uuid.UUID] = Field(default_factory=list, max_length=500)
    purpose: Reason
    external: bool = Field(False, description="the data is to be given outside the company")
    mode: BorrowMode
    hours: int = Field(ge=1, le=24 * 366, description="how long, from hand-out")


class Decision(BaseModel):
    """An approver's or archivist's note: required to reject or revoke, optional otherwise."""

    reason: Reason | None = None


class Extension(BaseModel):
    """More time for a borrowing, approved again like the request."""

    hours: int = Field(ge=1, le=24 * 366)


class PersonRef(BaseModel):
    """A person named on a page: who asked, who approved, who is awaited."""

    id: uuid.UUID
    display_name: str


class BorrowedDocument(BaseModel):
    """A document chosen in a borrowing, by its title."""

    id: uuid.UUID
    title: str
    doc_type: str


class BorrowingTerms(BaseModel):
    """What a request would be decided by: the rule, its approvers, modes and longest time."""

    rule: str
    approver_roles: list[str]
    modes: list[BorrowMode]
    longest_hours: int
    same_day: bool = Field(description="the grant also ends at midnight of the day it opens")
    secrecy: Secrecy = Field(description="the highest level among the documents asked for")


class ApprovalRead(BaseModel):
    """One approver's decision."""

    model_config = ConfigDict(from_attributes=True)

    round: int
    step: int
    role: str
    approver_id: uuid.UUID
    approver_name: str
    approved: bool
    reason: str | None
    created_at: datetime


class BorrowingRead(BaseModel):
    """A borrowing as its requester, approvers and archivists see it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    requester_id: uuid.UUID
    requester_name: str
    customer_id: uuid.UUID
    customer_name: str
    whole_file: bool
    document_ids: list[uuid.UUID]
    documents: list[BorrowedDocument] = Field(description="the chosen documents (none: whole file)")
    purpose: str
    external: bool
    mode: BorrowMode
    hours: int
    secrecy: Secrecy
    rule: str
    approver_roles: list[str]
    status: BorrowingStatus
    overdue: bool
    waiting_for: str | None = Field(description="the role whose approval is awaited")
    awaited: list[PersonRef] = Field(description="the people who may take the awaited step")
    round: int = Field(description="the round of approval: 1, then one more per extension")
    longest_hours: int = Field(description="the most hours the rule allows, extensions included")
    same_day: bool
    extension_hours: int | None
    created_at: datetime
    out_at: datetime | None
    due_at: datetime | None
    returned_at: datetime | None
    closed_reason: str | None
    approvals: list[ApprovalRead]


class NotificationRead(BaseModel):
    """A message for the signed-in user."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str
    subject: str
    body: str
    borrowing_id: uuid.UUID | None
    handover_id: uuid.UUID | None
    deadline_id: uuid.UUID | None
    created_at: datetime
    read_at: datetime | None


class PersonRead(BaseModel):
    """A colleague to choose: who may leave or succeed, or whose actions an auditor looks for."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    username: str
    display_name: str
    department_id: uuid.UUID | None
    clearance: Secrecy


class IncidentRead(BaseModel):
    """An incident the archive follows up (a paper original marked missing)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str
    customer_id: uuid.UUID
    document_id: uuid.UUID
    borrowing_id: uuid.UUID | None
    reported_by_id: uuid.UUID
    reason: str
    created_at: datetime
    resolved_at: datetime | None
    resolved_by_id: uuid.UUID | None
    resolution: str | None
    customer_name: str
    document_title: str
    borrowing_number: str | None
    reported_by_name: str
