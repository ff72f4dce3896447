"""Upkeep deadlines on a fixed clock: raised once by the daily round to the custodian and the
department head, e-mailed through a real SMTP server, escalated weekly while overdue, resolved
when the file is brought up to date, and seen only by who may see the customer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient

from archive_api.postman import Postman
from tests.archive_api.conftest import Api, Cast
from tests.factories import fake_file
from tests.servers import free_port

NAME = "贵州到期测试有限公司"  # must never leave the archive by e-mail
START = datetime(2026, 6, 14, 23, 45, tzinfo=UTC)  # 15 June 2026 in Beijing


def _on(api: Api, days: int) -> None:
    moment = START + timedelta(days=days)
    api.backends.clock = lambda: moment


@pytest.fixture
def inbox(api: Api) -> Iterator[list[Message]]:
    """A real SMTP server on loopback the archive sends through; what it received."""
    received: list[Message] = []

    class Handler:
        async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
            received.append(message_from_bytes(envelope.content))
            return "250 OK"

    port = free_port()
    smtp = Controller(Handler(), hostname="127.0.0.1", port=port)
    smtp.start()
    api.backends.settings.smtp_host, api.backends.settings.smtp_port = "127.0.0.1", port
    try:
        yield received
    finally:
        smtp.stop()


def _mail(api: Api, cast: Cast) -> None:
    for name, address in (("head", "head@example.cn"), ("archivist", "keeper@example.cn")):
        user = cast.ids.get(name) or _id(api.client)
        response = api.admin.patch(f"/api/v1/admin/users/{user}", json={"email": address})
        assert response.status_code == 200, response.text


def _id(client: TestClient) -> str:
    return str(client.get("/api/v1/auth/me").json()["id"])


def _notices(client: TestClient) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = client.get("/api/v1/notifications").json()
    return [n for n in found if n["kind"].startswith("deadline_")]


def _text(mail: Message) -> str:
    payload = mail.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return f"{mail['Subject']}\n{payload.decode()}"


def test_a_license_expiring_in_20_days_is_raised_once_mailed_once_and_escalated_weekly(
    api: Api, cast: Cast, inbox: list[Message]
) -> None:
    _on(api, 0)
    _mail(api, cast)
    customer = api.customer(NAME)
    api.upload(customer, fake_file("pdf", 2000), issued_on="2016-07-06", expires_on="2026-07-05")
    postman = Postman(api.backends)

    assert postman.keep_deadlines() == 1
    assert postman.run_once() == (0, 2)
    for client in (api.client, cast["head"]):
        [notice] = _notices(client)
        assert notice["kind"] == "deadline_raised"
        assert "2026-07-05" in notice["subject"]
        assert notice["deadline_id"]
    assert _notices(cast["seller"]) == []  # neither custodian nor head
    assert sorted(m["To"] for m in inbox) == ["head@example.cn", "keeper@example.cn"]
    for mail in inbox:
        # E-mail leaves the archive: the kind and the day, never the customer.
        assert "2026-07-05" in _text(mail)
        assert NAME not in _text(mail) and "到期测试" not in _text(mail)

    # The round again, the same day or the next: nothing new raised, nothing mailed again.
    assert postman.keep_deadlines() == 0
    _on(api, 1)
    assert postman.keep_deadlines() == 0
    assert postman.run_once() == (0, 0)
    assert len(_notices(api.client)) == 1 and len(inbox) == 2

    # Overdue from 6 July: announced again, then only once a week while unresolved.
    _on(api, 21)
    assert postman.keep_deadlines() == 1
    assert postman.run_once() == (0, 2)
    _on(api, 27)
    assert postman.keep_deadlines() == 0
    _on(api, 28)
    assert postman.keep_deadlines() == 1
    assert postman.run_once() == (0, 2)
    kinds = [n["kind"] for n in _notices(cast["head"])]
    assert kinds == ["deadline_overdue", "deadline_overdue", "deadline_raised"]
    assert all(NAME not in _text(m) for m in inbox)

    # A new license filed resolves it: no more escalation.
    api.upload(customer, fake_file("pdf", 2000), issued_on="2026-07-10", expires_on="2046-07-09")
    _on(api, 35)
    assert postman.keep_deadlines() == 0
    _on(api, 42)
    assert postman.keep_deadlines() == 0
    assert len(_notices(api.client)) == 3
