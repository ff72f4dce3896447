"""Shapes of a customer's payment behaviour as the credit profile shows it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field

from ingest.rating_schemas import CreditWarning


class AgeingBucket(BaseModel):
    """Open amounts between so many days past due (`to_days` none: and beyond)."""

    from_days: int
    to_days: int | None
    amount: Decimal


class PaymentBehaviour(BaseModel):
    """What the customer owes and how it pays, as of a day (see ingest.payment_behaviour)."""

    as_of: date
    exposure: Decimal = Field(description="open receivables, yuan")
    overdue: Decimal = Field(description="of which past due, yuan")
    ageing: list[AgeingBucket] = Field(description="1-30, 31-60, 61-90, over 90 days past due")
    longest_overdue_days: int
    sales_90_days: Decimal = Field(description="invoiced in the last 90 days, yuan")
    dso_days: Decimal | None = Field(description="exposure / sales_90_days × 90")
    bad_debts_12_months: Decimal = Field(description="written off in the last 12 months, yuan")
    transactions: int = Field(description="transactions on file dated up to as_of")
    warnings: list[CreditWarning]
