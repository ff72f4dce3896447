"""The audit log for auditors: events with filters, and export bundles."""

from __future__ import annotations

import json
import tempfile
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from sqlalchemy import func, select

from archive_api.deps import CurrentUser, DbSession, Policy, Services
from archive_api.events import record
from archive_api.schemas import MAX_OFFSET, Page
from storage import auditlog
from storage.auditexport import ExportFilter, export
from storage.models import AuditEvent, User

router = APIRouter(prefix="/audit", tags=["audit"])


def _auditor(policy: Policy) -> User:
    policy.require(None, "audit", "read")
    return policy.user


class EventRead(BaseModel):
    """One chained event, with the exact JSON that was hashed."""

    position: int
    chain: str
    event: dict[str, Any]


class ExportRequest(BaseModel):
    """The window (and optionally the person or customer) an export shows."""

    since: datetime
    until: datetime
    actor_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None


@router.get("/events")
def events(
    _: Annotated[User, Depends(_auditor)],
    session: DbSession,
    services: Services,
    since: datetime | None = None,
    until: datetime | None = None,
    actor_id: uuid.UUID | None = None,
    customer_id: uuid.UUID | None = None,
    document_id: uuid.UUID | None = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    outcome: Annotated[str | None, Query(max_length=16)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page[EventRead]:
    """Chained events matching every filter, oldest first."""
    auditlog.catch_up(services.sessions)  # include what has just happened
    where = []
    if since is not None:
        where.append(AuditEvent.at >= since)
    if until is not None:
        where.append(AuditEvent.at < until)
    for column, value in (
        (AuditEvent.actor_id, actor_id),
        (AuditEvent.customer_id, customer_id),
        (AuditEvent.document_id, document_id),
        (AuditEvent.action, action),
        (AuditEvent.outcome, outcome),
    ):
        if value is not None:
            where.append(column == value)
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(*where)) or 0
    rows = session.scalars(
        select(AuditEvent).where(*where).order_by(AuditEvent.position).limit(limit).offset(offset)
    )
    items = [EventRead(position=r.position, chain=r.chain, event=_json(r.body)) for r in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


def _json(body: bytes) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(body)
    return parsed


@router.post("/exports", response_class=StreamingResponse)
def create_export(
    data: ExportRequest,
    request: Request,
    user: CurrentUser,
    session: DbSession,
    services: Services,
    policy: Policy,
) -> StreamingResponse:
    """A signed bundle of the window: events, CSV, XLSX, checkpoints and a verifier."""
    policy.require(None, "audit", "export")
    wanted = data.model_dump(mode="json")
    record(session, request, user, "audit:bundle:export", "success", target={"filter": wanted})
    session.commit()  # the export is audited, and the bundle holds its own event
    auditlog.seal(services.sessions, services.audit_key)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed when the response has been sent
    export(
        session,
        services.audit_key,
        ExportFilter(data.since, data.until, data.actor_id, data.customer_id),
        spool,
    )
    spool.seek(0)

    def chunks() -> Iterator[bytes]:
        with spool:
            while chunk := spool.read(1 << 20):
                yield chunk

    name = f"dangan-audit-{data.since:%Y%m%d}-{data.until:%Y%m%d}.zip"
    return StreamingResponse(
        chunks(),
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )
