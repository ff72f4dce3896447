"""Errors of document intake."""

from __future__ import annotations

from storage.errors import DanganError


class BadUpload(DanganError):
    """The upload request is malformed: missing file, empty file, broken multipart body."""

    status = 400
    code = "bad_upload"


class PayloadTooLarge(DanganError):
    """The file is larger than the configured limit."""

    status = 413
    code = "payload_too_large"


class UnsupportedMediaType(DanganError):
    """The file is not one of the allowed types, judged by its first bytes."""

    status = 415
    code = "unsupported_media_type"


class InvalidField(DanganError):
    """A field of the request has a value that is not allowed."""

    status = 422
    code = "invalid_field"


class Unrenderable(DanganError):
    """A stored document cannot be rendered or watermarked, so it is not served."""

    status = 422
    code = "unrenderable"


class ExtractionFailed(DanganError):
    """Reading a document failed: it crashed, ran too long or out of memory; `detail` says how."""

    status = 422
    code = "extraction_failed"


class OcrTimedOut(ExtractionFailed):
    """A page was not read by OCR within its time limit; the rest of a document may still be."""


class DocumentTooLargeToRender(Unrenderable):
    """A stored document needs more pixels, memory or time to render than the limits allow."""

    code = "document_too_large_to_render"


class AboveClearance(DanganError):
    """A level above the caller's own clearance: they could not see the document again."""

    status = 403
    code = "forbidden"

    def __init__(self, detail: str, attempt: tuple[str, str], rule: str) -> None:
        super().__init__(detail)
        # For the audit event only; never shown to the caller.
        self.attempt, self.rule = attempt, rule


class RoleRequired(DanganError):
    """The step needs a role the caller does not hold where the customer is kept."""

    status = 403
    code = "forbidden"

    def __init__(self, detail: str, attempt: tuple[str, str], rule: str, *, reason: str) -> None:
        super().__init__(detail, reason=reason)
        # For the audit event only; never shown to the caller.
        self.attempt, self.rule = attempt, rule
