"""Domain errors of the storage layer; every domain error carries the HTTP status it maps to."""

from __future__ import annotations

from typing import Any


class DanganError(Exception):
    """Base of all domain errors: `status` is the HTTP status, `code` a stable machine name.

    `reason`, where given, names the particular case within the code (`uscc_taken` within
    `conflict`) so that a client can say it in its user's language.
    """

    status: int = 500
    code: str = "internal_error"
    recorded: bool = False  # set once the refusal has its audit event
    # What a refusal was about (customer, document), for its audit event only: never shown.
    target: dict[str, Any] | None = None

    def __init__(
        self, detail: str, headers: dict[str, str] | None = None, *, reason: str | None = None
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers
        self.reason = reason


class NotFound(DanganError):
    """The object does not exist (or the caller may not know it exists)."""

    status = 404
    code = "not_found"


class Conflict(DanganError):
    """The request clashes with what is already stored."""

    status = 409
    code = "conflict"


class InvalidWindow(DanganError):
    """A time window that does not end after it starts."""

    status = 422
    code = "invalid_field"


class IntegrityError(DanganError):
    """Stored bytes failed authentication or did not match their recorded hash."""

    status = 500
    code = "integrity_error"


class ObjectNotFound(DanganError):
    """The object store has no object under the key."""

    status = 500
    code = "object_missing"


# Seconds a client is asked to wait before retrying after a backend fault: long enough for a
# restarted service or a reconnecting pool, short enough that nobody gives up.
RETRY_AFTER_SECONDS = 5


class BackendUnavailable(DanganError):
    """The database, object store or key service could not be reached or refused the call."""

    status = 503
    code = "backend_unavailable"

    def __init__(self, service: str) -> None:
        # Names the service only: its own message may carry hosts, keys or document ids.
        super().__init__(
            f"{service} is unavailable", headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
        )
