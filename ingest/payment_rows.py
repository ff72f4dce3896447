"""Rows of customers' transactions as the ERP and finance systems deliver them: a CSV or XLSX
file in the drop folder, or a database view with the same columns; each row checked alone.

Invariants: a row is taken or rejected whole, with its row number and a reason naming the field
and never its value (the reason goes into reports and logs; the values may be personal data);
amounts are decimals of at most two places, positive; dates are ISO (`2026-11-30`) or, in a
spreadsheet or a view, date cells; only customers already on file are matched, by credit code.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import openpyxl

from ingest.errors import InvalidField
from ingest.uscc import uscc_problem
from storage.models import TransactionKind

COLUMNS = (
    "source",
    "number",
    "kind",
    "credit_code",
    "amount",
    "currency",
    "date",
    "due_date",
    "paid_date",
    "applies_to",
)
REQUIRED = ("source", "number", "kind", "credit_code", "amount", "date")
_LONGEST = {"source": 32, "number": 64, "applies_to": 64}
_CURRENCIES = ("CNY",)  # the approved limits are in yuan: other currencies would not add up


class Rejected(Exception):
    """Why one row was not taken: a sentence naming the field, never its value."""


@dataclass(frozen=True)
class Row:
    """One delivered row: its number in the file (the header is row 1) and its cells."""

    line: int
    cells: Mapping[str, Any]


@dataclass(frozen=True)
class Entry:
    """A checked row, ready to be kept."""

    source: str
    number: str
    kind: str
    credit_code: str
    amount: Decimal
    currency: str
    dated: date
    due_on: date | None
    paid_on: date | None
    applies_to: str | None


def csv_rows(data: bytes) -> Iterator[Row]:
    """The rows of a CSV file (UTF-8, with or without BOM, a header row)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidField("file: not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    reader.fieldnames = _header(reader.fieldnames or [])
    for cells in reader:
        yield Row(reader.line_num, cells)


def xlsx_rows(data: bytes) -> Iterator[Row]:
    """The rows of an XLSX workbook's first sheet (a header row, then one row a transaction)."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises whatever its parsers do on a broken file
        raise InvalidField("file: not a readable XLSX workbook") from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = _header(["" if c is None else str(c) for c in next(rows, ())])
    for line, values in enumerate(rows, start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue  # a blank line between blocks, as spreadsheets have
        yield Row(line, dict(zip(header, values, strict=False)))
    book.close()


def _header(names: Sequence[str]) -> list[str]:
    header = [name.strip().lower() for name in names]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise InvalidField(f"file: missing column(s) {', '.join(missing)}")
    return header


def checked(row: Row) -> Entry:
    """The row as an entry, or Rejected saying which field is wrong and why."""
    kind = _text(row, "kind").lower()
    if kind not in TransactionKind.__members__:
        raise Rejected(f"kind: one of {', '.join(TransactionKind)}")
    code = _text(row, "credit_code").upper()
    problem = uscc_problem(code)
    if problem:
        raise Rejected(f"credit_code: {problem}")
    currency = (_text(row, "currency", required=False) or "CNY").upper()
    if currency not in _CURRENCIES:
        raise Rejected(f"currency: only {', '.join(_CURRENCIES)} is kept")
    due_on = _date(row, "due_date")
    if kind == TransactionKind.invoice and due_on is None:
        raise Rejected("due_date: an invoice needs the day it is due")
    dated = _date(row, "date")
    assert dated is not None  # required; a type hint  # nosec B101
    return Entry(
        source=_text(row, "source"),
        number=_text(row, "number"),
        kind=kind,
        credit_code=code,
        amount=_amount(row),
        currency=currency,
        dated=dated,
        due_on=due_on,
        paid_on=_date(row, "paid_date"),
        applies_to=_text(row, "applies_to", required=False) or None,
    )


def _text(row: Row, column: str, required: bool = True) -> str:
    value = row.cells.get(column)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed into a spreadsheet: 10086, not 10086.0
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise Rejected(f"{column}: missing")
    if len(text) > _LONGEST.get(column, 64):
        raise Rejected(f"{column}: longer than {_LONGEST.get(column, 64)} characters")
    return text


def _date(row: Row, column: str) -> date | None:
    value = row.cells.get(column)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = "" if value is None else str(value).strip()
    if not text:
        if column in REQUIRED:
            raise Rejected(f"{column}: missing")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Rejected(f"{column}: not a date in the form 2026-11-30") from None


def _amount(row: Row) -> Decimal:
    value = row.cells.get("amount")
    if isinstance(value, float):
        value = repr(value)  # the shortest decimal that is this float: 1234.5, not 1234.4999…
    text = "" if value is None else str(value).strip().replace(",", "")
    if not text:
        raise Rejected("amount: missing")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise Rejected("amount: not a decimal number such as 12500.00") from None
    if not amount.is_finite() or amount <= 0:
        raise Rejected("amount: must be more than 0 (the kind says which way it goes)")
    if amount != amount.quantize(Decimal("0.01")):
        raise Rejected("amount: more than two decimal places")
    if amount >= Decimal(10) ** 16:
        raise Rejected("amount: too large")
    return amount.quantize(Decimal("0.01"))
