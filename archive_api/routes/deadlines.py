"""Upkeep deadlines: a customer file's, and the caller's own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from archive_api.deps import Acting, Authorize, DbSession, Policy, Services
from ingest import deadline_reading
from ingest.completeness_schemas import DeadlineRead
from storage.models import Customer

router = APIRouter(tags=["customers"])


@router.get("/customers/{customer_id:uuid}/deadlines")
def customer_deadlines(
    customer: Annotated[Customer, Depends(Authorize("customer", "read", "read_deadlines"))],
    request: Request,
    actor: Acting,
    session: DbSession,
    services: Services,
    policy: Policy,
) -> list[DeadlineRead]:
    """The customer file's open deadlines (a license's end, a year's statements, a re-review
    by grade), the soonest first, as the daily round found them; only those drawn from what
    you may see."""
    return deadline_reading.of_customer(
        session, actor, policy, customer, services.today(), request.state.decision
    )


@router.get("/deadlines/mine")
def my_deadlines(
    actor: Acting, session: DbSession, services: Services, policy: Policy
) -> list[DeadlineRead]:
    """The open deadlines of the customer files you keep or head the department of, the
    soonest first, among those you may see."""
    return deadline_reading.mine(session, actor, policy, services.today())
