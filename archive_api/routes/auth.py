"""Signing in: password for a bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from access.errors import Unauthenticated
from access.identity import authenticate, issue_token
from archive_api.deps import DbSession, Services
from archive_api.events import record_done, record_refusal
from archive_api.schemas import TokenRead
from storage.models import TokenKind

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token")
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    session: DbSession,
    services: Services,
) -> TokenRead:
    """Exchange a user name and password for a bearer token (OAuth2 password flow)."""
    try:
        user = authenticate(session, form.username, form.password)
    except Unauthenticated as refused:
        # The name tried is recorded (it may not exist); the password never is.
        record_refusal(request, refused, "auth:login:password", {"username": form.username})
        raise
    request.state.user = user
    record_done(session, request, "auth:login:password", {"user": str(user.id)})
    ttl = services.settings.session_ttl
    token, _ = issue_token(session, user, TokenKind.session, ttl)
    return TokenRead(access_token=token, expires_in=int(ttl.total_seconds()))
