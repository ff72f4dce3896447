"""The administrator's list of users comes a page at a time, searchable by name, and the
mistakes an administrator can make are named by a stable reason."""

from __future__ import annotations

from tests.archive_api.conftest import Api, add_user


def test_users_are_listed_a_page_at_a_time_by_user_name(api: Api) -> None:
    for name in ("u-c", "u-a", "u-b"):
        add_user(api.admin, name, api.department, "internal", display_name=f"用户{name[-1]}")
    first = api.admin.get("/api/v1/admin/users", params={"q": "u-", "limit": 2}).json()
    assert (first["total"], first["limit"], first["offset"]) == (3, 2, 0)
    assert [u["username"] for u in first["items"]] == ["u-a", "u-b"]
    second = api.admin.get("/api/v1/admin/users", params={"q": "u-", "limit": 2, "offset": 2})
    assert [u["username"] for u in second.json()["items"]] == ["u-c"]
    everyone = api.admin.get("/api/v1/admin/users").json()
    assert everyone["total"] == len(everyone["items"]) >= 5  # with admin and archivist


def test_the_search_matches_display_names_and_takes_wildcards_literally(api: Api) -> None:
    add_user(api.admin, "li_ming", api.department, "internal", display_name="李明")
    add_user(api.admin, "liaming", api.department, "internal", display_name="廖明")
    by_name = api.admin.get("/api/v1/admin/users", params={"q": "李"}).json()["items"]
    assert [u["username"] for u in by_name] == ["li_ming"]
    literal = api.admin.get("/api/v1/admin/users", params={"q": "li_"}).json()["items"]
    assert [u["username"] for u in literal] == ["li_ming"]
    assert api.admin.get("/api/v1/admin/users", params={"q": "%"}).json()["total"] == 0


def test_one_user_is_read_by_id_and_only_by_administrators(api: Api) -> None:
    user = add_user(api.admin, "one", api.department, "confidential", display_name="一")
    read = api.admin.get(f"/api/v1/admin/users/{user}")
    assert (read.status_code, read.json()["display_name"]) == (200, "一")
    assert read.json()["clearance"] == "confidential"
    assert api.admin.get(f"/api/v1/admin/users/{api.department}").status_code == 404
    assert api.client.get(f"/api/v1/admin/users/{user}").status_code == 403
    assert api.client.get("/api/v1/admin/users").status_code == 403


def test_an_administrators_mistakes_carry_their_reason(api: Api) -> None:
    def reason(response: object) -> tuple[int, str | None]:
        body = response.json()  # type: ignore[attr-defined]
        return response.status_code, body.get("reason")  # type: ignore[attr-defined]

    taken = api.admin.post(
        "/api/v1/admin/users",
        json={"username": "archivist", "display_name": "x", "password": "a long passphrase"},
    )
    assert reason(taken) == (409, "username_taken")
    department = {"code": "dup", "name": "重复部"}
    assert api.admin.post("/api/v1/admin/departments", json=department).status_code == 201
    again = api.admin.post("/api/v1/admin/departments", json=department)
    assert reason(again) == (409, "department_taken")
    user = add_user(api.admin, "leaver", api.department, "internal", "sales")
    departed = api.admin.patch(f"/api/v1/admin/users/{user}", json={"status": "departed"})
    assert reason(departed) == (409, "departure_needs_handover")
    api.customer()  # kept by the archivist, who therefore stays active
    users = api.admin.get("/api/v1/admin/users", params={"q": "archivist"}).json()["items"]
    keeper = api.admin.patch(f"/api/v1/admin/users/{users[0]['id']}", json={"status": "disabled"})
    assert reason(keeper) == (409, "custodian_not_disabled")
    rule = {"subject": "sales", "object": "customer", "action": "fly", "effect": "allow"}
    assert reason(api.admin.post("/api/v1/admin/policies", json=rule)) == (422, "unknown_action")
    nowhere = {"user_id": user, "role": "sales", "department_id": user}
    assert reason(api.admin.post("/api/v1/admin/roles", json=nowhere)) == (
        422,
        "no_such_department",
    )
