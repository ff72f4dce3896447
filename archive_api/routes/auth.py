"""Signing in and out: bearer tokens, browser sessions and personal API tokens.

Sign-ins (login tokens and browser sessions) are listed and revoked at `/auth/sessions`,
personal API tokens at `/auth/tokens`, each by its id; no listing ever shows a token.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from access import throttle
from access.authz import roles_held
from access.errors import Forbidden, Unauthenticated
from access.identity import (
    authenticate,
    csrf_token,
    hash_password,
    issue_token,
    live_sessions,
    own_tokens,
    revoke_all,
    revoke_session,
    revoke_token,
    token_row,
)
from access.schemas import Password
from archive_api.deps import SESSION_COOKIE, CurrentUser, DbSession, Services, bearer
from archive_api.events import record_done, record_refusal
from archive_api.schemas import MAX_OFFSET, Page, TokenRead
from storage.auditnames import Action
from storage.models import Language, Secrecy, TokenKind, User
from storage.models.base import utcnow

router = APIRouter(prefix="/auth", tags=["auth"])
SIGNED_IN_COOKIE = "dangan_signed_in"
Form = Annotated[OAuth2PasswordRequestForm, Depends()]


class SessionRead(BaseModel):
    """A browser session: the cookie is set; this token goes with every change."""

    csrf_token: str
    expires_in: int


class RoleHeld(BaseModel):
    """A role and where it is held (no department: company-wide)."""

    role: str
    department_id: uuid.UUID | None


class MeRead(BaseModel):
    """The signed-in user, for a client to show the doors its roles open."""

    id: uuid.UUID
    username: str
    display_name: str
    department_id: uuid.UUID | None
    clearance: Secrecy
    roles: list[RoleHeld]
    language: Language = Field(description="the language the user reads Dangan in")
    csrf_token: str | None = Field(description="for changes, when signed in by the cookie")


class MeUpdate(BaseModel):
    """What a user may change of themselves."""

    model_config = ConfigDict(extra="forbid")

    language: Language


class PersonalTokenCreate(BaseModel):
    """A new personal API token."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    expires_in_days: int = Field(90, ge=1, le=365)


class PersonalTokenRead(BaseModel):
    """A personal API token as listed: never the token itself."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str | None
    kind: TokenKind
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class SignInRead(BaseModel):
    """One of your sign-ins still in force: never the token itself."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    created_at: datetime
    expires_at: datetime | None
    address: str | None = Field(description="the address it was signed in from")
    user_agent: str | None = Field(description="the program it was signed in with")
    current: bool = Field(False, description="the sign-in this request was made with")


class PersonalTokenCreated(PersonalTokenRead):
    """A personal API token just made: the only time the token is shown."""

    token: str


def _client(request: Request) -> tuple[str | None, str | None]:
    # Stored with a sign-in so that its owner can tell it from their others.
    return (request.client.host if request.client else None, request.headers.get("user-agent"))


def _sign_in(form: Form, request: Request, session: DbSession, services: Services) -> User:
    address = _client(request)[0] or "unknown"
    try:
        throttle.check(session, services.settings, form.username, address)
        user = authenticate(session, form.username, form.password)
    except Unauthenticated as refused:
        throttle.record_failure(services.sessions, form.username, address)
        # The name tried is recorded (it may not exist); the password never is.
        record_refusal(request, refused, Action.LOGIN, {"username": form.username})
        raise
    request.state.user = user
    record_done(session, request, Action.LOGIN, {"user": str(user.id)})
    return user


@router.post("/token")
def login(form: Form, request: Request, session: DbSession, services: Services) -> TokenRead:
    """Exchange a user name and password for a bearer token (OAuth2 password flow)."""
    user = _sign_in(form, request, session, services)
    ttl = services.settings.session_ttl
    token, _ = issue_token(session, user, TokenKind.session, ttl, client=_client(request))
    return TokenRead(access_token=token, expires_in=int(ttl.total_seconds()))


@router.post("/session")
def open_session(
    form: Form, request: Request, response: Response, session: DbSession, services: Services
) -> SessionRead:
    """Sign in a browser: an HttpOnly session cookie, and the CSRF token for changes."""
    user = _sign_in(form, request, session, services)
    ttl = services.settings.session_ttl
    token, _ = issue_token(session, user, TokenKind.session, ttl, client=_client(request))
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(ttl.total_seconds()),
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    # Readable by the page (unlike the session): it tells the UI a session may exist, so a
    # first visit does not ask /auth/me only to be refused.
    response.set_cookie(
        SIGNED_IN_COOKIE, "1", max_age=int(ttl.total_seconds()), path="/", samesite="strict"
    )
    return SessionRead(csrf_token=csrf_token(token), expires_in=int(ttl.total_seconds()))


Token = Annotated[str | None, Depends(bearer)]


def _presented(request: Request, token: str | None) -> str:
    # The credential this request was accepted with: the bearer token comes before the cookie,
    # as in `current_user`.
    return token or request.cookies.get(SESSION_COOKIE) or ""


@router.get("/me")
def me(request: Request, user: CurrentUser, session: DbSession, token: Token) -> MeRead:
    """Who is signed in, with their roles (and the CSRF token of a browser session)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    return MeRead(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        department_id=user.department_id,
        clearance=user.clearance,
        roles=[RoleHeld(role=r, department_id=d) for r, d in roles_held(session, user)],
        language=Language(user.language),
        csrf_token=csrf_token(cookie) if cookie and token is None else None,
    )


class PasswordChange(BaseModel):
    """One's own new password, with the present one to show it is really them."""

    model_config = ConfigDict(extra="forbid")

    current_password: Annotated[str, StringConstraints(max_length=200)]
    new_password: Password


@router.post("/password", status_code=204)
def change_password(
    request: Request,
    change: PasswordChange,
    user: CurrentUser,
    session: DbSession,
    services: Services,
    token: Token,
) -> None:
    """Change one's own password; every other session and API token of the user ends."""
    address = _client(request)[0] or "unknown"
    throttle.check(session, services.settings, user.username, address)
    try:
        authenticate(session, user.username, change.current_password)
    except Unauthenticated:
        # 403, not 401: the session is fine, only the password given is wrong.
        throttle.record_failure(services.sessions, user.username, address)
        why = "current_password: not the present password"
        attempt = ("auth", "password")
        raise Forbidden(why, attempt, "wrong password", reason="wrong_password") from None
    user.password_hash = hash_password(change.new_password)
    kept = token_row(session, _presented(request, token))
    revoke_all(session, user.id, utcnow(), keep=kept.id if kept else None)
    record_done(session, request, Action.PASSWORD_CHANGE, {"user": str(user.id)})


@router.patch("/me", status_code=204)
def update_me(request: Request, change: MeUpdate, user: CurrentUser, session: DbSession) -> None:
    """Change one's own preferences: the language, remembered for every browser."""
    user.language = change.language
    record_done(session, request, Action.ME_UPDATE, {"user": str(user.id)})


@router.delete("/session", status_code=204)
def close_session(
    request: Request, response: Response, user: CurrentUser, session: DbSession, token: Token
) -> None:
    """Sign out: the token of this request (bearer or cookie) ends on the server, the cookie is
    cleared."""
    ended = revoke_session(session, _presented(request, token))
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(SIGNED_IN_COOKIE, path="/")
    target = {"user": str(user.id), "token": str(ended) if ended else None}
    record_done(session, request, Action.SESSION_CLOSE, target)


@router.get("/sessions")
def list_sessions(
    request: Request, user: CurrentUser, session: DbSession, token: Token
) -> list[SignInRead]:
    """Your sign-ins still in force (login tokens and browser sessions), newest first."""
    current = token_row(session, _presented(request, token))
    return [
        SignInRead.model_validate(row).model_copy(
            update={"current": current is not None and row.id == current.id}
        )
        for row in live_sessions(session, user, utcnow())
    ]


@router.delete("/sessions/{session_id:uuid}", status_code=204)
def end_session(
    session_id: uuid.UUID, request: Request, user: CurrentUser, session: DbSession
) -> None:
    """End one of your sign-ins; its token is refused from the next request on."""
    revoke_token(session, user, session_id, TokenKind.session)
    target = {"user": str(user.id), "token": str(session_id)}
    record_done(session, request, Action.SESSION_CLOSE, target)


@router.post("/tokens", status_code=201)
def create_token(
    data: PersonalTokenCreate, request: Request, user: CurrentUser, session: DbSession
) -> PersonalTokenCreated:
    """Make a personal API token; it is shown once and stored only as a hash."""
    ttl = timedelta(days=data.expires_in_days)
    token, row = issue_token(
        session, user, TokenKind.personal, ttl, data.name, client=_client(request)
    )
    record_done(session, request, Action.TOKEN_CREATE, {"token": str(row.id)})
    return PersonalTokenCreated(token=token, **PersonalTokenRead.model_validate(row).model_dump())


@router.get("/tokens")
def list_tokens(
    user: CurrentUser,
    session: DbSession,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page[PersonalTokenRead]:
    """Your personal API tokens, newest first, a page at a time (never the tokens themselves)."""
    rows, total = own_tokens(session, user, limit, offset)
    items = [PersonalTokenRead.model_validate(row) for row in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.delete("/tokens/{token_id:uuid}", status_code=204)
def delete_token(
    token_id: uuid.UUID, request: Request, user: CurrentUser, session: DbSession
) -> None:
    """Revoke one of your tokens; it is refused from the next request on."""
    revoke_token(session, user, token_id)
    record_done(session, request, Action.TOKEN_REVOKE, {"token": str(token_id)})
