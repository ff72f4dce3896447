"""The half-yearly contract statistics (due 10 January and 10 July): per department, the half
year's signed contracts counted and summed by kind, status and currency, as XLSX and a Chinese
PDF, over only what the caller may report on."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

import pdfplumber
import pikepdf
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.archive_api.conftest import USER_PASSWORD, Api, Cast, add_user, audit_events, sign_in
from tests.archive_api.test_contracts import contract
from tests.factories import random_uscc

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ledger(api: Api, cast: Cast) -> TestClient:
    api.backends.clock = lambda: datetime(2026, 7, 3, 4, 0, tzinfo=UTC)
    keeper = cast.add("keeper", "credit_manager")
    customer = api.customer()
    signed = {"status": "signed"}
    contract(keeper, customer, **signed, signed_on="2026-01-05", amount="1000.10")
    contract(keeper, customer, **signed, signed_on="2026-06-30", amount="2000.20")
    contract(keeper, customer, status="performing", signed_on="2026-03-01", amount="300")
    contract(keeper, customer, **signed, signed_on="2026-04-01", amount="50", currency="USD")
    contract(keeper, customer, status="performing", signed_on="2026-02-01")  # no amount given
    contract(keeper, customer, **signed, signed_on="2026-07-01", amount="99999")  # next half
    contract(keeper, customer, amount="77777")  # a draft: not signed in the half year
    # A secret customer's contract: counted only for those cleared for it.
    secret = api.client.post(
        "/api/v1/customers", json={"name": "绝密", "uscc": random_uscc(), "secrecy": "secret"}
    ).json()["id"]
    contract(keeper, secret, **signed, signed_on="2026-05-05", amount="400000")
    return keeper


def test_the_half_year_xlsx_opens_with_the_right_totals(api: Api, cast: Cast) -> None:
    keeper = _ledger(api, cast)
    response = keeper.get("/api/v1/contracts/statistics?year=2026&half=1&format=xlsx")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    assert "contract-statistics-2026H1.xlsx" in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    assert rows[0][0] == "合同统计报表 Contract statistics 2026 上半年 first half"
    assert "2026-07-10" in str(rows[1][0])  # due by 10 July
    assert rows[2] == ("部门 department", "类型 kind", "状态 status", "币种 currency",
                       "份数 count", "金额 amount")  # fmt: skip
    department = "销售一部 Sales A"
    body = {(r[0], r[1], r[2], r[3]): (r[4], Decimal(str(r[5]))) for r in rows[3:]}
    assert body == {
        (department, "正本 original", "已签订 signed", "CNY"): (3, Decimal("403000.30")),
        (department, "正本 original", "履行中 performing", "CNY"): (2, Decimal("300.00")),
        (department, "正本 original", "已签订 signed", "USD"): (1, Decimal("50.00")),
        (department, "合计 total", None, "CNY"): (5, Decimal("403300.30")),
        (department, "合计 total", None, "USD"): (1, Decimal("50.00")),
        ("全部 all", "合计 total", None, "CNY"): (5, Decimal("403300.30")),
        ("全部 all", "合计 total", None, "USD"): (1, Decimal("50.00")),
    }
    # Numbers, so that the spreadsheet sums them.
    assert all(isinstance(r[4], int) and isinstance(r[5], (int, float)) for r in rows[3:])
    [event] = [e for e in audit_events(api.backends) if e["action"] == "contract:statistics:export"]
    assert (event["year"], event["half"], event["format"], event["rows"]) == (2026, 1, "xlsx", 3)

    # A head cleared below the secret file counts without it; a seller may not report.
    add_user(api.admin, "low-head", api.department, "confidential", "dept_head")
    low = TestClient(api.client.app)
    sign_in(low, "low-head", USER_PASSWORD)
    shown = low.get("/api/v1/contracts/statistics?year=2026&half=1").json()
    signed = [r for r in shown["rows"] if (r["status"], r["currency"]) == ("signed", "CNY")]
    assert [(r["count"], r["amount"]) for r in signed] == [(2, "3000.30")]
    refused = cast["seller"].get("/api/v1/contracts/statistics?year=2026&half=1")
    assert refused.status_code == 403
    second = keeper.get("/api/v1/contracts/statistics?year=2026&half=2").json()
    assert (second["starts_on"], second["due_on"]) == ("2026-07-01", "2027-01-10")
    assert [(r["count"], r["amount"]) for r in second["rows"]] == [(1, "99999.00")]
    assert keeper.get("/api/v1/contracts/statistics?year=2026&half=3").status_code == 422


def test_the_half_year_pdf_is_chinese_with_its_font_embedded(api: Api, cast: Cast) -> None:
    keeper = _ledger(api, cast)
    response = keeper.get("/api/v1/contracts/statistics?year=2026&half=1&format=pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = "".join(page.extract_text() for page in pdf.pages)
    for shown in ("合同统计报表", "上半年", "销售一部", "已签订", "履行中", "合计", "403,300.30"):
        assert shown in text, shown
    with pikepdf.open(io.BytesIO(response.content)) as pdf:
        fonts = [f for page in pdf.pages for f in page.Resources.Font.values()]
        assert fonts
        for font in fonts:  # only the CJK font's subsets, each with its outlines embedded
            assert "+WenQuanYiZenHei" in str(font.BaseFont)
            assert len(font.FontDescriptor.FontFile2.read_bytes()) > 1000
