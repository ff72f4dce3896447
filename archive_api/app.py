"""The composition root: builds the FastAPI application over a set of backends."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Request, Response

from archive_api import errors
from archive_api.backends import Backends
from archive_api.extractor import Extractor
from archive_api.postman import Postman
from archive_api.routes import (
    admin,
    audit,
    auth,
    borrowings,
    credit,
    customers,
    documents,
    handovers,
    incidents,
    notifications,
    reading,
)
from storage.auditlog import Sequencer

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def create_app(backends: Backends) -> FastAPI:
    """The Dangan HTTP application; every route but sign-in requires a bearer token."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        sequencer = Sequencer(
            backends.sessions, backends.audit_key, backends.settings.audit_checkpoint_every
        )
        postman, extractor = Postman(backends), Extractor(backends)
        sequencer.start()
        postman.start()
        extractor.start()
        yield
        extractor.stop()
        postman.stop()
        sequencer.stop()
        backends.close()

    app = FastAPI(title="Dangan 档案", version="0.1.0", lifespan=lifespan)
    app.state.backends = backends
    api = APIRouter(prefix="/api/v1")
    routers = (auth, customers, documents, reading, borrowings, handovers, incidents, notifications)
    for module in (*routers, credit, admin, audit):
        api.include_router(module.router)
    app.include_router(api)
    errors.install(app)

    @app.middleware("http")
    async def request_id(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # One id per request, in the audit events and the response, to match them in logs.
        given = request.headers.get("x-request-id", "")
        request.state.request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        response = await call_next(request)
        response.headers["X-Request-ID"] = request.state.request_id
        return response

    return app
