"""The contract ledger (合同管理台帐): contracts numbered per department, searched, changed
with a reason, joined to their documents; the half-yearly statistics."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from archive_api.deps import Acting, Authorize, DbSession, Policy, Services
from archive_api.routes.completeness import XLSX
from archive_api.schemas import MAX_OFFSET, Page
from ingest import contract_ledger, contract_statistics, contracts
from ingest.contract_ledger import ContractFilter
from ingest.contract_schemas import (
    ContractCreate,
    ContractDetail,
    ContractLink,
    ContractRead,
    ContractUpdate,
    Statistics,
)
from ingest.customer_schemas import Currency
from ingest.errors import InvalidField
from ingest.schemas import Typed
from storage.models import Contract, ContractKind, ContractStatus, Customer

router = APIRouter(tags=["contracts"])
PDF = "application/pdf"
Part = Annotated[Typed | None, Query(max_length=100)]


@router.post("/customers/{customer_id:uuid}/contracts", status_code=201)
def create(
    data: ContractCreate,
    customer: Annotated[Customer, Depends(Authorize("customer", "read"))],
    actor: Acting,
    session: DbSession,
    services: Services,
    policy: Policy,
) -> ContractDetail:
    """Open a contract of the customer: numbered in its department's sequence for the year of
    signing (or this year, for a draft), with the documents of the file that belong to it."""
    today = services.today()
    contract = contracts.create(session, actor, policy, services.numbering, customer, data, today)
    return contract_ledger.detail(session, policy, contract, today)


@router.get("/contracts")
def search(
    actor: Acting,
    session: DbSession,
    services: Services,
    policy: Policy,
    q: Annotated[Part, Query(description="part of the number, counterparty or title")] = None,
    number: Annotated[Part, Query(description="part of the number")] = None,
    counterparty: Annotated[Part, Query(description="part of the counterparty's name")] = None,
    status: ContractStatus | None = None,
    kind: ContractKind | None = None,
    customer_id: uuid.UUID | None = None,
    department_id: Annotated[uuid.UUID | None, Query(description="its customer's")] = None,
    signed_from: date | None = None,
    signed_to: date | None = None,
    amount_min: Annotated[Decimal | None, Query(ge=0, max_digits=18, decimal_places=2)] = None,
    amount_max: Annotated[Decimal | None, Query(ge=0, max_digits=18, decimal_places=2)] = None,
    currency: Currency | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page[ContractRead]:
    """The contracts you may see matching every given filter, the newest numbers first."""
    if signed_from and signed_to and signed_to < signed_from:
        raise InvalidField("signed_to: is before signed_from")
    if amount_min is not None and amount_max is not None and amount_max < amount_min:
        raise InvalidField("amount_max: is below amount_min")
    wanted = ContractFilter(
        q or None, number or None, counterparty or None, status, kind, customer_id,
        department_id, signed_from, signed_to, amount_min, amount_max, currency,
    )  # fmt: skip
    items, total = contract_ledger.search(
        session, actor, policy, wanted, (limit, offset), services.today()
    )
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get(
    "/contracts/statistics",
    response_class=Response,
    responses={
        200: {
            "model": Statistics,
            "content": {XLSX: {}, PDF: {}},
            "description": "the statistics, as JSON, XLSX or PDF",
        }
    },
)
def statistics(
    actor: Acting,
    session: DbSession,
    policy: Policy,
    year: Annotated[int, Query(ge=2000, le=2100)],
    half: Annotated[int, Query(ge=1, le=2, description="1: January-June, 2: July-December")],
    format: Literal["json", "xlsx", "pdf"] = "json",
) -> Response:
    """The half-yearly contract statistics (due 10 July and 10 January): per department, the
    contracts signed in the half year you may report on, counted and summed by kind, status
    and currency; as JSON, XLSX or PDF."""
    found = contract_statistics.gather(session, actor, policy, year, half, format)
    if format == "json":
        return Response(found.model_dump_json(), media_type="application/json")
    name = f"contract-statistics-{year}H{half}.{format}"
    if format == "xlsx":
        body, media = contract_statistics.as_xlsx(found), XLSX
    else:
        body, media = contract_statistics.as_pdf(found), PDF
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(body, media_type=media, headers=headers)


@router.get("/contracts/{contract_id:uuid}")
def read(
    contract: Annotated[Contract, Depends(Authorize("contract", "read"))],
    request: Request,
    actor: Acting,
    session: DbSession,
    services: Services,
    policy: Policy,
) -> ContractDetail:
    """One contract: its record, its hand-overs, the documents of it you may know exist, and
    the history of its changes."""
    contracts.read(session, actor, contract, request.state.decision)
    return contract_ledger.detail(session, policy, contract, services.today())


@router.patch("/contracts/{contract_id:uuid}")
def update(
    data: ContractUpdate,
    contract: Annotated[Contract, Depends(Authorize("contract", "update"))],
    request: Request,
    actor: Acting,
    session: DbSession,
    services: Services,
    policy: Policy,
) -> ContractDetail:
    """Change the contract's record (its status, dates, hand-overs, amount ...): only the fields
    sent change (null clears a date or the amount), kept in its history with the reason."""
    today = services.today()
    contracts.update(session, actor, policy, contract, data, today, request.state.decision)
    return contract_ledger.detail(session, policy, contract, today)


@router.post("/contracts/{contract_id:uuid}/documents")
def link(
    data: ContractLink,
    contract: Annotated[Contract, Depends(Authorize("contract", "update", "link"))],
    request: Request,
    actor: Acting,
    session: DbSession,
    services: Services,
    policy: Policy,
) -> ContractDetail:
    """Join documents of the contract's file to it; each then carries the contract's number
    (409 for one a legal hold keeps under another number)."""
    contracts.link(session, actor, policy, contract, data, request.state.decision)
    return contract_ledger.detail(session, policy, contract, services.today())
