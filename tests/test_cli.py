"""`dangan serve` on the embedded default, used over real HTTP as a new user would."""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from storage.crypto import public_key_pem
from tests.factories import MARKER, random_uscc, sample_pdf

DANGAN = str(Path(sys.executable).with_name("dangan"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANGAN_")}
    return env | extra


@contextmanager
def _serving(data_dir: Path, cwd: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """A `dangan serve` process with nothing configured but the admin password."""
    port = _free_port()
    process = subprocess.Popen(
        [DANGAN, "serve", "--data-dir", str(data_dir), "--port", str(port)],
        cwd=cwd,
        env=_environment(DANGAN_ADMIN_PASSWORD="s3cret-Pass"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    # Minutes, not seconds, on a loaded machine: a test must not go on against a server that is
    # not up yet (it used to, after 60 s, and failed on a refused connection).
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base}/docs", timeout=1)
            break
        except httpx.TransportError:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            time.sleep(0.2)
    else:
        process.kill()
        raise AssertionError("dangan serve did not answer within 300 s")
    try:
        yield base, process
    finally:
        process.terminate()
        # A stopping server lets its background rounds finish the document they are reading.
        process.wait(timeout=120)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    """One server on a fresh embedded data directory."""
    with _serving(tmp_path / "data", tmp_path) as (base, process):
        yield base, tmp_path / "data", process


def _signed_in(base: str, username: str, password: str) -> httpx.Client:
    response = httpx.post(
        f"{base}/api/v1/auth/token", data={"username": username, "password": password}
    )
    token = response.json()["access_token"]
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def archivist(base: str) -> httpx.Client:
    """The administrator sets up a department and an archivist (who keeps the files and reads
    them without borrowing); the archivist, signed in."""
    admin = _signed_in(base, "admin", "s3cret-Pass")
    department = admin.post(
        "/api/v1/admin/departments", json={"code": "sales-a", "name": "销售一部"}
    ).json()["id"]
    user = admin.post(
        "/api/v1/admin/users",
        json={
            "username": "wang",
            "display_name": "王五",
            "password": "wang-long-passphrase",
            "department_id": department,
        },
    ).json()["id"]
    grant = {"user_id": user, "role": "archivist", "department_id": department}
    assert admin.post("/api/v1/admin/roles", json=grant).status_code == 201
    return _signed_in(base, "wang", "wang-long-passphrase")


def test_serve_runs_the_whole_flow_on_the_embedded_default(
    served: tuple[str, Path, subprocess.Popen[str]],
) -> None:
    base, data_dir, _ = served
    client = archivist(base)
    assert httpx.get(f"{base}/api/v1/customers").status_code == 401
    customer = client.post(
        "/api/v1/customers", json={"name": "客户甲", "uscc": random_uscc()}
    ).json()
    pdf = sample_pdf() + MARKER
    document = client.post(
        f"/api/v1/customers/{customer['id']}/documents",
        data={"doc_type": "financial_statement", "title": "2022年审计报告"},
        files={"file": ("afs.pdf", pdf, "application/pdf")},
    ).json()
    content = client.get(f"/api/v1/documents/{document['id']}/content")
    assert content.content == pdf
    ranged = client.get(
        f"/api/v1/documents/{document['id']}/content", headers={"Range": "bytes=5-9"}
    )
    assert ranged.content == pdf[5:10]
    # Everything is under the data directory: SQLite, objects, keyring, and no plaintext.
    assert (data_dir / "dangan.db").exists()
    assert (data_dir / "keyring.json").stat().st_mode & 0o777 == 0o600
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert MARKER not in path.read_bytes(), path


def test_the_access_log_names_paths_but_never_what_was_searched(
    served: tuple[str, Path, subprocess.Popen[str]],
) -> None:
    """A search's words (names, codes) stay out of the server's log; the path is logged."""
    base, _, process = served
    admin = _signed_in(base, "admin", "s3cret-Pass")
    assert admin.get("/api/v1/admin/users", params={"q": "保密客户名称"}).status_code == 200
    process.terminate()
    log, _ = process.communicate(timeout=30)
    assert "GET /api/v1/admin/users HTTP" in log
    assert "保密客户名称" not in log
    assert "%E4%BF%9D" not in log  # nor percent-encoded


def test_serve_prints_a_generated_admin_password_once(tmp_path: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [DANGAN, "serve", "--data-dir", str(tmp_path / "d"), "--port", str(port)],
        cwd=tmp_path,
        env=_environment(),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        box: list[str] = []  # printed in a box that stands out from the log lines
        for line in iter(process.stderr.readline, ""):
            if line.startswith("+===") or box:
                box.append(line.rstrip())
            if len(box) > 1 and line.startswith("+==="):
                break
        shown = re.search(r"\| +password: +(\S+) +\|", "\n".join(box))
        assert shown, "dangan serve ended without printing the generated password"
        assert "user name: admin" in box[2]
        assert "change this password" in "\n".join(box)
        password = shown[1]
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.post(
                    f"http://127.0.0.1:{port}/api/v1/auth/token",
                    data={"username": "admin", "password": password},
                )
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert response.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_fixity_check_command_reports_health(tmp_path: Path) -> None:
    result = subprocess.run(
        [DANGAN, "fixity", "check", "--data-dir", str(tmp_path / "d")],
        env=_environment(),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "checked 0 stored versions" in result.stdout
    assert result.stdout.strip().endswith("OK")


def test_fixity_check_reports_and_removes_an_upload_killed_mid_way(tmp_path: Path) -> None:
    document = tmp_path / "d" / "objects" / "docs" / "0b7e5c4e-4f4b-4d0e-9d5e-3c1f0a2b6d7e"
    document.mkdir(parents=True)
    partial = document / ".partial-1-a1b2c3d4e5f6"  # as a put leaves it when killed
    partial.write_bytes(b"ciphertext of a half-stored upload")

    def check(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [DANGAN, "fixity", "check", "--data-dir", str(tmp_path / "d"), *extra],
            env=_environment(),
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )

    young = check()
    assert young.returncode == 0, young.stderr
    assert f"unfinished upload kept (recent): docs/{document.name}/1" in young.stdout
    assert partial.exists()
    old = check("--grace-minutes", "0")
    assert old.returncode == 0, old.stderr
    assert f"unfinished upload removed: docs/{document.name}/1" in old.stdout
    assert not document.exists()  # nor an empty directory left behind


def test_a_policy_change_applies_at_once_in_another_process(
    served: tuple[str, Path, subprocess.Popen[str]], tmp_path: Path
) -> None:
    base, data_dir, _ = served
    admin = _signed_in(base, "admin", "s3cret-Pass")
    department = admin.post(
        "/api/v1/admin/departments", json={"code": "sales-b", "name": "销售二部"}
    ).json()["id"]
    account = {"username": "zhao", "display_name": "赵六", "password": "zhao-long-passphrase"}
    user = admin.post("/api/v1/admin/users", json={**account, "department_id": department})
    with _serving(data_dir, tmp_path) as (second, _):
        worker = _signed_in(second, "zhao", "zhao-long-passphrase")
        assert worker.get("/api/v1/documents").json()["total"] == 0
        # No role yet: the second process refuses to open a customer file.
        customer = {"name": "客户乙", "uscc": random_uscc()}
        assert worker.post("/api/v1/customers", json=customer).status_code == 403
        grant = {"user_id": user.json()["id"], "role": "sales", "department_id": department}
        role = admin.post("/api/v1/admin/roles", json=grant).json()
        assert worker.post("/api/v1/customers", json=customer).status_code == 201
        admin.delete(f"/api/v1/admin/roles/{role['id']}")
        other = {"name": "客户丙", "uscc": random_uscc()}
        assert worker.post("/api/v1/customers", json=other).status_code == 403


def test_audit_export_and_verify_from_the_command_line(
    served: tuple[str, Path, subprocess.Popen[str]], tmp_path: Path
) -> None:
    base, data_dir, _ = served
    _signed_in(base, "admin", "s3cret-Pass").post(
        "/api/v1/admin/departments", json={"code": "hq", "name": "总部"}
    )
    signed = subprocess.run(
        [DANGAN, "audit", "checkpoint", "--data-dir", str(data_dir)],
        env=_environment(), capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert signed.returncode == 0, signed.stderr
    anchor = tmp_path / "anchor.json"
    anchor.write_text(signed.stdout)
    assert json.loads(signed.stdout)["size"] > 0
    bundle = tmp_path / "audit.zip"
    window = ["--since", "2020-01-01", "--until", "2100-01-01"]
    exported = subprocess.run(
        [DANGAN, "audit", "export", *window, "-o", str(bundle), "--data-dir", str(data_dir)],
        env=_environment(), capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    pinned = subprocess.run(
        [DANGAN, "audit", "public-key", "--data-dir", str(data_dir)],
        env=_environment(), capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert pinned.stdout.startswith("-----BEGIN PUBLIC KEY-----"), pinned.stderr
    key = tmp_path / "log-key.pem"
    key.write_text(pinned.stdout)
    fingerprint = pinned.stderr.split()[-1]
    verified = subprocess.run(
        [DANGAN, "audit", "verify", str(bundle), "--public-key", str(key), "--anchor", str(anchor)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert verified.returncode == 0
    assert (
        verified.stdout.strip() == f"PASS, signed by the key given with --public-key, {fingerprint}"
    )
    unpinned = subprocess.run(
        [DANGAN, "audit", "verify", str(bundle)], capture_output=True, text=True, check=False
    )
    assert unpinned.returncode == 0
    assert "key inside the bundle" in unpinned.stdout  # says it proved nothing about the key
    other = tmp_path / "other.pem"
    other.write_bytes(public_key_pem(Ed25519PrivateKey.generate()))
    impostor = subprocess.run(
        [DANGAN, "audit", "verify", str(bundle), "--public-key", str(other)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert (impostor.returncode, impostor.stdout.strip()) == (
        1, "FAIL at public_key.pem: not the log key you trust"
    )  # fmt: skip
    with zipfile.ZipFile(bundle) as opened:
        actions = [
            json.loads(line).get("action") for line in opened.read("events.jsonl").splitlines()
        ]
    assert "admin:department:create" in actions
    assert "audit:bundle:export" in actions
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(bundle) as old, zipfile.ZipFile(damaged, "w") as new:
        for name in old.namelist():
            data = old.read(name)
            edited = data.replace(b'"success"', b'"failure"', 1)
            new.writestr(name, edited if name == "events.jsonl" else data)
    failed = subprocess.run(
        [DANGAN, "audit", "verify", str(damaged)], capture_output=True, text=True, check=False
    )
    assert failed.returncode == 1
    assert failed.stdout.startswith("FAIL at position ")


def test_audit_export_warns_of_index_columns_edited_behind_the_logs_back(tmp_path: Path) -> None:
    data_dir, bundle = tmp_path / "data", tmp_path / "audit.zip"
    export = [DANGAN, "audit", "export", "--since", "2020-01-01", "--until", "2100-01-01",
              "-o", str(bundle), "--data-dir", str(data_dir)]  # fmt: skip
    first = subprocess.run(export, env=_environment(), capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    assert "warning" not in first.stderr
    with sqlite3.connect(data_dir / "dangan.db") as database:
        database.execute("DROP TRIGGER audit_event_no_update")
        database.execute("UPDATE audit_event SET outcome = 'denied' WHERE position = 1")
    second = subprocess.run(export, env=_environment(), capture_output=True, text=True, check=False)
    assert second.returncode == 0, second.stderr
    assert "the index columns of 1 events disagree" in second.stderr
    assert "first at position 1" in second.stderr


def test_an_audit_export_window_ending_before_it_starts_is_refused_and_writes_nothing(
    tmp_path: Path,
) -> None:
    bundle = tmp_path / "audit.zip"
    export = [DANGAN, "audit", "export", "--since", "2100-01-01", "--until", "2020-01-01",
              "-o", str(bundle), "--data-dir", str(tmp_path / "data")]  # fmt: skip
    refused = subprocess.run(
        export, env=_environment(), capture_output=True, text=True, check=False
    )
    assert (refused.returncode, refused.stderr) == (1, "error: until: not after since\n")
    assert not bundle.exists()


def test_an_admin_password_set_after_the_first_start_is_reported_ignored(tmp_path: Path) -> None:
    """DANGAN_ADMIN_PASSWORD names the first password only; later it changes nothing, said so."""
    notes = []
    for password in ("first-Pass-phrase", "second-Pass-phrase"):
        port = _free_port()
        process = subprocess.Popen(
            [DANGAN, "serve", "--data-dir", str(tmp_path / "d"), "--port", str(port)],
            cwd=tmp_path,
            env=_environment(DANGAN_ADMIN_PASSWORD=password),
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stderr is not None
        printed = []
        for line in iter(process.stderr.readline, ""):
            printed.append(line)
            if "Uvicorn running" in line or "Application startup complete" in line:
                break
        process.terminate()
        process.wait(timeout=30)
        notes.append("".join(printed))
    assert "is ignored" not in notes[0]
    assert "DANGAN_ADMIN_PASSWORD is ignored" in notes[1]
    assert "second-Pass-phrase" not in notes[1]
