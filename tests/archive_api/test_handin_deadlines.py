"""Documents handed to the archive within three working days of their upload (003 篇7), counted
on the working-day calendar: one not filed in time is a deadline past due, raised by the daily
round, resolved when the archive files it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import update

from archive_api.postman import Postman
from storage.db import unit_of_work
from storage.models import Document
from tests.archive_api.conftest import Api, Cast
from tests.factories import fake_file

UPLOADED = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)  # Wednesday 30 September in Beijing


def _on(api: Api, month: int, day: int) -> None:
    moment = datetime(2026, month, day, 4, 0, tzinfo=UTC)
    api.backends.clock = lambda: moment


def test_a_document_not_filed_three_working_days_after_the_national_day_is_late(
    api: Api, cast: Cast
) -> None:
    customer = api.customer()
    uploaded = cast["seller"].post(
        f"/api/v1/customers/{customer}/documents",
        data={"doc_type": "correspondence", "title": "往来函件"},
        files={"file": ("letter.pdf", fake_file("pdf", 2000), "application/pdf")},
    )
    assert uploaded.status_code == 201, uploaded.text
    document = uploaded.json()["id"]
    with unit_of_work(api.backends.sessions) as session:  # handed in on 30 September
        session.execute(
            update(Document).where(Document.id == uuid.UUID(document)).values(created_at=UPLOADED)
        )
    postman = Postman(api.backends)
    # Due on Saturday 10 October, the day worked after the holiday: not late that day.
    _on(api, 10, 10)
    assert postman.keep_deadlines() == 0
    _on(api, 10, 11)
    assert postman.keep_deadlines() == 1
    [late] = api.client.get(f"/api/v1/customers/{customer}/deadlines").json()
    assert (late["kind"], late["due_on"], late["overdue"]) == (
        "document_handin",
        "2026-10-10",
        True,
    )
    assert late["document_id"] == document
    heard = [n["kind"] for n in cast["head"].get("/api/v1/notifications").json()]
    assert heard == ["deadline_raised"]
    # The archive files it: resolved at the next round.
    assert api.client.post(f"/api/v1/documents/{document}/file").status_code == 200
    _on(api, 10, 12)
    postman.keep_deadlines()
    assert api.client.get(f"/api/v1/customers/{customer}/deadlines").json() == []
