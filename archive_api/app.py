"""The composition root: builds the FastAPI application over a set of backends."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from archive_api import errors, metrics, probes, webapp
from archive_api.backends import Backends
from archive_api.background import Rounds
from archive_api.logs import REQUEST_ID
from archive_api.routes import (
    admin,
    audit,
    auth,
    borrowings,
    completeness,
    contracts,
    credit,
    credit_warnings,
    customers,
    deadlines,
    disposals,
    documents,
    exports,
    handovers,
    incidents,
    notifications,
    reading,
    retention,
    search,
    secrecy,
)
from archive_api.schemas import ERRORS

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


# API answers (JSON, documents, page images) embed nothing and are framed by nobody.
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


class ResponseHeaders:
    """Headers every response carries: its request's id, and those that keep it out of caches,
    frames and content sniffing.

    The id (`request.state.request_id`, also in the request's audit events) matches a response
    to its events in logs. Document content must never be kept by a proxy or a browser, so every
    response but the UI's built files is `no-store`, whatever a route set. Plain ASGI, outside
    even Starlette's error middleware (so an unexpected error's 500 carries them too): Starlette's
    BaseHTTPMiddleware would pass every response body through an extra task and memory stream.
    """

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Name the request and add the headers to the start of its response."""
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        given = Headers(scope=scope).get("x-request-id", "")
        request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        # For the log lines written while it is answered, uvicorn's too. Never reset: each
        # request runs in a task of its own, and uvicorn logs an escaped error after this returns.
        REQUEST_ID.set(request_id)
        # The web UI's built files hold no data and are named by their content: cacheable.
        built = scope["path"].startswith("/assets/")

        async def send_framed(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Request-ID"] = request_id
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Cache-Control"] = "max-age=31536000, immutable" if built else "no-store"
                headers["Referrer-Policy"] = "no-referrer"
                headers["X-Frame-Options"] = "DENY"
                # The UI's pages bring their own policy, with a nonce of their own (webapp).
                headers.setdefault("Content-Security-Policy", API_POLICY)
            await send(message)

        await self._app(scope, receive, send_framed)


class _Archive(FastAPI):
    """FastAPI with ResponseHeaders and Metered outside even Starlette's error middleware."""

    def build_middleware_stack(self) -> ASGIApp:
        """The usual stack, wrapped, so an unexpected error's 500 carries the headers and is
        counted too."""
        return ResponseHeaders(metrics.Metered(super().build_middleware_stack()))


def create_app(backends: Backends) -> FastAPI:
    """The Dangan HTTP application; every route but sign-in requires a bearer token."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        backends.renderer.start()
        # Without them here, `dangan worker` processes do the background work.
        rounds = Rounds(backends) if backends.settings.background_here() else None
        if rounds is not None:
            rounds.start()
        yield
        readiness.close()
        if rounds is not None:
            rounds.stop()
        backends.close()

    # The documentation is served from Dangan's own files (webapp), never from a CDN.
    app = _Archive(
        title="Dangan 档案", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None
    )
    app.state.backends = backends
    # Each module's routes straight under the app: every level of included routers is matched
    # route by route, twice, on every request (FastAPI 0.16x).
    routers = (auth, customers, documents, reading, borrowings, handovers, incidents, notifications)
    others = (retention, search, credit, credit_warnings, admin, audit, exports)
    for module in (*routers, *others, completeness, deadlines, contracts, disposals, secrecy):
        app.include_router(module.router, prefix="/api/v1", responses=ERRORS)
        metrics.name_routes(module.router, "/api/v1")
    readiness = probes.install(app, backends)
    app.include_router(metrics.router)
    errors.install(app)
    webapp.install(app)
    return app
