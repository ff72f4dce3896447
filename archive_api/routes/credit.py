"""Statements read out of uploads, their review, and customers' credit profiles and ratings.

Plumbing only: each route parses, takes one step of `ingest.appraisal` and shapes the answer.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from sqlalchemy.orm import Session

from archive_api.backends import Backends
from archive_api.deps import Acting, Authorize, DbSession, Policy, Services
from archive_api.routes.reading import PAGE_IMAGE, Shown, page_image
from ingest import appraisal, credit_reports, customer_files
from ingest.credit_profile_schemas import CreditProfile, OrderCheck, OrderCheckCreate
from ingest.credit_report_words import Language
from ingest.filing import Vault
from ingest.pages import Mark
from ingest.rating_schemas import RatingCreate, RatingRead
from ingest.rights import Rights
from ingest.schemas import DocumentRead
from ingest.statement_schemas import (
    ExtractionRead,
    FigureCorrection,
    StatementConfirm,
    StatementRead,
)
from storage.auditevent import Actor
from storage.models import Customer, Document

router = APIRouter(tags=["credit"])
Reader = Annotated[Customer, Depends(Authorize("customer", "read_credit"))]
Reviewer = Annotated[Customer, Depends(Authorize("customer", "review_figures"))]
Rater = Annotated[Customer, Depends(Authorize("customer", "rate"))]


@router.get("/customers/{customer_id:uuid}/statements")
def statements(
    customer: Reader, request: Request, actor: Acting, session: DbSession, policy: Policy
) -> list[StatementRead]:
    """The statements read out of the customer's uploads, confirmed or awaiting review."""
    found = appraisal.statements(session, actor, policy, customer, request.state.decision)
    return [StatementRead.model_validate(s) for s in found]


@router.get("/customers/{customer_id:uuid}/extractions")
def extractions(
    customer: Reader, request: Request, actor: Acting, session: DbSession, policy: Policy
) -> list[ExtractionRead]:
    """The background readings of the customer's statements and licenses, newest first."""
    found = appraisal.extractions(session, actor, policy, customer, request.state.decision)
    return [ExtractionRead.model_validate(e) for e in found]


@router.patch("/customers/{customer_id:uuid}/statements/{statement_id:uuid}/figures")
def correct(
    statement_id: uuid.UUID,
    data: FigureCorrection,
    customer: Reviewer,
    request: Request,
    actor: Acting,
    session: DbSession,
    services: Services,
    policy: Policy,
) -> StatementRead:
    """Correct one figure to what is printed (kept with who and why); it needs confirming again."""
    statement = appraisal.correct_figure(
        session, actor, policy, customer, statement_id, data, services.clock(),
        request.state.decision,
    )  # fmt: skip
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
    actor: Acting,
    session: DbSession,
    services: Services,
    policy: Policy,
    shown: Shown,
) -> Response:
    """A page the statement was read from, as an image watermarked with the reviewer.

    Whoever may correct the statement's figures checks them against the printed page, without a
    borrowing: only the statement's own pages, of the version it was read from.
    """
    statement, document, row = appraisal.statement_page(
        session, policy, customer, statement_id, number
    )
    mark = Mark.of(
        policy.user.display_name, "信用审核 credit review", services.rules.zone, services.clock()
    )
    return page_image(
        session, actor, request, services, document, row, number, mark, shown,
        statement=str(statement.id),
    )  # fmt: skip


@router.post("/customers/{customer_id:uuid}/statements/{statement_id:uuid}/confirm")
def confirm(
    statement_id: uuid.UUID,
    customer: Reviewer,
    request: Request,
    actor: Acting,
    session: DbSession,
    services: Services,
    policy: Policy,
    data: StatementConfirm | None = None,
) -> StatementRead:
    """Confirm a statement's figures: from now on they count for the customer's rating."""
    statement = appraisal.confirm_statement(
        session, actor, policy, customer, statement_id, data or StatementConfirm(),
        services.clock(), request.state.decision,
    )  # fmt: skip
    return StatementRead.model_validate(statement)


@router.get("/customers/{customer_id:uuid}/credit-profile")
def credit_profile(
    customer: Reader,
    request: Request,
    actor: Acting,
    session: DbSession,
    services: Services,
    policy: Policy,
) -> CreditProfile:
    """The latest rating exactly as stored (its date, who rated, its own next review) and,
    apart, a preview: ratios, scores, grade, limits and warnings a rating made today would give
    from confirmed figures and the latest rating's inputs."""
    return appraisal.read_profile(
        session, actor, policy, services.credit, customer, services.today(),
        request.state.decision,
    )  # fmt: skip


@router.post("/customers/{customer_id:uuid}/ratings", status_code=201)
def create_rating(
    data: RatingCreate,
    customer: Rater,
    request: Request,
    actor: Acting,
    session: DbSession,
    services: Services,
    policy: Policy,
) -> RatingRead:
    """Rate the customer now (credit managers): stored with every input it used. The customer's
    credit report is written again with it (in Chinese; `POST .../credit-report` for English)."""
    decision = request.state.decision
    row = appraisal.rate(
        session, actor, policy, services.credit, customer, data, services.today(), decision
    )
    _report(session, actor, policy, services, customer, "zh", decision)
    return RatingRead.model_validate(row)


@router.post("/customers/{customer_id:uuid}/credit-report", status_code=201)
def credit_report(
    customer: Rater,
    request: Request,
    actor: Acting,
    session: DbSession,
    services: Services,
    policy: Policy,
    language: Language = "zh",
) -> DocumentRead:
    """Write the customer's credit report now (PDF: master data, completeness, the latest
    rating with its inputs, ratios over the years with charts, warnings, custodian) and keep it
    in the file, as a new version of its report document; read it as any document."""
    decision = request.state.decision
    document = _report(session, actor, policy, services, customer, language, decision)
    return DocumentRead.model_validate(document)


def _report(
    session: Session,
    actor: Actor,
    policy: Rights,
    services: Backends,
    customer: Customer,
    language: Language,
    decision: dict[str, Any],
) -> Document:
    vault = Vault(services.store, services.keys, services.settings.max_upload_bytes)
    now = services.clock().astimezone(services.rules.zone)
    return credit_reports.make(
        session, actor, policy, services.credit, services.categories, customer, vault,
        language, now, decision,
    )  # fmt: skip


@router.post("/customers/{customer_id:uuid}/order-checks")
def order_checks(
    data: OrderCheckCreate,
    customer: Reader,
    request: Request,
    actor: Acting,
    session: DbSession,
    policy: Policy,
) -> OrderCheck:
    """May an order go ahead on credit? Stops when what is owed plus the order goes beyond the
    latest rating's allowed credit (004 §2.3), or when there is no graded rating."""
    decision = request.state.decision
    return appraisal.check_order(session, actor, policy, customer, data, decision)


@router.get("/customers/{customer_id:uuid}/ratings")
def ratings(
    customer: Reader, request: Request, actor: Acting, session: DbSession, policy: Policy
) -> list[RatingRead]:
    """The customer's stored ratings, newest first."""
    found = appraisal.ratings(session, actor, policy, customer, request.state.decision)
    return [RatingRead.model_validate(r) for r in found]


@router.post("/customers/{customer_id:uuid}/extractions/{extraction_id:uuid}/accept")
def accept_license(
    extraction_id: uuid.UUID,
    customer: Annotated[Customer, Depends(Authorize("customer", "update"))],
    request: Request,
    actor: Acting,
    session: DbSession,
    services: Services,
    policy: Policy,
) -> ExtractionRead:
    """Take what a business license was read to say into the customer's record: its name,
    founding date, registered capital, legal representative and address where read (kept in
    the customer's history, naming the license), and its validity onto the document."""
    clock = (services.clock(), services.today())
    job = customer_files.accept_license(
        session, actor, policy, customer, extraction_id, clock, request.state.decision
    )
    return ExtractionRead.model_validate(job)
