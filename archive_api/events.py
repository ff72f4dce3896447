"""Audit events of requests: who, from where, did what to which object, and how it ended.

Invariants: an event names people and objects by id and carries no document content, password
or token; it is appended in the request's own transaction, so it commits with what it records
(and for reads, before any byte is served); a refused request is recorded in a transaction of
its own, because the request's is rolled back.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from access.authz import roles_of
from storage import auditlog
from storage.models import User

logger = logging.getLogger(__name__)


def actor(session: Session, user: User | None) -> dict[str, Any] | None:
    """The user as they stood at the time of the event."""
    if user is None:
        return None
    return {
        "id": str(user.id),
        "username": user.username,
        "department": str(user.department_id) if user.department_id else None,
        "roles": roles_of(session, user),
        "clearance": user.clearance,
    }


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
            "actor": actor(session, user),
            "target": target or {},
            "decision": decision or {},
            "client": client(request),
            **extra,
        },
    )
