"""Shapes of the credit profile as read: the stored rating beside a preview, order checks and
early warnings."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field

from ingest.credit_terms_schemas import Amount, Settlement
from ingest.payment_schemas import PaymentBehaviour
from ingest.rating_schemas import Rating, RatingRead


class CreditProfile(BaseModel):
    """The latest rating exactly as stored and, apart, what a rating made today would give."""

    as_of: date = Field(description="today, in the company's calendar")
    latest: RatingRead | None = Field(description="the latest stored rating, as it was made")
    review_overdue: bool = Field(description="the latest rating's own next review has passed")
    preview: Rating = Field(
        description="not stored: today's confirmed figures with the latest rating's inputs "
        "(order volume, terms, qualitative factors), dated today"
    )
    payments: PaymentBehaviour | None = Field(
        None, description="exposure, ageing and delays from the ERP's transactions, as of today"
    )


class OrderCheckCreate(BaseModel):
    """An order to be taken on credit, and what the customer owes already."""

    order_amount: Amount = Field(description="the new order, yuan")
    outstanding: Amount = Field(description="receivables the customer owes now, yuan")


class OrderDecision(StrEnum):
    """Whether an order may go ahead on credit (004 §2.3: beyond the allowed credit it stops)."""

    proceed = "proceed"
    stop = "stop"


class OrderCheck(BaseModel):
    """An order against the latest stored rating's allowed credit, with the figures."""

    decision: OrderDecision
    reason: str = Field(description="within_allowed_credit, beyond_allowed_credit, no_rating …")
    rating_id: uuid.UUID | None
    rated_on: date | None
    settlement: Settlement | None
    allowed_credit: Decimal = Field(description="赊销额度 of the latest rating; 0 without one")
    outstanding: Decimal
    order_amount: Decimal
    exposure: Decimal = Field(description="outstanding + order")
    excess: Decimal = Field(description="how far the exposure goes beyond the allowed credit")


class CustomerWarning(BaseModel):
    """One early warning of one customer, as of today."""

    customer_id: uuid.UUID
    customer_name: str
    code: str = Field(description="stable: debt_ratio_rise, license_expiring, review_overdue …")
    message_zh: str
    message_en: str
    figures: dict[str, Decimal | date]
