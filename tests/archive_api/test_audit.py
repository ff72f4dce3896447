"""The audit log as auditors use it: every step recorded, reads fail closed, exports verify."""

from __future__ import annotations

import io
import json
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, insert, select, text

from archive_api.backends import Backends
from archive_api.sequencer import Sequencer
from storage import audit_verify, auditlog
from storage.auditexport import ExportFilter, export
from storage.db import unit_of_work
from storage.models import AuditEvent, AuditPending
from tests.archive_api.conftest import (
    ADMIN_PASSWORD,
    USER_PASSWORD,
    Api,
    Cast,
    add_user,
    sign_in,
)
from tests.factories import MARKER, fake_file


def _auditor(api: Api) -> TestClient:
    add_user(api.admin, "shen-ji", None, "internal", "auditor", company_wide=True)
    auditor = TestClient(api.client.app)
    sign_in(auditor, "shen-ji", USER_PASSWORD)
    return auditor


def _events(auditor: TestClient, **filters: str) -> list[dict[str, object]]:
    response = auditor.get("/api/v1/audit/events", params={"limit": 1000, **filters})
    assert response.status_code == 200, response.text
    return [item["event"] for item in response.json()["items"]]


def test_a_day_of_use_is_in_the_log(api: Api) -> None:
    customer = api.customer()
    document = api.upload(customer, fake_file("pdf", 5000) + MARKER)
    read = api.client.get(f"/api/v1/documents/{document['id']}/content")
    assert read.status_code == 200
    other = api.admin.post("/api/v1/admin/departments", json={"code": "b", "name": "B"}).json()[
        "id"
    ]
    add_user(api.admin, "other-dept", other, "secret", "sales")
    outsider = TestClient(api.client.app)
    sign_in(outsider, "other-dept", USER_PASSWORD)
    assert outsider.get(f"/api/v1/documents/{document['id']}/content").status_code == 404
    auditor = _auditor(api)

    events = _events(auditor)
    actions = [(e["action"], e["outcome"]) for e in events]
    for step in [
        ("admin:department:create", "success"),
        ("admin:user:create", "success"),
        ("admin:role:grant", "success"),
        ("customer:file:create", "success"),
        ("document:file:upload", "success"),
        ("document:content:read", "success"),
        ("document:content:read", "denied"),
    ]:
        assert step in actions, step
    reading = next(e for e in events if e["action"] == "document:content:read")
    assert reading["actor"]["username"] == "archivist"  # type: ignore[index]
    assert reading["actor"]["roles"] == [f"archivist@dept:{api.department}"]  # type: ignore[index]
    assert reading["actor"]["clearance"] == "secret"  # type: ignore[index]
    assert reading["target"]["document"] == document["id"]  # type: ignore[index]
    assert reading["decision"]["effect"] == "allow"  # type: ignore[index]
    assert "archivist" in reading["decision"]["rule"]  # type: ignore[index]
    assert reading["client"]["request_id"] == read.headers["X-Request-ID"]  # type: ignore[index]
    refused = next(e for e in events if e["outcome"] == "denied")
    assert refused["actor"]["username"] == "other-dept"  # type: ignore[index]
    assert refused["decision"]["effect"] == "deny"  # type: ignore[index]
    # The refusal names the customer, so an auditor asking about that customer's file sees who
    # tried it and was refused (the outsider was told nothing).
    tried = _events(auditor, customer_id=customer, outcome="denied")
    assert [(e["action"], e["actor"]["username"]) for e in tried] == [  # type: ignore[index]
        ("document:content:read", "other-dept")
    ]
    # Filters narrow the list; no document content, password or token is in any event.
    mine = _events(auditor, document_id=str(document["id"]), outcome="success")
    assert {e["action"] for e in mine} == {"document:file:upload", "document:content:read"}
    everything = json.dumps(events, ensure_ascii=False)
    for secret in (MARKER.decode(), USER_PASSWORD, ADMIN_PASSWORD, "dgn_"):
        assert secret not in everything


def test_an_auditor_reads_the_export_without_a_lookup_table(api: Api, tmp_path: Path) -> None:
    customer = api.customer("贵州名称测试有限公司")
    document = api.upload(customer, fake_file("pdf", 5000), title="二〇二五年购销合同")
    read = api.client.get(f"/api/v1/documents/{document['id']}/content")
    assert read.status_code == 200
    now = datetime.now(UTC)
    window = {"since": (now - timedelta(hours=1)).isoformat(), "until": now.isoformat()}
    bundle = _auditor(api).post("/api/v1/audit/exports", json=window).content
    with zipfile.ZipFile(io.BytesIO(bundle)) as opened:
        book = load_workbook(io.BytesIO(opened.read("events.xlsx")))
    sheet = book["events"]
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("A2", "A1:W1")
    rows = list(sheet.iter_rows(values_only=True))
    column = {str(heading).split(" (")[0]: n for n, heading in enumerate(rows[0])}
    assert "公司时间 company time" in column  # its heading names the zone
    reading = next(r for r in rows if r[column["操作 action"]] == "document:content:read")
    names = ("姓名 name", "部门 department", "客户名称 customer name", "文件标题 document title")
    named = {heading: reading[column[heading]] for heading in names}
    assert named == {
        "姓名 name": "archivist",
        "部门 department": "销售一部 Sales A",
        "客户名称 customer name": "贵州名称测试有限公司",
        "文件标题 document title": "二〇二五年购销合同",
    }
    at, local = reading[column["时间 at"]], reading[column["公司时间 company time"]]
    assert isinstance(reading[column["序号 position"]], int)
    assert isinstance(at, datetime)
    assert isinstance(local, datetime)
    assert local - at == timedelta(hours=8)  # Asia/Shanghai, as typed date cells


def test_every_read_of_a_customer_file_is_in_the_log(api: Api) -> None:
    customer = api.customer()
    document = api.upload(customer, fake_file("pdf", 5000), title="担保函")
    assert api.client.get(f"/api/v1/customers/{customer}").status_code == 200
    listed = api.client.get("/api/v1/documents", params={"customer_id": customer, "q": "担保"})
    assert listed.json()["total"] == 1
    assert api.client.get(f"/api/v1/documents/{document['id']}").status_code == 200
    auditor = _auditor(api)
    seen = _events(auditor, customer_id=customer)
    reads = {e["action"]: e for e in seen if e["action"] != "document:file:upload"}
    assert set(reads) == {
        "customer:file:create", "customer:file:read", "document:metadata:search",
        "document:metadata:read",
    }  # fmt: skip
    search = reads["document:metadata:search"]
    # The filter and the count, never the rows.
    assert search["filter"] == {"q": "担保", "limit": "50", "offset": "0"}
    assert search["results"] == 1
    assert str(document["id"]) not in json.dumps(search)
    # And the auditor's own reading of the log is in it.
    assert any(e["action"] == "audit:events:read" for e in _events(auditor))


def test_reads_of_a_customers_credit_are_in_the_log(api: Api) -> None:
    customer = api.customer()
    credit = Cast(api).add("credit", "credit_manager")
    for path in ("credit-profile", "statements", "extractions", "ratings"):
        assert credit.get(f"/api/v1/customers/{customer}/{path}").status_code == 200, path
    order = {"order_amount": "1", "outstanding": "0"}
    checked = credit.post(f"/api/v1/customers/{customer}/order-checks", json=order)
    assert checked.status_code == 200, checked.text
    seen = _events(_auditor(api), customer_id=customer, actor_id=_me(credit))
    assert sorted(str(e["action"]) for e in seen) == [
        "credit:extraction:search", "credit:order:check", "credit:profile:read",
        "credit:rating:search", "credit:statement:search",
    ]  # fmt: skip


def _me(client: TestClient) -> str:
    return str(client.get("/api/v1/auth/me").json()["id"])


def test_sign_ins_are_recorded_without_passwords(api: Api) -> None:
    wrong = api.client.post(
        "/api/v1/auth/token", data={"username": "archivist", "password": "not-the-password"}
    )
    assert wrong.status_code == 401
    events = _events(_auditor(api), action="auth:login:password")
    outcomes = [(e["outcome"], e["target"]) for e in events]
    assert ("denied", {"username": "archivist"}) in outcomes
    assert sum(1 for outcome, _ in outcomes if outcome == "success") >= 2  # admin, archivist
    assert "not-the-password" not in json.dumps(events)


def test_auditors_read_events_and_others_do_not(api: Api) -> None:
    assert api.client.get("/api/v1/audit/events").status_code == 403
    assert api.admin.get("/api/v1/audit/events").status_code == 403
    assert _auditor(api).get("/api/v1/audit/events").status_code == 200


def test_an_exported_bundle_verifies_and_holds_its_own_export(api: Api, tmp_path: Path) -> None:
    customer = api.customer()
    api.upload(customer, fake_file("pdf", 3000))
    auditor = _auditor(api)
    now = datetime.now(UTC)
    window = {
        "since": (now - timedelta(hours=1)).isoformat(),
        "until": (now + timedelta(hours=1)).isoformat(),
    }
    response = auditor.post("/api/v1/audit/exports", json={**window, "customer_id": customer})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert "X-Index-Disagreements" not in response.headers
    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(response.content)
    assert audit_verify.main([str(bundle)]) == 0
    with zipfile.ZipFile(io.BytesIO(response.content)) as opened:
        lines = opened.read("events.jsonl").splitlines()
    shown = [json.loads(line) for line in lines if not line.startswith(b'{"leaf"')]
    assert {e["target"].get("customer") for e in shown} == {customer}
    # The export itself is an event of the log, and of this customer's history: shown in full.
    assert shown[-1]["action"] == "audit:bundle:export"
    assert shown[-1]["decision"]["effect"] == "allow"
    listed = _events(auditor, action="audit:bundle:export")
    assert len(listed) == 1


def test_an_export_window_without_a_zone_is_utc_and_a_reversed_one_is_refused(api: Api) -> None:
    auditor = _auditor(api)
    plain = {"since": "2020-01-01T00:00:00", "until": "2100-01-01T00:00:00"}
    exported = auditor.post("/api/v1/audit/exports", json=plain)
    assert exported.status_code == 200, exported.text
    reversed_window = {"since": plain["until"], "until": plain["since"]}
    refused = auditor.post("/api/v1/audit/exports", json=reversed_window)
    assert refused.status_code == 422
    assert refused.json() == {"error": "invalid_field", "detail": "until: not after since"}
    assert len(_events(auditor, action="audit:bundle:export")) == 1


def test_a_read_whose_event_cannot_be_written_serves_nothing(api: Api) -> None:
    document = api.upload(api.customer(), fake_file("pdf", 4000) + MARKER)
    with api.backends.engine.begin() as connection:
        connection.execute(text("ALTER TABLE audit_pending RENAME TO audit_pending_away"))
    reader = TestClient(api.client.app, raise_server_exceptions=False)
    reader.headers["Authorization"] = api.client.headers["Authorization"]
    try:
        response = reader.get(f"/api/v1/documents/{document['id']}/content")
    finally:
        with api.backends.engine.begin() as connection:
            connection.execute(text("ALTER TABLE audit_pending_away RENAME TO audit_pending"))
    assert response.status_code >= 500
    assert MARKER not in response.content


def test_the_sequencer_survives_a_round_that_fails_unexpectedly(
    backends: Backends, monkeypatch: pytest.MonkeyPatch
) -> None:
    real, calls = auditlog.keep_up, []

    def failing_once(*args: Any) -> int:
        calls.append(args)
        if len(calls) == 1:
            raise RuntimeError("a bug in a round")
        return real(*args)

    monkeypatch.setattr(auditlog, "keep_up", failing_once)
    sequencer = Sequencer(backends)
    sequencer.start()
    try:
        with unit_of_work(backends.sessions) as session:
            auditlog.append(session, {"action": "test:event:write", "outcome": "success"})
        deadline = time.monotonic() + 20
        while _chained(backends) == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        # Chained by a later round of the same thread (stopping runs one more round itself).
        assert _chained(backends) == 1
    finally:
        sequencer.stop()
    assert len(calls) >= 2


def _chained(backends: Backends) -> int:
    with backends.sessions() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_a_hostile_pending_event_is_quarantined_and_auditors_see_it(api: Api) -> None:
    auditor = _auditor(api)
    hostile = auditlog.canonical(
        {"action": "customer:file:read", "outcome": "denied", "at": "2026-11-28T10:00:00.000000Z",
         "target": {"customer": "not-a-uuid"}}
    )  # fmt: skip
    with api.backends.engine.begin() as connection:
        connection.execute(insert(AuditPending), [{"body": hostile}, {"body": b"\xff not json"}])
    later = api.client.post("/api/v1/auth/token", data={"username": "x", "password": "y"})
    assert later.status_code == 401  # an event after them
    response = auditor.get("/api/v1/audit/quarantine")
    assert response.status_code == 200, response.text
    listed = response.json()
    assert listed["total"] == 2
    assert [item["reason"] for item in listed["items"]] == [
        "target.customer is not a UUID",
        "not JSON",
    ]
    positions = [item["position"] for item in listed["items"]]
    events = auditor.get("/api/v1/audit/events", params={"limit": 1000}).json()["items"]
    by_position = {item["position"]: item for item in events}
    assert by_position[positions[0]]["event"]["target"] == {"customer": "not-a-uuid"}
    assert by_position[positions[1]]["event"] is None
    assert by_position[positions[1]]["quarantined"] == "not JSON"
    # The chain went on past them: the refused sign-in, then the auditor's own reading.
    assert [item["event"]["action"] for item in events[-2:]] == [
        "auth:login:password", "audit:quarantine:read",
    ]  # fmt: skip
    assert max(by_position) > max(positions)
    assert api.client.get("/api/v1/audit/quarantine").status_code == 403


def test_a_listing_refuses_events_whose_columns_were_edited(api: Api) -> None:
    auditor = _auditor(api)
    first = auditor.get("/api/v1/audit/events", params={"limit": 1}).json()["items"][0]
    with api.backends.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.execute(text("DROP TRIGGER audit_event_no_update"))
        else:
            connection.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
        connection.execute(
            text("UPDATE audit_event SET outcome = 'denied' WHERE position = :position"),
            {"position": first["position"]},
        )
    response = auditor.get("/api/v1/audit/events", params={"outcome": "denied"})
    assert response.status_code == 500
    assert response.json() == {
        "error": "integrity_error",
        "detail": f"audit event {first['position']}: its index columns do not match its hashed"
        " body",
    }
    # An export is right all the same (it chooses by the bodies), and says what it found.
    now = datetime.now(UTC)
    window = {"since": (now - timedelta(hours=1)).isoformat(), "until": now.isoformat()}
    exported = auditor.post("/api/v1/audit/exports", json=window)
    assert exported.status_code == 200
    assert exported.headers["X-Index-Disagreements"] == "1"


def test_auditors_fetch_the_latest_checkpoint_as_an_anchor(api: Api, tmp_path: Path) -> None:
    assert api.client.get("/api/v1/audit/checkpoint").status_code == 403
    auditor = _auditor(api)
    response = auditor.get("/api/v1/audit/checkpoint")
    assert response.status_code == 200, response.text
    anchor = response.json()
    assert anchor["size"] == len(_events(auditor))  # everything so far is signed
    assert json.loads(anchor["body"])["head"] == anchor["head"]
    now = datetime.now(UTC)
    window = {"since": (now - timedelta(hours=1)).isoformat(), "until": now.isoformat()}
    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(auditor.post("/api/v1/audit/exports", json=window).content)
    assert audit_verify.main([str(bundle), "--anchor", response.text]) == 0


def test_auditors_pin_the_logs_public_key_and_verify_names_it(
    api: Api, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert api.client.get("/api/v1/audit/public-key").status_code == 403
    auditor = _auditor(api)
    pinned = auditor.get("/api/v1/audit/public-key").json()
    key = tmp_path / "log-key.pem"
    key.write_text(pinned["pem"])
    now = datetime.now(UTC)
    window = {"since": (now - timedelta(hours=1)).isoformat(), "until": now.isoformat()}
    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(auditor.post("/api/v1/audit/exports", json=window).content)
    capsys.readouterr()
    assert audit_verify.main([str(bundle), "--public-key", str(key)]) == 0
    assert capsys.readouterr().out.split()[-1] == pinned["fingerprint"]


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_the_sequencer_appends_each_new_checkpoint_to_the_anchor_file(
    backends: Backends, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    anchors = tmp_path / "elsewhere" / "anchors.jsonl"
    anchors.parent.mkdir()
    backends.settings.audit_anchor_file = anchors
    backends.settings.audit_checkpoint_every = 1
    event = {"action": "test:event:write", "outcome": "success"}
    with unit_of_work(backends.sessions) as session:
        auditlog.append(session, event)
    Sequencer(backends).round()
    first = _lines(anchors)
    assert len(first) == 1
    Sequencer(backends).round()  # a restart, nothing new: nothing appended twice
    with unit_of_work(backends.sessions) as session:
        auditlog.append(session, event)
    Sequencer(backends).round()
    both = _lines(anchors)
    assert both[0] == first[0]
    assert [a["size"] for a in both] == [first[0]["size"], first[0]["size"] + 1]
    # The file is what `verify --anchor` takes.
    bundle = tmp_path / "bundle.zip"
    with backends.sessions() as session, bundle.open("wb") as out:
        now = datetime.now(UTC)
        export(session, backends.audit_key, ExportFilter(now - timedelta(hours=1), now), out)
    assert audit_verify.main([str(bundle), "--anchor", str(anchors)]) == 0
    # The tail and the checkpoints cut in the database: the next round says so.
    with backends.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.execute(text("DROP TRIGGER audit_event_no_delete"))
            connection.execute(text("DROP TRIGGER audit_checkpoint_no_delete"))
        else:
            connection.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
            connection.execute(text("ALTER TABLE audit_checkpoint DISABLE TRIGGER USER"))
        connection.execute(text("DELETE FROM audit_checkpoint"))
        connection.execute(
            text("DELETE FROM audit_event WHERE position > :size"), {"size": first[0]["size"]}
        )
    with caplog.at_level("ERROR", logger="storage.auditanchor"):
        Sequencer(backends).round()
    size = both[-1]["size"]
    assert f"no longer holds the checkpoint anchored at size {size}" in caplog.text
    assert _lines(anchors) == both


def test_auditors_read_names_instead_of_ids_and_find_people_by_name(api: Api) -> None:
    add_user(api.admin, "zhang-san", api.department, "internal", "sales", display_name="张三")
    customer = api.customer("名称测试有限公司")
    auditor = _auditor(api)
    listed = auditor.get(
        "/api/v1/audit/events", params={"action": "customer:file:create", "limit": 1000}
    ).json()["items"]
    opened = next(item for item in listed if item["event"]["target"].get("customer") == customer)
    assert (opened["actor_name"], opened["customer_name"]) == ("archivist", "名称测试有限公司")
    found = auditor.get("/api/v1/audit/people", params={"q": "张"}).json()
    assert [(p["username"], p["display_name"]) for p in found["items"]] == [("zhang-san", "张三")]
    assert found["total"] == 1
    # Only auditors look people up here.
    assert api.client.get("/api/v1/audit/people").status_code == 403
