"""The documented transaction format: the example file reads without a rejected row."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from ingest.config import IngestSettings
from ingest.errors import InvalidField
from ingest.payment_rows import Rejected, Row, checked, csv_rows

EXAMPLE = Path(__file__).parents[2] / "docs/examples/payments-2026-11.csv"


def test_the_documented_example_reads_whole() -> None:
    entries = [checked(row) for row in csv_rows(EXAMPLE.read_bytes())]
    assert [(e.kind, e.amount) for e in entries][:2] == [
        ("invoice", Decimal("100000.00")),
        ("invoice", Decimal("50000.00")),
    ]
    assert {e.kind for e in entries} == {"invoice", "payment", "credit_note", "write_off"}


def test_a_header_without_a_required_column_refuses_the_file() -> None:
    with pytest.raises(InvalidField, match="missing column"):
        list(csv_rows(b"number,amount\n1,2\n"))


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        ("0", "amount: must be more than 0 (the kind says which way it goes)"),
        ("1.005", "amount: more than two decimal places"),
        ("NaN", "amount: must be more than 0 (the kind says which way it goes)"),
        ("1e20", "amount: too large"),
    ],
)
def test_an_amount_is_a_positive_decimal_of_two_places(amount: str, reason: str) -> None:
    line = next(csv_rows(EXAMPLE.read_bytes()))
    with pytest.raises(Rejected) as refused:
        checked(Row(2, {**line.cells, "amount": amount}))
    assert str(refused.value) == reason


def test_a_view_is_named_only_with_its_database() -> None:
    with pytest.raises(ValidationError, match="go together"):
        IngestSettings(payments_sql_view="receivables")
    with pytest.raises(ValidationError, match="payments_sql_view"):
        IngestSettings(payments_sql_url="sqlite://", payments_sql_view="x; DROP TABLE y")


def test_a_number_typed_into_a_spreadsheet_is_the_number_as_written() -> None:
    line = next(csv_rows(EXAMPLE.read_bytes()))
    assert checked(Row(2, {**line.cells, "number": 10086.0})).number == "10086"
