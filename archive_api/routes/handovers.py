"""Handovers (交接): open, inspect, confirm, cancel, and print the record."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from access import handing
from access.handover_schemas import HandoverConfirm, HandoverCreate, HandoverRead
from access.schemas import Decision, PersonRead
from archive_api.deps import Acting, DbSession, Policy, Services
from archive_api.schemas import MAX_OFFSET, Page
from ingest.schemas import Typed
from storage.models import HandoverStatus

router = APIRouter(tags=["handovers"])


@router.post("/handovers", status_code=201)
def create(
    data: HandoverCreate, actor: Acting, session: DbSession, policy: Policy, services: Services
) -> HandoverRead:
    """Open a departing employee's handover; the employee, successor, head and archive are told."""
    now = services.clock()
    handover = handing.open(session, actor, policy, data, now)
    return handing.read_model(session, policy, handover, now)


@router.get("/handovers")
def search(
    actor: Acting,
    session: DbSession,
    policy: Policy,
    services: Services,
    status: HandoverStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page[HandoverRead]:
    """The handovers I am a party to, may confirm, or may open, newest first."""
    found, total = handing.search(session, actor, policy, status, limit, offset)
    now = services.clock()
    items = [handing.read_model(session, policy, h, now) for h in found]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/handovers/people")
def people(
    actor: Acting,
    session: DbSession,
    policy: Policy,
    employee_id: Annotated[
        uuid.UUID | None, Query(description="name the successors who may take this one's files")
    ] = None,
    q: Annotated[Typed | None, Query(max_length=200, description="part of the name")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page[PersonRead]:
    """Whom a department head may name: who may leave, or who may succeed `employee_id`."""
    found, total = handing.people(session, actor, policy, employee_id, q, (limit, offset))
    items = [PersonRead.model_validate(u) for u in found]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/handovers/{handover_id:uuid}")
def read(
    handover_id: uuid.UUID, actor: Acting, session: DbSession, policy: Policy, services: Services
) -> HandoverRead:
    """One handover with its inventory: live while open, frozen once complete."""
    handover = handing.read(session, actor, policy, handover_id)
    return handing.read_model(session, policy, handover, services.clock())


@router.post("/handovers/{handover_id:uuid}/confirm")
def confirm(
    handover_id: uuid.UUID,
    actor: Acting,
    session: DbSession,
    policy: Policy,
    services: Services,
    data: HandoverConfirm | None = None,
) -> HandoverRead:
    """Confirm as department head, archivist or successor; the last one completes the handover."""
    now = services.clock()
    wanted = data.capacity if data else None
    handover = handing.confirm(session, actor, policy, handover_id, wanted, now)
    return handing.read_model(session, policy, handover, now)


@router.post("/handovers/{handover_id:uuid}/cancel")
def cancel(
    handover_id: uuid.UUID,
    decision: Decision,
    actor: Acting,
    session: DbSession,
    policy: Policy,
    services: Services,
) -> HandoverRead:
    """Call off an open handover (the employee stays), with a reason."""
    handover = handing.cancel(session, actor, policy, handover_id, decision.reason)
    return handing.read_model(session, policy, handover, services.clock())


@router.get("/handovers/{handover_id:uuid}/record.pdf", response_class=Response)
def record(
    handover_id: uuid.UUID, actor: Acting, session: DbSession, policy: Policy, services: Services
) -> Response:
    """The handover record as a printable PDF (Chinese and English)."""
    now, zone = services.clock(), services.rules.zone
    handover, pdf = handing.print_record(session, actor, policy, handover_id, now, zone)
    headers = {
        "Content-Disposition": f'attachment; filename="handover-{handover.number}.pdf"',
        "Cache-Control": "no-store",
    }
    return Response(pdf, media_type="application/pdf", headers=headers)
