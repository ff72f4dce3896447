"""Credit early warnings across customers: what a desk shows beside each user's work.

Plumbing only: the route parses, takes `ingest.appraisal.warnings` and shapes the page.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from archive_api.deps import Acting, DbSession, Policy, Services
from archive_api.schemas import MAX_OFFSET, Page
from ingest import appraisal
from ingest.credit_profile_schemas import CustomerWarning

router = APIRouter(tags=["credit"])


@router.get("/warnings")
def warnings(
    actor: Acting,
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
    today = services.today()
    items, total = appraisal.warnings(
        session, actor, policy, services.credit, scope, today, (limit, offset)
    )
    return Page(items=items, total=total, limit=limit, offset=offset)
