"""A customer's credit profile from confirmed figures, and the ratings credit managers record.

Invariants: only confirmed statements count; a year's figure is taken from the statement whose
current column is that year before one that shows it as the prior year, consolidated before
parent-company, the latest confirmation first; values are turned into yuan with the statement's
multiplier; every stored rating keeps the whole computation, inputs included.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ingest.credit_schemas import CreditPolicy, Figures, Rating, RatingCreate, RatingRequest
from ingest.rating import rate
from storage.models import Customer, DocType, Document, Statement, StatementStatus, User
from storage.models import Rating as RatingRow


def confirmed_figures(session: Session, customer_id: uuid.UUID) -> Figures:
    """Confirmed figures in yuan, by fiscal year and item code."""
    statements = session.scalars(
        select(Statement)
        .options(selectinload(Statement.figures))
        .where(Statement.customer_id == customer_id, Statement.status == StatementStatus.confirmed)
    ).all()
    ranked: dict[tuple[int, str], tuple[tuple[int, int, float], Decimal]] = {}
    for statement in statements:
        assert statement.fiscal_year is not None  # confirming requires it; a type hint  # nosec B101
        confirmed = statement.confirmed_at.timestamp() if statement.confirmed_at else 0.0
        for figure in statement.figures:
            if figure.value is None:
                continue
            current = figure.period == "current"
            year = statement.fiscal_year if current else statement.fiscal_year - 1
            rank = (int(current), int(statement.scope == "consolidated"), confirmed)
            key = (year, figure.code)
            if key not in ranked or rank > ranked[key][0]:
                ranked[key] = (rank, figure.value * statement.multiplier)
    figures: Figures = {}
    for (year, code), (_, value) in sorted(ranked.items()):
        figures.setdefault(year, {})[code] = value
    return figures


def rating_history(session: Session, customer_id: uuid.UUID) -> list[RatingRow]:
    """The customer's stored ratings, newest first."""
    query = select(RatingRow).where(RatingRow.customer_id == customer_id)
    return list(session.scalars(query.order_by(RatingRow.created_at.desc())))


def _license_expiry(session: Session, customer_id: uuid.UUID) -> date | None:
    # The latest business license on file says until when the customer may trade.
    query = select(Document.expires_on).where(
        Document.customer_id == customer_id, Document.doc_type == DocType.business_license
    )
    return session.scalar(query.order_by(Document.created_at.desc()).limit(1))


def assess(
    session: Session,
    policy: CreditPolicy,
    customer: Customer,
    today: date,
    entered: RatingCreate | None,
) -> Rating:
    """The profile as it stands today: from what is entered, else from the last rating's inputs."""
    last = next(iter(rating_history(session, customer.id)), None)
    if entered is None and last is not None:
        entered = RatingCreate.model_validate(last.inputs)
    request = RatingRequest(
        figures=confirmed_figures(session, customer.id),
        table=entered.table if entered else None,
        qualitative_score=entered.qualitative_score if entered else None,
        order_volume=entered.order_volume if entered else None,
        credit_period_days=entered.credit_period_days if entered else None,
        today=today,
        license_expires_on=_license_expiry(session, customer.id),
        review_due_on=last.next_review_on if last else None,
    )
    return rate(request, policy)


def record(
    session: Session, customer: Customer, entered: RatingCreate, rating: Rating, user: User
) -> RatingRow:
    """Store a rating with what was entered and the whole computation."""
    row = RatingRow(
        customer_id=customer.id,
        rated_by_id=user.id,
        grade=rating.grade,
        score=rating.combined_score,
        credit_limit=rating.credit_limit.allowed if rating.credit_limit else None,
        next_review_on=rating.next_review_on,
        inputs=entered.model_dump(mode="json"),
        result=rating.model_dump(mode="json"),
    )
    session.add(row)
    session.flush()
    return row
