"""Customer files."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from access.authz import EVENTS
from access.handover import reassign
from access.schemas import CustodianChange
from archive_api.deps import Authorize, CurrentUser, DbSession, Policy, Services
from archive_api.events import record_done
from archive_api.schemas import MAX_OFFSET, Page, follow
from ingest.customers import create_customer, search_customers
from ingest.schemas import CustomerCreate, CustomerRead
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
    data: CustomerCreate,
    request: Request,
    user: CurrentUser,
    session: DbSession,
    services: Services,
    policy: Policy,
) -> CustomerRead:
    """Open a new customer file, in your own department unless another is given."""
    data.department_id = data.department_id or user.department_id
    rule = policy.require(data.department_id, "customer", "create", data.secrecy)
    seen = policy.visible(session, "customer", Customer.department_id, Customer.secrecy)
    customer = create_customer(session, services.keys, data, user, seen)
    target = {"customer": str(customer.id), "secrecy": customer.secrecy}
    record_done(session, request, "customer:file:create", target, rule)
    return CustomerRead.model_validate(customer)


@router.get("")
def search(
    session: DbSession,
    policy: Policy,
    q: Annotated[str | None, Query(max_length=200, description="part of the name or code")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page[CustomerRead]:
    """Customers whose name or unified social credit code contains `q`."""
    where = policy.visible(session, "customer", Customer.department_id, Customer.secrecy)
    rows, total = search_customers(session, where, q, limit, offset)
    items = [CustomerRead.model_validate(c) for c in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/{customer_id:uuid}")
def read(customer: Annotated[Customer, Depends(Authorize("customer", "read"))]) -> CustomerRead:
    """One customer."""
    return CustomerRead.model_validate(customer)


@router.put("/{customer_id:uuid}/custodian")
def reassign_custodian(
    data: CustodianChange,
    customer: Annotated[Customer, Depends(Authorize("customer", "reassign"))],
    request: Request,
    session: DbSession,
) -> CustomerRead:
    """Pass one customer to another custodian of its department (department heads)."""
    former = reassign(session, customer, data.custodian_id)
    record_done(
        session,
        request,
        EVENTS[("customer", "reassign")],
        {"customer": str(customer.id), "secrecy": customer.secrecy},
        custodian_from=str(former),
        custodian_to=str(customer.custodian_id),
        reason=data.reason,
    )
    return CustomerRead.model_validate(customer)
