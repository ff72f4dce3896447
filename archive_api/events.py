"""Audit events of requests: who, from where, did what to which object, and how it ended.

Invariants: an event names people and objects by id, with their names as they read at the time
(they may change later), and carries no document content, password or token; it is appended in
the request's own transaction, so it commits with what it records (and for reads, before any
byte is served); a refused request is recorded in a transaction of its own, because the
request's is rolled back.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from access.authz import EVENTS, POLICY_CHANGED, STEPS, Access, roles_of, subject
from storage import auditlog
from storage.db import unit_of_work
from storage.errors import DanganError
from storage.models import Customer, Document, User

logger = logging.getLogger(__name__)


def actor(
    session: Session, user: User | None, policy: Access | None = None
) -> dict[str, Any] | None:
    """The user as they stood at the time of the event."""
    if user is None:
        return None
    # Names as they read now: they may change later, and the event keeps what was true.
    return {
        "id": str(user.id),
        "username": user.username,
        "name": user.display_name,
        "department": str(user.department_id) if user.department_id else None,
        "department_name": user.department.name if user.department else None,
        "roles": _roles(session, user, policy),
        "clearance": user.clearance,
    }


def _roles(session: Session, user: User, policy: Access | None) -> list[str]:
    # The rules the request was decided by hold the user's roles at the revision it read: no
    # query needed, unless this very transaction changed the policy (then the database knows).
    if policy is None or policy.user is not user or session.info.get(POLICY_CHANGED):
        return roles_of(session, user)
    return policy.rules.roles_of(subject(user.id))


def client(request: Request) -> dict[str, str | None]:
    """Where the request came from."""
    return {
        "address": request.client.host if request.client else None,
        "request_id": getattr(request.state, "request_id", None),
    }


def record(
    session: Session,
    request: Request,
    user: User | None,
    action: str,
    outcome: str,
    target: dict[str, Any] | None = None,
    decision: dict[str, Any] | None = None,
    **extra: Any,
) -> None:
    """Append one event to the request's transaction."""
    auditlog.append(
        session,
        {
            "action": action,
            "outcome": outcome,
            "actor": actor(session, user, getattr(request.state, "access", None)),
            "target": target or {},
            "decision": decision or {},
            "client": client(request),
            **extra,
        },
    )


def record_done(
    session: Session,
    request: Request,
    action: str,
    target: dict[str, Any],
    rule: str | None = None,
    **extra: Any,
) -> None:
    """Record a successful action of the signed-in user, with the rule that allowed it."""
    decision = {"effect": "allow", "rule": rule} if rule else getattr(request.state, "decision", {})
    record(session, request, request.state.user, action, "success", target, decision, **extra)


def customer_target(customer: Customer) -> dict[str, Any]:
    """The audit target of a customer file, named as it is now."""
    return {
        "customer": str(customer.id),
        "customer_name": customer.name,
        "secrecy": customer.secrecy,
    }


def record_list(
    session: Session,
    request: Request,
    action: str,
    found: int,
    customer: Any = None,
    /,  # the filter's own names (`action` among them) come in `asked`
    **asked: Any,
) -> None:
    """Record a list or search: the filter asked (`asked`, unset ones left out) and how many
    it found, never the rows; `customer`, when the list is of one customer's file."""
    target = {"customer": str(customer)} if customer is not None else {}
    wanted = {name: str(value) for name, value in asked.items() if value is not None}
    record_done(session, request, action, target, filter=wanted, results=found)


def document_target(document: Document, version: int | None = None) -> dict[str, Any]:
    """The audit target of a document (and one of its versions), named as it is now."""
    return {
        "customer": str(document.customer_id),
        "customer_name": document.customer.name,
        "document": str(document.id),
        "title": document.title,
        "version": version,
        "secrecy": document.secrecy,
    }


def record_refusal(
    request: Request,
    error: DanganError,
    action: str | None = None,
    target: dict[str, Any] | None = None,
) -> None:
    """Record a refused request in a transaction of its own (the request's is rolled back)."""
    if error.recorded:  # the error handler sees a refusal the route already recorded
        return
    error.recorded = True
    obj, act = getattr(error, "attempt", ("http", "request"))
    action = action or EVENTS.get((obj, act)) or STEPS.get((obj, act), f"{obj}:{act}:refused")
    decision = {"effect": "deny", "rule": getattr(error, "rule", error.code)}
    route = request.scope.get("route")
    backends = request.app.state.backends
    try:
        with unit_of_work(backends.sessions) as session:
            user = getattr(request.state, "user", None)
            record(
                session,
                request,
                session.merge(user, load=False) if user is not None else None,
                action,
                "denied",
                target or error.target or _target(request),
                decision,
                call={"method": request.method, "route": getattr(route, "path", None)},
            )
    except SQLAlchemyError:
        # The refusal stands either way; a refusal that cannot be recorded is logged instead.
        logger.error("audit: could not record a refused request (%s)", action)


def _target(request: Request) -> dict[str, str]:
    # Ids from the path only: what was asked for, whether or not it exists.
    params = request.path_params
    return {
        name: str(params[f"{name}_id"])
        for name in ("customer", "document")
        if f"{name}_id" in params
    }
