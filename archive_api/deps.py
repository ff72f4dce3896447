"""Request dependencies: the unit of work, the signed-in user and the doors of authorization."""

from __future__ import annotations

import hmac
import inspect
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Literal

import anyio
import anyio.to_thread
from fastapi import Depends, Path, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from access.authz import Access
from access.errors import CsrfFailed, Forbidden, Hidden, Unauthenticated
from access.identity import csrf_token, user_for_token
from archive_api.backends import Backends
from archive_api.events import actor_of
from ingest.contracts import get_contract
from ingest.customers import get_customer
from ingest.documents import get_document
from storage.auditevent import Actor, contract_target, customer_target, document_target
from storage.db import finish
from storage.models import Contract, Customer, Document, User

bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
SESSION_COOKIE = "dangan_session"
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


async def backends(request: Request) -> Backends:
    """The backends of this process (async: no I/O, so no hop to a worker thread)."""
    found: Backends = request.app.state.backends
    return found


async def _unit_of_work(
    backends: Annotated[Backends, Depends(backends)],
) -> AsyncIterator[Session]:
    # Runs its exit before the response is sent (scope="function"), so a failed commit is an
    # error response and never a success the database does not hold. Async: making a session
    # does no I/O, so only the end (commit or rollback) takes a hop to a worker thread.
    session = backends.sessions()
    try:
        yield session
    except BaseException:
        await _end(session, ok=False)
        raise
    await _end(session, ok=True)


async def _end(session: Session, *, ok: bool) -> None:
    def end() -> None:
        try:
            finish(session, ok=ok)
        finally:
            session.close()

    # Shielded: a request cancelled (its client gone) still rolls back and returns its
    # connection, where an await in a cancelled scope would raise at once.
    with anyio.CancelScope(shield=True):
        await anyio.to_thread.run_sync(end)


def _sign_in(request: Request, session: Session, token: str | None) -> User:
    """The active user of the bearer token or the session cookie; anonymous requests get 401.

    Browsers send cookies on their own, so a change made with the cookie must also carry the
    session's CSRF token; a bearer token is sent only by code that holds it, and needs none.
    """
    cookie = request.cookies.get(SESSION_COOKIE)
    if token is None and cookie is None:
        raise Unauthenticated("sign in first", headers={"WWW-Authenticate": "Bearer"})
    user = user_for_token(session, token or cookie or "")
    if token is None and cookie is not None and request.method not in _SAFE_METHODS:
        sent = request.headers.get("x-csrf-token", "")
        if not hmac.compare_digest(sent, csrf_token(cookie)):
            raise CsrfFailed("missing or wrong X-CSRF-Token for this session")
    request.state.user = user  # the actor of any audit event of this request
    return user


async def current_user(
    request: Request,
    session: Annotated[Session, Depends(_unit_of_work, scope="function")],
    token: Annotated[str | None, Depends(bearer)],
) -> User:
    """The signed-in user (see `_sign_in`), once per request: a door may have signed in already."""
    # Async: each trip to a worker thread costs about as much CPU as the query it runs, so a
    # door signs the caller in on the same trip as it loads its object (`Authorize`).
    signed_in: User | None = getattr(request.state, "user", None)
    if signed_in is None:
        signed_in = await anyio.to_thread.run_sync(_sign_in, request, session, token)
    return signed_in


DbSession = Annotated[Session, Depends(_unit_of_work, scope="function")]
# The bearer token alone, for a route that signs in on its own trip (`Authorize.enter`).
Token = Annotated[str | None, Depends(bearer)]
CurrentUser = Annotated[User, Depends(current_user)]
Services = Annotated[Backends, Depends(backends)]


async def access(
    request: Request, user: CurrentUser, session: DbSession, services: Services
) -> Access:
    """The signed-in user under the policy as committed now (reloaded after any change)."""
    found: Access | None = getattr(request.state, "access", None)  # a door's, this request's
    if found is not None:
        return found
    # Async: the policy is nearly always loaded already, and then no hop to a worker thread is
    # needed; a (re)load reads the database, in a worker thread.
    rules = services.authorizer.known(session)
    if rules is None:
        rules = await anyio.to_thread.run_sync(services.authorizer.rules, session)
    return _policy(request, Access(rules, user))


def _policy(request: Request, found: Access) -> Access:
    request.state.access = found  # its rules know the user's roles for the audit event
    return found


Policy = Annotated[Access, Depends(access)]


async def acting(request: Request, session: DbSession, policy: Policy) -> Actor:
    """Who the request's audit events name (`events.actor_of`), from the rules it is decided by."""
    return actor_of(request, session)


Acting = Annotated[Actor, Depends(acting)]


def _admin(request: Request, user: CurrentUser, policy: Policy) -> User:
    rule = policy.require(None, "admin", "manage")
    request.state.decision = {"effect": "allow", "rule": rule}
    return user


Admin = Annotated[User, Depends(_admin)]


class Authorize:
    """The door for one object: loads the customer, document or contract named in the path and
    checks `act` on it against its own department and secrecy (a contract's are its
    customer's); answers 404 when it may not be known."""

    def __init__(
        self,
        obj: Literal["customer", "document", "contract"],
        act: str,
        refused_as: str | None = None,
    ) -> None:
        # `refused_as`: the action a refusal is audited as, when `act` only guards the way to it.
        self.obj, self.act, self.refused_as = obj, act, refused_as or act
        # FastAPI reads this signature: the path's id is declared, so OpenAPI documents it.
        # Its `:uuid` convertor in the route's path already answered 404 to anything else.
        own = inspect.signature(self.__call__, eval_str=True)
        path_id = inspect.Parameter(
            f"{obj}_id", inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[uuid.UUID, Path()]
        )
        params = [p for p in own.parameters.values() if p.kind is not p.VAR_KEYWORD]
        self.__signature__ = own.replace(parameters=[*params, path_id])

    async def __call__(
        self,
        request: Request,
        session: DbSession,
        services: Services,
        token: Annotated[str | None, Depends(bearer)],
        **path: uuid.UUID,
    ) -> Customer | Document | Contract:
        """The object, if the user may act on it."""
        target_id = path[f"{self.obj}_id"]
        # One trip to a worker thread signs the caller in, loads the object and decides.
        return await anyio.to_thread.run_sync(
            self.enter, request, session, services, token, target_id
        )

    def enter(
        self,
        request: Request,
        session: Session,
        services: Backends,
        token: str | None,
        target_id: uuid.UUID,
    ) -> Customer | Document | Contract:
        """The object, if the user may act on it (in a worker thread: it reads the database).

        Called directly by a route that does all its work, its unit of work included, in one
        trip to a worker thread (`routes.reading.content`, the uploads of `routes.documents`)."""
        user = getattr(request.state, "user", None) or _sign_in(request, session, token)
        target: Customer | Document | Contract
        if self.obj == "customer":
            target = get_customer(session, target_id)
            department_id = target.department_id
        elif self.obj == "contract":
            target = get_contract(session, target_id)
            department_id = target.customer.department_id
        else:
            target = get_document(session, target_id)
            department_id = target.customer.department_id
        policy = getattr(request.state, "access", None) or _policy(
            request, Access(services.authorizer.rules(session), user)
        )
        try:
            rule = policy.require_known(department_id, self.obj, self.act, target.secrecy)
        except (Hidden, Forbidden) as refused:
            refused.attempt = (self.obj, self.refused_as)
            # The customer goes into the audit event, so an export for that customer shows
            # who tried its file and was refused; the caller is told nothing of it.
            refused.target = (
                document_target(target)
                if isinstance(target, Document)
                else contract_target(target)
                if isinstance(target, Contract)
                else customer_target(target)
            )
            raise
        request.state.decision = {"effect": "allow", "rule": rule}
        return target
