"""Notifications: an outbox per user, listed through the API and e-mailed when SMTP is set.

Invariants: a notification is written in the same transaction as the step it reports, so none
is sent for a step that rolled back; messages carry borrowing and handover numbers, modes and times
only — never customer names, purposes or document content, since e-mail leaves the archive.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from collections.abc import Iterable
from datetime import datetime
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from access.borrowing import overdue
from access.config import AccessSettings
from access.roles import holders
from storage.db import get_one
from storage.errors import NotFound
from storage.models import Borrowing, Customer, Handover, Notification, Secrecy, User

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5

# kind → (subject, body); bilingual, as the users are.
TEXTS = {
    "approval_needed": (
        "借阅待审批 Borrowing awaits your approval: {number}",
        "借阅 {number}（{mode}）等待您审批。\nBorrowing {number} ({mode}) awaits your approval.",
    ),
    "approved": (
        "借阅已批准 Borrowing approved: {number}",
        "借阅 {number} 已批准，归还期限 {due}。\nBorrowing {number} is approved, due {due}.",
    ),
    "rejected": (
        "借阅被驳回 Borrowing rejected: {number}",
        "借阅 {number} 被驳回。\nBorrowing {number} was rejected.",
    ),
    "revoked": (
        "借阅已撤销 Borrowing revoked: {number}",
        "借阅 {number} 已被档案管理员撤销。\nBorrowing {number} was revoked by an archivist.",
    ),
    "overdue": (
        "借阅逾期 Borrowing overdue: {number}",
        "借阅 {number} 已于 {due} 到期，尚未归还。\nBorrowing {number} was due {due} "
        "and is not returned.",
    ),
    "original_missing": (
        "原件遗失 Paper original missing: {number}",
        "借阅 {number} 的纸质原件已登记为遗失，请跟进。\nThe paper originals of borrowing {number} "
        "were marked missing; please follow up.",
    ),
    "handover_opened": (
        "交接已发起 Handover opened: {number}",
        "交接 {number} 已发起，计划日期 {planned}。\nHandover {number} is open, planned for "
        "{planned}.",
    ),
    "handover_completed": (
        "交接已完成 Handover completed: {number}",
        "交接 {number} 已完成，客户档案已移交。\nHandover {number} is complete; custody has moved.",
    ),
}


def notify(
    session: Session, user_ids: Iterable[uuid.UUID], kind: str, about: Borrowing | Handover
) -> None:
    """Queue one message of `kind` about a borrowing or a handover for each user."""
    subject, body = TEXTS[kind]
    if isinstance(about, Borrowing):
        due = f"{about.due_at:%Y-%m-%d %H:%M} UTC" if about.due_at else "-"
        facts = {"number": about.number, "mode": about.mode, "due": due}
        link = {"borrowing_id": about.id}
    else:
        facts = {"number": about.number, "planned": about.planned_on.isoformat()}
        link = {"handover_id": about.id}
    for user_id in dict.fromkeys(user_ids):
        session.add(
            Notification(
                user_id=user_id,
                kind=kind,
                subject=subject.format(**facts),
                body=body.format(**facts),
                **link,
            )
        )


def notify_next_approvers(session: Session, borrowing: Borrowing, role: str | None) -> None:
    """Tell whoever can take the awaited step (never the requester) that it awaits them."""
    if role is None:
        return
    customer = session.get_one(Customer, borrowing.customer_id)
    people = [
        u for u in holders(session, role, customer.department_id) if u != borrowing.requester_id
    ]
    notify(session, _cleared(session, people, borrowing), "approval_needed", borrowing)


def _cleared(
    session: Session, user_ids: Iterable[uuid.UUID], borrowing: Borrowing
) -> list[uuid.UUID]:
    # Only those cleared for the material hear of it: to anyone else it does not exist, and
    # they could not approve it anyway.
    level = Secrecy(borrowing.secrecy).rank
    wanted = list(user_ids)
    users = session.scalars(select(User).where(User.id.in_(wanted)))
    cleared = {u.id for u in users if Secrecy(u.clearance).rank >= level}
    return [u for u in wanted if u in cleared]


def inbox(session: Session, user: User, unread: bool, limit: int) -> list[Notification]:
    """The user's notifications, newest first."""
    query = select(Notification).where(Notification.user_id == user.id)
    if unread:
        query = query.where(Notification.read_at.is_(None))
    return list(session.scalars(query.order_by(Notification.created_at.desc()).limit(limit)))


def mark_read(
    session: Session, user: User, notification_id: uuid.UUID, now: datetime
) -> Notification:
    """Mark one of the user's notifications read."""
    found = get_one(session, Notification, notification_id, "notification")
    if found.user_id != user.id:
        raise NotFound("no such notification")
    found.read_at = found.read_at or now
    return found


def notify_overdue(session: Session, now: datetime) -> int:
    """Tell borrowers and archivists, once, of every borrowing that became overdue."""
    late = session.scalars(
        select(Borrowing).where(overdue(now), Borrowing.overdue_notified_at.is_(None))
    ).all()
    for borrowing in late:
        customer = session.get_one(Customer, borrowing.customer_id)
        archivists = _cleared(
            session, holders(session, "archivist", customer.department_id), borrowing
        )
        notify(session, [borrowing.requester_id, *archivists], "overdue", borrowing)
        borrowing.overdue_notified_at = now
    return len(late)


def send_pending(session: Session, settings: AccessSettings, now: datetime) -> int:
    """E-mail unsent notifications of users with an address; returns how many went out."""
    if settings.smtp_host is None:
        return 0
    rows = session.execute(
        select(Notification, User.email)
        .join(User, User.id == Notification.user_id)
        .where(
            Notification.sent_at.is_(None),
            Notification.attempts < MAX_ATTEMPTS,
            User.email.is_not(None),
        )
        .limit(100)
    ).all()
    if not rows:
        return 0
    sent = 0
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user and settings.smtp_password:
            smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
        for notification, address in rows:
            message = EmailMessage()
            message["From"], message["To"] = settings.smtp_from, address
            message["Subject"] = notification.subject
            message.set_content(notification.body)
            notification.attempts += 1
            try:
                smtp.send_message(message)
            except smtplib.SMTPException as error:
                logger.warning("notification not sent (%s)", type(error).__name__)
                continue
            notification.sent_at = now
            sent += 1
    return sent
