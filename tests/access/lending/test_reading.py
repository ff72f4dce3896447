"""The basis of every read of content, decided directly: each way it allows, each way it refuses."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from access import lending
from access import lending_desk as desk
from access.errors import Forbidden
from access.reading import basis
from tests.access.lending.conftest import NOW, World, lent


def _refused(world: World, who: str, read: str, why: str, when: datetime = NOW) -> None:
    document = world.document(world.license)
    with pytest.raises(Forbidden, match=why) as refused:
        basis(world.session, world.policy(who), document, read, when)
    # The refusal's audit event names the customer: an export for it shows who was refused.
    assert refused.value.target is not None
    assert refused.value.target["customer"] == str(world.customer)
    assert refused.value.target["document"] == str(world.license)
    assert refused.value.attempt == ("document", "read_content")


def test_the_archivist_reads_directly_by_the_rule_that_allows_it(world: World) -> None:
    found = basis(
        world.session, world.policy("archivist"), world.document(world.license), "content", NOW
    )

    assert found.borrowing is None
    assert found.decision["effect"] == "allow"
    assert found.decision["rule"] == "archivist, *, document, read_content, allow"


def test_an_open_borrowing_of_the_document_is_the_basis_and_is_named(world: World) -> None:
    borrowing = lent(world, mode="download")

    for read in ("content", "pages"):  # a download borrowing serves both
        found = basis(
            world.session, world.policy("seller"), world.document(world.license), read, NOW
        )
        assert found.borrowing is borrowing
        assert found.decision == {
            "effect": "allow",
            "rule": f"borrowing {borrowing.number}",
            "borrowing": str(borrowing.id),
            "number": borrowing.number,
            "mode": "download",
            "purpose": borrowing.purpose,
        }


def test_without_a_borrowing_nobody_else_reads(world: World) -> None:
    for who in ("seller", "head", "manager"):  # they may know it exists, not read it
        _refused(world, who, "pages", "no open borrowing of this document: request one")


def test_a_borrowing_not_yet_approved_or_not_handed_out_is_no_basis(world: World) -> None:
    lending.request(world.session, *world.as_("seller"), world.rules, world.ask(), NOW)
    _refused(world, "seller", "pages", "no open borrowing")
    lent(world, mode="physical")  # approved, but paper is read in the reading room, not here
    _refused(world, "seller", "pages", "no open borrowing")


def test_a_borrowing_past_its_due_time_is_no_basis(world: World) -> None:
    borrowing = lent(world)

    _refused(
        world, "seller", "pages", f"borrowing {borrowing.number} ended", NOW + timedelta(hours=4)
    )


def test_a_borrowing_of_another_document_is_no_basis(world: World) -> None:
    lent(world)
    document = world.document(world.contract)

    with pytest.raises(Forbidden, match="no open borrowing") as refused:
        basis(world.session, world.policy("seller"), document, "pages", NOW)

    assert refused.value.target is not None
    assert refused.value.target["document"] == str(world.contract)


def test_someone_elses_borrowing_is_no_basis(world: World) -> None:
    lent(world, borrower="manager")

    _refused(world, "seller", "pages", "no open borrowing")


def test_a_view_borrowing_never_gets_the_file(world: World) -> None:
    borrowing = lent(world)  # to view

    assert (
        basis(
            world.session, world.policy("seller"), world.document(world.license), "pages", NOW
        ).borrowing
        is borrowing
    )
    _refused(world, "seller", "content", f"borrowing {borrowing.number} is for view only")


@pytest.mark.parametrize("ending", ["return", "revoke"])
def test_a_returned_or_revoked_borrowing_is_no_basis(world: World, ending: str) -> None:
    borrowing = lent(world)
    later = NOW + timedelta(hours=1)
    if ending == "return":
        desk.give_back(world.session, *world.as_("seller"), world.rules, borrowing.id, later)
    else:
        desk.revoke(
            world.session, *world.as_("archivist"), world.rules, borrowing.id, "到此为止", later
        )

    _refused(world, "seller", "pages", f"borrowing {borrowing.number} ended", later)


def test_a_document_raised_above_the_borrowing_needs_a_borrowing_of_its_own(world: World) -> None:
    borrowing = lent(world)
    world.document(world.license).secrecy = "secret"

    _refused(
        world, "seller", "pages", f"borrowing {borrowing.number} covers material up to internal"
    )
