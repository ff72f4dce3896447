"""Prometheus metrics at `/metrics`: requests, latency, bytes, extraction and audit chaining.

Invariant: labels hold only route templates (`/api/v1/documents/{document_id}`), methods,
statuses and fixed kinds, never a raw path, an id, a name or a title, so the metrics carry no
personal data and their number of series is bounded by the routes. Still, volumes and error
rates are the operator's business: /metrics answers only a bearer of `DANGAN_METRICS_TOKEN`,
and is off (404) without one.
"""

from __future__ import annotations

import hmac
import math
import time

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from archive_api.backends import Backends
from ingest.tasks import READINGS
from ingest.textindex import KIND as TEXT_KIND
from storage.models import Extraction, ExtractionStatus
from storage.models.audit import AuditPending

# A `_created` series beside every counter and histogram doubles them and says little.
disable_created_metrics()  # type: ignore[no-untyped-call]
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_UNMATCHED = "unmatched"  # no route: the web UI's own pages, or nothing at all

REQUESTS = Counter(
    "dangan_http_requests_total", "HTTP requests answered.", ["method", "route", "status"]
)
LATENCY = Histogram(
    "dangan_http_request_duration_seconds",
    "Time from a request's start to its response's last byte.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
RECEIVED = Counter(
    "dangan_http_request_body_bytes_total", "Bytes of request bodies (uploads).", ["route"]
)
SENT = Counter(
    "dangan_http_response_body_bytes_total", "Bytes of response bodies (downloads).", ["route"]
)
EXTRACTIONS = Counter(
    "dangan_extractions_total",
    "Readings of uploads finished, by kind and outcome (read, failed, retry).",
    ["kind", "outcome"],
)
TASK_SECONDS = Histogram(
    "dangan_task_duration_seconds",
    "Time each background task took, by task (readings, postman, sweeps, fixity, rewraps).",
    ["task"],
    buckets=(0.05, 0.25, 1, 5, 15, 60, 300, 900, 3600),
)
EXTRACTIONS_WAITING = Gauge(
    "dangan_extractions_waiting",
    "Readings of uploads not finished yet, by kind and status (pending, running), at scrape.",
    ["kind", "status"],
)
QUEUE_JOBS = Gauge(
    "dangan_queue_jobs",
    "Jobs of the background queue (PostgreSQL) by task and status (todo, doing), at scrape.",
    ["task", "status"],
)
AUDIT_CHAINED = Counter("dangan_audit_events_chained_total", "Audit events chained.")
AUDIT_PENDING = Gauge(
    "dangan_audit_pending_events",
    "Audit events written but not chained yet (the sequencer's lag), as of the last scrape.",
)


# The whole template of each route included under a prefix: the route FastAPI puts in the
# scope is the router's own, which knows only its part of the path ("/customers/{customer_id}").
_PREFIXED: dict[int, str] = {}


def name_routes(router: APIRouter, prefix: str) -> None:
    """Count the routes of `router`, included under `prefix`, under their whole templates."""
    for route in router.routes:
        if isinstance(route, APIRoute):
            _PREFIXED[id(route)] = prefix + route.path_format


def _route(scope: Scope) -> str:
    route = scope.get("route")
    if route is None:
        return _UNMATCHED
    template = _PREFIXED.get(id(route), getattr(route, "path_format", None))
    return template if isinstance(template, str) else _UNMATCHED


class Metered:
    """Counts and times every HTTP request under its route template (plain ASGI, one closure)."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, noting its status and body sizes; record when it ends."""
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        start = time.perf_counter()
        status, received, sent = 500, 0, 0  # an exception before any response is a 500

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            return message

        async def counted_send(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
            else:
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self._app(scope, counted_receive, counted_send)
        finally:
            route = _route(scope)
            method = scope["method"] if scope["method"] in _METHODS else "other"
            REQUESTS.labels(method, route, str(status)).inc()
            LATENCY.labels(method, route).observe(time.perf_counter() - start)
            if received:
                RECEIVED.labels(route).inc(received)
            if sent:
                SENT.labels(route).inc(sent)


router = APIRouter(include_in_schema=False)


@router.get("/metrics")
def metrics(request: Request) -> Response:
    """The metrics in Prometheus' text format, for the bearer of the metrics token only."""
    backends: Backends = request.app.state.backends
    token = backends.settings.metrics_token
    if token is None:
        return JSONResponse(
            {"error": "not_found", "detail": "metrics are off: set DANGAN_METRICS_TOKEN"}, 404
        )
    given = request.headers.get("authorization", "").encode()
    if not hmac.compare_digest(given, f"Bearer {token.get_secret_value()}".encode()):
        return JSONResponse(
            {"error": "unauthenticated", "detail": "the metrics token is needed"},
            401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    try:
        with backends.sessions() as session:
            AUDIT_PENDING.set(session.scalar(select(func.count()).select_from(AuditPending)) or 0)
            _queue_depth(session)
    except SQLAlchemyError:
        AUDIT_PENDING.set(math.nan)  # unknown while the database is away; /readyz says so
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def _queue_depth(session: Session) -> None:
    # Every kind and status is set, to 0 if none waits: a series that vanished would read as
    # "no data", not as an empty queue.
    waiting = (ExtractionStatus.pending, ExtractionStatus.running)
    counted = session.execute(
        select(Extraction.kind, Extraction.status, func.count())
        .where(Extraction.status.in_(waiting))
        .group_by(Extraction.kind, Extraction.status)
    ).all()
    found = {(kind, str(status)): n for kind, status, n in counted}
    for kind in (*READINGS, TEXT_KIND):
        for status in waiting:
            EXTRACTIONS_WAITING.labels(kind, str(status)).set(found.get((kind, str(status)), 0))
    if session.get_bind().dialect.name != "postgresql":
        return
    jobs = session.execute(
        text(
            "SELECT task_name, status::text, count(*) FROM procrastinate_jobs"
            " WHERE status IN ('todo', 'doing') GROUP BY task_name, status"
        )
    ).all()
    QUEUE_JOBS.clear()
    for task, status, n in jobs:
        QUEUE_JOBS.labels(task, status).set(n)
