"""Contract number patterns as configuration: the shipped file, the numbers they make, and the
files refused at start."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from archive_api.cli import app as cli
from ingest.numbering import InvalidNumbering, load_numbering
from storage.models import Department


def test_the_shipped_patterns_number_by_department_and_year() -> None:
    numbering = load_numbering(None)
    sales_a, legal = (
        Department(code="sales-a", name="销售一部"),
        Department(code="legal", name="法务"),
    )
    assert numbering.number(sales_a, 2026, 1) == "XS1-2026-0001"
    assert numbering.number(sales_a, 2027, 12345) == "XS1-2027-12345"  # a width is a minimum
    assert numbering.number(legal, 2026, 7) == "LEGAL-2026-0007"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('default = "HT-{serial}"', "holds {year} and {serial}"),
        ('default = "HT-{year}"', "holds {year} and {serial}"),
        ('default = "HT-{year}-{serial}-{customer}"', "no field {customer}"),
        ('default = "HT-{year:04d}-{serial}"', "only the serial takes a width"),
        ('default = "合同-{year}-{serial}"', "only letters, digits"),
        ('default = "{year}-{serial}"\n[departments]\na = "A-{year}-{serial}"\n'
         'b = "A-{year}-{serial}"', "share a pattern"),
        ('default = "{year}-{serial}"\nextra = 1', "extra"),
        ("default = ", "Invalid"),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_naming_the_file_and_the_problem(
    tmp_path: Path, text: str, named: str
) -> None:
    path = tmp_path / "contracts.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidNumbering, match=r"contracts\.toml") as refused:
        load_numbering(path)
    assert named in str(refused.value)


def test_dangan_does_not_start_on_a_bad_numbering_file_and_says_why(tmp_path: Path) -> None:
    patterns = tmp_path / "contracts.toml"
    patterns.write_text('default = "HT-{serial}"\n', encoding="utf-8")
    command = ["audit", "public-key", "--data-dir", str(tmp_path / "data")]
    refused = CliRunner().invoke(cli, command, env={"DANGAN_CONTRACT_NUMBERING": str(patterns)})
    assert refused.exit_code == 2
    assert str(patterns) in refused.stderr
    assert "holds {year} and {serial}" in refused.stderr
    assert not (tmp_path / "data").exists()  # stopped before touching anything
