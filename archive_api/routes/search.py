"""Searching the archive: one query over documents' text and metadata, within what may be seen."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from archive_api.deps import Acting, DbSession, Policy, Services
from archive_api.schemas import MAX_OFFSET
from ingest import search
from ingest.schemas import DocumentRead, Line
from storage.models import DocType, Secrecy

router = APIRouter(tags=["search"])
_YEAR = "of issue, or of upload for a document without a date of issue: as `by_year` counts"
_WORDS = (
    "words in the text, title, counterparty, contract number, customer name or credit code;"
    " every word must match"
)


class SearchHit(BaseModel):
    """A document found; `snippet` is matching text, only if the caller may read it now."""

    document: DocumentRead
    customer_name: str | None = Field(description="none when the caller may not see the file")
    snippet: str | None = Field(description="text around a match; none without reading rights")


class Facet(BaseModel):
    """How many of all matches share one value."""

    value: str
    count: int


class SearchPage(BaseModel):
    """A page of hits, the number of all matches, and their counts by type and by year."""

    items: list[SearchHit]
    total: int
    limit: int
    offset: int
    terms: list[str] = Field(
        description="the words' terms, spelled as in snippets (simplified, lower case), to mark"
    )
    by_type: list[Facet]
    by_year: list[Facet]


@router.get("/search")
def search_archive(
    actor: Acting,
    session: DbSession,
    policy: Policy,
    services: Services,
    q: Annotated[Line | None, Query(max_length=200, description=_WORDS)] = None,
    doc_type: DocType | None = None,
    secrecy: Secrecy | None = None,
    department_id: uuid.UUID | None = None,
    custodian_id: uuid.UUID | None = None,
    issued_from: date | None = None,
    issued_to: date | None = None,
    amount_min: Annotated[Decimal | None, Query(ge=0, max_digits=18, decimal_places=2)] = None,
    amount_max: Annotated[Decimal | None, Query(ge=0, max_digits=18, decimal_places=2)] = None,
    year: Annotated[int | None, Query(ge=1900, le=9999, description=_YEAR)] = None,
    sort: Literal["relevance", "date"] = "relevance",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> SearchPage:
    """Documents matching every word and filter, among those the caller may see."""
    asked = search.SearchQuery(
        q, doc_type, secrecy, department_id, custodian_id, issued_from, issued_to,
        amount_min, amount_max, year, sort, limit, offset,
    )  # fmt: skip
    limit_level = services.settings.search_max_secrecy
    found = search.search_archive(session, actor, policy, asked, services.clock(), limit_level)
    return SearchPage(
        items=[
            SearchHit(
                document=DocumentRead.model_validate(hit.document),
                customer_name=hit.customer_name,
                snippet=hit.snippet,
            )
            for hit in found.hits
        ],
        total=found.total,
        terms=found.terms,
        limit=limit,
        offset=offset,
        by_type=[Facet(value=k, count=n) for k, n in found.by_type.items()],
        by_year=[Facet(value=str(y), count=n) for y, n in found.by_year.items()],
    )
