"""The requirements a customer file is held to: read from configuration and checked at start,
and weighed against its documents on a given day."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest

from ingest.categories import InvalidCategories, load_categories
from ingest.completeness import OnFile, evaluate, fiscal_years
from ingest.completeness_schemas import CompletenessItem, Requirement

SHIPPED = load_categories(None).requirements
CATEGORIES = """
[[category]]
code = "new"
title = { zh = "新客户", en = "New customer" }
"""


def _document(
    doc_type: str, dated: date, expires_on: date | None = None, year: int | None = None
) -> OnFile:
    return OnFile(uuid.uuid4(), uuid.uuid4(), doc_type, dated, expires_on, year)


def _states(items: list[CompletenessItem]) -> dict[tuple[str, int | None], str]:
    return {(i.doc_type.value, i.year): i.state for i in items}


def test_the_shipped_requirements_are_the_issues_list() -> None:
    new = {r.doc_type.value for r in SHIPPED if r.applies("new", "prospect")}
    assert new == {"business_license", "tax_certificate", "bank_reference", "credit_application"}
    assert {r.doc_type.value for r in SHIPPED if r.applies("one_off", "prospect")} == {
        "business_license"
    }
    statements = next(r for r in SHIPPED if r.doc_type == "financial_statement")
    assert statements.applies("existing", "active")
    assert not statements.applies("new", "prospect")
    assert not any(r.applies("new", "terminated") for r in SHIPPED)


def test_the_last_three_fiscal_years_move_on_when_a_years_statements_fall_due() -> None:
    statements = next(r for r in SHIPPED if r.years)
    assert fiscal_years(statements, date(2026, 4, 29)) == [2024, 2023, 2022]
    assert fiscal_years(statements, date(2026, 4, 30)) == [2025, 2024, 2023]
    on_file = [
        _document("financial_statement", date(2026, 3, 20), year=2024),  # read as 2024's
        _document("financial_statement", date(2024, 4, 1)),  # issued in 2024: 2023's
    ]
    items = evaluate([statements], "existing", "active", on_file, date(2026, 5, 1))
    assert _states(items) == {
        ("financial_statement", 2025): "missing",
        ("financial_statement", 2024): "present",
        ("financial_statement", 2023): "present",
    }
    assert [i.due_on for i in items] == [date(2026, 4, 30), date(2025, 4, 30), date(2024, 4, 30)]


def test_a_document_counts_until_its_validity_or_its_own_expiry_whichever_is_first() -> None:
    bank = Requirement.model_validate({"doc_type": "bank_reference", "valid_months": 6})
    issued = _document("bank_reference", date(2025, 8, 31))
    [item] = evaluate([bank], None, "active", [issued], date(2026, 2, 27))
    assert (item.state, item.expires_on) == ("present", date(2026, 2, 27))
    [item] = evaluate([bank], None, "active", [issued], date(2026, 2, 28))
    assert (item.state, item.expires_on) == ("expired", date(2026, 2, 27))
    assert item.document_id == issued.id
    early = _document("bank_reference", date(2026, 1, 1), expires_on=date(2026, 3, 1))
    [item] = evaluate([bank], None, "active", [issued, early], date(2026, 2, 28))
    assert (item.state, item.expires_on) == ("present", date(2026, 3, 1))
    assert item.document_id == early.id
    # A license with no end printed counts for good, and beats one that ends.
    license_ = Requirement.model_validate({"doc_type": "business_license"})
    forever = _document("business_license", date(2010, 1, 1))
    ending = _document("business_license", date(2025, 1, 1), expires_on=date(2045, 1, 1))
    [item] = evaluate([license_], None, "active", [ending, forever], date(2026, 1, 1))
    assert (item.state, item.document_id, item.expires_on) == ("present", forever.id, None)


def _load(tmp_path: Path, requirements: str) -> None:
    path = tmp_path / "customers.toml"
    path.write_text(CATEGORIES + requirements, encoding="utf-8")
    load_categories(path)


@pytest.mark.parametrize(
    ("requirements", "named"),
    [
        ('[[requirement]]\ndoc_type = "licence"', "doc_type"),
        ('[[requirement]]\ndoc_type = "tax_certificate"\ncategories = ["newer"]',
         "requirement 1 (tax_certificate): no category newer (one of new)"),
        ('[[requirement]]\ndoc_type = "contract"\n[[requirement]]\ndoc_type = "contract"',
         "requirement 2 (contract): the type is required twice"),
        ('[[requirement]]\ndoc_type = "financial_statement"\nyears = 3',
         "years: give due too"),
        ('[[requirement]]\ndoc_type = "financial_statement"\nyears = 3\ndue = "02-29"',
         "due: 02-29 is not a day of every year"),
        ('[[requirement]]\ndoc_type = "financial_statement"\nyears = 3\ndue = "04-30"\n'
         "valid_months = 12", "valid_months: not with years"),
        ('[[requirement]]\ndoc_type = "bank_reference"\nvalid_months = 0', "valid_months"),
        ('[[requirement]]\ndoc_type = "bank_reference"\nstatuses = ["dormant"]', "statuses"),
        ('[[requirement]]\ndoc_type = "bank_reference"\nvalid_for = 12', "valid_for"),
    ],
)  # fmt: skip
def test_a_bad_requirement_stops_the_start_naming_it(
    tmp_path: Path, requirements: str, named: str
) -> None:
    with pytest.raises(InvalidCategories) as refused:
        _load(tmp_path, requirements)
    assert str(tmp_path / "customers.toml") in str(refused.value)
    assert named in str(refused.value)


def test_a_file_without_requirements_requires_nothing(tmp_path: Path) -> None:
    path = tmp_path / "customers.toml"
    path.write_text(CATEGORIES, encoding="utf-8")
    assert load_categories(path).requirements == ()
