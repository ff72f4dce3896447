"""A customer's credit profile from confirmed figures, and the ratings credit managers record.

Invariants: only confirmed statements count, all of one scope — consolidated when any confirmed
statement is, since parent-company figures in a consolidated gap would mix a group's sales with
one company's receivables; a year's figure is taken from the statement whose current column is
that year before one that shows it as the prior year (but a year's flow before a part of a
year's), the latest balance date, then the latest confirmation first, each flow with the months
of its column (a part of a year is never taken for a year: `ingest.credit_periods`), with where
it was read; a line printed blank that no statement of the scope fills is kept as blank; values
are turned into yuan with the statement's multiplier; every stored rating keeps the whole
computation, inputs included, and the documents it drew on, dated by its own day (`rated_on`),
from which its next review is set; the profile shows the latest rating as stored and, apart, a
preview dated today. A raise of the allowed credit against the previous rating is stored only
with a reason where the policy asks one (003 篇5 第三十一条). A profile or rating uses only
documents visible to the caller (`visible`, a condition on Document), and a stored rating is
shown only to whoever may see every document it drew on: its grade and limit are derived from
their figures. Nothing says that something was left out, since that alone would tell that it
exists.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from ingest.confirmed import confirmed_figures, confirmed_statements
from ingest.credit_profile_schemas import CreditProfile, OrderCheck, OrderCheckCreate
from ingest.credit_schemas import CreditPolicy
from ingest.credit_terms import order_check, qualitative_total, scored_factors
from ingest.credit_terms_schemas import PreviousRating, QualitativeFactor
from ingest.errors import InvalidField
from ingest.payment_behaviour import behaviour, order_volume
from ingest.rating import rate
from ingest.rating_schemas import Rating, RatingCreate, RatingRead, RatingRequest
from storage.errors import Conflict
from storage.models import Customer, DocType, Document, Statement, User
from storage.models import Rating as RatingRow


@dataclass(frozen=True)
class Assessment:
    """A computed profile and the documents whose data went into it."""

    rating: Rating
    document_ids: list[str]
    last: RatingRow | None  # the latest stored rating it was compared with


def rating_history(
    session: Session, customer_id: uuid.UUID, visible: ColumnElement[bool]
) -> list[RatingRow]:
    """The customer's stored ratings drawn only from visible documents, newest first."""
    query = select(RatingRow).where(RatingRow.customer_id == customer_id)
    rows = list(session.scalars(query.order_by(RatingRow.created_at.desc())))
    if not rows:
        return rows
    of_customer = Document.customer_id == customer_id
    seen = {str(i) for i in session.scalars(select(Document.id).where(of_customer, visible))}
    unknown: set[str] | None = None
    shown = []
    for row in rows:
        sources = row.document_ids
        if sources is None:
            # Stored before sources were kept: as if drawn on every statement and license.
            if unknown is None:
                unknown = _possible_sources(session, customer_id)
            sources = list(unknown)
        if set(sources) <= seen:
            shown.append(row)
    return shown


def _possible_sources(session: Session, customer_id: uuid.UUID) -> set[str]:
    # Every document a rating of the customer could have drawn on.
    with_statements = select(Statement.document_id).where(Statement.customer_id == customer_id)
    query = select(Document.id).where(
        Document.customer_id == customer_id,
        or_(Document.doc_type == DocType.business_license, Document.id.in_(with_statements)),
    )
    return {str(i) for i in session.scalars(query)}


def _latest_license(
    session: Session, customer_id: uuid.UUID, visible: ColumnElement[bool]
) -> Document | None:
    # The latest business license on file says until when the customer may trade.
    query = select(Document).where(
        Document.customer_id == customer_id,
        Document.doc_type == DocType.business_license,
        visible,
    )
    return session.scalar(query.order_by(Document.created_at.desc()).limit(1))


def _surveyed_on(
    session: Session, customer_id: uuid.UUID, visible: ColumnElement[bool]
) -> date | None:
    # The latest credit survey report on file: the quarterly refresh (003 篇5 第三十条) counts
    # from it. Its date as issued, else the day it was filed with us.
    query = select(Document).where(
        Document.customer_id == customer_id, Document.doc_type == DocType.credit_survey, visible
    )
    days = [d.issued_on or d.created_at.date() for d in session.scalars(query)]
    return max(days, default=None)


def _refuse_one_number(policy: CreditPolicy, entered: RatingCreate) -> None:
    rules = policy.rating.rules
    if rules and rules.qualitative.require_factors and entered.qualitative_factors is None:
        names = ", ".join(QualitativeFactor)
        raise InvalidField(f"qualitative_factors: score each factor (000): {names}")


def assess(
    session: Session,
    policy: CreditPolicy,
    customer: Customer,
    today: date,
    entered: RatingCreate | None,
    visible: ColumnElement[bool],
    rater: User | None = None,
) -> Assessment:
    """The profile as it stands today from visible documents: from what `rater` enters, else
    from the last visible rating's inputs (a preview, scored by whoever scored those)."""
    last = next(iter(rating_history(session, customer.id, visible)), None)
    # A preview carries over what was entered, not the reason given for that rating's change.
    reason = entered.override_reason if entered else None
    if entered is not None:
        _refuse_one_number(policy, entered)
    elif last is not None:
        entered, rater = RatingCreate.model_validate(last.inputs), last.rated_by
    statements = confirmed_statements(session, customer.id, visible)
    license_ = _latest_license(session, customer.id, visible)
    sources = {str(s.document_id) for s in statements}
    if license_ is not None:
        sources.add(str(license_.id))
    if last is not None:
        # Its review date, carried over, derives from what it drew on.
        drawn = last.document_ids
        sources.update(_possible_sources(session, customer.id) if drawn is None else drawn)
    confirmed = confirmed_figures(statements)
    qualitative = entered.qualitative_score if entered else None
    factors = None
    if entered is not None and entered.qualitative_factors is not None and rater is not None:
        rules = policy.rating.rules
        weights = rules.qualitative.factor_weights if rules else {}
        factors = scored_factors(entered.qualitative_factors, weights, rater.id, rater.display_name)
        qualitative = qualitative_total(factors)
    orders = order_volume(session, policy.rating.order_window_days, customer.id, today, entered)
    request = RatingRequest(
        figures=confirmed.figures,
        flow_months=confirmed.flow_months,
        scope=confirmed.scope,
        sources=confirmed.sources,
        blanks=confirmed.blanks,
        table=entered.table if entered else None,
        industry=customer.industry,
        qualitative_score=qualitative,
        order_volume=orders[0],
        order_volume_source=orders[2],
        credit_period_days=entered.credit_period_days if entered else None,
        today=today,
        license_expires_on=license_.expires_on if license_ else None,
        review_due_on=last.next_review_on if last else None,
        qualitative_factors=factors,
        collateral=entered.collateral if entered else None,
        orders_through=orders[1],
        previous=PreviousRating(
            rating_id=last.id, rated_on=last.rated_on, allowed_credit=last.allowed_credit
        )
        if last
        else None,
        override_reason=reason,
        surveyed_on=_surveyed_on(session, customer.id, visible),
    )
    return Assessment(rate(request, policy), sorted(sources), last)


def profile(
    session: Session,
    policy: CreditPolicy,
    customer: Customer,
    today: date,
    visible: ColumnElement[bool],
) -> CreditProfile:
    """The latest visible rating exactly as stored, apart a preview of one made today, and the
    payment behaviour with its warnings against the latest visible rating."""
    assessment = assess(session, policy, customer, today, None, visible)
    last = assessment.last
    due = last.next_review_on if last else None
    return CreditProfile(
        as_of=today,
        latest=RatingRead.model_validate(last) if last else None,
        review_overdue=due is not None and due < today,
        preview=assessment.rating,
        payments=behaviour(session, customer.id, today, policy.rating.warnings, last),
    )


def check_order(
    session: Session, customer_id: uuid.UUID, order: OrderCheckCreate, visible: ColumnElement[bool]
) -> OrderCheck:
    """An order on credit against the latest visible rating's allowed credit (004 §2.3)."""
    last = next(iter(rating_history(session, customer_id, visible)), None)
    return order_check(None if last is None else RatingRead.model_validate(last), order)


def record(
    session: Session,
    customer: Customer,
    entered: RatingCreate,
    assessment: Assessment,
    user: User,
) -> RatingRow:
    """Store a rating with what was entered, the whole computation and what it drew on; a
    raise of the allowed credit only with a reason where the policy asks one."""
    rating = assessment.rating
    change = rating.change
    if change is not None and change.needs_reason and not entered.override_reason:
        raise Conflict(
            "the allowed credit would be higher than the previous rating's: in principle an "
            "adjusted limit is lower (003 篇5 第三十一条); give override_reason to save it",
            reason="allowed_credit_raise_needs_reason",
        )
    limit = rating.credit_limit
    row = RatingRow(
        customer_id=customer.id,
        rated_by_id=user.id,
        rated_on=rating.request.today,
        grade=rating.grade,
        score=rating.combined_score,
        credit_limit=limit.limit if limit else None,
        allowed_credit=limit.allowed if limit else None,
        next_review_on=rating.next_review_on,
        inputs=entered.model_dump(mode="json"),
        result=rating.model_dump(mode="json"),
        document_ids=assessment.document_ids,
    )
    session.add(row)
    session.flush()
    return row
