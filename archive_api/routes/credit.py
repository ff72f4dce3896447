"""Statements read out of uploads, their review, and customers' credit profiles and ratings.

Everything here is derived from documents, so each route sees only the customer's documents the
caller may know exist (`Access.readable_documents`): the rest is not found, or left out.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from sqlalchemy import ColumnElement

from archive_api.deps import Authorize, DbSession, Policy, Services
from archive_api.events import record_done, record_list
from archive_api.routes.reading import PAGE_IMAGE, Shown, page_image, watermark
from ingest import review
from ingest.credit_profile_schemas import CreditProfile, OrderCheck, OrderCheckCreate
from ingest.credit_schemas import RatingCreate, RatingRead
from ingest.documents import get_version
from ingest.profile import assess, check_order, profile, rating_history, record
from ingest.schemas import ExtractionRead, FigureCorrection, StatementConfirm, StatementRead
from storage.auditevent import customer_target
from storage.auditnames import Action
from storage.errors import NotFound
from storage.models import Customer, Document, Statement

router = APIRouter(tags=["credit"])
Reader = Annotated[Customer, Depends(Authorize("customer", "read_credit"))]
Reviewer = Annotated[Customer, Depends(Authorize("customer", "review_figures"))]


def _seen(policy: Policy, customer: Customer) -> ColumnElement[bool]:
    # The customer's documents the caller may know exist: all that is derived is drawn from them.
    return policy.readable_documents(customer.department_id)


def _target(customer: Customer, statement: Statement) -> dict[str, Any]:
    return {
        "customer": str(customer.id),
        "document": str(statement.document_id),
        "version": statement.version,
        "statement": str(statement.id),
        "secrecy": customer.secrecy,
    }


@router.get("/customers/{customer_id:uuid}/statements")
def statements(
    customer: Reader, request: Request, session: DbSession, policy: Policy
) -> list[StatementRead]:
    """The statements read out of the customer's uploads, confirmed or awaiting review."""
    found = review.statements_of(session, customer.id, _seen(policy, customer))
    record_list(session, request, Action.STATEMENT_SEARCH, len(found), customer.id)
    return [StatementRead.model_validate(s) for s in found]


@router.get("/customers/{customer_id:uuid}/extractions")
def extractions(
    customer: Reader, request: Request, session: DbSession, policy: Policy
) -> list[ExtractionRead]:
    """The background readings of the customer's statements and licenses, newest first."""
    found = review.extractions_of(session, customer.id, _seen(policy, customer))
    record_list(session, request, Action.EXTRACTION_SEARCH, len(found), customer.id)
    return [ExtractionRead.model_validate(e) for e in found]


@router.patch("/customers/{customer_id:uuid}/statements/{statement_id:uuid}/figures")
def correct(
    statement_id: uuid.UUID,
    data: FigureCorrection,
    customer: Reviewer,
    request: Request,
    session: DbSession,
    services: Services,
    policy: Policy,
) -> StatementRead:
    """Correct one figure to what is printed (kept with who and why); it needs confirming again."""
    statement = review.get_statement(session, customer.id, statement_id, _seen(policy, customer))
    figure = review.correct(statement, data, request.state.user, services.clock())
    # Which figure, never its values: the audit log is read by auditors of any clearance and
    # holds no document content (architecture §9); the statement keeps the value first read and the
    # one set, with who, when and why.
    record_done(
        session,
        request,
        Action.FIGURE_CORRECT,
        _target(customer, statement),
        code=data.code,
        period=data.period,
        added=figure.extracted is None,
        reason=data.reason,
    )
    return StatementRead.model_validate(statement)


@router.get(
    "/customers/{customer_id:uuid}/statements/{statement_id:uuid}/pages/{number:int}",
    response_class=Response,
    responses=PAGE_IMAGE,
)
def statement_page(
    statement_id: uuid.UUID,
    number: Annotated[int, Path(ge=1)],
    customer: Reviewer,
    request: Request,
    session: DbSession,
    services: Services,
    policy: Policy,
    shown: Shown,
) -> Response:
    """A page the statement was read from, as an image watermarked with the reviewer.

    Whoever may correct the statement's figures checks them against the printed page, without a
    borrowing: only the statement's own pages, of the version it was read from.
    """
    statement = review.get_statement(session, customer.id, statement_id, _seen(policy, customer))
    if number not in statement.pages:
        raise NotFound("page: the statement was not read from this page")
    document = session.get_one(Document, statement.document_id)
    row = get_version(document, statement.version)
    mark = watermark(policy, "信用审核 credit review", services, services.clock())
    return page_image(
        session, request, services, document, row, number, mark, shown, statement=str(statement.id)
    )


@router.post("/customers/{customer_id:uuid}/statements/{statement_id:uuid}/confirm")
def confirm(
    statement_id: uuid.UUID,
    customer: Reviewer,
    request: Request,
    session: DbSession,
    services: Services,
    policy: Policy,
    data: StatementConfirm | None = None,
) -> StatementRead:
    """Confirm a statement's figures: from now on they count for the customer's rating."""
    statement = review.get_statement(session, customer.id, statement_id, _seen(policy, customer))
    review.confirm(statement, data or StatementConfirm(), request.state.user, services.clock())
    record_done(
        session,
        request,
        Action.STATEMENT_REVIEW,
        _target(customer, statement),
        fiscal_year=statement.fiscal_year,
        months=data.months if data else None,
        failed_checks=[c["name"] for c in statement.checks if not c["ok"]],
    )
    return StatementRead.model_validate(statement)


@router.get("/customers/{customer_id:uuid}/credit-profile")
def credit_profile(
    customer: Reader, request: Request, session: DbSession, services: Services, policy: Policy
) -> CreditProfile:
    """The latest rating exactly as stored (its date, who rated, its own next review) and,
    apart, a preview: ratios, scores, grade, limits and warnings a rating made today would give
    from confirmed figures and the latest rating's inputs."""
    seen = _seen(policy, customer)
    found = profile(session, services.credit, customer, _today(services), seen)
    record_done(session, request, Action.PROFILE_READ, customer_target(customer))
    return found


@router.post("/customers/{customer_id:uuid}/ratings", status_code=201)
def create_rating(
    data: RatingCreate,
    customer: Annotated[Customer, Depends(Authorize("customer", "rate"))],
    request: Request,
    session: DbSession,
    services: Services,
    policy: Policy,
) -> RatingRead:
    """Rate the customer now (credit managers): stored with every input it used."""
    seen = _seen(policy, customer)
    user = request.state.user
    assessment = assess(session, services.credit, customer, _today(services), data, seen, user)
    row = record(session, customer, data, assessment, user)
    change = assessment.rating.change
    record_done(
        session,
        request,
        Action.RATING_CREATE,
        {"customer": str(customer.id), "rating": str(row.id), "secrecy": customer.secrecy},
        grade=row.grade,
        score=str(row.score) if row.score is not None else None,
        # Which way, never the amounts (architecture §9); the reason is the rater's own words.
        allowed_credit=change.direction if change else None,
        override_reason=data.override_reason,
    )
    return RatingRead.model_validate(row)


@router.post("/customers/{customer_id:uuid}/order-checks")
def order_checks(
    data: OrderCheckCreate, customer: Reader, session: DbSession, policy: Policy
) -> OrderCheck:
    """May an order go ahead on credit? Stops when what is owed plus the order goes beyond the
    latest rating's allowed credit (004 §2.3), or when there is no graded rating."""
    return check_order(session, customer.id, data, _seen(policy, customer))


@router.get("/customers/{customer_id:uuid}/ratings")
def ratings(
    customer: Reader, request: Request, session: DbSession, policy: Policy
) -> list[RatingRead]:
    """The customer's stored ratings, newest first."""
    found = [
        RatingRead.model_validate(r)
        for r in rating_history(session, customer.id, _seen(policy, customer))
    ]
    record_list(session, request, Action.RATING_SEARCH, len(found), customer.id)
    return found


def _today(services: Services) -> date:
    # Review dates and license expiry are company calendar days.
    return services.clock().astimezone(services.rules.zone).date()


@router.post("/customers/{customer_id:uuid}/extractions/{extraction_id:uuid}/accept")
def accept_license(
    extraction_id: uuid.UUID,
    customer: Annotated[Customer, Depends(Authorize("customer", "update"))],
    request: Request,
    session: DbSession,
    services: Services,
    policy: Policy,
) -> ExtractionRead:
    """Take the name and validity read from a business license into the customer's record."""
    seen = _seen(policy, customer)
    job = review.accept_license(
        session, customer, extraction_id, seen, request.state.user, services.clock()
    )
    record_done(
        session,
        request,
        Action.CUSTOMER_UPDATE,
        {
            "customer": str(customer.id),
            "document": str(job.document_id),
            "secrecy": customer.secrecy,
        },
        accepted="license fields",
    )
    return ExtractionRead.model_validate(job)
