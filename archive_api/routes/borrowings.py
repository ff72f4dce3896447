"""Borrowings (借阅): request, approve or reject, hand out, return, revoke, extend; the register."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from access import borrowing as lending
from access import incidents as incidents_for
from access.authz import holders
from access.errors import InvalidBorrowing
from access.grants import (
    get_borrowing,
    list_borrowings,
    managed_borrowing,
    managed_departments,
    manages,
    read_model,
)
from access.notifications import notify, notify_next_approvers
from access.register import HEADER, register
from access.schemas import (
    BorrowingCreate,
    BorrowingRead,
    BorrowingTerms,
    Decision,
    Extension,
    IncidentRead,
)
from archive_api.deps import DbSession, Policy, Services
from archive_api.events import record_done, record_list
from archive_api.schemas import MAX_OFFSET, Page
from storage.auditnames import Action
from storage.models import Borrowing, Customer
from storage.sheets import table_csv, table_xlsx

router = APIRouter(tags=["borrowings"])
# What a decision on a request or on its extension is recorded as.
_DECIDED = {
    (False, True): Action.BORROWING_APPROVE,
    (False, False): Action.BORROWING_REJECT,
    (True, True): Action.EXTENSION_APPROVE,
    (True, False): Action.EXTENSION_REJECT,
}
Scope = Literal["mine", "to_approve", "all"]
Status = Literal["pending", "approved", "rejected", "returned", "revoked", "overdue"]


def _target(borrowing: Borrowing) -> dict[str, Any]:
    return {
        "customer": str(borrowing.customer_id),
        "customer_name": borrowing.customer.name,
        "borrowing": str(borrowing.id),
        "number": borrowing.number,
        "mode": borrowing.mode,
        "purpose": borrowing.purpose,
        "documents": [str(d.document_id) for d in borrowing.documents],
        "secrecy": borrowing.secrecy,
    }


@router.post("/borrowings", status_code=201)
def create(
    data: BorrowingCreate, request: Request, session: DbSession, policy: Policy, services: Services
) -> BorrowingRead:
    """Ask to borrow a customer's file or chosen documents; the first approver is notified."""
    now = services.clock()
    borrowing = lending.request(session, policy, services.rules, data, now)
    notify_next_approvers(session, borrowing, lending.waiting_for(borrowing))
    record_done(
        session,
        request,
        Action.BORROWING_REQUEST,
        _target(borrowing),
        f"borrowing rule {borrowing.rule}",
        mode=borrowing.mode,
        hours=borrowing.hours,
        external=borrowing.external,
    )
    return read_model(session, borrowing, now)


@router.get("/borrowings")
def search(
    request: Request,
    session: DbSession,
    policy: Policy,
    services: Services,
    scope: Annotated[Scope | None, Query(description="default: all for archivists")] = None,
    status: Status | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page[BorrowingRead]:
    """My borrowings, those awaiting my approval, or (archivists) all, newest first."""
    if scope is None:
        scope = "all" if managed_departments(session, policy, required=False) else "mine"
    now = services.clock()
    rows, total = list_borrowings(session, policy, scope, status, now, limit, offset)
    record_list(
        session, request, Action.BORROWING_SEARCH, total, scope=scope, status=status,
        limit=limit, offset=offset,
    )  # fmt: skip
    items = [read_model(session, b, now) for b in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/borrowings/terms")
def borrowing_terms(
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
    _, _, highest, rule = lending.terms(
        session, policy, services.rules, customer_id, document_ids or [], external, services.clock()
    )
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
    request: Request,
    session: DbSession,
    policy: Policy,
    since: datetime,
    until: datetime,
    format: Literal["csv", "xlsx"] = "csv",
) -> Response:
    """The borrowing register (借阅登记簿) of a period, as CSV or XLSX (archivists)."""
    if since.tzinfo is None or until.tzinfo is None or since >= until:
        raise InvalidBorrowing("since, until: give a time zone, and since before until")
    rows = register(session, policy, since, until)
    name = f"borrowing-register-{since:%Y%m%d}-{until:%Y%m%d}.{format}"
    if format == "csv":
        body, media = table_csv(HEADER, rows), "text/csv; charset=utf-8"
    else:
        body = table_xlsx("借阅登记簿", HEADER, rows)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    where = [str(d) for d in managed_departments(session, policy)]
    record_done(
        session,
        request,
        Action.REGISTER_EXPORT,
        {"departments": where},
        since=since.isoformat(),
        until=until.isoformat(),
        rows=len(rows),
    )
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(body, media_type=media, headers=headers)


@router.get("/borrowings/{borrowing_id:uuid}")
def read(
    borrowing_id: uuid.UUID,
    request: Request,
    session: DbSession,
    policy: Policy,
    services: Services,
) -> BorrowingRead:
    """One borrowing, for its borrower, its approvers and archivists."""
    borrowing = get_borrowing(session, policy, services.rules, borrowing_id)
    record_done(session, request, Action.BORROWING_READ, _target(borrowing))
    return read_model(session, borrowing, services.clock())


@router.post("/borrowings/{borrowing_id:uuid}/approve")
def approve(
    borrowing_id: uuid.UUID,
    request: Request,
    session: DbSession,
    policy: Policy,
    services: Services,
    decision: Decision | None = None,
) -> BorrowingRead:
    """Approve the step the borrowing awaits; the last approval opens (or extends) the grant."""
    return _decide(borrowing_id, request, session, policy, services, True, decision or Decision())


@router.post("/borrowings/{borrowing_id:uuid}/reject")
def reject(
    borrowing_id: uuid.UUID,
    decision: Decision,
    request: Request,
    session: DbSession,
    policy: Policy,
    services: Services,
) -> BorrowingRead:
    """Reject the request (or its extension), with a reason."""
    return _decide(borrowing_id, request, session, policy, services, False, decision)


def _decide(
    borrowing_id: uuid.UUID,
    request: Request,
    session: DbSession,
    policy: Policy,
    services: Services,
    approve: bool,
    decision: Decision,
) -> BorrowingRead:
    now = services.clock()
    act = "approve" if approve else "reject"
    borrowing = get_borrowing(session, policy, services.rules, borrowing_id, act)
    role = lending.waiting_for(borrowing)
    extension = borrowing.extension_hours
    done = lending.decide(session, policy, borrowing, services.rules, approve, decision.reason, now)
    if done or not approve:
        notify(session, [borrowing.requester_id], "approved" if done else "rejected", borrowing)
    else:
        notify_next_approvers(session, borrowing, lending.waiting_for(borrowing))
    action = _DECIDED[(bool(extension), approve)]
    record_done(
        session,
        request,
        action,
        _target(borrowing),
        f"borrowing rule {borrowing.rule}",
        step=role,
        reason=decision.reason,
        due=borrowing.due_at.isoformat() if done and borrowing.due_at else None,
    )
    return read_model(session, borrowing, now)


@router.post("/borrowings/{borrowing_id:uuid}/hand-out")
def hand_out(
    borrowing_id: uuid.UUID,
    request: Request,
    session: DbSession,
    policy: Policy,
    services: Services,
) -> BorrowingRead:
    """An archivist hands the paper originals out; the loan's time runs from now."""
    now = services.clock()
    borrowing = managed_borrowing(session, policy, services.rules, borrowing_id, "hand_out")
    lending.hand_out(borrowing, policy.user, services.rules, now)
    record_done(session, request, Action.HAND_OUT, _target(borrowing))
    return read_model(session, borrowing, now)


@router.post("/borrowings/{borrowing_id:uuid}/return")
def give_back(
    borrowing_id: uuid.UUID,
    request: Request,
    session: DbSession,
    policy: Policy,
    services: Services,
) -> BorrowingRead:
    """Return a borrowing (the borrower), or check paper originals back in (an archivist)."""
    now = services.clock()
    borrowing = get_borrowing(session, policy, services.rules, borrowing_id, "return")
    archivist = manages(session, policy, borrowing)
    lending.give_back(borrowing, policy.user, archivist, now)
    late = borrowing.due_at is not None and borrowing.due_at < now
    record_done(
        session,
        request,
        Action.RETURN,
        _target(borrowing),
        checked_in=archivist,
        late=late,
    )
    return read_model(session, borrowing, now)


@router.post("/borrowings/{borrowing_id:uuid}/revoke")
def revoke(
    borrowing_id: uuid.UUID,
    decision: Decision,
    request: Request,
    session: DbSession,
    policy: Policy,
    services: Services,
) -> BorrowingRead:
    """An archivist ends a borrowing at once, with a reason."""
    now = services.clock()
    borrowing = managed_borrowing(session, policy, services.rules, borrowing_id, "revoke")
    lending.revoke(borrowing, decision.reason, now)
    notify(session, [borrowing.requester_id], "revoked", borrowing)
    record_done(session, request, Action.REVOKE, _target(borrowing), reason=decision.reason)
    return read_model(session, borrowing, now)


@router.post("/borrowings/{borrowing_id:uuid}/missing")
def mark_missing(
    borrowing_id: uuid.UUID,
    decision: Decision,
    request: Request,
    session: DbSession,
    policy: Policy,
    services: Services,
) -> list[IncidentRead]:
    """An archivist records that paper handed out did not come back: an incident per original."""
    now = services.clock()
    borrowing = managed_borrowing(session, policy, services.rules, borrowing_id, "missing")
    incidents = incidents_for.mark_missing(session, borrowing, policy.user, decision.reason, now)
    customer = session.get_one(Customer, borrowing.customer_id)
    notify(
        session,
        holders(session, "archivist", customer.department_id),
        "original_missing",
        borrowing,
    )
    record_done(
        session,
        request,
        Action.MISSING,
        _target(borrowing),
        reason=decision.reason,
        incidents=[str(i.id) for i in incidents],
    )
    return [incidents_for.read_model(session, i) for i in incidents]


@router.post("/borrowings/{borrowing_id:uuid}/extend")
def extend(
    borrowing_id: uuid.UUID,
    data: Extension,
    request: Request,
    session: DbSession,
    policy: Policy,
    services: Services,
) -> BorrowingRead:
    """Ask for more time; the approvers decide again, in order."""
    borrowing = get_borrowing(session, policy, services.rules, borrowing_id, "extend")
    lending.extend(borrowing, policy.user, data.hours)
    notify_next_approvers(session, borrowing, lending.waiting_for(borrowing))
    record_done(session, request, Action.EXTENSION_REQUEST, _target(borrowing), hours=data.hours)
    return read_model(session, borrowing, services.clock())
