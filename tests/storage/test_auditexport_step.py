"""The auditors' export step (storage.auditexport.export_bundle), called directly."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from storage import audit_verify, auditlog
from storage.auditevent import Actor, record
from storage.auditexport import ExportFilter, export_bundle
from storage.auditnames import Action
from storage.crypto import load_signing_key
from storage.errors import InvalidWindow
from storage.models import AuditEvent, AuditPending

AUDITOR = Actor(id=str(uuid.uuid4()), username="auditor", roles=("auditor@*",))
RULE = {"effect": "allow", "rule": "auditor may export"}


def _events(engine: Engine) -> list[dict[str, object]]:
    """Every event recorded, chained or still waiting, in order."""
    with Session(engine) as session:
        chained = session.scalars(sa.select(AuditEvent.body).order_by(AuditEvent.position))
        waiting = session.scalars(sa.select(AuditPending.body).order_by(AuditPending.id))
        return [json.loads(body) for body in [*chained, *waiting]]


def test_an_export_records_itself_first_and_its_bundle_holds_that_event(
    engine: Engine, tmp_path: Path
) -> None:
    ours, other = uuid.uuid4(), uuid.uuid4()
    with Session(engine) as session:
        for customer in (ours, other):
            record(
                session,
                Actor.local("test"),
                Action.CONTENT_READ,
                "success",
                {"customer": str(customer)},
            )
        session.commit()
    key = load_signing_key(tmp_path / "audit.pem")
    # A window without a zone is UTC, as the command line takes it.
    now = datetime.now(UTC).replace(tzinfo=None)
    wanted = ExportFilter(now - timedelta(hours=1), now + timedelta(hours=1), customer_id=ours)
    out = io.BytesIO()
    summary = export_bundle(sessionmaker(engine), AUDITOR, key, wanted, out, UTC, RULE)
    exported = [e for e in _events(engine) if e["action"] == Action.AUDIT_EXPORT]
    assert len(exported) == 1
    assert exported[0]["target"] == {"customer": str(ours)}
    assert exported[0]["decision"] == RULE
    assert exported[0]["filter"] == {
        "since": auditlog.timestamp(wanted.since), "until": auditlog.timestamp(wanted.until)
    }  # fmt: skip
    assert exported[0]["actor"]["username"] == "auditor"  # type: ignore[index]
    # The bundle reaches the present: the read of our customer and the export, not the other.
    assert (summary.size, summary.shown) == (3, 2)
    with zipfile.ZipFile(out) as opened:
        shown = [
            json.loads(line)
            for line in opened.read("events.jsonl").splitlines()
            if not line.startswith(b'{"leaf"')
        ]
    assert [e["action"] for e in shown] == [Action.CONTENT_READ, Action.AUDIT_EXPORT]
    path = tmp_path / "bundle.zip"
    path.write_bytes(out.getvalue())
    assert audit_verify.main([str(path)]) == 0


@pytest.mark.parametrize("hours", [0, -1])
def test_a_window_that_does_not_end_after_it_starts_is_refused_and_nothing_recorded(
    engine: Engine, tmp_path: Path, hours: int
) -> None:
    key = load_signing_key(tmp_path / "audit.pem")
    since = datetime.now(UTC)
    wanted = ExportFilter(since, since + timedelta(hours=hours))
    out = io.BytesIO()
    with pytest.raises(InvalidWindow, match="until") as refused:
        export_bundle(sessionmaker(engine), AUDITOR, key, wanted, out, UTC, RULE)
    assert refused.value.status == 422
    assert _events(engine) == []
    assert out.getvalue() == b""
