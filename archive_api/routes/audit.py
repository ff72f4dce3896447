"""The audit log for auditors: events with filters, quarantined events, the latest signed
checkpoint to keep outside the database, and export bundles."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from access.admin import list_users
from access.schemas import PersonRead
from archive_api.deps import Acting, DbSession, Policy, Services
from archive_api.schemas import MAX_OFFSET, Page
from ingest.schemas import Typed
from storage import auditlog, auditsearch
from storage.audit_verify import fingerprint
from storage.auditexport import ExportFilter, export_bundle
from storage.auditsearch import EventFilter
from storage.crypto import public_key_pem
from storage.errors import NotFound
from storage.models import User

router = APIRouter(prefix="/audit", tags=["audit"])


def _auditor(request: Request, policy: Policy) -> User:
    request.state.decision = {"effect": "allow", "rule": policy.require(None, "audit", "read")}
    return policy.user


def _exporter(request: Request, policy: Policy) -> User:
    request.state.decision = {"effect": "allow", "rule": policy.require(None, "audit", "export")}
    return policy.user


class EventRead(BaseModel):
    """One chained event, with the exact JSON that was hashed (none if it is not a JSON object)."""

    position: int
    chain: str
    event: dict[str, Any] | None
    quarantined: str | None = None  # why its index columns hold markers
    actor_name: str | None = Field(None, description="the display name of its actor today")
    customer_name: str | None = Field(None, description="the name of its customer today")


class QuarantineRead(BaseModel):
    """A chained event whose body could not be indexed in full, and which fields."""

    position: int
    chain: str
    reason: str


class CheckpointRead(BaseModel):
    """A signed checkpoint: `body` and `signature` are what `dangan audit verify --anchor` takes."""

    size: int
    head: str
    at: str
    body: str
    signature: str


class ExportRequest(BaseModel):
    """The window (and optionally the person or customer) an export shows."""

    since: datetime
    until: datetime
    actor_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None


@router.get("/events")
def events(
    _: Annotated[User, Depends(_auditor)],
    request: Request,
    actor: Acting,
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
    wanted = EventFilter(since, until, actor_id, customer_id, document_id, action, outcome)
    decision = request.state.decision
    found, total = auditsearch.search(session, actor, wanted, limit, offset, decision)
    items = [EventRead(**vars(event)) for event in found]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/people")
def people(
    _: Annotated[User, Depends(_auditor)],
    session: DbSession,
    q: Annotated[Typed | None, Query(max_length=100, description="part of a name")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page[PersonRead]:
    """Users whose user name or display name contains `q`, to choose the person of a search."""
    users, total = list_users(session, q, limit, offset)
    items = [PersonRead.model_validate(u) for u in users]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/quarantine")
def quarantine(
    _: Annotated[User, Depends(_auditor)],
    request: Request,
    actor: Acting,
    session: DbSession,
    services: Services,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Page[QuarantineRead]:
    """Events chained with marker index columns because their bodies could not be read in full."""
    auditlog.catch_up(services.sessions)
    found, total = auditsearch.quarantined(session, actor, limit, offset, request.state.decision)
    items = [QuarantineRead(**vars(q)) for q in found]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/checkpoint")
def latest_checkpoint(_: Annotated[User, Depends(_auditor)], services: Services) -> CheckpointRead:
    """Sign the present head and return it, to be kept where the database's writers cannot reach."""
    point = auditlog.seal(services.sessions, services.audit_key)
    if point is None:
        raise NotFound("the audit log is empty")
    return CheckpointRead(**point)


class PublicKeyRead(BaseModel):
    """The log's public key, to pin and give to `dangan audit verify --public-key`."""

    pem: str
    fingerprint: str = Field(description="what `verify` prints for the key that signed a bundle")


@router.get("/public-key")
def public_key(_: Annotated[User, Depends(_auditor)], services: Services) -> PublicKeyRead:
    """The key every checkpoint and bundle of this log is signed with."""
    key = services.audit_key
    return PublicKeyRead(
        pem=public_key_pem(key).decode(), fingerprint=fingerprint(key.public_key())
    )


@router.post("/exports", response_class=StreamingResponse)
def create_export(
    data: ExportRequest,
    _: Annotated[User, Depends(_exporter)],
    request: Request,
    actor: Acting,
    services: Services,
) -> StreamingResponse:
    """A signed bundle of the window: events, CSV, XLSX, checkpoints and a verifier."""
    wanted = ExportFilter(data.since, data.until, data.actor_id, data.customer_id)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed when the response has been sent
    summary = export_bundle(
        services.sessions, actor, services.audit_key, wanted, spool, services.rules.zone,
        request.state.decision,
    )  # fmt: skip
    spool.seek(0)
    # The bundle chose by the hashed bodies; this says the database's copies were edited.
    disagreeing = {"X-Index-Disagreements": str(len(summary.disagreeing))}

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
            **(disagreeing if summary.disagreeing else {}),
        },
    )
