"""Disposals (销毁): requested from the due list, approved by the department's archivist and its
department head, executed by an archivist, with a certificate whose hash is in the audit chain."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from archive_api.deps import Acting, DbSession, Policy, Services
from archive_api.schemas import MAX_OFFSET
from ingest import disposing
from ingest.disposal_run import Executor, execute
from ingest.disposal_schemas import (
    DisposalCreate,
    DisposalDecision,
    DisposalPage,
    DisposalRead,
    DisposalStatus,
)
from storage.auditevent import record
from storage.auditnames import Action
from storage.errors import NotFound

router = APIRouter(tags=["retention"])
_PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "the certificate"}
}


@router.post("/disposals", status_code=201)
def request_disposal(
    data: DisposalCreate, actor: Acting, session: DbSession, policy: Policy, services: Services
) -> DisposalRead:
    """Ask to dispose of documents on your due list (all of one department), with the reason;
    the department's archivist and its department head approve it, never you."""
    when = (services.today(), services.clock())
    disposal = disposing.request(session, actor, policy, services.retention, when, data)
    return disposing.read_models(session, [disposal])[0]


@router.get("/disposals")
def disposals(
    actor: Acting,
    session: DbSession,
    policy: Policy,
    status: DisposalStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> DisposalPage:
    """Disposal requests of the departments where you review retention, newest first."""
    rows, total = disposing.search(session, actor, policy, status, limit, offset)
    items = disposing.read_models(session, rows)
    return DisposalPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/disposals/{disposal_id:uuid}")
def read_disposal(
    disposal_id: uuid.UUID, actor: Acting, session: DbSession, policy: Policy
) -> DisposalRead:
    """One disposal request: its items, the approvals given and awaited, its outcome."""
    disposal, decision = disposing.disposal_of(session, policy, disposal_id)
    record(session, actor, Action.DISPOSAL_READ, "success", disposing.target(disposal), decision)
    return disposing.read_models(session, [disposal])[0]


@router.post("/disposals/{disposal_id:uuid}/decision")
def decide_disposal(
    disposal_id: uuid.UUID,
    data: DisposalDecision,
    actor: Acting,
    session: DbSession,
    policy: Policy,
    services: Services,
) -> DisposalRead:
    """Approve as the department's archivist or its department head, or refuse with a reason;
    the requester decides nothing, and one person decides once."""
    act = "approve" if data.approve else "refuse"
    disposal, decision = disposing.disposal_of(session, policy, disposal_id, act)
    disposing.decide(session, actor, policy, disposal, data, decision, services.clock())
    return disposing.read_models(session, [disposal])[0]


@router.post("/disposals/{disposal_id:uuid}/execute")
def execute_disposal(
    disposal_id: uuid.UUID, actor: Acting, session: DbSession, policy: Policy, services: Services
) -> DisposalRead:
    """Execute an approved disposal (archivists): holds and dueness are checked again, uploads
    to the files concerned wait, the content is made undecryptable everywhere, the objects
    deleted, the documents reduced to tombstones and the certificate issued. Executing one left
    part-way resumes it."""
    _, decision = disposing.disposal_of(session, policy, disposal_id, "execute")
    run = Executor(
        sessions=services.sessions,
        store=services.store,
        keys=services.keys,
        retention=services.retention,
        zone=services.rules.zone,
        batch_age=services.settings.key_batch_max_age,
    )
    when = (services.today(), services.clock())
    return execute(run, actor, policy.user.id, disposal_id, decision, when)


@router.get(
    "/disposals/{disposal_id:uuid}/certificate.pdf", response_class=Response, responses=_PDF
)
def certificate(
    disposal_id: uuid.UUID, actor: Acting, session: DbSession, policy: Policy
) -> Response:
    """The disposal certificate (PDF, Chinese and English); its SHA-256 is in the audit event
    of the execution."""
    disposal, decision = disposing.disposal_of(session, policy, disposal_id)
    if disposal.certificate is None:
        raise NotFound("the disposal is not executed: it has no certificate yet")
    target = {**disposing.target(disposal), "sha256": disposal.certificate_sha256}
    record(session, actor, Action.CERTIFICATE_READ, "success", target, decision)
    headers = {
        "Content-Disposition": f'attachment; filename="disposal-{disposal.number}.pdf"',
        "Cache-Control": "no-store",
    }
    return Response(disposal.certificate, media_type="application/pdf", headers=headers)
