"""Liveness and readiness for orchestrators: `/healthz` and `/readyz`, unauthenticated.

Invariant: the answers name only which of the fixed checks failed, never a version, a host, an
address or an error's text, so an anonymous caller learns nothing of the deployment. Each check
has TIMEOUT seconds and runs in a thread of its own; a check still hung from an earlier probe
counts as failing without starting another, so a hung dependency fails the probe fast and
never piles up threads.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from archive_api.backends import Backends
from storage import schema

TIMEOUT = 2.0  # seconds per probe: orchestrators probe every few seconds and time out at ~3
logger = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)


class Readiness:
    """The named checks of /readyz over one process's backends."""

    def __init__(self, backends: Backends) -> None:
        self._checks: dict[str, Callable[[], list[str]]] = {
            "database": lambda: self._database(backends),
            "object_store": lambda: _ok(backends.store.check),
            "key_service": lambda: _ok(backends.keys.check),
        }
        self._pool = ThreadPoolExecutor(len(self._checks), thread_name_prefix="readiness")
        self._running: dict[str, Future[list[str]]] = {}
        self._lock = threading.Lock()
        self._failing: list[str] = []

    @staticmethod
    def _database(backends: Backends) -> list[str]:
        with backends.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = schema.state_of(connection).is_current
        return [] if current else ["schema"]

    async def failing(self) -> list[str]:
        """The names of the checks that failed or did not answer in time, in a fixed order."""
        with self._lock:
            for name, check in self._checks.items():
                if name not in self._running or self._running[name].done():
                    self._running[name] = self._pool.submit(check)
            running = dict(self._running)
        waiting = [asyncio.wrap_future(future) for future in running.values()]
        await asyncio.wait(waiting, timeout=TIMEOUT)
        failing: list[str] = []
        for name, future in running.items():
            if not future.done() or future.exception() is not None:
                failing.append(name)
            else:
                failing.extend(future.result())
        self._note(failing)
        return failing

    def _note(self, failing: list[str]) -> None:
        # Logged when it changes, not at every probe: an orchestrator probes every few seconds.
        if failing != self._failing:
            if failing:
                logger.warning("not ready: %s", ", ".join(failing))
            else:
                logger.info("ready")
            self._failing = failing

    def close(self) -> None:
        """Let go of the checks' threads (a hung one ends with its own timeout)."""
        self._pool.shutdown(wait=False, cancel_futures=True)


def _ok(check: Callable[[], None]) -> list[str]:
    check()  # raises if unavailable
    return []


@router.get("/healthz")
def healthz() -> dict[str, bool]:
    """Alive: the process answers; nothing else is asked, so a restart never fixes a backend."""
    return {"alive": True}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """Ready: database, object store and key service answer and the schema is current."""
    readiness: Readiness = request.app.state.readiness
    failing = await readiness.failing()
    if failing:
        return JSONResponse({"ready": False, "failing": failing}, status_code=503)
    return JSONResponse({"ready": True})


def install(app: FastAPI, backends: Backends) -> Readiness:
    """Add the probes to the app; the caller closes the returned checks on shutdown."""
    readiness = Readiness(backends)
    app.state.readiness = readiness
    app.include_router(router)
    return readiness
