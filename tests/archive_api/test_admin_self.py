"""Administrators do not change their own powers, and never come to read document content."""

from __future__ import annotations

import httpx
from fastapi.testclient import TestClient

from tests.archive_api.conftest import USER_PASSWORD, Api, add_user, sign_in
from tests.factories import fake_file


def _second_admin(api: Api) -> TestClient:
    add_user(api.admin, "admin2", None, "internal", "admin", company_wide=True)
    other = TestClient(api.client.app)
    sign_in(other, "admin2", USER_PASSWORD)
    return other


def _admin_id(api: Api) -> str:
    users = api.admin.get("/api/v1/admin/users").json()["items"]
    return str(next(u["id"] for u in users if u["username"] == "admin"))


def _refused(response: httpx.Response, code: str) -> None:
    assert (response.status_code, response.json()["error"]) == (403, code), response.text


def _denials(api: Api) -> list[tuple[str, str]]:
    add_user(api.admin, "shen-ji", None, "internal", "auditor", company_wide=True)
    auditor = TestClient(api.client.app)
    sign_in(auditor, "shen-ji", USER_PASSWORD)
    events = auditor.get("/api/v1/audit/events", params={"limit": 1000}).json()["items"]
    return [
        (e["event"]["action"], e["event"]["decision"]["rule"])
        for e in events
        if e["event"]["outcome"] == "denied" and (e["event"]["actor"] or {}).get("username")
    ]


def test_the_admin_cannot_make_itself_a_reader_of_content(api: Api) -> None:
    customer = api.customer()
    document = api.upload(customer, fake_file("pdf", 3000))
    content = f"/api/v1/documents/{document['id']}/content"
    me = _admin_id(api)

    grant = {"user_id": me, "role": "archivist", "department_id": api.department}
    _refused(api.admin.post("/api/v1/admin/roles", json=grant), "own_powers")
    for change in (
        {"clearance": "secret"},
        {"status": "disabled"},
        {"department_id": api.department},
    ):
        _refused(api.admin.patch(f"/api/v1/admin/users/{me}", json=change), "own_powers")
    for subject in (me, "admin"):
        rule = {"subject": subject, "object": "document", "action": "read_content"}
        _refused(
            api.admin.post("/api/v1/admin/policies", json={**rule, "effect": "allow"}),
            "own_powers",
        )
    assert api.admin.get(content).status_code in (403, 404)

    # Another administrator may change this one, but still not into a reader of content.
    other = _second_admin(api)
    _refused(other.post("/api/v1/admin/roles", json=grant), "admin_reads_no_content")
    raised = other.patch(f"/api/v1/admin/users/{me}", json={"clearance": "secret"})
    assert raised.status_code == 200
    rule = {"subject": me, "object": "borrowing", "action": "request", "effect": "allow"}
    _refused(other.post("/api/v1/admin/policies", json=rule), "admin_reads_no_content")
    assert api.admin.get(content).status_code in (403, 404)

    # Name, e-mail and password remain one's own to change.
    renamed = api.admin.patch(f"/api/v1/admin/users/{me}", json={"display_name": "管理员"})
    assert renamed.status_code == 200

    denials = _denials(api)
    assert ("admin:role:grant", "own roles") in denials
    assert ("admin:user:update", "own clearance") in denials
    assert ("admin:policy:add", "own rules") in denials
    assert ("admin:policy:add", "own role admin") in denials
    assert any(a == "admin:role:grant" and "administrators" in r for a, r in denials)


def test_rules_about_oneself_are_kept_and_removed_by_another_admin(api: Api) -> None:
    me = _admin_id(api)
    other = _second_admin(api)
    deny = {"subject": me, "object": "audit", "action": "read", "effect": "deny"}
    made = other.post("/api/v1/admin/policies", json=deny)
    assert made.status_code == 201, made.text
    _refused(api.admin.delete(f"/api/v1/admin/policies/{made.json()['id']}"), "own_powers")
    # Nor does an administrator take away its own role.
    own_role = next(
        r["id"] for r in api.admin.get("/api/v1/admin/roles", params={"user_id": me}).json()
    )
    _refused(api.admin.delete(f"/api/v1/admin/roles/{own_role}"), "own_powers")
    assert other.delete(f"/api/v1/admin/policies/{made.json()['id']}").status_code == 204


def test_nobody_is_both_administrator_and_a_reader_of_content(api: Api) -> None:
    users = {u["username"]: u["id"] for u in api.admin.get("/api/v1/admin/users").json()["items"]}
    promote = {"user_id": users["archivist"], "role": "admin"}
    _refused(api.admin.post("/api/v1/admin/roles", json=promote), "admin_reads_no_content")

    # A role that an extra rule lets borrow reads content too, in whichever order they come.
    _second_admin(api)
    admin2 = str(
        next(
            u["id"]
            for u in api.admin.get("/api/v1/admin/users").json()["items"]
            if u["username"] == "admin2"
        )
    )
    audits = {"user_id": admin2, "role": "auditor"}
    held = api.admin.post("/api/v1/admin/roles", json=audits)
    assert held.status_code == 201
    borrow = {"subject": "auditor", "object": "borrowing", "action": "request", "effect": "allow"}
    _refused(api.admin.post("/api/v1/admin/policies", json=borrow), "admin_reads_no_content")
    assert api.admin.delete(f"/api/v1/admin/roles/{held.json()['id']}").status_code == 204
    assert api.admin.post("/api/v1/admin/policies", json=borrow).status_code == 201
    _refused(api.admin.post("/api/v1/admin/roles", json=audits), "admin_reads_no_content")
