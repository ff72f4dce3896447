"""The borrowing steps taken directly (no HTTP): each checks, acts, tells and records one event."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from access import lending
from access.errors import BorrowingConflict, Forbidden, Hidden, InvalidBorrowing
from storage.auditnames import Action
from storage.models import Borrowing, BorrowingStatus, Notification
from tests.access.lending.conftest import NOW, World


def _asked(world: World, **fields: object) -> Borrowing:
    borrowing = lending.request(
        world.session, *world.as_("manager"), world.rules, world.ask(**fields), NOW
    )
    world.events()  # the request's own event is checked where the request is the subject
    return borrowing


def _inbox(world: World, name: str, kind: str) -> list[Notification]:
    return list(
        world.session.scalars(
            select(Notification).where(
                Notification.user_id == world.users[name], Notification.kind == kind
            )
        )
    )


def test_a_request_tells_its_first_approver_and_records_its_rule(world: World) -> None:
    borrowing = lending.request(world.session, *world.as_("manager"), world.rules, world.ask(), NOW)

    assert (borrowing.status, borrowing.rule) == ("pending", "sales-manager-own-department")
    assert [n.borrowing_id for n in _inbox(world, "head", "approval_needed")] == [borrowing.id]
    [event] = world.events()
    assert event["action"] == Action.BORROWING_REQUEST
    assert event["outcome"] == "success"
    assert event["actor"]["id"] == str(world.users["manager"])
    assert event["decision"] == {
        "effect": "allow",
        "rule": "borrowing rule sales-manager-own-department",
    }
    assert event["target"]["number"] == borrowing.number
    assert event["target"]["customer_name"] == "贵州测试有限公司"
    assert (event["mode"], event["hours"], event["external"]) == ("view", 4, False)


def test_a_request_outside_the_rules_is_refused_and_records_nothing(world: World) -> None:
    actor, policy = world.as_("manager")
    with pytest.raises(InvalidBorrowing, match="mode: download is not allowed"):
        lending.request(world.session, actor, policy, world.rules, world.ask(mode="download"), NOW)
    with pytest.raises(Hidden):  # the other department's seller may not know this customer
        lending.request(world.session, *world.as_("outsider"), world.rules, world.ask(), NOW)
    assert world.events() == []


def test_the_last_approval_opens_the_grant_and_tells_the_borrower(world: World) -> None:
    borrowing = _asked(world)

    approved = lending.approve(
        world.session, *world.as_("head"), world.rules, borrowing.id, "同意", NOW
    )

    assert approved.status == BorrowingStatus.approved
    assert approved.due_at == NOW + timedelta(hours=4)
    assert [n.borrowing_id for n in _inbox(world, "manager", "approved")] == [borrowing.id]
    [event] = world.events()
    assert event["action"] == Action.BORROWING_APPROVE
    assert (event["step"], event["reason"]) == ("dept_head", "同意")
    assert event["due"] == approved.due_at.isoformat()
    assert event["decision"]["rule"] == "borrowing rule sales-manager-own-department"


def test_a_request_read_as_pending_after_its_last_approval_awaits_no_one(world: World) -> None:
    # The list of borrowings to approve reads the rows, then their approvals in a second
    # statement; under PostgreSQL's READ COMMITTED the last approval can commit in between, so
    # the list sees a pending request whose every step is approved (a 500 under bench.load).
    borrowing = _asked(world)
    lending.approve(world.session, *world.as_("head"), world.rules, borrowing.id, None, NOW)
    borrowing.status = BorrowingStatus.pending  # as the listing's first statement read it

    rows, total = lending.search(
        world.session, *world.as_("director"), "to_approve", None, NOW, 50, 0
    )

    assert (rows, total) == ([], 0)


@pytest.mark.parametrize(
    ("who", "refused", "why"),
    [
        ("manager", Forbidden, "nobody approves their own request"),  # the requester
        ("director", Forbidden, "awaits a dept_head"),  # an approver, of another step
        ("outsider", Hidden, "no such borrowing"),  # the other department: not told it exists
    ],
)
def test_only_the_awaited_approver_decides(
    world: World, who: str, refused: type[Exception], why: str
) -> None:
    borrowing = _asked(world)

    with pytest.raises(refused, match=why):
        lending.approve(world.session, *world.as_(who), world.rules, borrowing.id, None, NOW)

    assert borrowing.status == BorrowingStatus.pending
    assert world.events() == []


def test_a_rejection_needs_a_reason_and_closes_the_request(world: World) -> None:
    borrowing = _asked(world)
    actor, policy = world.as_("head")
    with pytest.raises(InvalidBorrowing, match="reason: required to reject"):
        lending.reject(world.session, actor, policy, world.rules, borrowing.id, None, NOW)

    lending.reject(world.session, actor, policy, world.rules, borrowing.id, "用途不明", NOW)

    assert borrowing.status == BorrowingStatus.rejected
    assert [n.borrowing_id for n in _inbox(world, "manager", "rejected")] == [borrowing.id]
    [event] = world.events()
    assert (event["action"], event["reason"], event["due"]) == (
        Action.BORROWING_REJECT,
        "用途不明",
        None,
    )
    with pytest.raises(BorrowingConflict, match="is rejected: nothing awaits approval"):
        lending.approve(world.session, actor, policy, world.rules, borrowing.id, None, NOW)


def test_an_extension_is_asked_by_the_borrower_and_decided_as_an_extension(world: World) -> None:
    borrowing = _asked(world)
    head = world.as_("head")
    lending.approve(world.session, *head, world.rules, borrowing.id, None, NOW)
    world.events()
    with pytest.raises(Forbidden, match="not your borrowing"):  # its approver sees it, no more
        lending.extend(world.session, *head, world.rules, borrowing.id, 2)
    with pytest.raises(Hidden):  # a colleague who is no party to it is not told it exists
        lending.extend(world.session, *world.as_("seller"), world.rules, borrowing.id, 2)

    lending.extend(world.session, *world.as_("manager"), world.rules, borrowing.id, 2)
    [asked] = world.events()
    lending.approve(world.session, *head, world.rules, borrowing.id, None, NOW)
    [decided] = world.events()

    assert (asked["action"], asked["hours"]) == (Action.EXTENSION_REQUEST, 2)
    assert decided["action"] == Action.EXTENSION_APPROVE
    assert borrowing.due_at == NOW + timedelta(hours=6)


def test_reading_a_borrowing_is_recorded_and_hidden_from_strangers(world: World) -> None:
    borrowing = _asked(world)

    found = lending.read(world.session, *world.as_("archivist"), world.rules, borrowing.id)

    assert found is borrowing
    [event] = world.events()
    assert (event["action"], event["target"]["borrowing"]) == (
        Action.BORROWING_READ,
        str(borrowing.id),
    )
    for stranger, borrowing_id in (("outsider", borrowing.id), ("archivist", uuid.uuid4())):
        with pytest.raises(Hidden, match="no such borrowing"):
            lending.read(world.session, *world.as_(stranger), world.rules, borrowing_id)
    assert world.events() == []


def test_a_search_records_its_filter_and_count_never_the_rows(world: World) -> None:
    borrowing = _asked(world)

    rows, total = lending.search(
        world.session, *world.as_("archivist"), None, "pending", NOW, 10, 0
    )
    mine, none = lending.search(world.session, *world.as_("outsider"), None, None, NOW, 10, 0)

    assert ([b.id for b in rows], total) == ([borrowing.id], 1)
    assert (mine, none) == ([], 0)
    archivists, outsiders = world.events()
    assert archivists["action"] == Action.BORROWING_SEARCH
    asked = {"scope": "all", "status": "pending", "limit": "10", "offset": "0"}
    assert archivists["filter"] == asked
    assert (archivists["results"], archivists["target"]) == (1, {})
    assert outsiders["filter"]["scope"] == "mine"  # not an archivist anywhere: their own


def test_looking_up_the_terms_is_recorded_and_refused_as_the_request_would_be(
    world: World,
) -> None:
    actor, policy = world.as_("manager")
    highest, rule = lending.terms(
        world.session, actor, policy, world.rules, world.customer, [world.license], False, NOW
    )
    assert (highest, rule.name) == ("internal", "sales-manager-own-department")
    [event] = world.events()
    assert event["action"] == Action.BORROWING_TERMS
    assert event["target"]["customer_name"] == "贵州测试有限公司"
    assert (event["documents"], event["decision"]["effect"]) == (1, "allow")
    with pytest.raises(Hidden):  # the other department's seller may not know this customer
        lending.terms(
            world.session, *world.as_("outsider"), world.rules, world.customer, [], False, NOW
        )
    assert world.events() == []
