"""What the handover pages read: the paginated list, whom a head may name, and whose turn it is."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.archive_api.conftest import Api, Cast, add_user, ask
from tests.factories import fake_file, random_uscc


def _open(client: Any, employee: str, successor: str) -> Any:
    body = {
        "employee_id": employee,
        "successor_id": successor,
        "planned_on": date.today().isoformat(),
    }
    return client.post("/api/v1/handovers", json=body)


def _ids(client: Any, query: str = "") -> list[str]:
    page = client.get(f"/api/v1/handovers{query}")
    assert page.status_code == 200, page.text
    return [h["id"] for h in page.json()["items"]]


def test_the_list_is_paginated_and_shows_exactly_the_handovers_each_may_open(
    api: Api, cast: Cast
) -> None:
    cast.add("heir", "sales")
    cast.add("second", "sales")
    cast.add("third", "sales")
    other = api.admin.post(
        "/api/v1/admin/departments", json={"code": "sales-b", "name": "销售二部"}
    ).json()["id"]
    away = add_user(api.admin, "away", other, "secret", "sales")
    heir_b = add_user(api.admin, "heir-b", other, "secret", "sales")
    add_user(api.admin, "head-b", other, "secret", "dept_head")
    first = _open(cast["head"], cast.ids["seller"], cast.ids["heir"]).json()["id"]
    second = _open(cast["head"], cast.ids["second"], cast.ids["third"]).json()["id"]
    elsewhere = _open(api.admin, away, heir_b).json()["id"]

    # Newest first, a page at a time, with the count of all.
    assert _ids(cast["head"]) == [second, first]
    page = cast["head"].get("/api/v1/handovers?limit=1&offset=1").json()
    assert ([h["id"] for h in page["items"]], page["total"]) == ([first], 2)
    assert (page["limit"], page["offset"]) == (1, 1)
    assert _ids(api.admin) == [elsewhere, second, first]

    # Each person lists exactly the handovers they may read one by one.
    everyone = [first, second, elsewhere]
    for name in ("head", "archivist", "seller", "heir", "second", "third", "manager", "auditor"):
        readable = [
            h for h in everyone if cast[name].get(f"/api/v1/handovers/{h}").status_code == 200
        ]
        assert sorted(_ids(cast[name])) == sorted(readable), name
    assert _ids(cast["seller"]) == [first]
    assert _ids(cast["heir"]) == [first]
    assert sorted(_ids(cast["archivist"])) == sorted([first, second])
    assert _ids(cast["manager"]) == []
    assert cast["manager"].get("/api/v1/handovers").json()["total"] == 0

    # A cancelled one drops out of the open list.
    cast["head"].post(f"/api/v1/handovers/{second}/cancel", json={"reason": "留任 stays"})
    assert _ids(cast["head"], "?status=open") == [first]
    assert _ids(cast["head"], "?status=cancelled") == [second]


def test_a_head_is_offered_only_people_who_may_leave_and_successors_who_may_keep_the_files(
    api: Api, cast: Cast
) -> None:
    cast.add("heir", "sales", "confidential", display_name="李四")
    cast.add("junior", "sales", "internal")
    cast.add("busy", "sales")
    cast.add("busy-heir", "sales")
    other = api.admin.post(
        "/api/v1/admin/departments", json={"code": "sales-b", "name": "销售二部"}
    ).json()["id"]
    outsider = add_user(api.admin, "outsider", other, "secret", "sales")
    cast["seller"].post(
        "/api/v1/customers",
        json={"name": "安顺某公司", "uscc": random_uscc(), "secrecy": "confidential"},
    )
    assert _open(cast["head"], cast.ids["busy"], cast.ids["busy-heir"]).status_code == 201

    def names(query: str, client: Any = None) -> list[str]:
        found = (client or cast["head"]).get(f"/api/v1/handovers/people{query}")
        assert found.status_code == 200, found.text
        return [p["username"] for p in found.json()["items"]]

    # Who may leave: the department's active people, not the head, nobody already leaving.
    leaving = names("")
    assert "seller" in leaving
    assert "heir" in leaving
    assert "archivist" in leaving
    assert not {"head", "busy", "busy-heir", "outsider", "director"} & set(leaving)
    assert names("?q=lis") == []
    assert names("?q=李") == ["heir"]
    page = cast["head"].get("/api/v1/handovers/people?limit=2").json()
    assert (len(page["items"]), page["total"]) == (2, len(leaving))

    # Who may succeed the seller: cleared for the confidential customer, same department.
    successors = names(f"?employee_id={cast.ids['seller']}")
    assert "heir" in successors
    assert "manager" in successors
    assert not {"seller", "junior", "busy", "busy-heir", "outsider"} & set(successors)
    assert {p["id"] for p in api.admin.get(
        f"/api/v1/handovers/people?employee_id={outsider}"
    ).json()["items"]} == set()  # fmt: skip

    # Nobody else may ask, nor learn of a department they do not lead.
    assert cast["seller"].get("/api/v1/handovers/people").status_code == 403
    assert cast["head"].get(f"/api/v1/handovers/people?employee_id={outsider}").status_code == 404
    assert "outsider" in names("", api.admin)


def test_the_handover_says_whose_turn_it_is_and_why_it_cannot_complete(
    api: Api, cast: Cast
) -> None:
    cast.add("heir", "sales", "confidential", display_name="李四")
    cast.add("junior", "sales", "internal")
    seller = cast["seller"]
    customer = seller.post(
        "/api/v1/customers",
        json={"name": "六盘水某公司", "uscc": random_uscc(), "secrecy": "confidential"},
    ).json()["id"]
    document = seller.post(
        f"/api/v1/customers/{customer}/documents",
        data={"doc_type": "contract", "title": "购销合同"},
        files={"file": ("c.pdf", fake_file("pdf", 3000), "application/pdf")},
    ).json()["id"]
    borrowing = ask(seller, document, customer).json()["id"]

    # A successor who could not see the customer is refused with a reason the UI can say.
    low = _open(cast["head"], cast.ids["seller"], cast.ids["junior"])
    assert (low.status_code, low.json()["reason"]) == (422, "successor_not_cleared")
    opened = _open(cast["head"], cast.ids["seller"], cast.ids["heir"]).json()
    url = f"/api/v1/handovers/{opened['id']}"
    twice = _open(cast["head"], cast.ids["seller"], cast.ids["manager"])
    assert (twice.status_code, twice.json()["reason"]) == (409, "handover_under_way")

    # Names of the people, and the turn of each reader.
    assert opened["names"][cast.ids["heir"]] == "李四"
    assert opened["names"][cast.ids["seller"]] == "seller"
    views = {name: cast[name].get(url).json() for name in ("head", "heir", "archivist", "seller")}
    assert {n: v["my_capacities"] for n, v in views.items()} == {
        "head": ["dept_head"],
        "heir": ["successor"],
        "archivist": ["archivist"],
        "seller": [],
    }
    assert {n: v["may_cancel"] for n, v in views.items()} == {
        "head": True,
        "heir": False,
        "archivist": False,
        "seller": False,
    }

    # The open borrowing blocks every confirmation, with a reason; once closed, turns are taken.
    blocked = cast["heir"].post(f"{url}/confirm")
    assert (blocked.status_code, blocked.json()["reason"]) == (409, "handover_items_open")
    revoked = api.client.post(
        f"/api/v1/borrowings/{borrowing}/revoke", json={"reason": "员工离职 leaving"}
    )
    assert revoked.status_code == 200, revoked.text
    given = cast["heir"].post(f"{url}/confirm").json()
    assert (given["my_capacities"], given["awaiting"]) == ([], ["dept_head", "archivist"])
    assert given["names"][given["confirmations"][0]["user_id"]] == "李四"
    assert cast["head"].get(url).json()["my_capacities"] == ["dept_head"]
