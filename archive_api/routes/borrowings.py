"""Borrowings (借阅): request, approve or reject, hand out, return, revoke, extend; the register.

Plumbing only: each route parses, takes one step of `access.lending` (or `lending_desk`,
`register`), and shapes the answer.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from access import incidents as incidents_of
from access import lending as steps
from access import lending_desk as desk
from access.grants import read_model
from access.register import HEADER, export
from access.schemas import (
    BorrowingCreate,
    BorrowingRead,
    BorrowingTerms,
    Decision,
    Extension,
    IncidentRead,
)
from archive_api.deps import Acting, DbSession, Policy, Services
from archive_api.schemas import MAX_OFFSET, Page
from storage.sheets import table_csv, table_xlsx

router = APIRouter(tags=["borrowings"])
Scope = Literal["mine", "to_approve", "all"]
Status = Literal["pending", "approved", "rejected", "returned", "revoked", "overdue"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.post("/borrowings", status_code=201)
def create(
    data: BorrowingCreate, actor: Acting, session: DbSession, policy: Policy, services: Services
) -> BorrowingRead:
    """Ask to borrow a customer's file or chosen documents; the first approver is notified."""
    now = services.clock()
    borrowing = steps.request(session, actor, policy, services.rules, data, now)
    return read_model(session, borrowing, now)


@router.get("/borrowings")
def search(
    actor: Acting,
    session: DbSession,
    policy: Policy,
    services: Services,
    scope: Annotated[Scope | None, Query(description="default: all for archivists")] = None,
    status: Status | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page[BorrowingRead]:
    """My borrowings, those awaiting my approval, or (archivists) all, newest first."""
    now = services.clock()
    rows, total = steps.search(session, actor, policy, scope, status, now, limit, offset)
    items = [read_model(session, b, now) for b in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/borrowings/terms")
def borrowing_terms(
    actor: Acting,
    session: DbSession,
    policy: Policy,
    services: Services,
    customer_id: uuid.UUID,
    document_ids: Annotated[list[uuid.UUID] | None, Query(max_length=500)] = None,
    external: bool = False,
) -> BorrowingTerms:
    """The rule a request of these documents (none: the whole file) would go by, or why none.

    Refused as the request itself would be (overdue borrowing, handover under way, no rule), so
    a form can show its limits and refusals before it is sent.
    """
    highest, rule = steps.terms(
        session, actor, policy, services.rules, customer_id, document_ids or [], external,
        services.clock(),
    )  # fmt: skip
    return BorrowingTerms(
        rule=rule.name,
        approver_roles=list(rule.approvers),
        modes=sorted(rule.modes),
        longest_hours=rule.longest_hours,
        same_day=rule.same_day,
        secrecy=highest,
    )


@router.get("/borrowings/register", response_class=Response)
def export_register(
    actor: Acting,
    session: DbSession,
    policy: Policy,
    since: datetime,
    until: datetime,
    format: Literal["csv", "xlsx"] = "csv",
) -> Response:
    """The borrowing register (借阅登记簿) of a period, as CSV or XLSX (archivists)."""
    rows = export(session, actor, policy, since, until)
    name = f"borrowing-register-{since:%Y%m%d}-{until:%Y%m%d}.{format}"
    if format == "csv":
        body, media = table_csv(HEADER, rows), "text/csv; charset=utf-8"
    else:
        body, media = table_xlsx("借阅登记簿", HEADER, rows), XLSX
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(body, media_type=media, headers=headers)


@router.get("/borrowings/{borrowing_id:uuid}")
def read(
    borrowing_id: uuid.UUID, actor: Acting, session: DbSession, policy: Policy, services: Services
) -> BorrowingRead:
    """One borrowing, for its borrower, its approvers and archivists."""
    borrowing = steps.read(session, actor, policy, services.rules, borrowing_id)
    return read_model(session, borrowing, services.clock())


@router.post("/borrowings/{borrowing_id:uuid}/approve")
def approve(
    borrowing_id: uuid.UUID,
    actor: Acting,
    session: DbSession,
    policy: Policy,
    services: Services,
    decision: Decision | None = None,
) -> BorrowingRead:
    """Approve the step the borrowing awaits; the last approval opens (or extends) the grant."""
    now, reason = services.clock(), (decision or Decision()).reason
    borrowing = steps.approve(session, actor, policy, services.rules, borrowing_id, reason, now)
    return read_model(session, borrowing, now)


@router.post("/borrowings/{borrowing_id:uuid}/reject")
def reject(
    borrowing_id: uuid.UUID,
    decision: Decision,
    actor: Acting,
    session: DbSession,
    policy: Policy,
    services: Services,
) -> BorrowingRead:
    """Reject the request (or its extension), with a reason."""
    now, reason = services.clock(), decision.reason
    borrowing = steps.reject(session, actor, policy, services.rules, borrowing_id, reason, now)
    return read_model(session, borrowing, now)


@router.post("/borrowings/{borrowing_id:uuid}/hand-out")
def hand_out(
    borrowing_id: uuid.UUID, actor: Acting, session: DbSession, policy: Policy, services: Services
) -> BorrowingRead:
    """An archivist hands the paper originals out; the loan's time runs from now."""
    now = services.clock()
    borrowing = desk.hand_out(session, actor, policy, services.rules, borrowing_id, now)
    return read_model(session, borrowing, now)


@router.post("/borrowings/{borrowing_id:uuid}/return")
def give_back(
    borrowing_id: uuid.UUID, actor: Acting, session: DbSession, policy: Policy, services: Services
) -> BorrowingRead:
    """Return a borrowing (the borrower), or check paper originals back in (an archivist)."""
    now = services.clock()
    borrowing = desk.give_back(session, actor, policy, services.rules, borrowing_id, now)
    return read_model(session, borrowing, now)


@router.post("/borrowings/{borrowing_id:uuid}/revoke")
def revoke(
    borrowing_id: uuid.UUID,
    decision: Decision,
    actor: Acting,
    session: DbSession,
    policy: Policy,
    services: Services,
) -> BorrowingRead:
    """An archivist ends a borrowing at once, with a reason."""
    now, reason = services.clock(), decision.reason
    borrowing = desk.revoke(session, actor, policy, services.rules, borrowing_id, reason, now)
    return read_model(session, borrowing, now)


@router.post("/borrowings/{borrowing_id:uuid}/missing")
def mark_missing(
    borrowing_id: uuid.UUID,
    decision: Decision,
    actor: Acting,
    session: DbSession,
    policy: Policy,
    services: Services,
) -> list[IncidentRead]:
    """An archivist records that paper handed out did not come back: an incident per original."""
    now, reason = services.clock(), decision.reason
    incidents = desk.mark_missing(session, actor, policy, services.rules, borrowing_id, reason, now)
    return [incidents_of.read_model(session, i) for i in incidents]


@router.post("/borrowings/{borrowing_id:uuid}/extend")
def extend(
    borrowing_id: uuid.UUID,
    data: Extension,
    actor: Acting,
    session: DbSession,
    policy: Policy,
    services: Services,
) -> BorrowingRead:
    """Ask for more time; the approvers decide again, in order."""
    borrowing = steps.extend(session, actor, policy, services.rules, borrowing_id, data.hours)
    return read_model(session, borrowing, services.clock())
