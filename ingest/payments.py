"""Importing customers' transactions from the ERP and finance systems: a file from the drop
folder, or a database view read with one SELECT.

Invariants: the same row imported twice is one row — a row is found again by (source, number,
kind) and only what changed is written, so a second import of the same month leaves every row
unchanged; a file is imported once (its SHA-256 is kept with the run), a file refused as a whole
too, so a round does not retry it forever; a run's good rows are kept in the caller's one
transaction with its record; reports and audit events carry counts, row numbers and reasons,
never a row's values.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import ColumnClause, column, create_engine, select, table
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from ingest.errors import InvalidField
from ingest.payment_rows import COLUMNS, Entry, Rejected, Row, checked, csv_rows, xlsx_rows
from storage.auditevent import Actor, record
from storage.auditnames import Action
from storage.models import Customer, PaymentImport, Transaction

SUFFIXES = (".csv", ".xlsx")
# A view named as `name` or `schema.name`: quoted by SQLAlchemy, never spliced into SQL.
VIEW_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?")
_FIELDS = ("customer_id", "amount", "currency", "dated", "due_on", "paid_on", "applies_to")


class RejectedRow(BaseModel):
    """A row not taken: its number in the file (the header is row 1) and why."""

    row: int
    reason: str = Field(description="the field and what is wrong with it, never its value")


class ImportReport(BaseModel):
    """What one import run did."""

    origin: str = Field(description="the file's name, or view:<name>")
    skipped: bool = Field(False, description="the same file (SHA-256) was imported before")
    problem: str | None = Field(None, description="why the file as a whole was refused")
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = []


Outcome = Literal["imported", "updated", "unchanged"]


def import_rows(session: Session, report: ImportReport, rows: Iterable[Row]) -> None:
    """Check each row and keep the good ones, counting into `report`."""
    customers: dict[str, Customer | None] = {}
    for row in rows:
        try:
            entry = checked(row)
            if entry.credit_code not in customers:
                found = select(Customer).where(Customer.uscc == entry.credit_code)
                customers[entry.credit_code] = session.scalar(found)
            customer = customers[entry.credit_code]
            if customer is None:
                raise Rejected("credit_code: no customer on file has this credit code")
        except Rejected as rejected:
            report.rejected.append(RejectedRow(row=row.line, reason=str(rejected)))
            continue
        outcome = _keep(session, entry, customer)
        setattr(report, outcome, getattr(report, outcome) + 1)


def _keep(session: Session, entry: Entry, customer: Customer) -> Outcome:
    key = (entry.source, entry.number, entry.kind)
    query = select(Transaction).where(
        Transaction.source == key[0], Transaction.number == key[1], Transaction.kind == key[2]
    )
    row = session.scalar(query)
    values = {
        "customer_id": customer.id,
        "amount": entry.amount,
        "currency": entry.currency,
        "dated": entry.dated,
        "due_on": entry.due_on,
        "paid_on": entry.paid_on,
        "applies_to": entry.applies_to,
    }
    if row is None:
        session.add(Transaction(source=key[0], number=key[1], kind=key[2], **values))
        session.flush()  # a later row of the same run with the same key finds this one
        return "imported"
    changed = {name: values[name] for name in _FIELDS if getattr(row, name) != values[name]}
    for name, value in changed.items():
        setattr(row, name, value)
    return "updated" if changed else "unchanged"


def import_file(session: Session, actor: Actor, path: Path) -> ImportReport:
    """Import one CSV or XLSX file, unless a file with the same bytes was imported before."""
    data = path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    report = ImportReport(origin=path.name)
    if session.scalar(select(PaymentImport.id).where(PaymentImport.sha256 == sha256)):
        report.skipped = True
        return report
    suffix = path.suffix.lower()
    try:
        if suffix not in SUFFIXES:
            raise InvalidField("file: a .csv or .xlsx file")
        # Read whole before anything is kept: a file refused whole keeps none of its rows.
        rows = list(csv_rows(data) if suffix == ".csv" else xlsx_rows(data))
    except InvalidField as refused:
        # The refusal is kept, so the file is not read again until it is replaced.
        report.problem = refused.detail
    else:
        import_rows(session, report, rows)
    _record(session, actor, report, sha256)
    return report


def import_view(session: Session, actor: Actor, url: str, view: str) -> ImportReport:
    """Import every row of a database view with the file's columns, read with one SELECT on a
    read-only connection of its own."""
    if not VIEW_NAME.fullmatch(view):
        raise InvalidField("payments_sql_view: a view name, or schema.name")
    schema, _, name = view.rpartition(".")
    columns: list[ColumnClause[Any]] = [column(c) for c in COLUMNS]
    query = (
        select(*columns)
        .select_from(table(name, schema=schema or None))
        .order_by(column("source"), column("number"), column("kind"))
    )
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as opened:
            readonly = opened.dialect.name == "postgresql"
            connection = opened.execution_options(postgresql_readonly=True) if readonly else opened
            found = [dict(cells) for cells in connection.execute(query).mappings()]
    finally:
        engine.dispose()
    report = ImportReport(origin=f"view:{view}")
    import_rows(session, report, (Row(n, cells) for n, cells in enumerate(found, start=1)))
    _record(session, actor, report, None)
    return report


def new_files(folder: Path) -> list[Path]:
    """The CSV and XLSX files in the drop folder, by name; the import skips those seen."""
    files = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES]
    return sorted(p for p in files if not p.name.startswith("."))


def _record(session: Session, actor: Actor, report: ImportReport, sha256: str | None) -> None:
    run = PaymentImport(
        origin=report.origin[:300],
        sha256=sha256,
        imported=report.imported,
        updated=report.updated,
        unchanged=report.unchanged,
        rejected=len(report.rejected),
        problem=report.problem[:200] if report.problem else None,
    )
    session.add(run)
    session.flush()
    # Counts only: the rows are customers' business, the audit log is read by every auditor.
    record(
        session, actor, Action.PAYMENTS_IMPORT, "failure" if report.problem else "success",
        {"import": str(run.id), "origin": run.origin}, None,
        imported=run.imported, updated=run.updated, unchanged=run.unchanged,
        rejected=run.rejected, problem=run.problem,
    )  # fmt: skip
