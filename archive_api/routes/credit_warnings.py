"""Credit early warnings across customers: what a desk shows beside each user's work.

A warning is derived from a customer's documents like the credit profile it comes from, so it is
listed only for customers whose credit the caller may read (the list door with `read_credit`)
and computed from the documents the caller may know exist (`Access.readable_documents`).
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, exists, or_, select

from archive_api.deps import DbSession, Policy, Services
from archive_api.schemas import MAX_OFFSET, Page
from ingest.errors import InvalidField
from ingest.profile import assess
from storage.models import Customer, DocType, Document, Rating, Statement, StatementStatus

router = APIRouter(tags=["credit"])


class CustomerWarning(BaseModel):
    """One early warning of one customer, as of today."""

    customer_id: uuid.UUID
    customer_name: str
    code: str = Field(description="stable: debt_ratio_rise, license_expiring, review_overdue …")
    message_zh: str
    message_en: str
    figures: dict[str, Decimal | date]


def _may_warn() -> list[ColumnElement[bool]]:
    # Only customers with something a warning is drawn from: confirmed figures, a license
    # with an expiry date, or a rating with a review date.
    of_customer = Customer.id
    return [
        exists().where(
            Statement.customer_id == of_customer, Statement.status == StatementStatus.confirmed
        ),
        exists().where(
            Document.customer_id == of_customer,
            Document.doc_type == DocType.business_license,
            Document.expires_on.is_not(None),
        ),
        exists().where(Rating.customer_id == of_customer),
    ]


@router.get("/warnings")
def warnings(
    session: DbSession,
    policy: Policy,
    services: Services,
    scope: Annotated[
        Literal["custody", "all"],
        Query(description="custody: customers in my custody; all: every customer I may rate"),
    ] = "custody",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page[CustomerWarning]:
    """Early warnings of the customers whose credit profile I may read, by customer name."""
    seen = policy.visible(
        session, "customer", Customer.department_id, Customer.secrecy, "read_credit"
    )
    query = select(Customer).where(seen, or_(*_may_warn()))
    if scope == "custody":
        query = query.where(Customer.custodian_id == policy.user.id)
    today = services.clock().astimezone(services.rules.zone).date()
    found: list[CustomerWarning] = []
    for customer in session.scalars(query.order_by(Customer.name, Customer.id)):
        visible = policy.readable_documents(customer.department_id)
        try:
            rating = assess(session, services.credit, customer, today, None, visible).rating
        except InvalidField:
            # An industry the policy refuses to rate (banking): its profile says why.
            continue
        found += [
            CustomerWarning(customer_id=customer.id, customer_name=customer.name, **w.model_dump())
            for w in rating.warnings
        ]
    items = found[offset : offset + limit]
    return Page(items=items, total=len(found), limit=limit, offset=offset)
