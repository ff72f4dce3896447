"""The lending desk's steps taken directly: hand-out, return, revocation, originals missing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from access import lending_desk as desk
from access import register
from access.errors import BorrowingConflict, Forbidden, Hidden, InvalidBorrowing
from storage.auditnames import Action
from storage.models import Borrowing, BorrowingStatus, Notification
from tests.access.lending.conftest import NOW, World, lent


def _told(world: World, kind: str) -> set[str]:
    people = {user_id: name for name, user_id in world.users.items()}
    found = world.session.scalars(select(Notification.user_id).where(Notification.kind == kind))
    return {people[user_id] for user_id in found}


def test_paper_is_handed_out_by_the_customers_archivist_and_its_time_runs_from_then(
    world: World,
) -> None:
    borrowing = lent(world, mode="physical")
    assert borrowing.out_at is None  # approved, but the paper is still in the archive
    later = NOW + timedelta(hours=1)
    with pytest.raises(Forbidden):  # the department head approves, but keeps no paper
        desk.hand_out(world.session, *world.as_("head"), world.rules, borrowing.id, later)
    with pytest.raises(Hidden):  # another department's archivist is not told it exists
        desk.hand_out(world.session, *world.as_("archivist_b"), world.rules, borrowing.id, later)
    assert world.events() == []

    desk.hand_out(world.session, *world.as_("archivist"), world.rules, borrowing.id, later)

    opened = world.session.get_one(Borrowing, borrowing.id)
    assert (opened.out_at, opened.due_at) == (later, later + timedelta(hours=4))
    assert opened.handed_out_by_id == world.users["archivist"]
    [event] = world.events()
    assert (event["action"], event["target"]["number"]) == (Action.HAND_OUT, borrowing.number)
    with pytest.raises(BorrowingConflict, match="is handed out: nothing to hand out"):
        desk.hand_out(world.session, *world.as_("archivist"), world.rules, borrowing.id, later)


def test_a_digital_borrowing_is_never_handed_out(world: World) -> None:
    borrowing = lent(world)
    with pytest.raises(BorrowingConflict, match="is not a loan of paper originals"):
        desk.hand_out(world.session, *world.as_("archivist"), world.rules, borrowing.id, NOW)
    assert world.events() == []


def test_the_borrower_returns_once_and_a_late_return_says_so(world: World) -> None:
    borrowing = lent(world)
    with pytest.raises(Forbidden, match="not your borrowing"):
        desk.give_back(world.session, *world.as_("head"), world.rules, borrowing.id, NOW)

    late = NOW + timedelta(hours=5)
    desk.give_back(world.session, *world.as_("seller"), world.rules, borrowing.id, late)

    assert (borrowing.status, borrowing.returned_at) == (BorrowingStatus.returned, late)
    [event] = world.events()
    assert event["action"] == Action.RETURN
    assert (event["checked_in"], event["late"]) == (False, True)
    with pytest.raises(BorrowingConflict, match="is returned: nothing to return"):
        desk.give_back(world.session, *world.as_("seller"), world.rules, borrowing.id, late)
    assert world.events() == []


def test_paper_comes_back_only_through_the_archivist(world: World) -> None:
    borrowing = lent(world, mode="physical")
    archivist = world.as_("archivist")
    desk.hand_out(world.session, *archivist, world.rules, borrowing.id, NOW)
    world.events()
    with pytest.raises(Forbidden, match="an archivist checks paper originals back in"):
        desk.give_back(world.session, *world.as_("seller"), world.rules, borrowing.id, NOW)

    desk.give_back(world.session, *archivist, world.rules, borrowing.id, NOW)

    assert borrowing.checked_in_by_id == world.users["archivist"]
    [event] = world.events()
    assert (event["checked_in"], event["late"]) == (True, False)


def test_an_archivist_revokes_with_a_reason_and_the_borrower_is_told(world: World) -> None:
    borrowing = lent(world)
    archivist = world.as_("archivist")
    with pytest.raises(InvalidBorrowing, match="reason: required to revoke"):
        desk.revoke(world.session, *archivist, world.rules, borrowing.id, None, NOW)
    with pytest.raises(Forbidden):  # the borrower cannot revoke their own
        desk.revoke(world.session, *world.as_("seller"), world.rules, borrowing.id, "x", NOW)

    later = NOW + timedelta(hours=1)
    desk.revoke(world.session, *archivist, world.rules, borrowing.id, "客户要求", later)

    assert (borrowing.status, borrowing.due_at) == (BorrowingStatus.revoked, later)
    assert _told(world, "revoked") == {"seller"}
    [event] = world.events()
    assert (event["action"], event["reason"]) == (Action.REVOKE, "客户要求")
    with pytest.raises(BorrowingConflict, match="is revoked: nothing to revoke"):
        desk.revoke(world.session, *archivist, world.rules, borrowing.id, "again", later)


def test_paper_not_back_is_marked_missing_with_an_incident_per_original(world: World) -> None:
    borrowing = lent(world, mode="physical")
    archivist = world.as_("archivist")
    with pytest.raises(BorrowingConflict, match="has no paper out"):
        desk.mark_missing(world.session, *archivist, world.rules, borrowing.id, "未归还", NOW)
    desk.hand_out(world.session, *archivist, world.rules, borrowing.id, NOW)
    world.events()

    incidents = desk.mark_missing(
        world.session, *archivist, world.rules, borrowing.id, "未归还", NOW
    )

    assert [i.document_id for i in incidents] == [world.license]
    assert borrowing.status == BorrowingStatus.lost
    assert _told(world, "original_missing") == {"archivist"}  # sales A's, not sales B's
    [event] = world.events()
    assert event["action"] == Action.MISSING
    assert event["incidents"] == [str(incidents[0].id)]


def test_the_register_export_is_the_archivists_and_is_recorded_without_rows(world: World) -> None:
    borrowing = lent(world)
    since, until = NOW - timedelta(days=1), NOW + timedelta(days=1)
    with pytest.raises(InvalidBorrowing, match="since before until"):
        register.export(world.session, *world.as_("archivist"), until, since)
    with pytest.raises(Forbidden, match="only archivists"):
        register.export(world.session, *world.as_("seller"), since, until)

    rows = register.export(world.session, *world.as_("archivist"), since, until)
    elsewhere = register.export(world.session, *world.as_("archivist_b"), since, until)

    assert ([row[0] for row in rows], elsewhere) == ([borrowing.number], [])
    ours, theirs = world.events()
    assert ours["action"] == Action.REGISTER_EXPORT
    assert (ours["rows"], ours["target"]) == (
        1,
        {"departments": [str(borrowing.customer.department_id)]},
    )
    assert theirs["rows"] == 0
    assert borrowing.number not in str(ours)
