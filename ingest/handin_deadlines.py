"""Documents handed in late (003 篇7: sales hand new documents to the archive within three
working days, late hand-ins are recorded): a document not yet filed by the archive three working
days after its upload, counted on the working-day calendar, is a deadline past due.

Invariants: raised only once late, so an upload sends no notice of its own; resolved when the
archive files the document; the deadline names its document, so only who may know that document
exists sees it or hears of it.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.deadlines import Due
from ingest.workdays import Calendar
from storage.models import Customer, CustomerStatus, Document

KIND = "document_handin"
WITHIN = 3  # working days


def find(session: Session, calendar: Calendar, zone: ZoneInfo, today: date) -> list[Due]:
    """Every document of a file still kept that the archive has not filed in time, as of `today`."""
    unfiled = session.execute(
        select(Document.id, Document.customer_id, Document.created_at)
        .join(Customer, Customer.id == Document.customer_id)
        .where(Document.filed_at.is_(None), Customer.status != CustomerStatus.terminated)
    )
    found = []
    for document_id, customer_id, uploaded in unfiled:
        due = calendar.add_workdays(uploaded.astimezone(zone).date(), WITHIN)
        if due < today:
            found.append(Due(customer_id, KIND, document_id.hex, due, document_id=document_id))
    return found
