"""Customer files."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select

from access.authz import EVENTS, STEPS
from access.handover import reassign
from access.schemas import CustodianChange
from archive_api.deps import Authorize, CurrentUser, DbSession, Policy, Services
from archive_api.events import customer_target, record_done, record_list
from archive_api.schemas import MAX_OFFSET, Page, follow
from ingest.customers import (
    CustomerFilter,
    Grader,
    create_customer,
    custodians_of,
    describe_customer,
    search_customers,
    visible_grade,
)
from ingest.schemas import (
    CustomerCreate,
    CustomerRead,
    CustomerSummary,
    CustomerUpdate,
    DepartmentChoice,
    Person,
)
from storage.models import Customer, Department, Secrecy

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
) -> CustomerSummary:
    """Open a new customer file, in your own department unless another is given."""
    data.department_id = data.department_id or user.department_id
    rule = policy.require(data.department_id, "customer", "create", data.secrecy)
    seen = policy.visible(session, "customer", Customer.department_id, Customer.secrecy)
    customer = create_customer(session, services.keys, data, user, seen)
    record_done(session, request, "customer:file:create", customer_target(customer), rule)
    return describe_customer(session, customer, _grader(session, policy))


def _grader(session: DbSession, policy: Policy) -> Grader:
    # A grade is shown to whoever reads the customer's credit, from the ratings drawn only on
    # documents they may see (as GET /customers/{id}/ratings shows them).
    def grade_of(customer: Customer) -> str | None:
        department, level = customer.department_id, customer.secrecy
        if not policy.allowed(department, "customer", "read_credit", level):
            return None
        return visible_grade(session, customer, policy.readable_documents(department))

    return grade_of


@router.get("")
def search(
    request: Request,
    session: DbSession,
    policy: Policy,
    q: Annotated[str | None, Query(max_length=200, description="part of the name or code")] = None,
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
    where = policy.visible(session, "customer", Customer.department_id, Customer.secrecy)
    wanted = CustomerFilter(q, department_id, custodian_id, grade)
    items, total = search_customers(session, where, wanted, limit, offset, _grader(session, policy))
    record_list(
        session, request, STEPS[("customer", "search")], total, q=q, department_id=department_id,
        custodian_id=custodian_id, grade=grade, limit=limit, offset=offset,
    )  # fmt: skip
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/custodians")
def custodians(session: DbSession, policy: Policy) -> list[Person]:
    """Who keeps the customers you may see (for choosing one to search by)."""
    where = policy.visible(session, "customer", Customer.department_id, Customer.secrecy)
    return [Person.model_validate(u) for u in custodians_of(session, where)]


@router.get("/departments")
def departments(session: DbSession, policy: Policy) -> list[DepartmentChoice]:
    """The departments whose customers you may see or where you may open a customer file."""
    chosen = []
    for department in session.scalars(select(Department).order_by(Department.name)):
        may_open = policy.allowed(department.id, "customer", "create", Secrecy.internal)
        sees = any(policy.allowed(department.id, "customer", "read", s) for s in Secrecy)
        if may_open or sees:
            chosen.append(
                DepartmentChoice(
                    id=department.id, code=department.code, name=department.name, may_open=may_open
                )
            )
    return chosen


@router.get("/{customer_id:uuid}")
def read(
    customer: Annotated[Customer, Depends(Authorize("customer", "read"))],
    request: Request,
    session: DbSession,
    policy: Policy,
) -> CustomerSummary:
    """One customer, with its department's and custodian's names and its grade."""
    record_done(session, request, EVENTS[("customer", "read")], customer_target(customer))
    return describe_customer(session, customer, _grader(session, policy))


@router.patch("/{customer_id:uuid}")
def update(
    data: CustomerUpdate,
    customer: Annotated[Customer, Depends(Authorize("customer", "update"))],
    request: Request,
    session: DbSession,
    policy: Policy,
) -> CustomerSummary:
    """Set the customer's industry: its ratings use that industry's reference table."""
    former = customer.industry
    customer.industry = data.industry
    session.flush()
    record_done(
        session,
        request,
        EVENTS[("customer", "update")],
        customer_target(customer),
        industry_from=former,
        industry_to=customer.industry,
    )
    return describe_customer(session, customer, _grader(session, policy))


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
        customer_target(customer),
        custodian_from=str(former),
        custodian_to=str(customer.custodian_id),
        reason=data.reason,
    )
    return CustomerRead.model_validate(customer)
