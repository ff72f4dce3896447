"""Signing in and out: bearer tokens, browser sessions and personal API tokens.

Sign-ins (login tokens and browser sessions) are listed and revoked at `/auth/sessions`,
personal API tokens at `/auth/tokens`, each by its id; no listing ever shows a token.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from access import signing
from access.errors import Unauthenticated
from access.identity import (
    csrf_token,
    live_sessions,
    own_tokens,
    token_row,
)
from access.roles import roles_held
from access.schemas import Password
from archive_api.deps import SESSION_COOKIE, Acting, CurrentUser, DbSession, Services, Token
from archive_api.events import client, record_refusal
from archive_api.schemas import MAX_OFFSET, Page, TokenRead
from storage.auditnames import Action
from storage.models import Language, Secrecy, TokenKind
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


def _sign_in(form: Form, request: Request, session: DbSession, services: Services) -> str:
    credentials, device = (form.username, form.password), _client(request)
    try:
        user, token = signing.sign_in(
            session, client(request), services.sessions, services.settings, credentials, device
        )
    except Unauthenticated as refused:
        record_refusal(request, refused, Action.LOGIN)  # names the user name tried
        raise
    request.state.user = user
    return token


@router.post("/token")
def login(form: Form, request: Request, session: DbSession, services: Services) -> TokenRead:
    """Exchange a user name and password for a bearer token (OAuth2 password flow)."""
    token = _sign_in(form, request, session, services)
    ttl = services.settings.session_ttl
    return TokenRead(access_token=token, expires_in=int(ttl.total_seconds()))


@router.post("/session")
def open_session(
    form: Form, request: Request, response: Response, session: DbSession, services: Services
) -> SessionRead:
    """Sign in a browser: an HttpOnly session cookie, and the CSRF token for changes."""
    token = _sign_in(form, request, session, services)
    ttl = services.settings.session_ttl
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
    actor: Acting,
    session: DbSession,
    services: Services,
    token: Token,
) -> None:
    """Change one's own password; every other session and API token of the user ends."""
    passwords = (change.current_password, change.new_password)
    counting = (services.sessions, services.settings, _client(request)[0] or "unknown")
    presented = _presented(request, token)
    signing.change_password(session, actor, user, passwords, presented, counting)


@router.patch("/me", status_code=204)
def update_me(change: MeUpdate, user: CurrentUser, actor: Acting, session: DbSession) -> None:
    """Change one's own preferences: the language, remembered for every browser."""
    signing.choose_language(session, actor, user, change.language)


@router.delete("/session", status_code=204)
def close_session(
    request: Request,
    response: Response,
    user: CurrentUser,
    actor: Acting,
    session: DbSession,
    token: Token,
) -> None:
    """Sign out: the token of this request (bearer or cookie) ends on the server, the cookie is
    cleared."""
    signing.sign_out(session, actor, user, _presented(request, token))
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(SIGNED_IN_COOKIE, path="/")


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
    session_id: uuid.UUID, user: CurrentUser, actor: Acting, session: DbSession
) -> None:
    """End one of your sign-ins; its token is refused from the next request on."""
    signing.end_session(session, actor, user, session_id)


@router.post("/tokens", status_code=201)
def create_token(
    data: PersonalTokenCreate,
    request: Request,
    user: CurrentUser,
    actor: Acting,
    session: DbSession,
) -> PersonalTokenCreated:
    """Make a personal API token; it is shown once and stored only as a hash."""
    days, device = data.expires_in_days, _client(request)
    token, row = signing.create_token(session, actor, user, data.name, days, device)
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
def delete_token(token_id: uuid.UUID, user: CurrentUser, actor: Acting, session: DbSession) -> None:
    """Revoke one of your tokens; it is refused from the next request on."""
    signing.revoke_own_token(session, actor, user, token_id)
