"""A customer's master data as values: read off the record, compared, checked and changed field
by field, in the JSON form the history keeps (decimals as strings, dates ISO).

Invariants: only the fields in `FIELDS` change here (status has its lifecycle, custody its
handover, secrecy its own rules); a value is checked before anything is changed, so a refused
change leaves the record as it was; a date is never in the future, nor the cooperation older
than the company; an account number leaves this module for the history only masked.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ingest.categories import Categories
from ingest.customer_schemas import Capital, MasterData
from ingest.errors import InvalidField
from ingest.statement_schemas import LicenseFields
from storage.models import Customer

CENT = Decimal("0.01")
MOST_CAPITAL = Decimal(10) ** 18  # what the column holds; a larger reading is a misreading
TEXTS = ("name", "category", "industry", "legal_representative", "address", "business_scope")
DATES = ("founded_on", "cooperation_since")
LISTS = ("shareholders", "bank_references")
FIELDS = (*TEXTS, "registered_capital", *DATES, *LISTS)
Values = dict[str, Any]


def current(customer: Customer) -> Values:
    """The customer's master data as it stands, every field."""
    values: Values = {field: getattr(customer, field) for field in TEXTS}
    amount = customer.registered_capital
    values["registered_capital"] = (
        None if amount is None else _capital(amount, customer.capital_currency or "CNY")
    )
    for field in DATES:
        day: date | None = getattr(customer, field)
        values[field] = day.isoformat() if day else None
    for field in LISTS:
        values[field] = list(getattr(customer, field) or [])
    return values


def sent(data: MasterData, fields: set[str]) -> Values:
    """The values of `fields` in a request, as `current` gives them."""
    dumped = data.model_dump(mode="json", include=fields & set(FIELDS))
    if dumped.get("registered_capital") is not None:
        capital = data.registered_capital
        assert capital is not None  # dumped from it  # nosec B101
        dumped["registered_capital"] = _capital(capital.amount, capital.currency)
    for holder in dumped.get("shareholders", []):
        holder["share"] = str(Decimal(holder["share"]).quantize(CENT))
    return dumped


def from_license(fields: LicenseFields) -> Values:
    """The record's fields a license was read to give (only those it gave), as `current` gives
    them; a reading longer than the record keeps is cut to fit."""
    values: Values = {}
    if fields.name:
        values["name"] = fields.name[:200]
    if fields.founded_on:
        values["founded_on"] = fields.founded_on.isoformat()
    amount = fields.registered_capital
    if amount is not None and 0 <= amount < MOST_CAPITAL:
        values["registered_capital"] = _capital(amount, fields.capital_currency or "CNY")
    if fields.legal_representative:
        values["legal_representative"] = fields.legal_representative[:100]
    if fields.address:
        values["address"] = fields.address[:300]
    return values


def _capital(amount: Decimal, currency: str) -> dict[str, str]:
    return {"amount": str(amount.quantize(CENT)), "currency": currency}


def differences(before: Values, after: Values) -> dict[str, list[Any]]:
    """Each field of `after` whose value differs from `before`, as [before, after]."""
    return {f: [before[f], value] for f, value in after.items() if before[f] != value}


def check(
    changes: dict[str, list[Any]], before: Values, categories: Categories, today: date
) -> None:
    """Refuse (422, naming the field) a changed value the archive does not take.

    Only what changes is judged against configuration, so a category no longer offered does
    not stop an edit of another field; dates are judged together, as they will stand.
    """
    if "category" in changes:
        categories.check(changes["category"][1])
    merged = {**before, **{field: after for field, (_, after) in changes.items()}}
    for field in DATES:
        value = merged[field]
        if field in changes and value is not None and date.fromisoformat(value) > today:
            raise InvalidField(f"{field}: in the future (today is {today.isoformat()})")
    founded, since = merged["founded_on"], merged["cooperation_since"]
    touched = {"founded_on", "cooperation_since"} & changes.keys()
    if touched and founded and since and since < founded:
        raise InvalidField("cooperation_since: before the customer was founded (founded_on)")


def apply(customer: Customer, changes: dict[str, list[Any]]) -> None:
    """Set each changed field on the record."""
    for field, (_, value) in changes.items():
        if field == "registered_capital":
            customer.registered_capital = None if value is None else Decimal(value["amount"])
            customer.capital_currency = None if value is None else value["currency"]
        elif field in DATES:
            setattr(customer, field, None if value is None else date.fromisoformat(value))
        else:
            setattr(customer, field, value)


def capital_of(customer: Customer) -> Capital | None:
    """The registered capital as the API shows it."""
    amount = customer.registered_capital
    if amount is None:
        return None
    return Capital(amount=amount, currency=customer.capital_currency or "CNY")


def masked(changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The changes as the history keeps them: account numbers cut to their last four."""
    if "bank_references" not in changes:
        return changes
    kept = [[_mask(bank) for bank in side] for side in changes["bank_references"]]
    return {**changes, "bank_references": kept}


def _mask(bank: dict[str, Any]) -> dict[str, Any]:
    number = bank.get("account_no")
    return {**bank, "account_no": None if number is None else f"****{number[-4:]}"}
