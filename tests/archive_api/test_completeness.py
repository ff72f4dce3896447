"""A customer file's completeness and the report of incomplete files, on a fixed day: what is
missing or expired, only among what the reader may see, in JSON, CSV and XLSX."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

import openpyxl
from fastapi.testclient import TestClient

from tests.archive_api.conftest import USER_PASSWORD, Api, add_user, audit_events, sign_in
from tests.factories import fake_file, random_uscc

TODAY = "2026-06-15"  # the archive's day for every test here (a quarter to eight, UTC)
BANK = "银行资信证明 bank reference"


def _fix_the_day(api: Api) -> None:
    api.backends.clock = lambda: datetime(2026, 6, 14, 23, 45, tzinfo=UTC)  # 15 June in Beijing


def _open(client: TestClient, name: str, **fields: Any) -> str:
    created = client.post("/api/v1/customers", json={"name": name, "uscc": random_uscc(), **fields})
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def _file(client: TestClient, customer: str, doc_type: str, **fields: str) -> str:
    response = client.post(
        f"/api/v1/customers/{customer}/documents",
        data={"doc_type": doc_type, "title": doc_type, **fields},
        files={"file": ("scan.pdf", fake_file("pdf", 2000), "application/pdf")},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _state(client: TestClient, customer: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/customers/{customer}/completeness")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def _by_type(found: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["doc_type"]: item for item in found["items"] if item["year"] is None}


def _report(client: TestClient, form: str = "json", **params: str) -> Any:
    response = client.get("/api/v1/customers/incomplete", params={"format": form, **params})
    assert response.status_code == 200, response.text
    return response


def _events(api: Api, action: str) -> list[dict[str, Any]]:
    return [e for e in audit_events(api.backends) if e["action"] == action]


def test_a_new_customer_missing_its_bank_reference_is_in_the_report_in_every_format(
    api: Api,
) -> None:
    _fix_the_day(api)
    lacking = _open(api.client, "贵州缺资信有限公司", category="new")
    _file(api.client, lacking, "business_license", issued_on="2026-01-05", expires_on="2036-01-04")
    tax = _file(api.client, lacking, "tax_certificate", issued_on="2026-03-01")
    _file(api.client, lacking, "credit_application")
    complete = _open(api.client, "贵州齐全有限公司", category="new")
    for kind in ("business_license", "tax_certificate", "bank_reference", "credit_application"):
        _file(api.client, complete, kind, issued_on="2026-02-01")

    found = _state(api.client, lacking)
    assert (found["as_of"], found["complete"]) == (TODAY, False)
    items = _by_type(found)
    assert set(items) == {
        "business_license", "tax_certificate", "bank_reference", "credit_application"
    }  # fmt: skip
    assert items["bank_reference"]["state"] == "missing"
    assert items["bank_reference"]["document_id"] is None
    # A tax certificate counts for twelve months from its issue; a license until its own end.
    assert items["tax_certificate"] | {"document_id": tax} == {
        "doc_type": "tax_certificate", "year": None, "state": "present", "document_id": tax,
        "expires_on": "2027-02-28", "due_on": None,
    }  # fmt: skip
    assert items["business_license"]["expires_on"] == "2036-01-04"
    assert items["credit_application"] == items["credit_application"] | {"expires_on": None}
    assert _state(api.client, complete)["complete"] is True

    report = _report(api.client).json()
    assert report["as_of"] == TODAY
    assert [row["customer_id"] for row in report["items"]] == [lacking]
    [row] = report["items"]
    assert (row["department_name"], row["custodian_name"]) == ("销售一部 Sales A", "archivist")
    assert [(g["doc_type"], g["state"]) for g in row["gaps"]] == [("bank_reference", "missing")]

    sheet = _report(api.client, "csv")
    assert sheet.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in sheet.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    assert [(r["客户 customer"], r["缺少 missing"], r["已过期 expired"]) for r in rows] == [
        ("贵州缺资信有限公司", BANK, "")
    ]
    assert rows[0]["部门 department"] == "销售一部 Sales A"

    book = openpyxl.load_workbook(io.BytesIO(_report(api.client, "xlsx").content), read_only=True)
    header, *cells = list(book.worksheets[0].iter_rows(values_only=True))
    assert header[2] == "客户 customer"
    assert [(r[2], r[6]) for r in cells] == [("贵州缺资信有限公司", BANK)]

    # Each reading and each report is recorded, the report with its size, never its rows.
    exported = _events(api, "customer:incomplete:export")
    assert sorted((e["format"], e["rows"]) for e in exported) == [
        ("csv", 1), ("json", 1), ("xlsx", 1)
    ]  # fmt: skip
    assert "贵州缺资信有限公司" not in json.dumps(exported, ensure_ascii=False)
    assert len(_events(api, "customer:completeness:read")) == 2


def test_an_expired_license_shows_as_expired_until_a_valid_one_is_filed(api: Api) -> None:
    _fix_the_day(api)
    customer = _open(api.client, "贵州过期执照有限公司", category="existing")
    old = _file(api.client, customer, "business_license", issued_on="2016-06-01",
                expires_on="2026-05-31")  # fmt: skip
    license_ = _by_type(_state(api.client, customer))["business_license"]
    assert license_ | {"document_id": old} == {
        "doc_type": "business_license", "year": None, "state": "expired", "document_id": old,
        "expires_on": "2026-05-31", "due_on": None,
    }  # fmt: skip
    [row] = _report(api.client).json()["items"]
    assert [(g["doc_type"], g["state"]) for g in row["gaps"]] == [("business_license", "expired")]
    rows = list(csv.reader(io.StringIO(_report(api.client, "csv").content.decode("utf-8-sig"))))
    assert rows[1][7] == "营业执照 business license (2026-05-31)"

    # Expiring on the day asked, it still counts that day.
    renewed = _file(api.client, customer, "business_license", issued_on="2016-06-01",
                    expires_on=TODAY)  # fmt: skip
    assert _by_type(_state(api.client, customer))["business_license"] | {"state": "?"} == {
        "doc_type": "business_license", "year": None, "state": "?", "document_id": renewed,
        "expires_on": TODAY, "due_on": None,
    }  # fmt: skip
    assert _state(api.client, customer)["complete"] is True
    assert _report(api.client).json()["items"] == []


def test_another_departments_customer_never_appears_in_the_report(api: Api) -> None:
    _fix_the_day(api)
    other, keeper = api.archivist_elsewhere()
    theirs = _open(keeper, "毕节他部有限公司", category="new")
    ours = _open(api.client, "本部缺件有限公司", category="new")

    for form in ("json", "csv", "xlsx"):
        assert "毕节他部有限公司".encode() not in _report(api.client, form).content
        assert theirs.encode() not in _report(api.client, form).content
    assert [r["customer_id"] for r in _report(api.client).json()["items"]] == [ours]
    # Asked for by department, the other one's files are simply not there.
    assert _report(api.client, department_id=other).json() == {
        "as_of": TODAY, "total": 0, "items": []
    }  # fmt: skip
    assert keeper.get(f"/api/v1/customers/{ours}/completeness").status_code == 404
    # Its own archivist sees it, and a company-wide reader sees both, by department.
    assert [r["customer_id"] for r in _report(keeper).json()["items"]] == [theirs]
    add_user(api.admin, "director", None, "secret", "marketing_director", company_wide=True)
    director = TestClient(api.client.app)
    sign_in(director, "director", USER_PASSWORD)
    both = _report(director).json()["items"]
    assert sorted(r["customer_id"] for r in both) == sorted([ours, theirs])
    exported = _events(api, "customer:incomplete:export")
    covered = [sorted(e["target"]["departments"]) for e in exported]
    assert sorted([api.department, other]) in covered


def test_a_lower_clearance_learns_nothing_of_a_secret_document_through_completeness(
    api: Api,
) -> None:
    _fix_the_day(api)
    customer = _open(api.client, "遵义密件有限公司")  # no category: only a license is required
    secret = _file(api.client, customer, "business_license", title="绝密执照 TOPSECRET",
                   secrecy="secret", issued_on="2020-01-01", expires_on="2040-01-01")  # fmt: skip
    add_user(api.admin, "low", api.department, "internal", "sales")
    low = TestClient(api.client.app)
    sign_in(low, "low", USER_PASSWORD)

    # To the archivist, cleared for it, the file is complete, by that license.
    high = _by_type(_state(api.client, customer))["business_license"]
    assert (high["state"], high["document_id"]) == ("present", secret)
    assert _report(api.client).json()["items"] == []

    # To the salesperson the file lacks a license: nothing says one exists, nor when it ends.
    seen = low.get(f"/api/v1/customers/{customer}/completeness")
    assert seen.status_code == 200
    assert _by_type(seen.json())["business_license"] == {
        "doc_type": "business_license", "year": None, "state": "missing", "document_id": None,
        "expires_on": None, "due_on": None,
    }  # fmt: skip
    for text in [seen.text] + [_report(low, f).text for f in ("json", "csv")]:
        for hidden in (secret, "2040-01-01", "TOPSECRET"):
            assert hidden not in text
    [row] = _report(low).json()["items"]
    assert [(g["doc_type"], g["state"]) for g in row["gaps"]] == [("business_license", "missing")]
