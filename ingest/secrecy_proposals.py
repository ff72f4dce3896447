"""Secrecy proposals (密级界定, 004 §5.1.5): those who collect and keep a file propose a level
for a customer or one of its documents with a reason; a department head or the marketing
director approves it (the level is applied) or refuses it with a reason, never the proposer.

A proposal is known only to those who may know its subject at the subject's level now: one on a
document raised above someone's clearance disappears from their list with the document.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ingest.customer_history import record_change
from ingest.documents import change_secrecy as set_level
from ingest.errors import AboveClearance, InvalidField, RoleRequired
from ingest.rights import Rights
from ingest.secrecy_schemas import ImportantChange, ProposalCreate, ProposalDecision, ProposalRead
from storage.auditevent import Actor, customer_target, document_target, record, record_search
from storage.auditnames import Action
from storage.errors import Conflict, NotFound
from storage.models import Customer, Document, Secrecy, SecrecyProposal, User


def _subject(proposal: SecrecyProposal) -> tuple[str, str]:
    # What the proposal is about, as the policy names it, and that subject's level now.
    if proposal.document is not None:
        return "document", proposal.document.secrecy
    return "customer", proposal.customer.secrecy


def target(proposal: SecrecyProposal) -> dict[str, Any]:
    """The audit target of a proposal: its subject, and itself."""
    found = proposal.document
    subject = document_target(found) if found else customer_target(proposal.customer)
    return {**subject, "proposal": str(proposal.id)}


def propose(
    session: Session,
    actor: Actor,
    rights: Rights,
    customer: Customer,
    document: Document | None,
    data: ProposalCreate,
    decision: dict[str, Any],
) -> SecrecyProposal:
    """Propose a level for the customer (`document` None) or one of its documents."""
    obj = "document" if document else "customer"
    if document is not None and document.disposal_id is not None:
        raise Conflict("the document was disposed of: it has no level to change")
    current = document.secrecy if document else customer.secrecy
    if data.secrecy == current:
        raise InvalidField(f"secrecy: the {obj} is already {current}")
    _within_clearance(rights, obj, "propose_secrecy", data.secrecy)
    subject = (
        SecrecyProposal.document_id == document.id
        if document
        else and_(SecrecyProposal.customer_id == customer.id, SecrecyProposal.document_id.is_(None))
    )
    waiting = select(SecrecyProposal.id).where(subject, SecrecyProposal.status == "pending")
    if session.scalar(waiting.limit(1)) is not None:
        raise Conflict(f"a proposal of this {obj}'s level awaits a decision", reason="pending")
    proposal = SecrecyProposal(
        customer=customer, document=document, current=current, proposed=data.secrecy,
        reason=data.reason, proposed_by_id=rights.user.id, status="pending",
    )  # fmt: skip
    session.add(proposal)
    session.flush()
    record(
        session, actor, Action.SECRECY_PROPOSE, "success", target(proposal), decision,
        current=current, proposed=data.secrecy, reason=data.reason,
    )  # fmt: skip
    return proposal


def proposal_of(
    session: Session, rights: Rights, proposal_id: uuid.UUID, act: str = "read"
) -> tuple[SecrecyProposal, dict[str, Any]]:
    """A proposal whose subject the caller may know (else 404) and `act` on (else 403)."""
    proposal = session.get(
        SecrecyProposal,
        proposal_id,
        # Loaded apart: PostgreSQL locks no row on the nullable side of an outer join.
        options=[selectinload(SecrecyProposal.customer), selectinload(SecrecyProposal.document)],
        # Two deciders at once must not both decide it.
        with_for_update=act != "read",
    )
    if proposal is None:
        raise NotFound("no such proposal")
    obj, level = _subject(proposal)
    try:
        rule = rights.require_known(proposal.customer.department_id, obj, act, level)
    except NotFound as hidden:
        hidden.detail = "no such proposal"  # never which customer or document it was about
        raise
    return proposal, {"effect": "allow", "rule": rule}


def decide(
    session: Session,
    actor: Actor,
    rights: Rights,
    proposal: SecrecyProposal,
    data: ProposalDecision,
    decision: dict[str, Any],
    now: datetime,
) -> SecrecyProposal:
    """Approve (apply the level) or refuse with a reason; the proposer decides nothing."""
    obj, level = _subject(proposal)
    if proposal.status != "pending":
        raise Conflict(f"the proposal is {proposal.status}: nothing awaits", reason="decided")
    if proposal.proposed_by_id == rights.user.id:
        raise RoleRequired(
            "nobody decides their own proposal", (obj, "approve_secrecy"), "own proposal",
            reason="own_proposal",
        )  # fmt: skip
    if level != proposal.current:
        raise Conflict("the level changed since it was proposed", reason="level_changed")
    lowering = Secrecy(proposal.proposed).rank < Secrecy(level).rank
    if data.reason is None and (not data.approve or lowering):
        why = "to refuse" if not data.approve else "when lowering a secrecy level"
        raise InvalidField(f"reason: required {why}")
    if data.approve:
        _within_clearance(rights, obj, "approve_secrecy", proposal.proposed)
        department = proposal.customer.department_id
        rights.require(department, obj, "approve_secrecy", proposal.proposed)
        _apply(session, rights, proposal, data.reason or proposal.reason)
    proposal.status = "approved" if data.approve else "refused"
    proposal.decided_by_id, proposal.decided_at = rights.user.id, now
    proposal.decision_reason = data.reason
    action = Action.SECRECY_APPROVE if data.approve else Action.SECRECY_REFUSE
    record(
        session, actor, action, "success", target(proposal), decision,
        before=level, proposed=proposal.proposed, reason=data.reason,
    )  # fmt: skip
    return proposal


def _apply(session: Session, rights: Rights, proposal: SecrecyProposal, reason: str) -> None:
    # The document's level as a direct change sets it; the customer's kept in its history.
    if proposal.document is not None:
        set_level(proposal.document, Secrecy(proposal.proposed), reason)
        return
    customer = proposal.customer
    changes = {"secrecy": [customer.secrecy, proposal.proposed]}
    customer.secrecy = proposal.proposed
    record_change(session, customer, rights.user, "secrecy", changes, reason)


def _within_clearance(rights: Rights, obj: str, act: str, wanted: str) -> None:
    # Nobody proposes or sets a level above their own clearance: they could not see it again.
    if Secrecy(wanted).rank > Secrecy(rights.user.clearance).rank:
        raise AboveClearance("secrecy: above your clearance", (obj, act), "clearance below secrecy")


def search(
    session: Session,
    actor: Actor,
    rights: Rights,
    status: str | None,
    limit: int,
    offset: int,
) -> tuple[list[ProposalRead], int]:
    """A page of the proposals whose subject the caller may know, newest first."""
    seen_customer = rights.visible(session, "customer", Customer.department_id, Customer.secrecy)
    seen_document = rights.visible(session, "document", Customer.department_id, Document.secrecy)
    found = (
        select(SecrecyProposal)
        .join(Customer, Customer.id == SecrecyProposal.customer_id)
        .outerjoin(Document, Document.id == SecrecyProposal.document_id)
        .where(
            or_(
                and_(SecrecyProposal.document_id.is_(None), seen_customer),
                and_(SecrecyProposal.document_id.is_not(None), seen_document),
            )
        )
    )
    if status is not None:
        found = found.where(SecrecyProposal.status == status)
    total = session.scalar(select(func.count()).select_from(found.subquery())) or 0
    rows = session.scalars(
        found.options(joinedload(SecrecyProposal.customer), joinedload(SecrecyProposal.document))
        .order_by(SecrecyProposal.created_at.desc(), SecrecyProposal.id)
        .limit(limit)
        .offset(offset)
    )
    items = read_models(session, list(rows))
    record_search(
        session, actor, Action.SECRECY_PROPOSAL_SEARCH, total, None, None, status=status,
        limit=limit, offset=offset,
    )  # fmt: skip
    return items, total


def read_models(session: Session, proposals: list[SecrecyProposal]) -> list[ProposalRead]:
    """The proposals as shown, with the names of who proposed and who decided."""
    ids = {p.proposed_by_id for p in proposals} | {p.decided_by_id for p in proposals}
    people = select(User.id, User.display_name).where(User.id.in_(ids - {None}))
    names = {row.id: row.display_name for row in session.execute(people)}
    return [_read(p, names) for p in proposals]


def _read(p: SecrecyProposal, names: dict[uuid.UUID, str]) -> ProposalRead:
    return ProposalRead.model_validate(
        {
            "id": p.id, "customer_id": p.customer_id, "customer_name": p.customer.name,
            "document_id": p.document_id,
            "document_title": p.document.title if p.document else None,
            "current": p.current, "proposed": p.proposed, "reason": p.reason,
            "proposed_by_id": p.proposed_by_id,
            "proposed_by": names.get(p.proposed_by_id, ""), "status": p.status,
            "decided_by": names.get(p.decided_by_id) if p.decided_by_id else None,
            "decided_at": p.decided_at, "decision_reason": p.decision_reason,
            "created_at": p.created_at,
        }
    )  # fmt: skip


def mark_important(
    session: Session,
    actor: Actor,
    rights: Rights,
    customer: Customer,
    data: ImportantChange,
    decision: dict[str, Any],
) -> Customer:
    """Mark a customer important (重要客户, 004 §4.1.2: kept apart) or no longer, with the
    reason kept in its history; the same mark again changes nothing."""
    if customer.important == data.important:
        return customer
    changes = {"important": [customer.important, data.important]}
    customer.important = data.important
    change = record_change(session, customer, rights.user, "important", changes, data.reason)
    record(
        session, actor, Action.CUSTOMER_IMPORTANT, "success", customer_target(customer),
        decision, important=data.important, reason=data.reason, change=str(change.id),
    )  # fmt: skip
    return customer
