"""The credit appraisal's steps: statements reviewed, profiles read, ratings, orders checked and
early warnings listed (a license's reading is accepted by `customer_files.accept_license`).

Everything here is derived from documents, so each step sees only the customer's documents the
caller may know exist (`Rights.readable_documents`): the rest is not found, or left out. Each
step records its one audit event in the caller's transaction; `decision` is the one the door
found when it let the caller at the customer.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.orm import Session

from ingest import profile as profiles
from ingest import review
from ingest.credit_profile_schemas import (
    CreditProfile,
    CustomerWarning,
    OrderCheck,
    OrderCheckCreate,
)
from ingest.credit_schemas import CreditPolicy
from ingest.documents import get_version
from ingest.errors import InvalidField
from ingest.payment_behaviour import behaviour
from ingest.rating_schemas import RatingCreate
from ingest.rights import Rights
from ingest.statement_schemas import FigureCorrection, StatementConfirm
from storage.auditevent import Actor, customer_target, record, record_search
from storage.auditnames import Action
from storage.errors import NotFound
from storage.models import (
    Customer,
    DocType,
    Document,
    DocumentVersion,
    Extraction,
    Rating,
    Statement,
    StatementStatus,
    Transaction,
)

Decision = dict[str, Any]


def statements(
    session: Session, actor: Actor, rights: Rights, customer: Customer, decision: Decision
) -> list[Statement]:
    """The statements read out of the customer's uploads, confirmed or awaiting review."""
    found = review.statements_of(session, customer.id, _seen(rights, customer))
    record_search(session, actor, Action.STATEMENT_SEARCH, len(found), customer.id, decision)
    return found


def extractions(
    session: Session, actor: Actor, rights: Rights, customer: Customer, decision: Decision
) -> list[Extraction]:
    """The background readings of the customer's statements and licenses, newest first."""
    found = review.extractions_of(session, customer.id, _seen(rights, customer))
    record_search(session, actor, Action.EXTRACTION_SEARCH, len(found), customer.id, decision)
    return found


def correct_figure(
    session: Session,
    actor: Actor,
    rights: Rights,
    customer: Customer,
    statement_id: uuid.UUID,
    data: FigureCorrection,
    now: datetime,
    decision: Decision,
) -> Statement:
    """Correct one figure to what is printed (kept with who and why); it needs confirming again."""
    statement = review.get_statement(session, customer.id, statement_id, _seen(rights, customer))
    figure = review.correct(statement, data, rights.user, now)
    # Which figure, never its values: the audit log is read by auditors of any clearance and
    # holds no document content (architecture §9); the statement keeps the value first read and
    # the one set, with who, when and why.
    record(
        session, actor, Action.FIGURE_CORRECT, "success", _target(customer, statement), decision,
        code=data.code, period=data.period, added=figure.extracted is None, reason=data.reason,
    )  # fmt: skip
    return statement


def confirm_statement(
    session: Session,
    actor: Actor,
    rights: Rights,
    customer: Customer,
    statement_id: uuid.UUID,
    data: StatementConfirm,
    now: datetime,
    decision: Decision,
) -> Statement:
    """Confirm a statement's figures: from now on they count for the customer's rating."""
    statement = review.get_statement(session, customer.id, statement_id, _seen(rights, customer))
    review.confirm(statement, data, rights.user, now)
    failed = [c["name"] for c in statement.checks if not c["ok"]]
    record(
        session, actor, Action.STATEMENT_REVIEW, "success", _target(customer, statement), decision,
        fiscal_year=statement.fiscal_year, months=data.months, failed_checks=failed,
    )  # fmt: skip
    return statement


def statement_page(
    session: Session, rights: Rights, customer: Customer, statement_id: uuid.UUID, number: int
) -> tuple[Statement, Document, DocumentVersion]:
    """The version a statement was read from, for one of the pages it was read from."""
    statement = review.get_statement(session, customer.id, statement_id, _seen(rights, customer))
    if number not in statement.pages:
        raise NotFound("page: the statement was not read from this page")
    document = session.get_one(Document, statement.document_id)
    return statement, document, get_version(document, statement.version)


def read_profile(
    session: Session,
    actor: Actor,
    rights: Rights,
    policy: CreditPolicy,
    customer: Customer,
    today: date,
    decision: Decision,
) -> CreditProfile:
    """The latest rating as stored and, apart, a preview of a rating made today."""
    found = profiles.profile(session, policy, customer, today, _seen(rights, customer))
    record(session, actor, Action.PROFILE_READ, "success", customer_target(customer), decision)
    return found


def rate(
    session: Session,
    actor: Actor,
    rights: Rights,
    policy: CreditPolicy,
    customer: Customer,
    data: RatingCreate,
    today: date,
    decision: Decision,
) -> Rating:
    """Rate the customer now: stored with every input it used."""
    seen, user = _seen(rights, customer), rights.user
    assessment = profiles.assess(session, policy, customer, today, data, seen, user)
    row = profiles.record(session, customer, data, assessment, user)
    change = assessment.rating.change
    target = {"customer": str(customer.id), "rating": str(row.id), "secrecy": customer.secrecy}
    record(
        session, actor, Action.RATING_CREATE, "success", target, decision,
        grade=row.grade, score=str(row.score) if row.score is not None else None,
        # Which way, never the amounts (architecture §9); the reason is the rater's own words.
        allowed_credit=change.direction if change else None,
        override_reason=data.override_reason,
    )  # fmt: skip
    return row


def check_order(
    session: Session,
    actor: Actor,
    rights: Rights,
    customer: Customer,
    order: OrderCheckCreate,
    decision: Decision,
) -> OrderCheck:
    """May an order go ahead on credit? Stops when what is owed plus the order goes beyond the
    latest visible rating's allowed credit (004 §2.3), or when there is no graded rating."""
    found = profiles.check_order(session, customer.id, order, _seen(rights, customer))
    target = customer_target(customer)
    if found.rating_id is not None:
        target["rating"] = str(found.rating_id)
    # The answer and why, never the amounts (architecture §9): the rating read is named.
    record(
        session, actor, Action.ORDER_CHECK, "success", target, decision,
        order=found.decision, order_reason=found.reason,
    )  # fmt: skip
    return found


def ratings(
    session: Session, actor: Actor, rights: Rights, customer: Customer, decision: Decision
) -> list[Rating]:
    """The customer's stored ratings, newest first."""
    found = profiles.rating_history(session, customer.id, _seen(rights, customer))
    record_search(session, actor, Action.RATING_SEARCH, len(found), customer.id, decision)
    return found


def warnings(
    session: Session,
    actor: Actor,
    rights: Rights,
    policy: CreditPolicy,
    scope: Literal["custody", "all"],
    today: date,
    page: tuple[int, int],
) -> tuple[list[CustomerWarning], int]:
    """A page (`limit`, `offset`) of the early warnings of the customers whose credit the caller
    may read (`custody`: those they keep), by customer name, and the number of all of them."""
    # A warning is derived like the credit profile it comes from: listed only where the caller
    # reads the customer's credit, drawn from the documents they may know exist.
    seen = rights.visible(
        session, "customer", Customer.department_id, Customer.secrecy, "read_credit"
    )
    query = select(Customer).where(seen, or_(*_may_warn()))
    if scope == "custody":
        query = query.where(Customer.custodian_id == rights.user.id)
    found: list[CustomerWarning] = []
    for customer in session.scalars(query.order_by(Customer.name, Customer.id)):
        seen = _seen(rights, customer)
        try:
            assessed = profiles.assess(session, policy, customer, today, None, seen)
            raised, last = assessed.rating.warnings, assessed.last
        except InvalidField:
            # An industry the policy refuses to rate (banking): its profile says why.
            raised, last = [], next(iter(profiles.rating_history(session, customer.id, seen)), None)
        paying = behaviour(session, customer.id, today, policy.rating.warnings, last)
        found += [
            CustomerWarning(customer_id=customer.id, customer_name=customer.name, **w.model_dump())
            for w in raised + (paying.warnings if paying else [])
        ]
    limit, offset = page
    record_search(
        session, actor, Action.WARNING_SEARCH, len(found), None, None, scope=scope, limit=limit,
        offset=offset,
    )  # fmt: skip
    return found[offset : offset + limit], len(found)


def _may_warn() -> list[ColumnElement[bool]]:
    # Only customers with something a warning is drawn from: confirmed figures, a license
    # with an expiry date, a rating with a review date, or transactions from the ERP.
    of_customer = Customer.id
    return [
        exists().where(
            Statement.customer_id == of_customer, Statement.status == StatementStatus.confirmed
        ),
        exists().where(
            Document.customer_id == of_customer,
            Document.doc_type == DocType.business_license,
            Document.expires_on.is_not(None),
        ),
        exists().where(Rating.customer_id == of_customer),
        exists().where(Transaction.customer_id == of_customer),
    ]


def _seen(rights: Rights, customer: Customer) -> ColumnElement[bool]:
    # The customer's documents the caller may know exist: all that is derived is drawn from them.
    return rights.readable_documents(customer.department_id)


def _target(customer: Customer, statement: Statement) -> dict[str, Any]:
    return {
        "customer": str(customer.id),
        "document": str(statement.document_id),
        "version": statement.version,
        "statement": str(statement.id),
        "secrecy": customer.secrecy,
    }
