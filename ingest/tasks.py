"""Background jobs of intake: statements and business licenses read out of uploaded documents.

Invariants: reading never happens in a request; each job runs in its own process with time and
memory limits, so a file that crashes or hangs fails alone, with a reason and never with its
content; a job's results are written in one transaction with its end, so a worker that dies
leaves the job `running` until it is taken again after the time limit, at most three times.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ingest import master_data
from ingest.config import IngestSettings
from ingest.documents import get_version
from ingest.errors import ExtractionFailed
from ingest.isolation import preload, run_isolated
from ingest.license import LicenseFields, read_license
from ingest.ocr import ocr_image, ocr_page, skim_page
from ingest.pages import PDF
from ingest.statements import Extracted, extract_document
from ingest.statements import Statement as Found
from ingest.textindex import keep_text, read_text
from ingest.words import read_pages
from storage.envelope import unseal
from storage.keys import KeyProvider
from storage.models import (
    Customer,
    Document,
    DocumentVersion,
    Extraction,
    ExtractionStatus,
    Statement,
    StatementFigure,
)
from storage.objects import ObjectStore

preload(__name__)  # each file is read in a child that starts with pdfplumber imported

MAX_ATTEMPTS = 3
# OCR stops at this share of the extraction's time limit, so that what it read is checked and
# returned (its unread pages named) before the worker's limit kills the reading with nothing.
OCR_SHARE = 0.8
# The kinds the extraction worker reads; "text" (for search) has a worker of its own.
READINGS = ("statements", "license")
_YEAR = re.compile(r"(19|20)\d{2}")
# What a job ends with: statements (and the pages not read in time), a license's fields (or
# none found), a file's text for search, or why it failed.
Read = Extracted | LicenseFields | str | None
Outcome = Read | ExtractionFailed


def claim(
    session: Session,
    now: datetime,
    limit: timedelta,
    kinds: Collection[str] = READINGS,
    only: uuid.UUID | None = None,
) -> Extraction | None:
    """Take the oldest waiting job of `kinds` (or one whose worker died: running for longer than
    `limit`), or only the job `only`, marking it running."""
    stale = (Extraction.status == ExtractionStatus.running) & (Extraction.started_at < now - limit)
    waiting = or_(Extraction.status == ExtractionStatus.pending, stale)
    query = select(Extraction).where(waiting, Extraction.kind.in_(kinds))
    if only is not None:
        query = query.where(Extraction.id == only)
    job = session.scalar(query.order_by(Extraction.created_at).limit(1))
    if job is None:
        return None
    if job.attempts >= MAX_ATTEMPTS:  # its worker died every time: the file is not retried
        job.status, job.finished_at = ExtractionStatus.failed, now
        job.reason = f"gave up after {job.attempts} attempts: the worker stopped each time"
        return None
    # Taken only if nobody took it since it was read: two workers never run one job.
    taken = session.execute(
        update(Extraction)
        .where(Extraction.id == job.id, Extraction.attempts == job.attempts)
        .values(status=ExtractionStatus.running, started_at=now, attempts=job.attempts + 1)
    )
    session.refresh(job)
    return job if taken.rowcount == 1 else None  # type: ignore[attr-defined]


def still_ours(session: Session, job_id: uuid.UUID, attempts: int) -> Extraction | None:
    """The job, locked, if it is still running under the claim that set `attempts`; None if it
    was taken again since (its worker was thought dead): that claim's result is written, this
    one's dropped, so a result is never stored twice."""
    job = session.get(Extraction, job_id, with_for_update=True)
    if job is None or job.status != ExtractionStatus.running or job.attempts != attempts:
        return None
    return job


def version_of(session: Session, job: Extraction) -> DocumentVersion:
    """The stored version a job reads."""
    return get_version(session.get_one(Document, job.document_id), job.version)


def release(job: Extraction) -> None:
    """Put a job back in the queue (a backend was away), as if it had not been taken."""
    job.status, job.started_at, job.attempts = ExtractionStatus.pending, None, job.attempts - 1


def read(
    store: ObjectStore, keys: KeyProvider, row: DocumentVersion, kind: str, settings: IngestSettings
) -> Read:
    """Run the job's reading in its own process; raises ExtractionFailed with the reason."""
    data = b"".join(unseal(store, keys, row, 0, row.size))  # in memory, never on disk
    timeout, memory_mb = settings.extract_timeout, settings.extract_memory_mb
    if kind == "statements":
        return run_isolated(
            read_statements,
            data,
            row.media_type,
            OCR_SHARE * timeout,
            timeout=timeout,
            memory_mb=memory_mb,
        )
    if kind == "text":
        return run_isolated(read_text, data, row.media_type, timeout=timeout, memory_mb=memory_mb)
    return run_isolated(
        read_license_file, data, row.media_type, timeout=timeout, memory_mb=memory_mb
    )


def read_statements(data: bytes, media_type: str, ocr_seconds: float) -> Extracted:
    """The statements of a PDF (scanned pages read by OCR for at most `ocr_seconds`, the pages
    left named); runs in the isolated process."""
    if media_type != PDF:
        raise ExtractionFailed("statements are read from PDFs only")
    deadline = time.monotonic() + ocr_seconds
    return extract_document(data, ocr=ocr_page, skim=skim_page, deadline=deadline)


def read_license_file(data: bytes, media_type: str) -> LicenseFields | None:
    """A business license's fields, from a PDF or a scan; runs in the isolated process."""
    pages = read_pages(data, ocr=ocr_page) if media_type == PDF else ocr_image(data)
    return read_license(pages)


def finish(
    session: Session, job: Extraction, outcome: Outcome, now: datetime, max_secrecy: str
) -> None:
    """Store what the job found (or why it failed) and end it; a text is kept for search only
    for documents up to `max_secrecy`."""
    job.finished_at = now
    if isinstance(outcome, ExtractionFailed):
        job.status, job.reason = ExtractionStatus.failed, outcome.detail
        return
    if isinstance(outcome, str):
        keep_text(session, job, outcome, now, max_secrecy)
        job.status = ExtractionStatus.done
        return
    document = session.get_one(Document, job.document_id)
    if isinstance(outcome, Extracted):
        for found in outcome.statements:
            session.add(_statement(job, document, found))
        job.result = {"unread_pages": outcome.unread_pages}
    elif outcome is not None:
        customer = session.get_one(Customer, document.customer_id)
        job.result = _proposal(outcome, customer)
    job.status = ExtractionStatus.done


def _statement(job: Extraction, document: Document, found: Found) -> Statement:
    current, prior = found.columns.get("current", ""), found.columns.get("prior")
    # The period read from every heading over the column (本期金额 under a title dated 2021年度),
    # else a year printed in the column's own cell.
    read, before = found.periods.get("current"), found.periods.get("prior")
    year = _YEAR.search(read.end if read is not None and read.end else current)
    statement = Statement(
        customer_id=document.customer_id,
        document_id=document.id,
        version=job.version,
        extraction_id=job.id,
        type=found.type,
        scope=found.scope,
        title=found.title[:300],
        pages=found.pages,
        unit=found.unit,
        multiplier=found.multiplier,
        currency=found.currency,
        current_label=current[:100],
        prior_label=prior[:100] if prior else None,
        fiscal_year=int(year.group()) if year else None,
        current_months=read.months if read is not None else None,
        current_end=read.end[:10] if read is not None and read.end else None,
        prior_months=before.months if before is not None else None,
        prior_end=before.end[:10] if before is not None and before.end else None,
        checks=[c.model_dump() for c in found.checks],
        needs_review=found.needs_review,
    )
    for code, figure in found.items.items():
        for index, period in enumerate(("current", "prior")):
            value = getattr(figure, period)
            raw = figure.raw[index] if index < len(figure.raw) else None
            statement.figures.append(
                StatementFigure(
                    code=code,
                    period=period,
                    value=value,
                    extracted=value,
                    raw=raw[:64] if raw else None,
                    label=figure.label[:300],
                    page=figure.page,
                    position=list(figure.position),
                    confidence=figure.confidence,
                )
            )
    return statement


def _proposal(fields: LicenseFields, customer: Customer) -> dict[str, Any]:
    # What the license says, and where it differs from a value the customer's record holds
    # (a field the record leaves empty is new, not a mismatch).
    on_file = {**master_data.current(customer), "uscc": customer.uscc}
    read_as = {**master_data.from_license(fields), "uscc": fields.uscc}
    mismatches = [
        name
        for name, value in read_as.items()
        if value is not None and on_file[name] is not None and value != on_file[name]
    ]
    return {"fields": fields.model_dump(mode="json"), "mismatches": mismatches}
