"""Customer files."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from access import handing
from access.handover_schemas import CustodianChange
from archive_api.deps import Acting, Authorize, CurrentUser, DbSession, Policy, Services
from archive_api.schemas import MAX_OFFSET, Page, follow
from ingest import customer_files
from ingest.customer_schemas import (
    Category,
    CustomerChangeRead,
    CustomerCreate,
    CustomerDetail,
    CustomerRead,
    CustomerSummary,
    CustomerUpdate,
    StatusChange,
)
from ingest.customers import CustomerFilter
from ingest.schemas import DepartmentChoice, Person, Typed
from storage.models import Customer, CustomerStatus

router = APIRouter(prefix="/customers", tags=["customers"])


@router.post(
    "",
    status_code=201,
    responses=follow(
        201,
        ("ReadCustomer", "GET", "/customers/{customer_id}"),
        ("UploadDocument", "POST", "/customers/{customer_id}/documents"),
        ("ReadCreditProfile", "GET", "/customers/{customer_id}/credit-profile"),
    ),
)
def create(
    data: CustomerCreate, actor: Acting, session: DbSession, services: Services, policy: Policy
) -> CustomerDetail:
    """Open a new customer file, in your own department unless another is given; it starts as
    a prospect."""
    customer = customer_files.create(
        session, actor, policy, services.keys, data, services.categories, services.today()
    )
    return customer_files.detail(session, policy, customer)


@router.get("")
def search(
    actor: Acting,
    session: DbSession,
    policy: Policy,
    q: Annotated[
        Typed | None, Query(max_length=200, description="part of the name or code")
    ] = None,
    department_id: Annotated[uuid.UUID | None, Query(description="in this department")] = None,
    custodian_id: Annotated[uuid.UUID | None, Query(description="kept by this person")] = None,
    grade: Annotated[
        str | None,
        Query(
            max_length=8,
            description="grade of the latest saved rating (only customers whose credit you read)",
        ),
    ] = None,
    status: Annotated[CustomerStatus | None, Query(description="where it stands")] = None,
    important: Annotated[
        bool | None, Query(description="true: only important customers (重要客户), kept apart")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page[CustomerSummary]:
    """Visible customers matching every given filter: `q` is part of the name or code."""
    wanted = CustomerFilter(q, department_id, custodian_id, grade, status, important)
    items, total = customer_files.search(session, actor, policy, wanted, limit, offset)
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/custodians")
def custodians(actor: Acting, session: DbSession, policy: Policy) -> list[Person]:
    """Who keeps the customers you may see (for choosing one to search by)."""
    return [Person.model_validate(u) for u in customer_files.custodians(session, actor, policy)]


@router.get("/departments")
def departments(session: DbSession, policy: Policy) -> list[DepartmentChoice]:
    """The departments whose customers you may see or where you may open a customer file."""
    return customer_files.departments(session, policy)


@router.get("/categories")
def categories(services: Services, _: CurrentUser) -> list[Category]:
    """The categories a customer may be given (configuration), in the order offered."""
    return list(services.categories.offered)


@router.get("/{customer_id:uuid}")
def read(
    customer: Annotated[Customer, Depends(Authorize("customer", "read"))],
    request: Request,
    actor: Acting,
    session: DbSession,
    policy: Policy,
) -> CustomerDetail:
    """One customer file: its master data and status, its department's and custodian's names,
    its grade, and the moves through its lifecycle open to you."""
    customer_files.read(session, actor, customer, request.state.decision)
    return customer_files.detail(session, policy, customer)


@router.patch("/{customer_id:uuid}")
def update(
    data: CustomerUpdate,
    customer: Annotated[Customer, Depends(Authorize("customer", "update"))],
    request: Request,
    actor: Acting,
    session: DbSession,
    services: Services,
    policy: Policy,
) -> CustomerDetail:
    """Change the customer's master data: only the fields sent change (null clears one), and
    the change is kept in its history with the reason. The industry chooses the credit
    reference table of its ratings."""
    customer_files.update(
        session, actor, policy, customer, data, services.categories, services.today(),
        request.state.decision,
    )  # fmt: skip
    return customer_files.detail(session, policy, customer)


@router.put("/{customer_id:uuid}/status")
def change_status(
    data: StatusChange,
    customer: Annotated[Customer, Depends(Authorize("customer", "change_status"))],
    request: Request,
    actor: Acting,
    session: DbSession,
    policy: Policy,
) -> CustomerDetail:
    """Move the customer through its lifecycle (prospect → active → under review → suspended
    or blacklisted → terminated); 409 for a move the lifecycle lacks, 403 for one your roles
    do not make."""
    customer_files.change_status(session, actor, policy, customer, data, request.state.decision)
    return customer_files.detail(session, policy, customer)


@router.get("/{customer_id:uuid}/history")
def history(
    customer: Annotated[Customer, Depends(Authorize("customer", "read", "read_history"))],
    request: Request,
    actor: Acting,
    session: DbSession,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page[CustomerChangeRead]:
    """Every change of the customer's master data and status, newest first: who, when, why,
    and each field before and after (account numbers masked)."""
    decision = request.state.decision
    items, total = customer_files.history(session, actor, customer, limit, offset, decision)
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.put("/{customer_id:uuid}/custodian")
def reassign_custodian(
    data: CustodianChange,
    customer: Annotated[Customer, Depends(Authorize("customer", "reassign"))],
    request: Request,
    actor: Acting,
    session: DbSession,
) -> CustomerRead:
    """Pass one customer to another custodian of its department (department heads)."""
    decision = request.state.decision
    handing.reassign(session, actor, customer, data.custodian_id, data.reason, decision)
    return CustomerRead.model_validate(customer)
