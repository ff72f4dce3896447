"""Handovers (交接): open, inspect, confirm, cancel, and print the record."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import func, select

from access import handover as handing
from access.authz import holders
from access.handover_people import candidates, seen_by
from access.notifications import notify
from access.record import names_in, record_pdf
from access.schemas import Decision, HandoverConfirm, HandoverCreate, HandoverRead, PersonRead
from archive_api.deps import DbSession, Policy, Services
from archive_api.events import record_done, record_list
from archive_api.schemas import MAX_OFFSET, Page
from storage.auditnames import Action
from storage.models import Handover, HandoverStatus

router = APIRouter(tags=["handovers"])


def _target(handover: Handover) -> dict[str, Any]:
    return {
        "handover": str(handover.id),
        "number": handover.number,
        "employee": str(handover.employee_id),
        "successor": str(handover.successor_id),
    }


@router.post("/handovers", status_code=201)
def create(
    data: HandoverCreate, request: Request, session: DbSession, policy: Policy, services: Services
) -> HandoverRead:
    """Open a departing employee's handover; the employee, successor, head and archive are told."""
    now = services.clock()
    handover = handing.open_handover(session, policy, data, now)
    where = handover.department_id
    people = [handover.employee_id, handover.successor_id]
    people += holders(session, "dept_head", where) + holders(session, "archivist", where)
    notify(session, people, "handover_opened", handover)
    _, rule = policy.decide(where, "handover", "open")
    record_done(
        session,
        request,
        Action.HANDOVER_OPEN,
        _target(handover),
        rule,
        planned_on=handover.planned_on.isoformat(),
        cross_department=handover.cross_department,
    )
    return handing.read_model(session, policy, handover, now)


@router.get("/handovers")
def search(
    request: Request,
    session: DbSession,
    policy: Policy,
    services: Services,
    status: HandoverStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page[HandoverRead]:
    """The handovers I am a party to, may confirm, or may open, newest first."""
    where = [seen_by(session, policy)]
    if status is not None:
        where.append(Handover.status == status)
    total = session.scalar(select(func.count()).select_from(Handover).where(*where)) or 0
    found = Action.HANDOVER_SEARCH
    record_list(session, request, found, total, status=status, limit=limit, offset=offset)
    query = select(Handover).where(*where).order_by(Handover.created_at.desc(), Handover.id)
    now = services.clock()
    items = [
        handing.read_model(session, policy, h, now)
        for h in session.scalars(query.limit(limit).offset(offset))
    ]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/handovers/people")
def people(
    session: DbSession,
    policy: Policy,
    employee_id: Annotated[
        uuid.UUID | None, Query(description="name the successors who may take this one's files")
    ] = None,
    q: Annotated[str | None, Query(max_length=200, description="part of the name")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page[PersonRead]:
    """Whom a department head may name: who may leave, or who may succeed `employee_id`."""
    found, total = candidates(session, policy, employee_id, q, limit, offset)
    items = [PersonRead.model_validate(u) for u in found]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/handovers/{handover_id:uuid}")
def read(
    handover_id: uuid.UUID,
    request: Request,
    session: DbSession,
    policy: Policy,
    services: Services,
) -> HandoverRead:
    """One handover with its inventory: live while open, frozen once complete."""
    handover = handing.get_handover(session, policy, handover_id)
    record_done(session, request, Action.HANDOVER_READ, _target(handover))
    return handing.read_model(session, policy, handover, services.clock())


@router.post("/handovers/{handover_id:uuid}/confirm")
def confirm(
    handover_id: uuid.UUID,
    request: Request,
    session: DbSession,
    policy: Policy,
    services: Services,
    data: HandoverConfirm | None = None,
) -> HandoverRead:
    """Confirm as department head, archivist or successor; the last one completes the handover."""
    now = services.clock()
    handover = handing.get_handover(session, policy, handover_id, "confirm")
    wanted = data.capacity if data else None
    done = handing.confirm(session, policy, handover, wanted, now)
    given = handover.confirmations[-1].capacity
    record_done(session, request, Action.HANDOVER_CONFIRM, _target(handover), capacity=given)
    if done:
        people = [handover.successor_id, *(c.user_id for c in handover.confirmations)]
        notify(session, people, "handover_completed", handover)
        items = handover.inventory or {}
        record_done(
            session,
            request,
            Action.HANDOVER_COMPLETE,
            _target(handover),
            inventory_sha256=handover.inventory_sha256,
            customers=[c["id"] for c in items.get("customers", [])],
            tokens_revoked=len(items.get("tokens", [])),
        )
    return handing.read_model(session, policy, handover, now)


@router.post("/handovers/{handover_id:uuid}/cancel")
def cancel(
    handover_id: uuid.UUID,
    decision: Decision,
    request: Request,
    session: DbSession,
    policy: Policy,
    services: Services,
) -> HandoverRead:
    """Call off an open handover (the employee stays), with a reason."""
    handover = handing.get_handover(session, policy, handover_id, "cancel")
    handing.cancel(handover, policy, decision.reason)
    record_done(session, request, Action.HANDOVER_CANCEL, _target(handover), reason=decision.reason)
    return handing.read_model(session, policy, handover, services.clock())


@router.get("/handovers/{handover_id:uuid}/record.pdf", response_class=Response)
def record(
    handover_id: uuid.UUID,
    request: Request,
    session: DbSession,
    policy: Policy,
    services: Services,
) -> Response:
    """The handover record as a printable PDF (Chinese and English)."""
    handover = handing.get_handover(session, policy, handover_id, "print")
    shown = handing.read_model(session, policy, handover, services.clock())
    pdf = record_pdf(shown, names_in(session, shown), services.rules.zone)
    record_done(
        session,
        request,
        Action.HANDOVER_PRINT,
        _target(handover),
        inventory_sha256=handover.inventory_sha256,
    )
    headers = {
        "Content-Disposition": f'attachment; filename="handover-{handover.number}.pdf"',
        "Cache-Control": "no-store",
    }
    return Response(pdf, media_type="application/pdf", headers=headers)
