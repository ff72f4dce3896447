"""Which deadlines a customer file has on a day, from the shipped completeness rules and its
latest rating: a license ending within 30 days (or ended), the latest year's statements not in,
a re-review due by grade within 30 days for a customer still reviewed."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from ingest.categories import load_categories
from ingest.completeness import OnFile, evaluate
from ingest.deadlines import AHEAD, Due, of_file
from storage.models import Customer, CustomerStatus, Rating

SHIPPED = load_categories(None).requirements
TODAY = date(2026, 6, 15)


def _customer(status: CustomerStatus = CustomerStatus.active) -> Customer:
    return Customer(id=uuid.uuid4(), name="遵义测试", uscc="x", category=None, status=status)


def _license(customer: Customer, ends: date) -> OnFile:
    return OnFile(uuid.uuid4(), customer.id, "business_license", date(2016, 1, 1), ends, None)


def _statement(customer: Customer, year: int) -> OnFile:
    return OnFile(
        uuid.uuid4(), customer.id, "financial_statement", date(year + 1, 3, 1), None, year
    )


def _found(customer: Customer, documents: list[OnFile], latest: Rating | None = None) -> set[Due]:
    ahead = evaluate(SHIPPED, customer.category, customer.status, documents, TODAY + AHEAD)
    return set(of_file(customer, ahead, latest, TODAY))


@pytest.mark.parametrize(
    ("ends", "raised"),
    [(date(2026, 7, 5), True), (date(2026, 7, 15), True), (date(2026, 7, 16), False),
     (date(2026, 5, 1), True)],
)  # fmt: skip
def test_a_license_is_a_deadline_from_30_days_before_its_end(ends: date, raised: bool) -> None:
    customer = _customer()
    license_ = _license(customer, ends)
    statements = [_statement(customer, year) for year in (2023, 2024, 2025)]
    expected = {Due(customer.id, "license_expiry", "", ends, license_.id)} if raised else set()
    assert _found(customer, [license_, *statements]) == expected


def test_the_latest_years_statements_are_due_as_the_completeness_rules_say() -> None:
    customer = _customer()
    license_ = _license(customer, date(2036, 1, 1))
    # 2025's were due 30 April 2026; older gaps are the completeness report's, not deadlines.
    assert _found(customer, [license_]) == {
        Due(customer.id, "statement_due", "2025", date(2026, 4, 30))
    }
    assert _found(customer, [license_, _statement(customer, 2025)]) == set()
    # A prospect owes no statements (the rules ask them of customers we trade with).
    prospect = _customer(CustomerStatus.prospect)
    assert _found(prospect, [_license(prospect, date(2036, 1, 1))]) == set()


@pytest.mark.parametrize(
    ("status", "review", "raised"),
    [(CustomerStatus.active, date(2026, 7, 1), True),
     (CustomerStatus.suspended, date(2026, 6, 1), True),
     (CustomerStatus.active, date(2026, 8, 1), False),
     (CustomerStatus.blacklisted, date(2026, 7, 1), False)],
)  # fmt: skip
def test_a_re_review_is_due_by_the_latest_ratings_grade(
    status: CustomerStatus, review: date, raised: bool
) -> None:
    customer = _customer(status)
    rating = Rating(id=uuid.uuid4(), customer_id=customer.id, grade="BBB", next_review_on=review)
    documents = [_license(customer, date(2036, 1, 1)), _statement(customer, 2025)]
    found = {d for d in _found(customer, documents, rating) if d.kind == "review_due"}
    assert found == (
        {Due(customer.id, "review_due", "", review, rating_id=rating.id)} if raised else set()
    )
