"""The signed-in user's own steps (access.signing), called directly."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from access import signing
from access.errors import Forbidden, Unauthenticated
from access.identity import user_for_token
from storage.auditnames import Action
from storage.models import Language, LoginFailure
from tests.archive_api.conftest import USER_PASSWORD, Api
from tests.archive_api.steps.conftest import acting

CLIENT: dict[str, str | None] = {"address": "192.0.2.7", "request_id": "r1"}
DEVICE = ("192.0.2.7", "pytest")


def test_a_sign_in_is_recorded_as_the_user_and_a_failure_counted_and_named(
    api: Api, events: list[dict[str, Any]]
) -> None:
    backends = api.backends
    events.clear()
    wrong = ("archivist", "not the password at all")
    with acting(api, "archivist") as (session, _, _):
        with pytest.raises(Unauthenticated) as refused:
            signing.sign_in(session, CLIENT, backends.sessions, backends.settings, wrong, DEVICE)
        assert refused.value.target == {"username": "archivist"}
        assert session.scalar(select(func.count()).select_from(LoginFailure)) == 1
    assert events == []
    right = ("archivist", USER_PASSWORD)
    with acting(api, "archivist") as (session, _, _):
        user, token = signing.sign_in(
            session, CLIENT, backends.sessions, backends.settings, right, DEVICE
        )
        assert user_for_token(session, token).id == user.id
    [login] = events
    assert login["action"] == Action.LOGIN
    assert (login["actor"]["username"], login["client"]) == ("archivist", CLIENT)


def test_own_account_steps_record_once_each_and_a_wrong_password_changes_nothing(
    api: Api, events: list[dict[str, Any]]
) -> None:
    backends = api.backends
    counting = (backends.sessions, backends.settings, "192.0.2.7")
    events.clear()
    with acting(api, "archivist") as (session, policy, actor):
        me = policy.user
        token, row = signing.create_token(session, actor, me, "scanner", 30, DEVICE)
        signing.choose_language(session, actor, me, Language.en)
        signing.revoke_own_token(session, actor, me, row.id)
        other, _ = signing.create_token(session, actor, me, "backup", 30, DEVICE)
    assert [e["action"] for e in events] == [
        Action.TOKEN_CREATE,
        Action.ME_UPDATE,
        Action.TOKEN_REVOKE,
        Action.TOKEN_CREATE,
    ]
    events.clear()
    wrong = ("not the password at all", "a brand new long passphrase")
    with acting(api, "archivist") as (session, policy, actor):
        with pytest.raises(Forbidden):
            signing.change_password(session, actor, policy.user, wrong, "", counting)
        assert user_for_token(session, other).username == "archivist"
    assert events == []
    right = (USER_PASSWORD, "a brand new long passphrase")
    with acting(api, "archivist") as (session, policy, actor):
        signing.change_password(session, actor, policy.user, right, "", counting)
    assert [e["action"] for e in events] == [Action.PASSWORD_CHANGE]
    with acting(api, "archivist") as (session, _, _):
        with pytest.raises(Unauthenticated):
            user_for_token(session, token)  # revoked
        with pytest.raises(Unauthenticated):
            user_for_token(session, other)  # ended by the new password
