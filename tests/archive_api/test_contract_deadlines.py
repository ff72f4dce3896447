"""Contracts' hand-over deadlines on a fixed clock (003 篇2 §3): to the credit manager within a
month of signing, to the archive within a further month; raised by the daily round, escalated
weekly while overdue, resolved by the hand-over date recorded on the contract."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from archive_api.postman import Postman
from tests.archive_api.conftest import Api, Cast
from tests.archive_api.test_contracts import contract

START = datetime(2026, 6, 14, 23, 45, tzinfo=UTC)  # 15 June 2026 in Beijing


def _on(api: Api, days: int) -> None:
    moment = START + timedelta(days=days)
    api.backends.clock = lambda: moment


def _deadlines(client: TestClient, customer: str) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/customers/{customer}/deadlines")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def _notices(client: TestClient) -> list[str]:
    return [n["kind"] for n in client.get("/api/v1/notifications").json()
            if n["kind"].startswith("deadline_")]  # fmt: skip


def test_a_contract_signed_35_days_ago_and_not_handed_to_the_credit_manager_is_overdue(
    api: Api, cast: Cast
) -> None:
    _on(api, 0)
    keeper = cast.add("keeper", "credit_manager")
    seller = cast["seller"]
    customer = api.customer()
    # Signed on 11 May by the seller, who is responsible for it; due to credit by 11 June.
    made = contract(seller, customer, status="signed", signed_on="2026-05-11", amount="8000")
    assert made["custodian_name"] == "seller"
    to_credit = made["handovers"][0]
    assert to_credit == {"step": "to_credit", "due_on": "2026-06-11", "done_on": None,
                         "overdue": True}  # fmt: skip
    assert made["handovers"][1]["due_on"] is None  # counted from the hand-over to credit
    postman = Postman(api.backends)
    assert postman.keep_deadlines() == 1
    [due] = _deadlines(keeper, customer)
    assert (due["kind"], due["due_on"], due["overdue"]) == (
        "contract_to_credit",
        "2026-06-11",
        True,
    )
    assert (due["contract_id"], due["contract_number"]) == (made["id"], made["number"])
    # The seller (the contract's) and the head hear of it once; the round again raises nothing.
    assert _notices(seller) == _notices(cast["head"]) == ["deadline_raised"]
    assert postman.keep_deadlines() == 0
    _on(api, 7)
    assert postman.keep_deadlines() == 1  # a week on, still overdue: escalated
    assert _notices(seller) == ["deadline_overdue", "deadline_raised"]

    # Handed over on 22 June: resolved, and the archive is due a month later.
    url = f"/api/v1/contracts/{made['id']}"
    handed = keeper.patch(url, json={"handed_to_credit_on": "2026-06-22", "reason": "已移交"})
    assert handed.status_code == 200, handed.text
    assert handed.json()["handovers"][1] == {
        "step": "to_archive", "due_on": "2026-07-22", "done_on": None, "overdue": False,
    }  # fmt: skip
    _on(api, 8)
    assert postman.keep_deadlines() == 1  # the archive's raised (the credit's resolved)
    [due] = _deadlines(keeper, customer)
    assert (due["kind"], due["due_on"], due["overdue"]) == (
        "contract_to_archive",
        "2026-07-22",
        False,
    )
    archived = api.client.patch(url, json={"handed_to_archive_on": "2026-06-23", "reason": "归档"})
    assert archived.status_code == 200, archived.text
    _on(api, 9)
    postman.keep_deadlines()
    assert _deadlines(keeper, customer) == []
    # A hand-over is not dated before the one it follows, nor in the future.
    early = api.client.patch(url, json={"handed_to_archive_on": "2026-06-01", "reason": "更正"})
    assert early.status_code == 422
    assert "handed_to_archive_on" in early.text
    ahead = api.client.patch(url, json={"handed_to_archive_on": "2026-12-01", "reason": "更正"})
    assert ahead.status_code == 422
    assert "future" in ahead.text


def test_a_draft_has_no_hand_over_and_a_recent_signing_is_not_overdue(api: Api, cast: Cast) -> None:
    _on(api, 0)
    keeper = cast.add("keeper", "credit_manager")
    customer = api.customer()
    contract(keeper, customer)  # a draft
    recent = contract(keeper, customer, status="signed", signed_on="2026-06-01")
    assert recent["handovers"][0]["overdue"] is False
    Postman(api.backends).keep_deadlines()
    [due] = _deadlines(keeper, customer)
    assert (due["contract_id"], due["due_on"], due["overdue"]) == (
        recent["id"],
        "2026-07-01",
        False,
    )
