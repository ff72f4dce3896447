"""Audit events of requests: the actor built once per request, and refusals.

Invariants: a step appends its event in the request's own transaction, so it commits with what
it records (and for reads, before any byte is served); a refused request is recorded here, in a
transaction of its own, because the request's is rolled back. The vocabulary, the event's shape
and its targets are `storage.auditevent`'s.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from access.authz import NAMED, Access, subject
from access.roles import roles_of
from storage.auditevent import Actor, record
from storage.auditnames import Action
from storage.db import unit_of_work
from storage.errors import DanganError
from storage.models import User

logger = logging.getLogger(__name__)


def actor_of(request: Request, session: Session) -> Actor:
    """The request's actor, built once: who signed in, their roles, where they came from."""
    found: Actor | None = getattr(request.state, "actor", None)
    if found is None:
        found = request.state.actor = _actor(request, session, getattr(request.state, "user", None))
    return found


def _actor(request: Request, session: Session, user: User | None) -> Actor:
    if user is None:
        return Actor(id=None, client=client(request))
    # The rules the request was decided by hold the user's roles: no query, unless no rule was
    # consulted (signing in), and then once.
    policy: Access | None = getattr(request.state, "access", None)
    if policy is not None and policy.user is user:
        roles = policy.rules.roles_of(subject(user.id))
    else:
        roles = roles_of(session, user)
    return Actor.of(user, roles, client(request))


def client(request: Request) -> dict[str, str | None]:
    """Where the request came from."""
    return {
        "address": request.client.host if request.client else None,
        "request_id": getattr(request.state, "request_id", None),
    }


def record_refusal(
    request: Request,
    error: DanganError,
    action: Action | None = None,
    target: dict[str, Any] | None = None,
) -> None:
    """Record a refused request in a transaction of its own (the request's is rolled back)."""
    if error.recorded:  # the error handler sees a refusal the route already recorded
        return
    error.recorded = True
    route = request.scope.get("route")
    backends = request.app.state.backends
    try:
        with unit_of_work(backends.sessions) as session:
            actor: Actor | None = getattr(request.state, "actor", None)
            if actor is None:  # the request's own session is rolled back: read the user anew
                user = getattr(request.state, "user", None)
                actor = _actor(request, session, session.merge(user, load=False) if user else None)
            call = {"method": request.method, "route": getattr(route, "path", None)}
            found = target or error.target or _target(request)
            record_denied(session, actor, error, action, found, call=call)
    except SQLAlchemyError:
        # The refusal stands either way; a refusal that cannot be recorded is logged instead.
        logger.error("audit: could not record a refused request (%s)", action or error.code)


def record_denied(
    session: Session,
    actor: Actor,
    error: DanganError,
    action: Action | None = None,
    target: dict[str, Any] | None = None,
    **extra: Any,
) -> None:
    """The audit event of a refusal: the action attempted (named by the error), and the rule."""
    attempt = getattr(error, "attempt", None)
    if action is None:
        action = NAMED.get(attempt, Action.REQUEST_REFUSED) if attempt else Action.REQUEST_REFUSED
    decision = {"effect": "deny", "rule": getattr(error, "rule", error.code)}
    found = target or error.target or {}
    attempted = ":".join(attempt) if attempt else None
    record(session, actor, action, "denied", found, decision, attempt=attempted, **extra)


def _target(request: Request) -> dict[str, str]:
    # Ids from the path only: what was asked for, whether or not it exists.
    params = request.path_params
    return {
        name: str(params[f"{name}_id"])
        for name in ("customer", "document")
        if f"{name}_id" in params
    }
