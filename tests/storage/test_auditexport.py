"""Export bundles verify, and every kind of tampering is caught at the right place."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import subprocess
import sys
import uuid
import zipfile
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from storage import audit_verify, auditlog, audittable
from storage.auditexport import ExportFilter, ExportSummary, export
from storage.crypto import load_signing_key, public_key_pem
from storage.db import make_engine, migrate
from storage.models import AuditPending
from storage.models.base import utcnow

ALICE, BOB = uuid.uuid4(), uuid.uuid4()
MOVED = "event changed, dropped, added or moved here"


def _event(actor: uuid.UUID, n: int, address: str = "10.0.0.1") -> dict[str, object]:
    return {
        "action": "document:content:read",
        "outcome": "success",
        "actor": {"id": str(actor), "username": f"u{n}", "roles": ["sales@dept:a"]},
        "target": {"document": str(uuid.uuid4()), "secrecy": "internal"},
        "client": {"address": address, "request_id": f"r{n}"},
    }


@pytest.fixture
def bundle(tmp_path: Path) -> tuple[Path, Ed25519PrivateKey]:
    """A bundle of 10 events (6 by Alice, shown; 4 by Bob, left out), with a checkpoint mid-way."""
    engine = make_engine(f"sqlite:///{tmp_path / 'audit.db'}")
    migrate(engine)
    key = load_signing_key(tmp_path / "audit.pem")
    with Session(engine) as session:
        for n in range(5):
            auditlog.append(session, _event(ALICE if n % 2 == 0 else BOB, n))
        auditlog.sequence(session)
        auditlog.checkpoint(session, key)
        for n in range(5, 10):
            auditlog.append(session, _event(ALICE if n % 2 == 1 else BOB, n, "=HYPERLINK(1)"))
        session.commit()
    auditlog.seal(sessionmaker(engine), key)
    path = tmp_path / "bundle.zip"
    wanted = ExportFilter(utcnow() - timedelta(hours=1), utcnow() + timedelta(hours=1), ALICE)
    with Session(engine) as session, path.open("wb") as out:
        summary = export(session, key, wanted, out)
        session.commit()
    assert (summary.size, summary.shown) == (10, 6)
    engine.dispose()
    return path, key


UNPINNED = r"PASS, signed by the key inside the bundle, SHA256:[0-9a-f]{64}:"


def _verdict(path: Path, *options: str) -> str:
    """What the standalone verifier prints, run as an auditor would run it."""
    with zipfile.ZipFile(path) as opened:
        script = path.with_name("verify.py")
        script.write_bytes(opened.read("verify.py"))
    done = subprocess.run(
        [sys.executable, str(script), str(path), *options], capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert (done.returncode == 0) == done.stdout.startswith("PASS"), done
    if done.returncode == 0:  # it names the key it checked, and that the bundle's own proves little
        assert re.match(
            r"PASS, signed by the key inside the bundle, SHA256:[0-9a-f]{64}:", done.stdout
        )
        return "PASS"
    return done.stdout.strip()


def _rewrite(path: Path, name: str, change: object) -> Path:
    """A copy of the bundle with one member replaced by `change(old bytes)`."""
    out = path.with_name(f"tampered-{name}")
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(out, "w") as new:
        for member in old.namelist():
            data = old.read(member)
            new.writestr(member, change(data) if member == name else data)  # type: ignore[operator]
    return out


def test_an_untouched_bundle_passes(bundle: tuple[Path, Ed25519PrivateKey]) -> None:
    path, _ = bundle
    assert _verdict(path) == "PASS"
    with zipfile.ZipFile(path) as opened:
        lines = opened.read("events.jsonl").splitlines()
        shown = [json.loads(line) for line in lines if b'"leaf"' not in line]
        assert len(lines) == 10
        assert {e["actor"]["id"] for e in shown} == {str(ALICE)}
        rows = list(csv.reader(io.StringIO(opened.read("events.csv").decode("utf-8-sig"))))
        assert opened.read("events.csv").startswith(b"\xef\xbb\xbf")
        assert len(rows) == 7  # the header and six events
        address = rows[0].index("地址 address")
        assert "'=HYPERLINK(1)" in [row[address] for row in rows]
        sheet = load_workbook(io.BytesIO(opened.read("events.xlsx")), read_only=True)["events"]
        assert sum(1 for _ in sheet.iter_rows()) == 7


def _lines(change: object) -> object:
    return lambda data: b"\n".join(change(data.splitlines())) + b"\n"  # type: ignore[operator]


def _flip(lines: list[bytes]) -> list[bytes]:
    lines[4] = lines[4].replace(b"success", b"successs")  # position 5, an event shown
    return lines


@pytest.mark.parametrize(
    ("change", "verdict"),
    [
        (_lines(_flip), f"FAIL at position 5: {MOVED}"),
        (_lines(lambda ls: ls[:6] + ls[7:]), f"FAIL at position 7: {MOVED}"),
        (_lines(lambda ls: [*ls[:2], ls[3], ls[2], *ls[4:]]), f"FAIL at position 3: {MOVED}"),
        (_lines(lambda ls: [*ls[:5], ls[0], *ls[5:]]), f"FAIL at position 6: {MOVED}"),
        (_lines(lambda ls: [*ls, ls[0]]), "FAIL at position 11: a line was added"),
    ],
    ids=["byte changed", "line dropped", "lines swapped", "line added", "line appended"],
)  # fmt: skip
def test_tampered_events_fail_at_their_position(
    bundle: tuple[Path, Ed25519PrivateKey], change: object, verdict: str
) -> None:
    path, _ = bundle
    assert _verdict(_rewrite(path, "events.jsonl", change)) == verdict


def test_rewritten_hash_lists_are_caught_by_the_signed_checkpoint(
    bundle: tuple[Path, Ed25519PrivateKey],
) -> None:
    path, _ = bundle
    with zipfile.ZipFile(path) as opened:
        lines = opened.read("events.jsonl").splitlines()
    lines[4] = lines[4].replace(b"success", b"denied")
    # The intruder recomputes every hash after the edit, as one would.
    chain, listed = auditlog.GENESIS, []
    for line in lines:
        leaf = (
            bytes.fromhex(json.loads(line)["leaf"])
            if b'"leaf"' in line
            else auditlog.leaf_hash(line)
        )
        chain = auditlog.chain_hash(chain, leaf)
        listed.append(f"{leaf.hex()} {chain.hex()}".encode())
    edited = _rewrite(path, "events.jsonl", lambda _: b"\n".join(lines) + b"\n")
    forged = _rewrite(edited, "chain.txt", lambda _: b"\n".join(listed) + b"\n")
    assert _verdict(forged) == "FAIL at position 5: chain does not match the signed checkpoint"


def test_a_checkpoint_signed_with_another_key_fails(bundle: tuple[Path, Ed25519PrivateKey]) -> None:
    path, _ = bundle
    other = Ed25519PrivateKey.generate()

    def resign(data: bytes) -> bytes:
        points = [json.loads(line) for line in data.splitlines()]
        points[-1]["signature"] = base64.b64encode(other.sign(points[-1]["body"].encode())).decode()
        return b"".join(json.dumps(p).encode() + b"\n" for p in points)

    verdict = _verdict(_rewrite(path, "checkpoints.jsonl", resign))
    assert verdict.startswith("FAIL at checkpoint")
    assert verdict.endswith("signature does not verify with the log key")


def test_an_altered_manifest_fails(bundle: tuple[Path, Ed25519PrivateKey]) -> None:
    path, _ = bundle
    altered = _rewrite(path, "manifest.json", lambda data: data.replace(b'"size":10', b'"size":11'))
    assert _verdict(altered) == "FAIL at manifest: signature does not verify with the log key"
    replaced = _rewrite(path, "events.csv", lambda data: data + b"extra,row\n")
    assert _verdict(replaced) == "FAIL at events.csv: file does not match the hash in the manifest"


def test_a_bundle_with_a_substituted_key_fails_against_the_trusted_key(
    bundle: tuple[Path, Ed25519PrivateKey], tmp_path: Path
) -> None:
    path, key = bundle
    trusted = tmp_path / "trusted.pem"
    trusted.write_bytes(public_key_pem(key))
    assert audit_verify.main([str(path), "--public-key", str(trusted)]) == 0
    # A bundle forged whole with another key carries that key; the trusted one refuses it.
    trusted.write_bytes(public_key_pem(Ed25519PrivateKey.generate()))
    assert audit_verify.main([str(path), "--public-key", str(trusted)]) == 1


def _unguarded(engine: Engine, statement: str) -> None:
    """Run `statement` as an intruder with write access would: the guard off, then on again."""
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(sa.text("DROP TRIGGER IF EXISTS audit_event_no_update"))
            connection.execute(sa.text("DROP TRIGGER IF EXISTS audit_event_no_delete"))
            connection.execute(sa.text("DROP TRIGGER IF EXISTS audit_checkpoint_no_delete"))
        else:
            for table in ("audit_event", "audit_checkpoint"):
                connection.execute(sa.text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        connection.execute(sa.text(statement))


def _export(engine: Engine, key: Ed25519PrivateKey, path: Path, **wanted: Any) -> ExportSummary:
    """Seal and export to `path`, as the API does."""
    auditlog.seal(sessionmaker(engine), key)
    window = ExportFilter(utcnow() - timedelta(hours=1), utcnow() + timedelta(hours=1), **wanted)
    with Session(engine) as session, path.open("wb") as out:
        return export(session, key, window, out)


def test_a_filtered_export_chooses_by_the_hashed_bodies_not_the_edited_columns(
    engine: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    key = load_signing_key(tmp_path / "audit.pem")
    with Session(engine) as session:
        for n in range(4):
            auditlog.append(session, {**_event(ALICE if n < 3 else BOB, n), "outcome": "denied"})
        session.commit()
    auditlog.seal(sessionmaker(engine), key)
    # Alice's second refusal is made to look like Bob's success, in the columns only.
    _unguarded(
        engine, f"UPDATE audit_event SET actor_id = '{BOB}', outcome = 'success' WHERE position = 2"
    )
    path = tmp_path / "alice.zip"
    with caplog.at_level("ERROR", logger="storage.auditexport"):
        summary = _export(engine, key, path, actor_id=ALICE)
    assert (summary.shown, summary.disagreeing) == (3, (2,))
    assert _verdict(path) == "PASS"
    with zipfile.ZipFile(path) as opened:
        second = json.loads(opened.read("events.jsonl").splitlines()[1])
    assert (second["actor"]["id"], second["outcome"]) == (str(ALICE), "denied")
    assert "first at position 2" in caplog.text


def _anchored_verdict(path: Path, anchor: dict[str, Any]) -> str:
    """The standalone verifier's verdict given an anchor kept outside the database."""
    return _verdict(path, "--anchor", json.dumps(anchor))


def _append(engine: Engine, count: int) -> None:
    with Session(engine) as session:
        for n in range(count):
            auditlog.append(session, _event(ALICE, n))
        session.commit()


def test_an_anchor_kept_outside_the_database_catches_a_cut_tail(
    engine: Engine, tmp_path: Path
) -> None:
    key = load_signing_key(tmp_path / "audit.pem")
    _append(engine, 5)
    anchor = auditlog.seal(sessionmaker(engine), key)
    assert anchor is not None
    assert (anchor["size"], len(anchor["head"])) == (5, 64)
    _append(engine, 2)
    _export(engine, key, whole := tmp_path / "whole.zip")
    assert _anchored_verdict(whole, anchor) == "PASS"
    # Events 4 to 7 and every checkpoint go; the log, re-sealed, verifies on its own.
    _unguarded(engine, "DELETE FROM audit_checkpoint")
    _unguarded(engine, "DELETE FROM audit_event WHERE position > 3")
    _export(engine, key, cut := tmp_path / "cut.zip")
    assert _verdict(cut) == "PASS"
    assert _anchored_verdict(cut, anchor) == (
        "FAIL at anchor: the log was cut: anchored size 5, bundle ends at 3"
    )
    # Once the log grows past the cut, the anchored head is no longer in it.
    _append(engine, 3)
    _export(engine, key, regrown := tmp_path / "regrown.zip")
    assert _anchored_verdict(regrown, anchor) == (
        "FAIL at position 5: the log was rewritten: the anchored head differs"
    )
    # An anchor signed after a bundle cannot speak of it; one not signed by the log key is no
    # anchor.
    later = auditlog.seal(sessionmaker(engine), key)
    assert later is not None
    assert _anchored_verdict(cut, later) == (
        "FAIL at anchor: every anchor was signed after the bundle; export again"
    )
    forged = {**later, "signature": anchor["signature"]}
    assert _anchored_verdict(regrown, forged) == (
        "FAIL at anchor: signature does not verify with the log key"
    )


def test_an_export_over_quarantined_events_verifies(engine: Engine, tmp_path: Path) -> None:
    key = load_signing_key(tmp_path / "audit.pem")
    at = auditlog.timestamp(utcnow())
    odd = auditlog.canonical(
        {"action": "a", "outcome": "success", "at": at, "actor": "root",
         "client": {"address": "=cmd\u0001|' /C calc'!A0", "request_id": [1, None]}}
    )  # fmt: skip
    hostile = [
        b"\xff not json",
        b'{"action":"a",\n"outcome":"success","at":"%s"}' % at.encode(),
        odd,
    ]
    with Session(engine) as session:
        session.execute(sa.insert(AuditPending), [{"body": body} for body in hostile])
        session.commit()
    _append(engine, 1)
    summary = _export(engine, key, path := tmp_path / "all.zip")
    assert (summary.size, summary.shown, summary.disagreeing) == (4, 2, ())
    assert _verdict(path) == "PASS"
    with zipfile.ZipFile(path) as opened:
        lines = opened.read("events.jsonl").splitlines()
        rows = list(csv.reader(io.StringIO(opened.read("events.csv").decode("utf-8-sig"))))
    # Bytes that are not canonical JSON are shown as their leaf only: one line each.
    assert [line.startswith(b'{"leaf"') for line in lines] == [True, True, False, False]
    assert lines[2] == odd
    assert (
        rows[1][rows[0].index("地址 address")] == "'=cmd|' /C calc'!A0"
    )  # neutralised, the control character gone


def test_a_read_under_a_borrowing_shows_its_number_mode_and_purpose() -> None:
    event = {
        "at": "2026-11-30T01:02:03.000000Z",
        "action": "document:content:read",
        "decision": {"effect": "allow", "rule": "borrowing JY-2026-0007", "number": "JY-2026-0007",
                     "mode": "download", "purpose": "=年度信用复核"},
    }  # fmt: skip
    values = audittable.row(7, event, ZoneInfo("Asia/Shanghai"))
    shown = dict(zip(audittable.headings(UTC), audittable.csv_row(values), strict=True))
    assert shown["序号 position"] == "7"
    assert shown["公司时间 company time (UTC)"] == "2026-11-30 09:02:03+08:00"
    assert (shown["借阅单 borrowing"], shown["方式 mode"]) == ("JY-2026-0007", "download")
    assert shown["用途 purpose"] == "'=年度信用复核"  # text, never a formula
