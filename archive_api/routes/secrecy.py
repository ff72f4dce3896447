"""Secrecy proposals (密级界定, 004 §5.1.5) and important customers (重要客户, 004 §4.1.2)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from archive_api.deps import Acting, Authorize, DbSession, Policy, Services
from archive_api.schemas import MAX_OFFSET
from ingest import customer_files, secrecy_proposals
from ingest.customer_schemas import CustomerDetail
from ingest.secrecy_schemas import (
    ImportantChange,
    ProposalCreate,
    ProposalDecision,
    ProposalPage,
    ProposalRead,
    ProposalStatus,
)
from storage.auditevent import record
from storage.auditnames import Action
from storage.models import Customer, Document

router = APIRouter(tags=["secrecy"])


@router.post("/customers/{customer_id:uuid}/secrecy-proposals", status_code=201)
def propose_for_customer(
    customer: Annotated[Customer, Depends(Authorize("customer", "propose_secrecy"))],
    data: ProposalCreate,
    request: Request,
    actor: Acting,
    session: DbSession,
    policy: Policy,
) -> ProposalRead:
    """Propose a level for the customer (the default of its documents), with the reason; a
    department head or the marketing director decides."""
    decision = request.state.decision
    found = secrecy_proposals.propose(session, actor, policy, customer, None, data, decision)
    return secrecy_proposals.read_models(session, [found])[0]


@router.post("/documents/{document_id:uuid}/secrecy-proposals", status_code=201)
def propose_for_document(
    document: Annotated[Document, Depends(Authorize("document", "propose_secrecy"))],
    data: ProposalCreate,
    request: Request,
    actor: Acting,
    session: DbSession,
    policy: Policy,
) -> ProposalRead:
    """Propose a level for one document, with the reason; a department head or the marketing
    director decides."""
    decision = request.state.decision
    customer = document.customer
    found = secrecy_proposals.propose(session, actor, policy, customer, document, data, decision)
    return secrecy_proposals.read_models(session, [found])[0]


@router.get("/secrecy-proposals")
def proposals(
    actor: Acting,
    session: DbSession,
    policy: Policy,
    status: ProposalStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> ProposalPage:
    """Proposals whose customer or document you may know (`status=pending`: those awaiting a
    decision), newest first."""
    items, total = secrecy_proposals.search(session, actor, policy, status, limit, offset)
    return ProposalPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/secrecy-proposals/{proposal_id:uuid}")
def proposal(
    proposal_id: uuid.UUID, actor: Acting, session: DbSession, policy: Policy
) -> ProposalRead:
    """One proposal and its decision."""
    found, decision = secrecy_proposals.proposal_of(session, policy, proposal_id)
    target = secrecy_proposals.target(found)
    record(session, actor, Action.SECRECY_PROPOSAL_READ, "success", target, decision)
    return secrecy_proposals.read_models(session, [found])[0]


@router.post("/secrecy-proposals/{proposal_id:uuid}/decision")
def decide(
    proposal_id: uuid.UUID,
    data: ProposalDecision,
    actor: Acting,
    session: DbSession,
    policy: Policy,
    services: Services,
) -> ProposalRead:
    """Approve (the level is applied) or refuse with a reason; approving a lower level needs a
    reason too; the proposer decides nothing."""
    found, decision = secrecy_proposals.proposal_of(session, policy, proposal_id, "approve_secrecy")
    now = services.clock()
    secrecy_proposals.decide(session, actor, policy, found, data, decision, now)
    return secrecy_proposals.read_models(session, [found])[0]


@router.put("/customers/{customer_id:uuid}/important")
def mark_important(
    customer: Annotated[Customer, Depends(Authorize("customer", "mark_important"))],
    data: ImportantChange,
    request: Request,
    actor: Acting,
    session: DbSession,
    policy: Policy,
) -> CustomerDetail:
    """Mark the customer important (重要客户: kept apart, listed with `important=true`) or no
    longer, with the reason kept in its history (department heads, the marketing director)."""
    decision = request.state.decision
    secrecy_proposals.mark_important(session, actor, policy, customer, data, decision)
    return customer_files.detail(session, policy, customer)
