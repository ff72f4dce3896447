"""What a customer file lacks: the configured requirements held against its documents on a day.

Invariants: only documents the reader may know exist are counted (the condition
`Rights.readable_documents` gives, as a bag export's listing and every figure derived from a
document), so a file's completeness, and the report of incomplete files, never tells a reader of
a document above their clearance, not even that the file is complete because of it: to them
the file lacks it. A document they may know exists but not read counts, as the bag lists it.
The day is the caller's (the archive's clock), so a test fixes it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ingest.completeness_schemas import CompletenessItem, Requirement
from ingest.credit_terms import add_months
from storage.models import DocType, Document, Statement


@dataclass(frozen=True)
class OnFile:
    """A document as completeness weighs it."""

    id: uuid.UUID
    customer_id: uuid.UUID
    doc_type: str
    dated: date  # issued, else filed with us
    expires_on: date | None
    fiscal_year: int | None  # read from a statement in it, if any


def evaluate(
    requirements: Iterable[Requirement],
    category: str | None,
    status: str,
    documents: Sequence[OnFile],
    today: date,
) -> list[CompletenessItem]:
    """Each requirement that applies to the customer, met or not as of `today`."""
    items: list[CompletenessItem] = []
    for wanted in requirements:
        if not wanted.applies(category, status):
            continue
        mine = [d for d in documents if d.doc_type == wanted.doc_type]
        if wanted.years is None:
            items.append(_lasting(wanted, mine, today))
        else:
            items.extend(_yearly(wanted, mine, today))
    return items


def _ends(wanted: Requirement, document: OnFile) -> date | None:
    # The last day it counts: its own expiry, or its validity's end, whichever comes first.
    ends = [document.expires_on] if document.expires_on else []
    if wanted.valid_months is not None:
        ends.append(add_months(document.dated, wanted.valid_months) - timedelta(days=1))
    return min(ends, default=None)


def _lasting(wanted: Requirement, documents: list[OnFile], today: date) -> CompletenessItem:
    if not documents:
        return _item(wanted, "missing")

    def lasting(d: OnFile) -> tuple[bool, date, date, str]:
        # The one that counts longest (for good first); of equals, the latest issued.
        end = _ends(wanted, d)
        return end is None, end or date.min, d.dated, str(d.id)

    best = max(documents, key=lasting)
    end = _ends(wanted, best)
    state = "present" if end is None or end >= today else "expired"
    return _item(wanted, state, best.id, end)


def fiscal_years(wanted: Requirement, today: date) -> list[int]:
    """The fiscal years a yearly requirement asks for on `today`, the latest first."""
    assert wanted.years is not None  # only yearly requirements ask  # nosec B101
    latest = today.year - 1 if today >= wanted.due_on(today.year - 1) else today.year - 2
    return [latest - back for back in range(wanted.years)]


def _yearly(wanted: Requirement, documents: list[OnFile], today: date) -> list[CompletenessItem]:
    items = []
    for year in fiscal_years(wanted, today):
        # Read from the statement, else taken as issued (or filed) the year after its own.
        of_year = [d for d in documents if (d.fiscal_year or d.dated.year - 1) == year]
        latest = max(of_year, key=lambda d: (d.dated, str(d.id)), default=None)
        state = "missing" if latest is None else "present"
        items.append(
            _item(wanted, state, latest.id if latest else None, year=year, due=wanted.due_on(year))
        )
    return items


def _item(
    wanted: Requirement,
    state: str,
    document: uuid.UUID | None = None,
    ends: date | None = None,
    *,
    year: int | None = None,
    due: date | None = None,
) -> CompletenessItem:
    return CompletenessItem.model_validate(
        {
            "doc_type": wanted.doc_type,
            "year": year,
            "state": state,
            "document_id": document,
            "expires_on": ends,
            "due_on": due,
        }
    )


def on_file(
    session: Session,
    customers: ColumnElement[bool],
    seen: ColumnElement[bool],
    types: Iterable[DocType],
) -> dict[uuid.UUID, list[OnFile]]:
    """The documents of `types` in the customers `customers` selects (a condition on
    `Document.customer_id`) that `seen` lets the reader know exist, by customer."""
    # The fiscal year of a statement document: the latest any reading of it found.
    years = (
        select(Statement.document_id, func.max(Statement.fiscal_year).label("year"))
        .group_by(Statement.document_id)
        .subquery()
    )
    query = (
        select(
            Document.id,
            Document.customer_id,
            Document.doc_type,
            Document.issued_on,
            Document.created_at,
            Document.expires_on,
            years.c.year,
        )
        .outerjoin(years, years.c.document_id == Document.id)
        .where(customers, seen, Document.doc_type.in_([t.value for t in types]))
        .where(Document.disposal_id.is_(None))  # a disposed document meets nothing any more
    )
    found: dict[uuid.UUID, list[OnFile]] = {}
    for row in session.execute(query):
        dated = row.issued_on or row.created_at.date()
        document = OnFile(row.id, row.customer_id, row.doc_type, dated, row.expires_on, row.year)
        found.setdefault(row.customer_id, []).append(document)
    return found
