"""Retention: legal holds on a customer's file, a contract or a document, and the list of what
is due for disposal."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from archive_api.deps import Acting, Authorize, DbSession, Policy, Services
from archive_api.schemas import MAX_OFFSET
from ingest import disposal, holding
from ingest.retention_schemas import DisposalList, DisposalState, HoldCreate, HoldRead, HoldReason
from storage.models import Customer, Document

router = APIRouter(tags=["retention"])


@router.get("/customers/{customer_id:uuid}/holds")
def customer_holds(
    customer: Annotated[Customer, Depends(Authorize("customer", "read", "read_holds"))],
    request: Request,
    actor: Acting,
    session: DbSession,
    policy: Policy,
) -> list[HoldRead]:
    """The legal holds of the customer's file, its contracts and the documents you may know,
    in force first, then lifted ones as history (who, when, why)."""
    decision = request.state.decision
    return holding.holds_of_customer(session, actor, policy, customer, decision)


@router.post("/customers/{customer_id:uuid}/holds", status_code=201)
def hold_customer(
    data: HoldCreate,
    customer: Annotated[Customer, Depends(Authorize("customer", "hold"))],
    request: Request,
    actor: Acting,
    session: DbSession,
    policy: Policy,
) -> HoldRead:
    """Put the customer's whole file, or one contract (its documents carrying the number),
    under a legal hold with the reason: nothing it covers is disposed of until it is lifted."""
    decision = request.state.decision
    return holding.hold_customer(session, actor, policy, customer, data, decision)


@router.post("/customers/{customer_id:uuid}/holds/{hold_id:uuid}/lift")
def lift_customer_hold(
    hold_id: uuid.UUID,
    data: HoldReason,
    customer: Annotated[Customer, Depends(Authorize("customer", "hold", "lift_hold"))],
    request: Request,
    actor: Acting,
    session: DbSession,
    policy: Policy,
    services: Services,
) -> HoldRead:
    """Lift a hold on the file or a contract, with the reason; 409 if already lifted."""
    hold = holding.hold_of(session, hold_id, customer)
    now, decision = services.clock(), request.state.decision
    return holding.lift(session, actor, policy, hold, customer, data.reason, now, decision)


@router.get("/documents/{document_id:uuid}/holds")
def document_holds(
    document: Annotated[Document, Depends(Authorize("document", "read", "read_holds"))],
    request: Request,
    actor: Acting,
    session: DbSession,
) -> list[HoldRead]:
    """The legal holds covering the document: on it, its contract or its customer's file."""
    return holding.holds_of_document(session, actor, document, request.state.decision)


@router.post("/documents/{document_id:uuid}/holds", status_code=201)
def hold_document(
    data: HoldReason,
    document: Annotated[Document, Depends(Authorize("document", "hold"))],
    request: Request,
    actor: Acting,
    session: DbSession,
    policy: Policy,
) -> HoldRead:
    """Put one document under a legal hold, with the reason."""
    decision = request.state.decision
    return holding.hold_document(session, actor, policy, document, data.reason, decision)


@router.post("/documents/{document_id:uuid}/holds/{hold_id:uuid}/lift")
def lift_document_hold(
    hold_id: uuid.UUID,
    data: HoldReason,
    document: Annotated[Document, Depends(Authorize("document", "hold", "lift_hold"))],
    request: Request,
    actor: Acting,
    session: DbSession,
    policy: Policy,
    services: Services,
) -> HoldRead:
    """Lift a hold set on this document, with the reason; 409 if already lifted."""
    hold = holding.hold_of(session, hold_id, document)
    now, decision = services.clock(), request.state.decision
    return holding.lift(session, actor, policy, hold, document, data.reason, now, decision)


@router.get("/retention/disposal-list")
def disposal_list(
    actor: Acting,
    session: DbSession,
    policy: Policy,
    services: Services,
    state: Annotated[
        DisposalState, Query(description="due (retention passed, no hold), held, or undated")
    ] = "due",
    department_id: Annotated[uuid.UUID | None, Query(description="in this department")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> DisposalList:
    """What is due for disposal in the departments where you review retention (archivists and
    department heads), as of today: due items have passed their retention and no hold covers
    them; held ones have passed it but a hold keeps them; undated ones lack the date their
    retention counts from. Nothing is disposed of here."""
    asked = (state, department_id, limit, offset)
    return disposal.disposal_list(
        session, actor, policy, services.retention, services.today(), asked
    )
