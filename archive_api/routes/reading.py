"""Reading document content: the file (archivists, or a `download` borrowing) and page images.

Invariants: content is served only on the basis `access.reading.basis` finds (archivists, or a
borrowing open at this moment); a `view` borrowing never gets the file, only watermarked page
images; a borrower's file (PDF or scan) carries the watermark on every page, and is served
whole (ranges refused), since each stamping carries its own minute and two must never be spliced
into one file; files are parsed, rendered and stamped only in a limited child process
(ingest.pages, ingest.stamp); the audit event, with the hash of the exact bytes served, commits
before the first byte is sent, and if it cannot be written nothing is sent.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, cast
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from access import reading
from access.authz import Access
from archive_api.ahead import served
from archive_api.backends import Backends
from archive_api.deps import Acting, Authorize, DbSession, Policy, Services, Token
from archive_api.events import actor_of
from archive_api.ranges import parse_range
from ingest import serving
from ingest.documents import get_version
from ingest.intake import served_name
from ingest.pages import Mark, RenderLimits
from ingest.viewer import MEDIA_TYPES, Format, Size
from storage.auditevent import Actor
from storage.db import unit_of_work
from storage.models import Borrowing, Document, DocumentVersion

router = APIRouter(tags=["documents"])
# Knowing the document exists is the way in; what decides the read is `access.reading.basis`.
_READABLE = Authorize("document", "read", "read_content")
Readable = Annotated[Document, Depends(_READABLE)]


class PageView(BaseModel):
    """How a page image is asked for: its size (longest side) and its format."""

    model_config = ConfigDict(frozen=True)
    size: Size = "screen"
    format: Format = "webp"


Shown = Annotated[PageView, Query()]
PAGE_IMAGE: dict[int | str, dict[str, Any]] = {
    200: {"content": {media_type: {} for media_type in MEDIA_TYPES.values()}}
}


def _mark(policy: Access, borrowing: Borrowing | None, services: Services, now: datetime) -> Mark:
    basis = borrowing.number if borrowing else "档案室 archive"
    return Mark.of(policy.user.display_name, basis, services.rules.zone, now)


def _vault(services: Services) -> serving.Vault:
    settings = services.settings
    limits = RenderLimits(
        settings.render_timeout, settings.render_memory_mb, settings.render_max_pixels
    )
    return serving.Vault(services.store, services.keys, limits)


@router.get(
    "/documents/{document_id:uuid}/content",
    response_class=StreamingResponse,
    responses={206: {"description": "a byte range"}, 416: {"description": "range outside"}},
)
def content(
    request: Request,
    document_id: Annotated[uuid.UUID, Path()],
    token: Token,
    version: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """The file of a version (the latest by default), whole or one byte range.

    Archivists get the stored bytes; a `download` borrowing gets the file watermarked in its own
    format (PDF or scan) and always whole (`Accept-Ranges: none`).
    """
    # The reading path's hot route: signing in, the door, the audit event and the commit in
    # one trip to a worker thread, with no dependencies to solve (`deps.Authorize.enter`).
    services: Backends = request.app.state.backends
    with unit_of_work(services.sessions) as session:
        document = cast(Document, _READABLE.enter(request, session, services, token, document_id))
        return _content(request, session, services, document, version)


def _content(
    request: Request,
    session: Session,
    services: Backends,
    document: Document,
    version: int | None,
) -> Response:
    policy: Access = request.state.access
    actor = actor_of(request, session)
    now = services.clock()
    allowed = reading.basis(session, policy, document, "content", now)
    borrowing, request.state.decision = allowed.borrowing, allowed.decision
    row = get_version(document, version)
    # A borrower's file is stamped and whole: a range could splice two stampings together.
    mark = _mark(policy, borrowing, services, now) if borrowing is not None else None
    span = None if mark else parse_range(request.headers.get("range"), row.size)
    sent = serving.content(
        session, actor, _vault(services), document, row, mark, span, allowed.decision
    )
    chunks, start, end = sent.chunks, sent.start, sent.end
    # Decrypt the first segment (of a small file: all of it) before answering, so a damaged
    # object is a clean error response rather than a broken stream; later damage aborts the
    # stream before any unverified byte.
    first = next(chunks, b"")
    headers = {
        "Content-Length": str(end - start),
        "Content-Disposition": _disposition(
            "attachment", served_name(row.filename, row.media_type)
        ),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
        "Accept-Ranges": "none" if sent.watermarked else "bytes",
    }
    if span is not None:
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{sent.size}"
    return served(
        first,
        chunks,
        end - start,
        status_code=206 if span is not None else 200,
        media_type=row.media_type,
        headers=headers,
    )


@router.get("/documents/{document_id:uuid}/pages")
def pages(
    document: Readable, session: DbSession, policy: Policy, services: Services
) -> dict[str, int]:
    """How many pages the viewer can show of the latest version."""
    reading.basis(session, policy, document, "pages", services.clock())
    row = get_version(document, None)
    pages = serving.page_count(_vault(services), services.renderer, row)
    return {"version": row.version, "pages": pages}


@router.get(
    "/documents/{document_id:uuid}/pages/{number:int}",
    response_class=Response,
    responses=PAGE_IMAGE,
)
def page(
    document: Readable,
    request: Request,
    actor: Acting,
    session: DbSession,
    policy: Policy,
    services: Services,
    number: Annotated[int, Path(ge=1)],
    shown: Shown,
) -> Response:
    """One page of the latest version as an image, watermarked with the reader and borrowing."""
    now = services.clock()
    allowed = reading.basis(session, policy, document, "pages", now)
    borrowing, request.state.decision = allowed.borrowing, allowed.decision
    row = get_version(document, None)
    mark = _mark(policy, borrowing, services, now)
    return page_image(session, actor, request, services, document, row, number, mark, shown)


def page_image(
    session: DbSession,
    actor: Actor,
    request: Request,
    services: Services,
    document: Document,
    row: DocumentVersion,
    number: int,
    mark: Mark,
    shown: PageView,
    **extra: Any,
) -> Response:
    """Page `number` of a version as a watermarked image, audited before it is sent."""
    image = serving.page(
        session, actor, _vault(services), services.renderer, document, row, number, mark,
        (shown.size, shown.format), request.state.decision, **extra,
    )  # fmt: skip
    headers = {
        "Content-Disposition": _disposition("inline", f"page-{number}.{shown.format}"),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    }
    return Response(image, media_type=MEDIA_TYPES[shown.format], headers=headers)


def _disposition(kind: str, filename: str) -> str:
    # RFC 6266: a plain ASCII fallback for old clients, the exact name in `filename*`.
    ascii_name = "".join(c if " " <= c < "\x7f" and c not in '"\\?%' else "_" for c in filename)
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
