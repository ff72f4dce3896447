"""Errors of authentication and authorization."""

from __future__ import annotations

from storage.errors import DanganError


class Unauthenticated(DanganError):
    """No valid credentials: the caller must sign in."""

    status = 401
    code = "unauthenticated"


class Forbidden(DanganError):
    """The caller may know the object exists but may not do this with it."""

    status = 403
    code = "forbidden"
