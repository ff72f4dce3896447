"""The signed-in user's own steps: sign in, change the password and preferences, sign out,
and keep personal API tokens.

Each step acts on the caller's own account only and records its one audit event in the
caller's transaction; a failed sign-in is counted (in a transaction of its own) and refused,
and the refusal names the user name tried, never the password.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from access import throttle
from access.config import AccessSettings
from access.errors import Forbidden, Unauthenticated
from access.identity import (
    authenticate,
    hash_password,
    issue_token,
    revoke_all,
    revoke_session,
    revoke_token,
    token_row,
)
from access.roles import roles_of
from storage.auditevent import Actor, record
from storage.auditnames import Action
from storage.models import AuthToken, Language, TokenKind, User
from storage.models.base import utcnow

# Where a sign-in comes from, kept with its token: the address and the user agent.
Device = tuple[str | None, str | None]


def sign_in(
    session: Session,
    client: dict[str, str | None],
    sessions: sessionmaker[Session],
    settings: AccessSettings,
    credentials: tuple[str, str],
    device: Device,
) -> tuple[User, str]:
    """Exchange a user name and password for a session token (shown once); `client` is where
    the request came from, for the audit event of whoever it turns out to be."""
    username, password = credentials
    address = device[0] or "unknown"
    try:
        throttle.check(session, settings, username, address)
        user = authenticate(session, username, password)
    except Unauthenticated as refused:
        throttle.record_failure(sessions, username, address)
        refused.target = {"username": username}  # the name tried (it may not exist)
        raise
    actor = Actor.of(user, roles_of(session, user), client)
    record(session, actor, Action.LOGIN, "success", {"user": str(user.id)})
    token, _ = issue_token(session, user, TokenKind.session, settings.session_ttl, client=device)
    return user, token


def change_password(
    session: Session,
    actor: Actor,
    user: User,
    passwords: tuple[str, str],
    presented: str,
    counting: tuple[sessionmaker[Session], AccessSettings, str],
) -> None:
    """Change one's own password (`passwords`: the present one, the new one); every other
    session and API token ends, the one `presented` with this request stays. `counting` is
    where failures are counted, the limits, and the caller's address."""
    current, new = passwords
    sessions, settings, address = counting
    throttle.check(session, settings, user.username, address)
    try:
        authenticate(session, user.username, current)
    except Unauthenticated:
        # 403, not 401: the session is fine, only the password given is wrong.
        throttle.record_failure(sessions, user.username, address)
        why = "current_password: not the present password"
        attempt = ("auth", "password")
        raise Forbidden(why, attempt, "wrong password", reason="wrong_password") from None
    user.password_hash = hash_password(new)
    kept = token_row(session, presented)
    revoke_all(session, user.id, utcnow(), keep=kept.id if kept else None)
    record(session, actor, Action.PASSWORD_CHANGE, "success", {"user": str(user.id)})


def choose_language(session: Session, actor: Actor, user: User, language: Language) -> None:
    """Change one's own preferences: the language, remembered for every browser."""
    user.language = language
    record(session, actor, Action.ME_UPDATE, "success", {"user": str(user.id)})


def sign_out(session: Session, actor: Actor, user: User, presented: str) -> uuid.UUID | None:
    """End the sign-in whose token was `presented`; returns the id of the token ended."""
    ended = revoke_session(session, presented)
    target = {"user": str(user.id), "token": str(ended) if ended else None}
    record(session, actor, Action.SESSION_CLOSE, "success", target)
    return ended


def end_session(session: Session, actor: Actor, user: User, session_id: uuid.UUID) -> None:
    """End one of one's own sign-ins; its token is refused from the next request on."""
    revoke_token(session, user, session_id, TokenKind.session)
    target = {"user": str(user.id), "token": str(session_id)}
    record(session, actor, Action.SESSION_CLOSE, "success", target)


def create_token(
    session: Session, actor: Actor, user: User, name: str, days: int, device: Device
) -> tuple[str, AuthToken]:
    """A personal API token, valid for `days`; the token is returned once, stored as a hash."""
    token, row = issue_token(
        session, user, TokenKind.personal, timedelta(days=days), name, client=device
    )
    record(session, actor, Action.TOKEN_CREATE, "success", {"token": str(row.id)})
    return token, row


def revoke_own_token(session: Session, actor: Actor, user: User, token_id: uuid.UUID) -> None:
    """Revoke one of one's own tokens; it is refused from the next request on."""
    revoke_token(session, user, token_id)
    record(session, actor, Action.TOKEN_REVOKE, "success", {"token": str(token_id)})
