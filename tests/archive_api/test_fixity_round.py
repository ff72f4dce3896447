"""The embedded default's daily fixity check (on PostgreSQL it is a task of the workers): it runs
once a day, in the configured hour, and says when a stored object is damaged."""

from __future__ import annotations

import io
import logging
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from archive_api.background import FixityRound
from storage.db import unit_of_work
from storage.models import DocumentVersion
from tests.archive_api.conftest import Api
from tests.factories import fake_file

DAMAGE = "fixity: problems found"


def _damage(api: Api, document_id: str) -> None:
    """Flip one byte of the document's stored object."""
    with unit_of_work(api.backends.sessions) as session:
        key = session.scalars(
            select(DocumentVersion.object_key).where(
                DocumentVersion.document_id == uuid.UUID(document_id)
            )
        ).one()
    stored = bytearray(b"".join(api.backends.store.get(key)))
    stored[-100] ^= 0x01
    api.backends.store.put(key, io.BytesIO(bytes(stored)))


# With a server database the same check (`queue.run_fixity_check`) is a periodic task of the
# job queue; this round is the embedded default's.
@pytest.mark.parametrize("settings", ["embedded"], indirect=True)
def test_the_daily_check_runs_once_in_its_hour_and_reports_damage(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    backends = api.backends
    backends.settings = backends.settings.model_copy(update={"fixity_check_hour": 3})
    _damage(api, str(api.upload(api.customer(), fake_file("pdf", 5000))["id"]))
    check = FixityRound(backends)

    def at(when: datetime) -> int:
        backends.clock = lambda: when
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="archive_api.background"):
            check.round()
        return sum(DAMAGE in message for message in caplog.messages)

    assert at(datetime(2026, 12, 1, 2, 59, tzinfo=UTC)) == 0  # not its hour
    assert at(datetime(2026, 12, 1, 3, 5, tzinfo=UTC)) == 1
    assert at(datetime(2026, 12, 1, 3, 55, tzinfo=UTC)) == 0  # done for the day
    assert at(datetime(2026, 12, 2, 3, 0, tzinfo=UTC)) == 1  # the next day's
