"""One renderer for every error: `{"error": code, "detail": text}` with the error's status."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from archive_api.events import record_refusal
from storage.errors import BackendUnavailable, DanganError

logger = logging.getLogger(__name__)


def _error(
    status: int,
    code: str,
    detail: object,
    headers: Mapping[str, str] | None = None,
    reason: str | None = None,
) -> JSONResponse:
    body = {"error": code, "detail": detail}
    if reason is not None:
        body["reason"] = reason
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


def _field_problems(errors: Sequence[Any]) -> str:
    # Names the field and the rule, never echoes the value (it may be personal data).
    parts = []
    for error in errors:
        loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "form")]
        parts.append(f"{'.'.join(loc) or 'request'}: {error.get('msg')}")
    return "; ".join(parts)


def install(app: FastAPI) -> None:
    """Register the handlers on the app."""

    @app.exception_handler(DanganError)
    def _domain(request: Request, exc: DanganError) -> JSONResponse:
        if exc.status >= 500:
            logger.error("%s: %s", exc.code, exc.detail)
        if exc.status in (401, 403, 404, 429) or hasattr(exc, "attempt"):
            record_refusal(request, exc)
        return _error(exc.status, exc.code, exc.detail, exc.headers, exc.reason)

    @app.exception_handler(RequestValidationError)
    def _request(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, "invalid_field", _field_problems(exc.errors()))

    @app.exception_handler(ValidationError)
    def _model(_: Request, exc: ValidationError) -> JSONResponse:
        return _error(422, "invalid_field", _field_problems(exc.errors()))

    @app.exception_handler(HTTPException)
    def _http(_: Request, exc: HTTPException) -> JSONResponse:
        code = {401: "unauthenticated", 404: "not_found", 405: "method_not_allowed"}
        return _error(
            exc.status_code, code.get(exc.status_code, "http_error"), exc.detail, exc.headers
        )

    def _database(_: Request, exc: Exception) -> JSONResponse:
        # Lost or refused connections, and a pool with none to give: the database is away,
        # and the pool reconnects by itself once it is back.
        logger.error("database unavailable: %s", type(getattr(exc, "orig", exc)).__name__)
        away = BackendUnavailable("the database")
        return _error(away.status, away.code, away.detail, away.headers)

    for fault in (OperationalError, InterfaceError, PoolTimeout):
        app.add_exception_handler(fault, _database)

    @app.exception_handler(Exception)
    def _bug(_: Request, exc: Exception) -> JSONResponse:
        # Called after the except block that caught it: the exception is named, not implied.
        logger.error("unhandled error", exc_info=exc)
        return _error(500, "internal_error", "internal error")
