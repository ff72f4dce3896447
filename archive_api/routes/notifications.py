"""Notifications: each user's outbox of messages about borrowings and handovers."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from access.notifications import inbox, mark_read
from access.schemas import NotificationRead
from archive_api.deps import DbSession, Policy, Services

router = APIRouter(tags=["notifications"])


@router.get("/notifications")
def notifications(
    session: DbSession,
    policy: Policy,
    unread: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[NotificationRead]:
    """My notifications, newest first."""
    return [NotificationRead.model_validate(n) for n in inbox(session, policy.user, unread, limit)]


@router.post("/notifications/{notification_id:uuid}/read")
def read_notification(
    notification_id: uuid.UUID, session: DbSession, policy: Policy, services: Services
) -> NotificationRead:
    """Mark one of my notifications read."""
    found = mark_read(session, policy.user, notification_id, services.clock())
    return NotificationRead.model_validate(found)
