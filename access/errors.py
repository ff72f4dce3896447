"""Errors of authentication and authorization."""

from __future__ import annotations

from storage.errors import Conflict, DanganError, NotFound


class Unauthenticated(DanganError):
    """No valid credentials: the caller must sign in."""

    status = 401
    code = "unauthenticated"


class Forbidden(DanganError):
    """The caller may know the object exists but may not do this with it."""

    status = 403
    code = "forbidden"

    def __init__(
        self, detail: str, attempt: tuple[str, str], rule: str, *, reason: str | None = None
    ) -> None:
        super().__init__(detail, reason=reason)
        # For the audit event only; never shown to the caller.
        self.attempt, self.rule = attempt, rule


class Hidden(NotFound):
    """The caller may not know the object exists, so it answers as absent (404)."""

    def __init__(
        self, detail: str, attempt: tuple[str, str], rule: str, *, reason: str | None = None
    ) -> None:
        super().__init__(detail, reason=reason)
        self.attempt, self.rule = attempt, rule


class CsrfFailed(DanganError):
    """A cookie-authenticated change came without the session's CSRF token."""

    status = 403
    code = "csrf_failed"


class TooManyAttempts(DanganError):
    """Too many failed sign-ins recently, for this user name or from this address."""

    status = 429
    code = "too_many_attempts"


class BorrowingConflict(Conflict):
    """The borrowing is not in a state that allows this step (returned twice, overdue …)."""

    def __init__(
        self, detail: str, attempt: tuple[str, str], rule: str, *, reason: str | None = None
    ) -> None:
        super().__init__(detail, reason=reason)
        # Refused steps are audited like denials (archive_api.errors records them).
        self.attempt, self.rule = attempt, rule


class InvalidBorrowing(DanganError):
    """A borrowing request outside what the rules allow (mode, duration, missing original)."""

    status = 422
    code = "invalid_field"
