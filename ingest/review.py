"""Review of what was read out of uploads: statements' figures, and business licenses' fields.

Invariants: only confirmed statements feed ratings; a correction keeps the value first read and
says who changed it, when and why, and sends a confirmed statement back to review; a statement
whose accounting checks fail is confirmed only on purpose; the fiscal year is known before it
counts; a period's length given on confirming only fills what the headings did not say; a
license's fields enter the record only when someone accepts them, and never a code that differs
from the customer's; a statement or extraction is shown, corrected, confirmed or accepted only
where its document is visible to the caller (`visible`, a condition on Document), and one that
is not is not found, like its document.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, selectinload

from ingest.errors import InvalidField
from ingest.statement_schemas import FigureCorrection, LicenseFields, StatementConfirm
from ingest.statements.checks import RULES, check
from ingest.statements.schemas import Figure, StatementType
from ingest.textindex import KIND as TEXT
from storage.errors import Conflict, NotFound
from storage.models import (
    Customer,
    Document,
    Extraction,
    Statement,
    StatementFigure,
    StatementStatus,
    User,
)


def statements_of(
    session: Session, customer_id: uuid.UUID, visible: ColumnElement[bool]
) -> list[Statement]:
    """A customer's statements from visible documents, latest year first, consolidated first."""
    query = (
        select(Statement)
        .join(Document, Document.id == Statement.document_id)
        .options(selectinload(Statement.figures))
        .where(Statement.customer_id == customer_id, visible)
        .order_by(Statement.fiscal_year.desc(), Statement.scope, Statement.type)
    )
    return list(session.scalars(query))


def get_statement(
    session: Session, customer_id: uuid.UUID, statement_id: uuid.UUID, visible: ColumnElement[bool]
) -> Statement:
    """One statement of the customer from a visible document; any other is not found."""
    query = (
        select(Statement)
        .join(Document, Document.id == Statement.document_id)
        .options(selectinload(Statement.figures))
        .where(Statement.id == statement_id, Statement.customer_id == customer_id, visible)
    )
    statement = session.scalar(query)
    if statement is None:
        raise NotFound("no such statement")
    return statement


def extractions_of(
    session: Session, customer_id: uuid.UUID, visible: ColumnElement[bool]
) -> list[Extraction]:
    """The readings of figures of a customer's visible documents, newest first."""
    query = (
        select(Extraction)
        .join(Document, Document.id == Extraction.document_id)
        .where(Document.customer_id == customer_id, visible, Extraction.kind != TEXT)
        .order_by(Extraction.created_at.desc())
    )
    return list(session.scalars(query))


def correct(
    statement: Statement, data: FigureCorrection, user: User, now: datetime
) -> StatementFigure:
    """Set one figure to the value printed, keeping the one first read; back to review."""
    figure = next(
        (f for f in statement.figures if (f.code, f.period) == (data.code, data.period)), None
    )
    if figure is None:
        # An item the extractor missed: added by hand, with nothing read.
        figure = StatementFigure(
            code=data.code,
            period=data.period,
            extracted=None,
            label=data.code,
            page=statement.pages[0] if statement.pages else 0,
            position=[],
            confidence=0.0,
        )
        statement.figures.append(figure)
    figure.value = data.value
    figure.corrected_by_id, figure.corrected_at = user.id, now
    figure.correction_reason = data.reason
    statement.status = StatementStatus.extracted
    statement.confirmed_by_id = statement.confirmed_at = None
    _recheck(statement)
    return figure


def confirm(statement: Statement, data: StatementConfirm, user: User, now: datetime) -> None:
    """Confirm the statement's figures so that they count for ratings."""
    if statement.status == StatementStatus.confirmed:
        raise Conflict("the statement is already confirmed", reason="statement_confirmed")
    if data.fiscal_year is not None:
        statement.fiscal_year = data.fiscal_year
    if statement.fiscal_year is None:
        raise InvalidField(
            "fiscal_year: not read from the statement; give it", reason="fiscal_year_unread"
        )
    failing = [c["name"] for c in statement.checks if not c["ok"]]
    if failing and not data.accept_failed_checks:
        raise Conflict(
            f"checks fail ({', '.join(failing)}): correct the figures, or confirm with "
            "accept_failed_checks",
            reason="checks_fail",
        )
    if data.months is not None:
        _give_months(statement, data.months)
    statement.status = StatementStatus.confirmed
    statement.confirmed_by_id, statement.confirmed_at = user.id, now


def _give_months(statement: Statement, months: int) -> None:
    # Fills only what the headings did not say; a length they printed stands.
    if statement.type == "balance_sheet":
        raise InvalidField("months: a balance sheet is at a date", reason="months_balance_sheet")
    columns = ["current"] + (["prior"] if statement.prior_label is not None else [])
    for column in columns:
        read = getattr(statement, f"{column}_months")
        if read is not None and read != months:
            raise InvalidField(
                f"months: the headings of the {column} column read {read} months",
                reason="months_read",
            )
        setattr(statement, f"{column}_months", months)


RULE_NAMES = {rule.name for rule in RULES}


def _rule(name: str) -> str:
    return name.rsplit(" (", 1)[0]


def _digits_of(check_: dict[str, Any]) -> tuple[str, str]:
    """(code, period) of a "digits of cash (current)" check."""
    code, period = check_["name"].removeprefix("digits of ").rsplit(" (", 1)
    return code, period.rstrip(")")


def _recheck(statement: Statement) -> None:
    # The extractor's accounting checks, run again on the figures as they stand now.
    items: dict[str, Figure] = {}
    for figure in statement.figures:
        held = items.get(figure.code) or Figure(
            current=None,
            prior=None,
            page=figure.page,
            label=figure.label,
            raw=[None, None],
            position=(0.0, 0.0, 0.0, 0.0),
            confidence=figure.confidence,
        )
        items[figure.code] = held.model_copy(update={figure.period: figure.value})
    found = [c.model_dump() for c in check(cast(StatementType, statement.type), items)]
    # Ties to the document's other statements cannot be rerun on one statement: they stand as
    # extracted. A digits check is settled once a person has typed the figure in.
    typed = {(f.code, f.period) for f in statement.figures if f.corrected_by_id is not None}
    kept = [
        c
        for c in statement.checks
        if _rule(c["name"]) not in RULE_NAMES
        and not (c["name"].startswith("digits of ") and _digits_of(c) in typed)
    ]
    statement.checks = found + kept
    statement.needs_review = any(not c["ok"] for c in statement.checks)


def accept_license(
    session: Session,
    customer: Customer,
    extraction_id: uuid.UUID,
    visible: ColumnElement[bool],
    user: User,
    now: datetime,
) -> tuple[Extraction, LicenseFields]:
    """Mark a license's reading accepted and take its validity onto the document; the fields
    it read for the customer's record are returned for the record's own path to take (a
    reading of a different code is never accepted)."""
    found = session.execute(
        select(Extraction, Document)
        .join(Document, Document.id == Extraction.document_id)
        .where(Extraction.id == extraction_id, Document.customer_id == customer.id, visible)
    ).one_or_none()
    if found is None:
        raise NotFound("no such extraction")
    job, document = found
    if job.kind != "license" or job.result is None:
        raise Conflict(
            "nothing to accept: no license fields were read from this document",
            reason="license_not_read",
        )
    if job.result.get("accepted_at"):
        raise Conflict("the license fields were accepted already", reason="license_accepted")
    fields = LicenseFields.model_validate(job.result["fields"])
    if "uscc" in job.result["mismatches"]:
        raise Conflict(
            "the license shows another unified social credit code than the customer's: "
            "check that it is this customer's license",
            reason="license_other_code",
        )
    document.issued_on = fields.valid_from or document.issued_on
    if fields.valid_until or fields.indefinite:
        document.expires_on = fields.valid_until
    job.result = {**job.result, "accepted_at": now.isoformat(), "accepted_by": str(user.id)}
    return job, fields
