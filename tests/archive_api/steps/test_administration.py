"""The administrator's steps (access.administration), called directly, as the CLI would."""

from __future__ import annotations

from typing import Any

import pytest

from access import administration
from access.errors import Forbidden
from access.schemas import DepartmentCreate, RoleGrant, UserCreate, UserUpdate
from storage.auditnames import Action
from storage.errors import Conflict
from tests.archive_api.conftest import USER_PASSWORD, Api
from tests.archive_api.steps.conftest import acting


def test_each_step_checks_the_caller_administers_and_records_once(
    api: Api, events: list[dict[str, Any]]
) -> None:
    events.clear()
    department = DepartmentCreate(code="risk", name="风险管理部")
    with pytest.raises(Forbidden), acting(api, "archivist") as (session, policy, actor):
        administration.create_department(session, actor, policy, department)
    assert events == []

    with acting(api, "admin") as (session, policy, actor):
        made = administration.create_department(session, actor, policy, department)
        person = UserCreate(
            username="risk1", display_name="赵六", password=USER_PASSWORD, department_id=made.id
        )
        user = administration.create_user(session, actor, policy, person)
        grant = RoleGrant(user_id=user.id, role="archivist", department_id=made.id)
        granted = administration.grant_role(session, actor, policy, grant)
        change = UserUpdate(display_name="赵六六")
        administration.update_user(session, actor, policy, user.id, change)
        administration.revoke_role(session, actor, policy, granted.id)
    assert [e["action"] for e in events] == [
        Action.DEPARTMENT_CREATE,
        Action.USER_CREATE,
        Action.ROLE_GRANT,
        Action.USER_UPDATE,
        Action.ROLE_REVOKE,
    ]
    assert {e["decision"]["effect"] for e in events} == {"allow"}
    assert all(e["decision"]["rule"] for e in events)
    assert events[3]["changed"] == ["display_name"]  # what changed, never a value
    events.clear()
    with pytest.raises(Conflict), acting(api, "admin") as (session, policy, actor):
        administration.create_department(session, actor, policy, department)  # taken
    assert events == []
