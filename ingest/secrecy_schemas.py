"""Request and response shapes of secrecy proposals and of marking important customers."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ingest.schemas import Text
from storage.models import Secrecy

Reason = Annotated[Text, StringConstraints(max_length=500)]
ProposalStatus = Literal["pending", "approved", "refused"]


class ProposalCreate(BaseModel):
    """A secrecy level proposed for a customer or a document, with why."""

    model_config = ConfigDict(extra="forbid")

    secrecy: Secrecy
    reason: Reason


class ProposalDecision(BaseModel):
    """Approve (the level is applied) or refuse a proposal; refusing, and approving a lower
    level, need a reason."""

    model_config = ConfigDict(extra="forbid")

    approve: bool
    reason: Reason | None = None


class ProposalRead(BaseModel):
    """A proposal, shown only to those who may know its customer or document."""

    id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str
    document_id: uuid.UUID | None = Field(description="none: the customer's own level")
    document_title: str | None
    current: Secrecy = Field(description="the level when proposed")
    proposed: Secrecy
    reason: str
    proposed_by_id: uuid.UUID
    proposed_by: str
    status: ProposalStatus
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None
    created_at: datetime


class ProposalPage(BaseModel):
    """A page of proposals and the number of all matching."""

    items: list[ProposalRead]
    total: int
    limit: int
    offset: int


class ImportantChange(BaseModel):
    """Marking a customer important (重要客户, 004 §4.1.2) or no longer, with why."""

    model_config = ConfigDict(extra="forbid")

    important: bool
    reason: Reason
