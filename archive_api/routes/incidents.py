"""Incidents the archive follows up: paper originals marked missing (archivists).

Plumbing only: each route takes one step of `access.incidents` and shapes the answer.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from access import incidents as incidents_of
from access.schemas import Decision, IncidentRead
from archive_api.deps import Acting, DbSession, Policy, Services
from archive_api.schemas import MAX_OFFSET, Page

router = APIRouter(tags=["incidents"])


@router.get("/incidents")
def search(
    actor: Acting,
    session: DbSession,
    policy: Policy,
    open_only: bool = True,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page[IncidentRead]:
    """Incidents of my departments' customers, newest first (open ones by default)."""
    found, total = incidents_of.search(session, actor, policy, open_only, limit, offset)
    items = [incidents_of.read_model(session, i) for i in found]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.post("/incidents/{incident_id:uuid}/resolve")
def resolve(
    incident_id: uuid.UUID,
    decision: Decision,
    actor: Acting,
    session: DbSession,
    policy: Policy,
    services: Services,
) -> IncidentRead:
    """Close an incident with a note: the original was found, or written off."""
    now = services.clock()
    incident = incidents_of.resolve(session, actor, policy, incident_id, decision.reason, now)
    return incidents_of.read_model(session, incident)
