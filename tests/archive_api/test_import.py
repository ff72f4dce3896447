"""`dangan import`: a folder and its manifest, bad rows reported, a second run storing nothing."""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select
from typer.testing import CliRunner

from archive_api.bulk_import import Run, import_directory
from archive_api.cli import app
from storage.db import unit_of_work
from storage.models import Customer, Document
from tests.archive_api.conftest import Api, add_user, audit_events, cli_environment
from tests.factories import fake_file, random_uscc


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def _folder(root: Path, outside: Path, limit: int) -> tuple[list[dict[str, str]], str, str]:
    """Files and manifest rows: three good ones, then one of each rejection kind."""
    root.mkdir()
    (root / "scans").mkdir()
    (root / "scans" / "contract.pdf").write_bytes(fake_file("pdf", 3000))
    (root / "scans" / "license.jpg").write_bytes(_jpeg())
    (root / "other.pdf").write_bytes(fake_file("pdf", 2000))
    (root / "note.txt").write_bytes(b"plain text, not an archive format")
    outside.write_bytes(fake_file("pdf", 1000))
    (root / "escape.pdf").symlink_to(outside)
    with (root / "huge.pdf").open("wb") as huge:  # sparse: larger than the limit, no disk used
        huge.write(b"%PDF-1.7\n")
        huge.truncate(limit + 1)
    first, second = random_uscc(), random_uscc()
    bad_code = first[:17] + ("0" if first[17] != "0" else "1")
    good = {"customer_name": "贵州导入测试有限公司", "credit_code": first, "title": "合同"}

    def row(file: str, **cells: str) -> dict[str, str]:
        return {**good, "doc_type": "contract", "file": file, **cells}

    rows = [
        row(
            "scans/contract.pdf",
            issued_on="2024-01-01",
            expires_on="2026-12-31",
            contract_no="HT-1",
        ),
        row(
            "scans/license.jpg",
            doc_type="business_license",
            title="营业执照",
            secrecy="confidential",
        ),
        row("other.pdf", credit_code=second, customer_name="另一家公司"),
        row("other.pdf", doc_type="napkin"),  # unknown_type
        row("other.pdf", credit_code=bad_code),  # bad_credit_code
        row("scans/missing.pdf"),  # missing_file
        row("../outside.pdf"),  # outside_dir
        row(str(outside)),  # outside_dir (absolute)
        row("escape.pdf"),  # outside_dir (symlink)
        row("huge.pdf"),  # too_large
        row("note.txt"),  # type_not_allowed
        row("scans/contract.pdf", title="the same contract again"),  # duplicate
    ]
    return rows, first, second


def _manifest(path: Path, rows: list[dict[str, str]]) -> None:
    columns = ["file", "credit_code", "customer_name", "doc_type", "title", "secrecy"]
    columns += ["issued_on", "expires_on", "contract_no"]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, columns)
        writer.writeheader()
        writer.writerows(rows)


def test_import_stores_the_good_rows_reports_the_bad_and_resumes(api: Api, tmp_path: Path) -> None:
    limit = api.backends.settings.max_upload_bytes
    rows, first, second = _folder(tmp_path / "in", tmp_path / "outside.pdf", limit)
    _manifest(tmp_path / "manifest.csv", rows)
    report = tmp_path / "rejected.csv"
    run = Run(tmp_path / "in", tmp_path / "manifest.csv", "archivist")

    tally = import_directory(api.backends, run, report, progress=False)

    assert (tally.imported, tally.skipped) == (3, 0)
    with report.open(encoding="utf-8") as stream:
        rejected = [(int(r["line"]), r["kind"]) for r in csv.DictReader(stream)]
    assert rejected == [
        (5, "unknown_type"),
        (6, "bad_credit_code"),
        (7, "missing_file"),
        (8, "outside_dir"),
        (9, "outside_dir"),
        (10, "outside_dir"),
        (11, "too_large"),
        (12, "type_not_allowed"),
        (13, "duplicate"),
    ]
    with unit_of_work(api.backends.sessions) as session:
        customers = {c.uscc: c for c in session.scalars(select(Customer))}
        assert customers[first].name == "贵州导入测试有限公司"
        assert str(customers[first].department_id) == api.department
        documents = list(session.scalars(select(Document).order_by(Document.created_at)))
        contract = next(d for d in documents if d.contract_no == "HT-1")
        assert (str(contract.issued_on), str(contract.expires_on)) == ("2024-01-01", "2026-12-31")
        license_ = next(d for d in documents if d.doc_type == "business_license")
        assert license_.secrecy == "confidential"
        assert license_.versions[0].media_type == "image/jpeg"
    bodies = audit_events(api.backends)
    uploads = [e for e in bodies if e["action"] == "document:file:upload"]
    assert len(uploads) == 3
    # Audited as the archivist, and as coming from the import (with the manifest's line).
    assert {e["actor"]["username"] for e in uploads} == {"archivist"}
    assert {e["client"]["command"] for e in uploads} == {"dangan import"}
    assert sorted(e["client"]["import_line"] for e in uploads) == ["2", "3", "4"]

    # The second run, from the command line, stores nothing and opens no customer twice.
    data_dir = api.backends.settings.data_dir
    again = CliRunner().invoke(
        app,
        [
            "import",
            str(tmp_path / "in"),
            "--manifest",
            str(tmp_path / "manifest.csv"),
            "--as",
            "archivist",
            "--report",
            str(tmp_path / "again.csv"),
            "--data-dir",
            str(data_dir),
        ],
        env=cli_environment(api.backends.settings),  # the same backends and upload limit
    )
    assert again.exit_code == 0, again.output
    assert "imported 0, already stored 3, rejected 9" in again.output
    assert "files/s" in again.output
    assert "MB/s" in again.output
    with unit_of_work(api.backends.sessions) as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 3
        for code in (first, second):
            found = select(func.count()).select_from(Customer).where(Customer.uscc == code)
            assert session.scalar(found) == 1


def test_import_refuses_a_user_who_is_not_an_archivist(api: Api, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    _manifest(tmp_path / "manifest.csv", [])
    run = Run(tmp_path / "in", tmp_path / "manifest.csv", "admin")
    with pytest.raises(Exception, match="not an archivist"):
        import_directory(api.backends, run, tmp_path / "r.csv", progress=False)


def test_import_refuses_a_manifest_without_its_columns(api: Api, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "manifest.csv").write_text("file,title\na.pdf,x\n", encoding="utf-8")
    run = Run(tmp_path / "in", tmp_path / "manifest.csv", "archivist")
    with pytest.raises(Exception, match="missing column"):
        import_directory(api.backends, run, tmp_path / "r.csv", progress=False)


def test_another_departments_file_is_neither_looked_into_nor_added_to(
    api: Api, tmp_path: Path
) -> None:
    content = fake_file("pdf", 3000)
    customer = api.customer("贵州别部门有限公司")
    api.upload(customer, content, doc_type="contract", title="合同")
    with unit_of_work(api.backends.sessions) as session:
        code = session.get_one(Customer, uuid.UUID(customer)).uscc
    other = api.admin.post(
        "/api/v1/admin/departments", json={"code": "sales-b", "name": "销售二部 Sales B"}
    ).json()["id"]
    add_user(api.admin, "outsider", other, "secret", "archivist")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "same.pdf").write_bytes(content)
    (tmp_path / "in" / "new.pdf").write_bytes(fake_file("pdf", 4000))
    good = {"customer_name": "贵州别部门有限公司", "credit_code": code, "title": "合同"}
    rows = [{**good, "doc_type": "contract", "file": name} for name in ("same.pdf", "new.pdf")]
    _manifest(tmp_path / "manifest.csv", rows)
    run = Run(tmp_path / "in", tmp_path / "manifest.csv", "outsider")

    tally = import_directory(api.backends, run, tmp_path / "rejected.csv", progress=False)

    # Not "already stored": that would tell the outsider what the other file holds.
    assert (tally.imported, tally.skipped) == (0, 0)
    with (tmp_path / "rejected.csv").open(encoding="utf-8") as stream:
        assert [r["kind"] for r in csv.DictReader(stream)] == ["not_allowed", "not_allowed"]
    denied = [e for e in audit_events(api.backends) if e["outcome"] == "denied"]
    assert len(denied) == 2
    assert {e["actor"]["username"] for e in denied} == {"outsider"}
    assert {e["client"]["command"] for e in denied} == {"dangan import"}
    assert {e["target"]["customer"] for e in denied} == {customer}
