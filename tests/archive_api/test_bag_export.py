"""A customer's file as a BagIt bag: it validates, its files are the stored plaintext, and only
archivists (up to their clearance) get one."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import bagit
from fastapi.testclient import TestClient
from PIL import Image
from typer.testing import CliRunner

from archive_api.cli import app
from tests.archive_api.conftest import (
    USER_PASSWORD,
    Api,
    add_user,
    audit_events,
    cli_environment,
    sign_in,
)
from tests.factories import fake_file


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def _file_with_versions(api: Api) -> tuple[str, dict[str, str], str]:
    """A customer with a contract in two versions, a license scan and a secret guarantee.

    Returns the customer, the sha256 of each shown document's latest version by id, and the
    secret document's id."""
    customer = api.customer("贵州导出测试有限公司")
    contract = api.upload(customer, fake_file("pdf", 5000), doc_type="contract", title="合同")
    second = fake_file("pdf", 7000)
    response = api.client.post(
        f"/api/v1/documents/{contract['id']}/versions",
        files={"file": ("v2.pdf", second, "application/pdf")},
    )
    assert response.status_code == 201, response.text
    scan = _jpeg()
    license_ = api.upload(
        customer, scan, doc_type="business_license", title="营业执照", filename="../../x.jpg"
    )
    secret = api.upload(
        customer, fake_file("pdf", 3000), doc_type="guarantee", title="保密担保函", secrecy="secret"
    )
    shown = {
        str(contract["id"]): hashlib.sha256(second).hexdigest(),
        str(license_["id"]): hashlib.sha256(scan).hexdigest(),
    }
    return customer, shown, str(secret["id"])


def _unzipped(content: bytes, into: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        assert all(not n.startswith("/") and ".." not in n for n in names)
        archive.extractall(into)
    [bag] = list(into.iterdir())
    return bag


def _payload_hashes(bag: Path) -> dict[str, str]:
    metadata = json.loads((bag / "data" / "documents.json").read_text("utf-8"))
    return {
        d["id"]: hashlib.sha256((bag / d["file"]).read_bytes()).hexdigest()
        for d in metadata["documents"]
    }


def _exports(api: Api, outcome: str = "success") -> list[dict[str, object]]:
    wanted = ("customer:file:export", outcome)
    return [e for e in audit_events(api.backends) if (e["action"], e["outcome"]) == wanted]


def test_an_archivist_gets_a_valid_bag_of_the_stored_plaintext(api: Api, tmp_path: Path) -> None:
    customer, shown, secret = _file_with_versions(api)

    response = api.client.get(f"/api/v1/customers/{customer}/bag")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    bag = _unzipped(response.content, tmp_path / "out")
    bagit.Bag(str(bag)).validate()  # raises BagValidationError on any wrong byte
    assert {"manifest-sha256.txt", "manifest-sha512.txt"} <= {p.name for p in bag.iterdir()}
    # Every latest version is there, byte for byte as stored, the secret one included
    # (this archivist's clearance is secret).
    hashes = _payload_hashes(bag)
    assert {k: hashes[k] for k in shown} == shown
    assert secret in hashes
    metadata = json.loads((bag / "data" / "documents.json").read_text("utf-8"))
    contract = next(d for d in metadata["documents"] if d["doc_type"] == "contract")
    assert [v["version"] for v in contract["versions"]] == [1, 2]
    assert contract["latest_version"] == 2
    info = bagit.Bag(str(bag)).info
    assert info["Source-Organization"] == api.backends.settings.organisation
    assert info["External-Identifier"] == customer
    assert info["Withheld-Documents"] == "0"
    # The export is audited with its customer, count and the manifest's hash; the decrypted
    # folder is gone from the data directory once sent.
    [event] = _exports(api)
    manifest = hashlib.sha256((bag / "manifest-sha256.txt").read_bytes()).hexdigest()
    assert event["target"]["customer"] == customer  # type: ignore[index]
    assert (event["files"], event["manifest_sha256"]) == (3, manifest)
    assert list((api.backends.settings.data_dir / "exports").iterdir()) == []


def test_documents_above_the_clearance_are_left_out_unnamed(api: Api, tmp_path: Path) -> None:
    customer, shown, secret = _file_with_versions(api)
    add_user(api.admin, "junior", api.department, "confidential", "archivist")
    junior = TestClient(api.client.app)
    sign_in(junior, "junior", USER_PASSWORD)

    response = junior.get(f"/api/v1/customers/{customer}/bag")

    assert response.status_code == 200, response.text
    bag = _unzipped(response.content, tmp_path / "out")
    bagit.Bag(str(bag)).validate()
    assert _payload_hashes(bag) == shown
    info_text = (bag / "bag-info.txt").read_text("utf-8")
    # A document the caller may not know exists is neither named nor counted.
    assert str(secret) not in info_text
    assert "Withheld-Documents: 0" in info_text
    assert "保密担保函" not in info_text
    listed = (bag / "data" / "documents.json").read_text("utf-8")
    assert "保密担保函" not in listed
    assert str(secret) not in listed


def test_only_archivists_of_the_customer_department_export(api: Api) -> None:
    customer, _, _ = _file_with_versions(api)
    add_user(api.admin, "seller", api.department, "secret", "sales")
    other = api.admin.post("/api/v1/admin/departments", json={"code": "b", "name": "销售二部"})
    add_user(api.admin, "outsider", other.json()["id"], "secret", "archivist")
    refused = {}
    for name in ("seller", "outsider"):
        client = TestClient(api.client.app)
        sign_in(client, name, USER_PASSWORD)
        refused[name] = client.get(f"/api/v1/customers/{customer}/bag").status_code
    # A salesperson may see the customer but not export it; another department's archivist
    # is told nothing of it.
    assert refused == {"seller": 403, "outsider": 404}
    assert _exports(api) == []
    denied = _exports(api, "denied")
    assert sorted(e["actor"]["username"] for e in denied) == ["outsider", "seller"]  # type: ignore[index]


def test_the_command_line_writes_the_bag_as_the_named_archivist(api: Api, tmp_path: Path) -> None:
    customer, shown, _ = _file_with_versions(api)
    out = tmp_path / "bag"
    data_dir = str(api.backends.settings.data_dir)

    env = cli_environment(api.backends.settings)
    result = CliRunner().invoke(
        app,
        ["export-bag", customer, str(out), "--as", "archivist", "--data-dir", data_dir],
        env=env,
    )

    assert result.exit_code == 0, result.output
    assert "3 files, 0 withheld" in result.output
    bagit.Bag(str(out)).validate()
    assert {k: _payload_hashes(out)[k] for k in shown} == shown
    [event] = _exports(api)
    assert event["client"]["command"] == "dangan export-bag"  # type: ignore[index]
    refused = CliRunner().invoke(
        app,
        ["export-bag", customer, str(tmp_path / "no"), "--as", "admin", "--data-dir", data_dir],
        env=env,
    )
    assert refused.exit_code == 1
    assert not (tmp_path / "no").exists()


def test_holds_travel_with_the_bag_but_not_those_on_documents_left_out(
    api: Api, tmp_path: Path
) -> None:
    customer, shown, secret = _file_with_versions(api)
    contract = next(iter(shown))
    for url, reason in (
        (f"/api/v1/documents/{contract}/holds", "合同纠纷诉讼保全"),
        (f"/api/v1/documents/{secret}/holds", "保密担保涉诉"),
        (f"/api/v1/customers/{customer}/holds", "税务稽查"),
    ):
        assert api.client.post(url, json={"reason": reason}).status_code == 201
    add_user(api.admin, "junior", api.department, "confidential", "archivist")
    junior = TestClient(api.client.app)
    sign_in(junior, "junior", USER_PASSWORD)

    bag = _unzipped(junior.get(f"/api/v1/customers/{customer}/bag").content, tmp_path / "j")

    bagit.Bag(str(bag)).validate()
    metadata = json.loads((bag / "data" / "documents.json").read_text("utf-8"))
    held = {(h["scope"], h["document_id"], h["reason"], h["active"]) for h in metadata["holds"]}
    assert held == {
        ("customer", None, "税务稽查", True),
        ("document", contract, "合同纠纷诉讼保全", True),
    }  # the secret guarantee's hold is as secret as the guarantee
    everything = api.client.get(f"/api/v1/customers/{customer}/bag").content
    metadata = json.loads(
        (_unzipped(everything, tmp_path / "a") / "data" / "documents.json").read_text("utf-8")
    )
    assert len(metadata["holds"]) == 3
