"""Incidents the archive follows up: paper originals marked missing (archivists)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request

from access import incidents as incidents_for
from access.errors import Hidden
from access.grants import managed_departments
from access.schemas import Decision, IncidentRead
from archive_api.deps import DbSession, Policy, Services
from archive_api.events import record_done
from archive_api.schemas import MAX_OFFSET, Page
from storage.auditnames import Action
from storage.models import Customer

router = APIRouter(tags=["incidents"])


@router.get("/incidents")
def search(
    session: DbSession,
    policy: Policy,
    open_only: bool = True,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page[IncidentRead]:
    """Incidents of my departments' customers, newest first (open ones by default)."""
    departments = managed_departments(session, policy)
    found, total = incidents_for.list_incidents(
        session, policy, departments, open_only, limit, offset
    )
    items = [incidents_for.read_model(session, i) for i in found]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.post("/incidents/{incident_id:uuid}/resolve")
def resolve(
    incident_id: uuid.UUID,
    decision: Decision,
    request: Request,
    session: DbSession,
    policy: Policy,
    services: Services,
) -> IncidentRead:
    """Close an incident with a note: the original was found, or written off."""
    incident = incidents_for.get_incident(session, policy, incident_id)
    customer = session.get_one(Customer, incident.customer_id)
    if not policy.allowed(customer.department_id, "borrowing", "manage"):
        raise Hidden("no such incident", ("incident", "resolve"), "not an archivist here")
    incidents_for.resolve(session, incident, policy.user, decision.reason, services.clock())
    target = {"incident": str(incident.id), "document": str(incident.document_id)}
    record_done(session, request, Action.INCIDENT_RESOLVE, target, note=decision.reason)
    return incidents_for.read_model(session, incident)
