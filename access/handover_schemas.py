"""Request and response shapes of handovers: the inventory, confirmations and custodian changes."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from access.schemas import Reason
from storage.models import (
    Capacity,
    HandoverStatus,
)


class HandoverCreate(BaseModel):
    """A departing employee's handover to a successor."""

    employee_id: uuid.UUID
    successor_id: uuid.UUID
    planned_on: date = Field(description="the planned last day")
    cross_department: bool = Field(False, description="successor from another department (admin)")


class HandoverConfirm(BaseModel):
    """A sign-off; the capacity is needed only by someone who could confirm in two."""

    capacity: Capacity | None = None


class CustodianChange(BaseModel):
    """A customer passed to another custodian outside a departure."""

    custodian_id: uuid.UUID
    reason: Reason


class Held(BaseModel):
    """Something in the employee's custody, as the handover lists it."""

    id: uuid.UUID
    label: str = Field(description="customer name, document title or borrowing number")
    customer_id: uuid.UUID | None = None
    detail: str | None = Field(None, description="code, type, mode and status, or place")
    at: datetime | None = Field(None, description="uploaded, due or expiring")


class Inventory(BaseModel):
    """Everything in an employee's custody: live while the handover is open, then frozen."""

    customers: list[Held]
    # 合同承办: contracts the employee is responsible for (absent from inventories frozen before).
    contracts: list[Held] = Field(default_factory=list)
    unfiled_documents: list[Held]
    open_borrowings: list[Held]
    originals_out: list[Held]
    tokens: list[Held]

    def open_items(self) -> list[str]:
        """What must come back before the handover can be confirmed."""
        found = []
        if self.open_borrowings:
            found.append(f"{len(self.open_borrowings)} open borrowings")
        if self.originals_out:
            found.append(f"{len(self.originals_out)} paper originals out")
        return found


class ConfirmationRead(BaseModel):
    """One sign-off."""

    model_config = ConfigDict(from_attributes=True)

    capacity: Capacity
    user_id: uuid.UUID
    created_at: datetime


class HandoverRead(BaseModel):
    """A handover with its inventory, its sign-offs and what it still waits for."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    employee_id: uuid.UUID
    successor_id: uuid.UUID
    department_id: uuid.UUID | None
    planned_on: date
    opened_by_id: uuid.UUID
    cross_department: bool
    status: HandoverStatus
    closed_reason: str | None
    created_at: datetime
    completed_at: datetime | None
    inventory: Inventory
    inventory_sha256: str | None = Field(description="SHA-256 of the frozen inventory's JSON")
    confirmations: list[ConfirmationRead]
    awaiting: list[Capacity]
    open_items: list[str]
    names: dict[uuid.UUID, str] = Field(
        default_factory=dict, description="display names of the employee, successor and signers"
    )
    my_capacities: list[Capacity] = Field(
        default_factory=list, description="the confirmations the caller may give now"
    )
    may_cancel: bool = Field(False, description="whether the caller may call it off")
