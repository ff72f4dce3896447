"""Request dependencies: the unit of work and the signed-in user."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from access.identity import user_for_token
from archive_api.backends import Backends
from storage.db import finish
from storage.models import User

bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token")


def backends(request: Request) -> Backends:
    """The backends of this process."""
    found: Backends = request.app.state.backends
    return found


def _unit_of_work(
    backends: Annotated[Backends, Depends(backends)],
) -> Iterator[Session]:
    # Runs its exit before the response is sent (scope="function"), so a failed commit is an
    # error response and never a success the database does not hold.
    session = backends.sessions()
    try:
        yield session
    except BaseException:
        finish(session, ok=False)
        raise
    else:
        finish(session, ok=True)
    finally:
        session.close()


def current_user(
    session: Annotated[Session, Depends(_unit_of_work, scope="function")],
    token: Annotated[str, Depends(bearer)],
) -> User:
    """The active user of the bearer token; anonymous requests get 401."""
    return user_for_token(session, token)


DbSession = Annotated[Session, Depends(_unit_of_work, scope="function")]
CurrentUser = Annotated[User, Depends(current_user)]
Services = Annotated[Backends, Depends(backends)]
