"""Customer files."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from access import handing
from access.schemas import CustodianChange
from archive_api.deps import Acting, Authorize, DbSession, Policy, Services
from archive_api.schemas import MAX_OFFSET, Page, follow
from ingest import customer_files
from ingest.customers import CustomerFilter, describe_customer
from ingest.schemas import (
    CustomerCreate,
    CustomerRead,
    CustomerSummary,
    CustomerUpdate,
    DepartmentChoice,
    Person,
    Typed,
)
from storage.models import Customer

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
) -> CustomerSummary:
    """Open a new customer file, in your own department unless another is given."""
    customer = customer_files.create(session, actor, policy, services.keys, data)
    return describe_customer(session, customer, customer_files.grader(session, policy))


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
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page[CustomerSummary]:
    """Visible customers matching every given filter: `q` is part of the name or code."""
    wanted = CustomerFilter(q, department_id, custodian_id, grade)
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


@router.get("/{customer_id:uuid}")
def read(
    customer: Annotated[Customer, Depends(Authorize("customer", "read"))],
    request: Request,
    actor: Acting,
    session: DbSession,
    policy: Policy,
) -> CustomerSummary:
    """One customer, with its department's and custodian's names and its grade."""
    customer_files.read(session, actor, customer, request.state.decision)
    return describe_customer(session, customer, customer_files.grader(session, policy))


@router.patch("/{customer_id:uuid}")
def update(
    data: CustomerUpdate,
    customer: Annotated[Customer, Depends(Authorize("customer", "update"))],
    request: Request,
    actor: Acting,
    session: DbSession,
    policy: Policy,
) -> CustomerSummary:
    """Set the customer's industry: its ratings use that industry's reference table."""
    customer_files.update(session, actor, customer, data, request.state.decision)
    return describe_customer(session, customer, customer_files.grader(session, policy))


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
