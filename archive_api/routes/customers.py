"""Customer files."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from archive_api.deps import CurrentUser, DbSession, Services
from archive_api.schemas import Page
from ingest.customers import create_customer, get_customer, search_customers
from ingest.schemas import CustomerCreate, CustomerRead

router = APIRouter(prefix="/customers", tags=["customers"])


@router.post("", status_code=201)
def create(
    data: CustomerCreate, user: CurrentUser, session: DbSession, services: Services
) -> CustomerRead:
    """Open a new customer file."""
    return CustomerRead.model_validate(create_customer(session, services.keys, data, user))


@router.get("")
def search(
    user: CurrentUser,
    session: DbSession,
    q: Annotated[str | None, Query(max_length=200, description="part of the name or code")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Page[CustomerRead]:
    """Customers whose name or unified social credit code contains `q`."""
    rows, total = search_customers(session, q, limit, offset)
    items = [CustomerRead.model_validate(c) for c in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/{customer_id}")
def read(customer_id: uuid.UUID, user: CurrentUser, session: DbSession) -> CustomerRead:
    """One customer."""
    return CustomerRead.model_validate(get_customer(session, customer_id))
