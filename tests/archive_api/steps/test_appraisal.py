"""The credit appraisal's steps (ingest.appraisal), called directly."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from ingest import appraisal
from ingest.credit_profile_schemas import OrderCheckCreate, OrderDecision
from ingest.rating_schemas import RatingCreate
from ingest.statement_schemas import FigureCorrection, StatementConfirm
from storage.auditnames import Action
from storage.errors import NotFound
from storage.models import Customer
from tests.archive_api.conftest import Api, add_user
from tests.archive_api.steps.conftest import acting
from tests.factories import fake_file, qualitative

DOOR = {"effect": "allow", "rule": "the door's rule"}


def _credit_manager(api: Api) -> str:
    add_user(api.admin, "credit", api.department, "secret", "credit_manager")
    return "credit"


def test_reads_of_credit_record_one_event_each_with_the_doors_decision(
    api: Api, events: list[dict[str, Any]]
) -> None:
    customer_id = uuid.UUID(api.customer())
    who = _credit_manager(api)
    events.clear()
    with acting(api, who) as (session, policy, actor):
        customer = session.get_one(Customer, customer_id)
        today = api.backends.clock().date()
        assert appraisal.statements(session, actor, policy, customer, DOOR) == []
        assert appraisal.extractions(session, actor, policy, customer, DOOR) == []
        assert appraisal.ratings(session, actor, policy, customer, DOOR) == []
        found = appraisal.read_profile(
            session, actor, policy, api.backends.credit, customer, today, DOOR
        )
    assert found.latest is None
    assert [e["action"] for e in events] == [
        Action.STATEMENT_SEARCH, Action.EXTRACTION_SEARCH, Action.RATING_SEARCH,
        Action.PROFILE_READ,
    ]  # fmt: skip
    assert all(e["decision"] == DOOR for e in events)
    assert all(e["target"]["customer"] == str(customer_id) for e in events)
    assert [e.get("results") for e in events] == [0, 0, 0, None]
    assert events[-1]["actor"]["username"] == who


def test_a_rating_is_stored_and_recorded_with_its_grade_never_its_amounts(
    api: Api, events: list[dict[str, Any]]
) -> None:
    customer_id = uuid.UUID(api.customer())
    who = _credit_manager(api)
    entered = RatingCreate.model_validate(
        {**qualitative("80"), "order_volume": "900000", "credit_period_days": 60}
    )
    events.clear()
    with acting(api, who) as (session, policy, actor):
        customer = session.get_one(Customer, customer_id)
        today = api.backends.clock().date()
        row = appraisal.rate(
            session, actor, policy, api.backends.credit, customer, entered, today, DOOR
        )
        rating_id, grade = row.id, row.grade
    (event,) = events
    assert event["action"] == Action.RATING_CREATE
    assert event["target"]["rating"] == str(rating_id)
    assert event["grade"] == grade
    assert "900000" not in str(event)  # the order volume stays with the rating


def test_a_statement_not_of_this_customer_is_not_found_and_nothing_is_recorded(
    api: Api, events: list[dict[str, Any]]
) -> None:
    customer_id = uuid.UUID(api.customer())
    who = _credit_manager(api)
    events.clear()
    correction = FigureCorrection.model_validate(
        {"code": "total_assets", "period": "current", "value": "1", "reason": "印刷值"}
    )
    with acting(api, who) as (session, policy, actor):
        customer = session.get_one(Customer, customer_id)
        now, unknown = api.backends.clock(), uuid.uuid4()
        with pytest.raises(NotFound):
            appraisal.correct_figure(
                session, actor, policy, customer, unknown, correction, now, DOOR
            )
        with pytest.raises(NotFound):
            appraisal.confirm_statement(
                session, actor, policy, customer, unknown, StatementConfirm(), now, DOOR
            )
        with pytest.raises(NotFound):
            appraisal.statement_page(session, policy, customer, unknown, 1)
    assert events == []


def test_an_order_check_is_recorded_with_its_answer_and_the_rating_never_the_amounts(
    api: Api, events: list[dict[str, Any]]
) -> None:
    customer_id = uuid.UUID(api.customer())
    who = _credit_manager(api)
    order = OrderCheckCreate(order_amount=Decimal("987654.32"), outstanding=Decimal("12345.67"))
    events.clear()
    with acting(api, who) as (session, policy, actor):
        customer = session.get_one(Customer, customer_id)
        unrated = appraisal.check_order(session, actor, policy, customer, order, DOOR)
    # No rating: nothing is on credit, and the order stops.
    assert (unrated.decision, unrated.reason) == (OrderDecision.stop, "no_rating")
    entered = RatingCreate.model_validate(
        {**qualitative("80"), "order_volume": "900000", "credit_period_days": 60}
    )
    with acting(api, who) as (session, policy, actor):
        customer = session.get_one(Customer, customer_id)
        today = api.backends.clock().date()
        rating_id = appraisal.rate(
            session, actor, policy, api.backends.credit, customer, entered, today, DOOR
        ).id
        rated = appraisal.check_order(session, actor, policy, customer, order, DOOR)
    assert rated.rating_id == rating_id
    stopped, _, checked = events
    assert [e["action"] for e in (stopped, checked)] == [Action.ORDER_CHECK] * 2
    assert (stopped["order"], stopped["order_reason"]) == ("stop", "no_rating")
    assert "rating" not in stopped["target"]
    assert (checked["order"], checked["order_reason"]) == (rated.decision, rated.reason)
    assert checked["target"]["rating"] == str(rating_id)
    assert checked["target"]["customer"] == str(customer_id)
    assert checked["decision"] == DOOR
    for amount in ("987654", "12345", "999999"):  # the order, what is owed, their sum
        assert amount not in str(stopped) + str(checked)


def test_early_warnings_are_listed_where_credit_is_read_and_recorded_without_rows(
    api: Api, events: list[dict[str, Any]]
) -> None:
    expired = (api.backends.clock().date() - timedelta(days=3)).isoformat()
    seen = api.customer("A 过期公司")
    api.upload(seen, fake_file("pdf", 3000), expires_on=expired)
    above = api.customer("B 机密执照公司")  # its license is above the credit manager's clearance
    api.upload(above, fake_file("pdf", 3000), expires_on=expired, secrecy="secret")
    add_user(api.admin, "credit", api.department, "confidential", "credit_manager")
    add_user(api.admin, "seller", api.department, "secret", "sales")
    today = api.backends.clock().date()
    events.clear()
    with acting(api, "credit") as (session, policy, actor):
        everyone = appraisal.warnings(
            session, actor, policy, api.backends.credit, "all", today, (10, 0)
        )
        kept = appraisal.warnings(
            session, actor, policy, api.backends.credit, "custody", today, (10, 0)
        )
    found, total = everyone
    assert [(w.customer_name, w.code) for w in found] == [("A 过期公司", "license_expired")]
    assert total == 1
    assert kept == ([], 0)  # the archivist keeps both files
    # Whoever reads no customer's credit learns of no warning, and nothing is named.
    with acting(api, "seller") as (session, policy, actor):
        refused = appraisal.warnings(
            session, actor, policy, api.backends.credit, "all", today, (10, 0)
        )
    assert refused == ([], 0)
    assert [e["action"] for e in events] == [Action.WARNING_SEARCH] * 3
    assert [(e["filter"]["scope"], e["results"]) for e in events] == [
        ("all", 1), ("custody", 0), ("all", 0),
    ]  # fmt: skip
    assert events[0]["filter"] == {"scope": "all", "limit": "10", "offset": "0"}
    assert events[0]["target"] == {}
    assert seen not in str(events)  # the rows are never in it
    assert "过期" not in str(events)
