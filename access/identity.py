"""Who the caller is: passwords, bearer tokens and the first administrator.

Invariants: passwords are stored only as argon2 hashes; tokens are random 256-bit values stored
only as SHA-256, so the table grants nothing if it leaks; a token is accepted only while it is
unexpired, unrevoked and its user is `active`, checked on every request (no cache), so disabling
a user or revoking a token takes effect on the very next request; signing out revokes the token
that signed out, whether it came as a cookie or a bearer token; listings never show a token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session, joinedload

from access.authz import REVISION_READ, bump_revision, subject
from access.decisions import COMPANY
from access.errors import Unauthenticated
from storage.errors import NotFound
from storage.models import AuthToken, CasbinRule, PolicyRevision, TokenKind, User, UserStatus
from storage.models.base import utcnow

ADMIN_USERNAME = "admin"
TOKEN_PREFIX = "dgn_"  # noqa: S105 - marks Dangan tokens for secret scanners  # nosec B105
_hasher = PasswordHasher()
# Verified against when the user does not exist, so timing does not reveal which names exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(session: Session, username: str, password: str) -> User:
    """The active user with this name and password; raises Unauthenticated otherwise."""
    user = session.scalar(select(User).where(User.username == username))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        raise Unauthenticated("wrong user name or password") from None
    if user is None or user.status != UserStatus.active:
        raise Unauthenticated("wrong user name or password")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def issue_token(
    session: Session,
    user: User,
    kind: TokenKind,
    ttl: timedelta | None,
    name: str | None = None,
    client: tuple[str | None, str | None] = (None, None),
) -> tuple[str, AuthToken]:
    """A new bearer token for the user, issued to `client` (address, user agent); the
    plaintext is returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at: datetime | None = utcnow() + ttl if ttl is not None else None
    address, user_agent = client
    row = AuthToken(
        user=user,
        token_hash=_token_hash(token),
        kind=kind,
        name=name,
        expires_at=expires_at,
        address=address[:64] if address else None,
        user_agent=user_agent[:200] if user_agent else None,
    )
    session.add(row)
    session.flush()
    return token, row


def csrf_token(session_token: str) -> str:
    """The CSRF token of a cookie session, derived from the session token itself.

    Only the holder of the HttpOnly cookie's value and the server can compute it, so nothing
    more is stored; the page receives it once at sign-in and sends it with every change.
    """
    return hmac.new(session_token.encode(), b"dangan-csrf", hashlib.sha256).hexdigest()


def own_tokens(
    session: Session, user: User, limit: int = 100, offset: int = 0
) -> tuple[list[AuthToken], int]:
    """One page of the user's personal API tokens, newest first, and how many there are."""
    mine = (AuthToken.user_id == user.id, AuthToken.kind == TokenKind.personal)
    total = session.scalar(select(func.count()).select_from(AuthToken).where(*mine)) or 0
    query = select(AuthToken).where(*mine).order_by(AuthToken.created_at.desc(), AuthToken.id)
    return list(session.scalars(query.limit(limit).offset(offset))), total


def live_sessions(session: Session, user: User, now: datetime) -> list[AuthToken]:
    """The user's sign-ins (login tokens and browser sessions) still in force, newest first."""
    query = select(AuthToken).where(
        AuthToken.user_id == user.id,
        AuthToken.kind == TokenKind.session,
        AuthToken.revoked_at.is_(None),
        (AuthToken.expires_at.is_(None)) | (AuthToken.expires_at > now),
    )
    return list(session.scalars(query.order_by(AuthToken.created_at.desc())))


def token_row(session: Session, token: str) -> AuthToken | None:
    """The stored row of a token value, if there is one."""
    return session.scalar(select(AuthToken).where(AuthToken.token_hash == _token_hash(token)))


def revoke_token(
    session: Session, user: User, token_id: uuid.UUID, kind: TokenKind | None = None
) -> AuthToken:
    """Revoke one of the user's own tokens (of `kind`, if given); any other is not found."""
    row = session.get(AuthToken, token_id)
    if row is None or row.user_id != user.id or (kind is not None and row.kind != kind):
        raise NotFound("no such token")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


def revoke_session(session: Session, token: str) -> uuid.UUID | None:
    """End the session of a token (signing out); returns the id of the token ended."""
    row = token_row(session, token)
    if row is None:
        return None
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return row.id


def revoke_all(
    session: Session, user_id: uuid.UUID, now: datetime, keep: uuid.UUID | None = None
) -> None:
    """End every session and API token of the user at once (but `keep`, if given)."""
    session.execute(
        update(AuthToken)
        .where(AuthToken.user_id == user_id, AuthToken.revoked_at.is_(None), AuthToken.id != keep)
        .values(revoked_at=now)
    )


# Built once: a statement built per call costs as much to key for the cache as to run.
_TOKEN = (
    select(AuthToken, PolicyRevision.revision)
    .options(joinedload(AuthToken.user).joinedload(User.department))
    .outerjoin(PolicyRevision, PolicyRevision.id == 1)
    .where(AuthToken.token_hash == bindparam("hash"))
)


def user_for_token(session: Session, token: str) -> User:
    """The active user a bearer token belongs to; raises Unauthenticated for anything else."""
    # The user, and the policy revision the request will be decided under, come in the same
    # query: every request asks this first.
    found = session.execute(_TOKEN, {"hash": _token_hash(token)}).first()
    row = found[0] if found else None
    if found is not None:
        session.info[REVISION_READ] = found[1] or 0
    if row is None or row.revoked_at is not None:
        raise Unauthenticated("invalid or revoked token")
    if row.expires_at is not None and row.expires_at <= utcnow():
        raise Unauthenticated("token expired")
    if row.user.status != UserStatus.active:
        raise Unauthenticated("account is not active")
    return row.user


def admin_exists(session: Session) -> bool:
    """Whether the first administrator was made already (on an earlier start)."""
    return session.scalar(select(User.id).where(User.username == ADMIN_USERNAME)) is not None


def ensure_admin(session: Session, password: str | None) -> str | None:
    """Create the first administrator if there is none; return a generated password, if any."""
    admin = session.scalar(select(User).where(User.username == ADMIN_USERNAME))
    generated = None
    if admin is None:
        generated = None if password else secrets.token_urlsafe(18)
        admin = User(
            username=ADMIN_USERNAME,
            display_name="Administrator",
            password_hash=hash_password(password or generated or ""),
        )
        session.add(admin)
        session.flush()
    # The role is (re)granted on every start, so the archive always has a way to be managed.
    grant = {"ptype": "g", "v0": subject(admin.id), "v1": "admin", "v2": COMPANY}
    if session.scalar(select(CasbinRule.id).filter_by(**grant)) is None:
        session.add(CasbinRule(**grant))
        bump_revision(session)
    return generated
