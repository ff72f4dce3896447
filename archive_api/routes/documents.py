"""Documents: upload, new versions, search, secrecy."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from access.authz import Access
from access.errors import Forbidden
from archive_api.deps import Authorize, CurrentUser, DbSession, Policy, Services
from archive_api.events import record_done, record_list
from archive_api.multipart import RequestBody, StreamingForm
from archive_api.schemas import MAX_OFFSET, UPLOAD_ERRORS, Page, follow
from ingest.documents import (
    change_secrecy,
    document_filter,
    extractions_of_document,
    file_document,
    list_documents,
)
from ingest.schemas import (
    DocumentCreate,
    DocumentRead,
    ExtractionState,
    OriginalPlace,
    SecrecyChange,
)
from ingest.upload import Received, add_document, add_version, claim_version, receive
from storage.auditevent import document_target
from storage.auditnames import Action
from storage.models import Customer, DocType, Document, Secrecy

router = APIRouter(tags=["documents"])

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
}


def _multipart(fields: dict[str, Any], required: list[str]) -> dict[str, Any]:
    # The body is parsed by hand (streaming), so FastAPI cannot infer its schema.
    schema = {"type": "object", "properties": fields, "required": required}
    return {
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}
    }


def _receive(
    request: Request,
    session: DbSession,
    services: Services,
    *,
    customer_id: uuid.UUID,
    document_id: uuid.UUID,
    version: int,
) -> tuple[Received, dict[str, str]]:
    """Stream the request's file into the store; returns it and the form's other fields."""
    length = request.headers.get("content-length")
    form = StreamingForm(
        RequestBody(request),
        request.headers.get("content-type", ""),
        int(length) if length and length.isdigit() else None,
        services.settings.max_upload_bytes,
    )
    file = form.file()
    received = receive(
        session,
        services.store,
        services.keys,
        customer_id=customer_id,
        document_id=document_id,
        version=version,
        source=file,  # type: ignore[arg-type]  # receive needs only read()
        filename=file.filename,
        max_bytes=services.settings.max_upload_bytes,
    )
    return received, form.fields()


@router.post(
    "/customers/{customer_id:uuid}/documents",
    status_code=201,
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
def upload(
    customer: Annotated[Customer, Depends(Authorize("customer", "read"))],
    request: Request,
    user: CurrentUser,
    session: DbSession,
    services: Services,
    policy: Policy,
) -> DocumentRead:
    """Add a document to a customer file: streamed, checked, encrypted, stored."""
    rule = policy.require(customer.department_id, "document", "create", customer.secrecy)
    document_id = uuid.uuid4()
    received, fields = _receive(
        request, session, services, customer_id=customer.id, document_id=document_id, version=1
    )
    data = DocumentCreate.model_validate(fields)
    # The level is known only once the fields after the file have arrived; refusing now rolls
    # the transaction back, and with it the stored object.
    _may_set_secrecy(policy, customer, customer.secrecy, data.secrecy or customer.secrecy)
    document = add_document(
        session,
        customer=customer,
        document_id=document_id,
        data=data,
        received=received,
        actor=user,
        visible=policy.readable_documents(customer.department_id),
    )
    record_done(session, request, Action.DOCUMENT_UPLOAD, document_target(document, 1), rule)
    return DocumentRead.model_validate(document)


@router.post(
    "/documents/{document_id:uuid}/versions",
    status_code=201,
    openapi_extra=_multipart({"file": _FORM_FIELDS["file"]}, ["file"]),
    responses=UPLOAD_ERRORS,
)
def upload_version(
    document: Annotated[Document, Depends(Authorize("document", "create"))],
    request: Request,
    user: CurrentUser,
    session: DbSession,
    services: Services,
    policy: Policy,
) -> DocumentRead:
    """Store a new version of a document; earlier versions are kept."""
    received, _ = _receive(
        request,
        session,
        services,
        customer_id=document.customer_id,
        document_id=document.id,
        version=claim_version(session, document),
    )
    seen = policy.readable_documents(document.customer.department_id)
    add_version(session, document, received, user, seen)
    target = document_target(document, document.latest_version)
    record_done(session, request, Action.VERSION_UPLOAD, target)
    return DocumentRead.model_validate(document)


@router.get("/documents")
def search(
    request: Request,
    session: DbSession,
    policy: Policy,
    customer_id: uuid.UUID | None = None,
    doc_type: DocType | None = None,
    secrecy: Secrecy | None = None,
    q: Annotated[str | None, Query(max_length=200, description="text in the title")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page[DocumentRead]:
    """Documents matching every given filter, newest first."""
    where = document_filter(customer_id, doc_type, secrecy, q)
    where.append(policy.visible(session, "document", Customer.department_id, Document.secrecy))
    rows, total = list_documents(session, where, limit, offset)
    record_list(
        session, request, Action.DOCUMENT_SEARCH, total, customer_id, doc_type=doc_type,
        secrecy=secrecy, q=q, limit=limit, offset=offset,
    )  # fmt: skip
    items = [DocumentRead.model_validate(d) for d in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/documents/{document_id:uuid}")
def read(
    document: Annotated[Document, Depends(Authorize("document", "read"))],
    request: Request,
    session: DbSession,
) -> DocumentRead:
    """One document and its versions."""
    record_done(session, request, Action.DOCUMENT_READ, document_target(document))
    return DocumentRead.model_validate(document)


@router.get("/documents/{document_id:uuid}/extractions")
def extraction_states(
    document: Annotated[Document, Depends(Authorize("document", "read"))], session: DbSession
) -> list[ExtractionState]:
    """Where the background readings of the document stand (what they read is credit data,
    shown by the customer's extractions to those who read its credit)."""
    return [ExtractionState.model_validate(e) for e in extractions_of_document(session, document)]


@router.patch("/documents/{document_id:uuid}/secrecy")
def set_secrecy(
    document: Annotated[Document, Depends(Authorize("document", "change_secrecy"))],
    change: SecrecyChange,
    request: Request,
    session: DbSession,
    policy: Policy,
) -> DocumentRead:
    """Raise or lower a document's secrecy level (archivists and department heads)."""
    _may_set_secrecy(policy, document.customer, document.secrecy, change.secrecy)
    before = document.secrecy
    change_secrecy(document, change.secrecy, change.reason)
    target = document_target(document)
    record_done(
        session, request, Action.SECRECY_CHANGE, target, before=before, reason=change.reason
    )
    return DocumentRead.model_validate(document)


@router.post("/documents/{document_id:uuid}/file")
def file(
    document: Annotated[Document, Depends(Authorize("document", "file"))],
    request: Request,
    session: DbSession,
    services: Services,
) -> DocumentRead:
    """The archive accepts a document handed in (checked and filed); until then it is listed
    in its uploader's handover."""
    file_document(document, request.state.user, services.clock())
    record_done(session, request, Action.DOCUMENT_FILE, document_target(document))
    return DocumentRead.model_validate(document)


@router.put("/documents/{document_id:uuid}/original")
def file_original(
    document: Annotated[Document, Depends(Authorize("document", "file_original"))],
    place: OriginalPlace,
    request: Request,
    session: DbSession,
    services: Services,
) -> DocumentRead:
    """Record where the paper original is kept (cabinet, shelf, box), so it can be lent; a
    document whose paper the archive holds is filed."""
    document.original_cabinet, document.original_shelf = place.cabinet, place.shelf
    document.original_box = place.box
    file_document(document, request.state.user, services.clock())
    action = Action.ORIGINAL_FILE
    record_done(session, request, action, document_target(document))
    return DocumentRead.model_validate(document)


def _may_set_secrecy(policy: Access, customer: Customer, current: str, wanted: str) -> None:
    # Nobody files a document above their own clearance (they could not see it again), and
    # only those who may change levels file one above the customer's default.
    if Secrecy(wanted).rank > Secrecy(policy.user.clearance).rank:
        raise Forbidden(
            "secrecy: above your clearance",
            ("document", "change_secrecy"),
            "clearance below secrecy",
        )
    if wanted != current:
        policy.require(customer.department_id, "document", "change_secrecy", wanted)
