"""Documents: upload, new versions, search, secrecy."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from archive_api.backends import Backends
from archive_api.deps import Acting, Authorize, DbSession, Policy, Services, Token
from archive_api.events import actor_of
from archive_api.multipart import RequestBody, StreamingForm
from archive_api.schemas import MAX_OFFSET, UPLOAD_ERRORS, Page, follow
from ingest import filing, letters
from ingest.filing import Vault
from ingest.letters import LetterUpdate
from ingest.schemas import DocumentRead, ExtractionState, OriginalPlace, SecrecyChange, Typed
from storage.db import unit_of_work
from storage.models import Channel, Customer, Direction, DocType, Document, Secrecy

router = APIRouter(tags=["documents"])
_CUSTOMER = Authorize("customer", "read")  # the rights to add a document are checked inside
_NEW_VERSION = Authorize("document", "create")

_FORM_FIELDS = {
    "file": {"type": "string", "format": "binary"},
    "doc_type": {"type": "string", "enum": [t.value for t in DocType]},
    "title": {"type": "string"},
    "secrecy": {"type": "string", "enum": [s.value for s in Secrecy]},
    "issued_on": {"type": "string", "format": "date"},
    "expires_on": {"type": "string", "format": "date"},
    "contract_no": {"type": "string"},
    "counterparty": {"type": "string"},
    "amount": {"type": "string", "description": "decimal, e.g. 12500.00"},
    # Correspondence and collection letters only (ingest.letters); the date is `issued_on`.
    "channel": {"type": "string", "enum": [c.value for c in Channel]},
    "direction": {"type": "string", "enum": [d.value for d in Direction]},
    "sender": {"type": "string", "maxLength": 200},
    "recipient": {"type": "string", "maxLength": 200},
    "escalation_level": {"type": "integer", "minimum": 1, "maximum": 5},
}


def _multipart(fields: dict[str, Any], required: list[str]) -> dict[str, Any]:
    # The body is parsed by hand (streaming), so FastAPI cannot infer its schema.
    schema = {"type": "object", "properties": fields, "required": required}
    return {
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}
    }


def _form(request: Request, services: Backends) -> Callable[[], StreamingForm]:
    """The request's multipart body, opened (and its headers checked) only when called."""

    def opened() -> StreamingForm:
        length = request.headers.get("content-length")
        return StreamingForm(
            RequestBody(request),
            request.headers.get("content-type", ""),
            int(length) if length and length.isdigit() else None,
            services.settings.max_upload_bytes,
        )

    return opened


def _created(document: Document) -> Response:
    # Serialised here, in the upload's one trip to a worker thread: a returned model would be
    # validated again by FastAPI in a second trip.
    body = DocumentRead.model_validate(document).model_dump_json()
    return Response(body, status_code=201, media_type="application/json")


def _vault(services: Backends) -> Vault:
    return Vault(services.store, services.keys, services.settings.max_upload_bytes)


@router.post(
    "/customers/{customer_id:uuid}/documents",
    status_code=201,
    response_model=DocumentRead,
    openapi_extra=_multipart(_FORM_FIELDS, ["file", "doc_type", "title"]),
    responses={
        **UPLOAD_ERRORS,
        **follow(
            201,
            ("ReadDocument", "GET", "/documents/{document_id}"),
            ("AddVersion", "POST", "/documents/{document_id}/versions"),
            ("CountPages", "GET", "/documents/{document_id}/pages"),
        ),
    },
)
def upload(request: Request, customer_id: Annotated[uuid.UUID, Path()], token: Token) -> Response:
    """Add a document to a customer file: streamed, checked, encrypted, stored."""
    # Signing in, the door, the upload, its audit event and the commit in one trip to a worker
    # thread, as the download (`routes.reading.content`): each trip and each dependency cost a
    # small upload about as much as a query.
    services: Backends = request.app.state.backends
    with unit_of_work(services.sessions) as session:
        customer = cast(Customer, _CUSTOMER.enter(request, session, services, token, customer_id))
        actor, policy = actor_of(request, session), request.state.access
        form, vault = _form(request, services), _vault(services)
        document = filing.upload(session, actor, policy, customer, form, vault)
        return _created(document)


@router.post(
    "/documents/{document_id:uuid}/versions",
    status_code=201,
    response_model=DocumentRead,
    openapi_extra=_multipart({"file": _FORM_FIELDS["file"]}, ["file"]),
    responses=UPLOAD_ERRORS,
)
def upload_version(
    request: Request, document_id: Annotated[uuid.UUID, Path()], token: Token
) -> Response:
    """Store a new version of a document; earlier versions are kept."""
    services: Backends = request.app.state.backends
    with unit_of_work(services.sessions) as session:
        found = _NEW_VERSION.enter(request, session, services, token, document_id)
        document, actor = cast(Document, found), actor_of(request, session)
        policy, door = request.state.access, request.state.decision
        form, vault = _form(request, services), _vault(services)
        filing.add_version(session, actor, policy, document, form, vault, door)
        return _created(document)


@router.get("/documents")
def search(
    actor: Acting,
    session: DbSession,
    policy: Policy,
    customer_id: uuid.UUID | None = None,
    doc_type: DocType | None = None,
    secrecy: Secrecy | None = None,
    q: Annotated[Typed | None, Query(max_length=200, description="text in the title")] = None,
    channel: Channel | None = None,
    direction: Direction | None = None,
    escalation_level: Annotated[int | None, Query(ge=1, le=5)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page[DocumentRead]:
    """Documents matching every given filter, newest first; `channel`, `direction` and
    `escalation_level` find correspondence and collection letters."""
    page = (limit, offset)
    letter = {"channel": channel, "direction": direction, "escalation_level": escalation_level}
    rows, total = filing.search(
        session, actor, policy, customer_id, doc_type, secrecy, q, page, letter
    )
    items = [DocumentRead.model_validate(d) for d in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/documents/{document_id:uuid}")
def read(
    document: Annotated[Document, Depends(Authorize("document", "read"))],
    request: Request,
    actor: Acting,
    session: DbSession,
) -> DocumentRead:
    """One document and its versions."""
    filing.read(session, actor, document, request.state.decision)
    return DocumentRead.model_validate(document)


@router.get("/documents/{document_id:uuid}/extractions")
def extraction_states(
    document: Annotated[Document, Depends(Authorize("document", "read"))],
    request: Request,
    actor: Acting,
    session: DbSession,
) -> list[ExtractionState]:
    """Where the background readings of the document stand (what they read is credit data,
    shown by the customer's extractions to those who read its credit)."""
    found = filing.extraction_states(session, actor, document, request.state.decision)
    return [ExtractionState.model_validate(e) for e in found]


@router.patch("/documents/{document_id:uuid}")
def update_letter(
    document: Annotated[Document, Depends(Authorize("document", "update"))],
    change: LetterUpdate,
    request: Request,
    actor: Acting,
    session: DbSession,
) -> DocumentRead:
    """Correct a letter's details (correspondence: channel, direction, sender, recipient, date;
    a collection letter also its escalation level): only the fields sent change, null clears."""
    letters.update(session, actor, document, change, request.state.decision)
    return DocumentRead.model_validate(document)


@router.patch("/documents/{document_id:uuid}/secrecy")
def set_secrecy(
    document: Annotated[Document, Depends(Authorize("document", "change_secrecy"))],
    change: SecrecyChange,
    request: Request,
    actor: Acting,
    session: DbSession,
    policy: Policy,
) -> DocumentRead:
    """Raise or lower a document's secrecy level (archivists and department heads)."""
    filing.change_secrecy(session, actor, policy, document, change, request.state.decision)
    return DocumentRead.model_validate(document)


@router.post("/documents/{document_id:uuid}/file")
def file(
    document: Annotated[Document, Depends(Authorize("document", "file"))],
    request: Request,
    actor: Acting,
    session: DbSession,
    policy: Policy,
    services: Services,
) -> DocumentRead:
    """The archive accepts a document handed in (checked and filed); until then it is listed
    in its uploader's handover."""
    now, door = services.clock(), request.state.decision
    filing.accept(session, actor, policy, document, now, door)
    return DocumentRead.model_validate(document)


@router.put("/documents/{document_id:uuid}/original")
def file_original(
    document: Annotated[Document, Depends(Authorize("document", "file_original"))],
    place: OriginalPlace,
    request: Request,
    actor: Acting,
    session: DbSession,
    policy: Policy,
    services: Services,
) -> DocumentRead:
    """Record where the paper original is kept (cabinet, shelf, box), so it can be lent; a
    document whose paper the archive holds is filed."""
    now, door = services.clock(), request.state.decision
    filing.file_original(session, actor, policy, document, place, now, door)
    return DocumentRead.model_validate(document)
