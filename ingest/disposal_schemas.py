"""Request and response shapes of disposal: the request, the decisions, the items' fates."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ingest.customer_schemas import Reason
from storage.models import DocType, Secrecy

DisposalStatus = Literal["pending", "approved", "refused", "executing", "executed"]
ApproverRole = Literal["archivist", "dept_head"]
# Both approve, in either order; never the requester, and not one person twice.
APPROVERS: tuple[ApproverRole, ...] = ("archivist", "dept_head")


class DisposalCreate(BaseModel):
    """Documents from the due list, all of one department, to be disposed of, and why."""

    model_config = ConfigDict(extra="forbid")

    document_ids: list[uuid.UUID] = Field(min_length=1, max_length=500)
    reason: Reason


class DisposalDecision(BaseModel):
    """An approval (the reason optional) or a refusal (the reason required)."""

    model_config = ConfigDict(extra="forbid")

    approve: bool
    reason: Reason | None = None


class DisposedVersion(BaseModel):
    """A disposed version as its tombstone keeps it."""

    version: int
    size: int
    sha256: str


class DisposalItemRead(BaseModel):
    """One document of a disposal; its title only while it is not disposed of."""

    document_id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str
    doc_type: DocType
    title: str | None
    secrecy: Secrecy
    outcome: Literal["disposed", "held", "not_due"] | None = Field(
        description="none until executed; held or not_due when that kept it at execution"
    )
    versions: list[DisposedVersion]
    kept_until: datetime | None = Field(
        description="the store's Object Lock keeps the (undecryptable) object until then"
    )


class DisposalApprovalRead(BaseModel):
    """One decision: who, in which capacity, when, and why."""

    role: ApproverRole
    approver_id: uuid.UUID
    approver_name: str
    approved: bool
    reason: str | None
    decided_at: datetime


class DisposalRead(BaseModel):
    """A disposal request: its items, approvals, and, once executed, its certificate's hash."""

    id: uuid.UUID
    number: str
    department_id: uuid.UUID
    requester_id: uuid.UUID
    requester_name: str
    reason: str
    secrecy: Secrecy
    status: DisposalStatus
    refusal: str | None
    awaiting: list[ApproverRole]
    approvals: list[DisposalApprovalRead]
    items: list[DisposalItemRead]
    created_at: datetime
    executed_at: datetime | None
    executed_by_id: uuid.UUID | None
    executed_by_name: str | None
    certificate_sha256: str | None


class DisposalPage(BaseModel):
    """One page of disposal requests, newest first."""

    items: list[DisposalRead]
    total: int
    limit: int
    offset: int
