"""The upkeep of customer files: what a file lacks, and the report of incomplete files."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from archive_api.deps import Acting, Authorize, DbSession, Policy, Services
from ingest import upkeep
from ingest.completeness_schemas import Completeness, IncompleteReport
from storage.models import Customer
from storage.sheets import table_csv, table_xlsx

router = APIRouter(tags=["customers"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/customers/{customer_id:uuid}/completeness")
def completeness(
    customer: Annotated[Customer, Depends(Authorize("customer", "read", "read_completeness"))],
    request: Request,
    actor: Acting,
    session: DbSession,
    services: Services,
    policy: Policy,
) -> Completeness:
    """What the customer's file must hold for its category and status (configuration) and
    whether it does today: present (until when), expired or missing. Only documents you may
    know exist count."""
    return upkeep.of_customer(
        session, actor, policy, customer, services.categories, services.today(),
        request.state.decision,
    )  # fmt: skip


@router.get(
    "/customers/incomplete",
    response_class=Response,
    responses={
        200: {
            "model": IncompleteReport,
            "content": {"text/csv": {}, XLSX: {}},
            "description": "the report, as JSON, CSV or XLSX",
        }
    },
)
def incomplete(
    actor: Acting,
    session: DbSession,
    services: Services,
    policy: Policy,
    department_id: Annotated[uuid.UUID | None, Query(description="in this department")] = None,
    custodian_id: Annotated[uuid.UUID | None, Query(description="kept by this person")] = None,
    format: Literal["json", "csv", "xlsx"] = "json",
) -> Response:
    """The customer files you may see that lack a required document or hold only expired ones,
    by department, custodian and customer, with what each lacks; as JSON, CSV or XLSX."""
    today = services.today()
    wanted = (department_id, custodian_id)
    found = upkeep.report(session, actor, policy, services.categories, today, wanted, format)
    if format == "json":
        return Response(found.model_dump_json(), media_type="application/json")
    rows, name = upkeep.table(found), f"incomplete-files-{today:%Y%m%d}.{format}"
    if format == "csv":
        body, media = table_csv(upkeep.HEADER, rows), "text/csv; charset=utf-8"
    else:
        body, media = table_xlsx("不完整档案", upkeep.HEADER, rows), XLSX
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(body, media_type=media, headers=headers)
