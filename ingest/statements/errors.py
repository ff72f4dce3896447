"""Errors of statement extraction."""

from __future__ import annotations

from storage.errors import DanganError


class UnreadableDocument(DanganError):
    """The file cannot be read as a PDF, so no statement can be looked for in it."""

    status = 422
    code = "unreadable_document"
