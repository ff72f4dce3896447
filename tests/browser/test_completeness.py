"""A customer file's completeness and the report of incomplete files in the browser, in both
languages: what is missing or expired, the report downloaded, nothing of another department."""

from __future__ import annotations

import io
import uuid
from datetime import date, timedelta

import httpx
import openpyxl
from playwright.sync_api import expect

from tests.browser.conftest import Company, Visit
from tests.factories import fake_file, random_uscc


def _file(client: httpx.Client, customer: str, doc_type: str, **fields: str) -> None:
    response = client.post(
        f"/api/v1/customers/{customer}/documents",
        data={"doc_type": doc_type, "title": doc_type, **fields},
        files={"file": ("scan.pdf", fake_file("pdf", 2000), "application/pdf")},
    )
    assert response.status_code == 201, response.text


def _new_customer_lacking_its_bank_reference(company: Company, name: str) -> str:
    """A new customer with a license that expired ten days ago, a tax certificate and a credit
    application, and no bank reference."""
    today = date.today()
    client = company.as_user("archivist")
    try:
        created = client.post(
            "/api/v1/customers", json={"name": name, "uscc": random_uscc(), "category": "new"}
        )
        assert created.status_code == 201, created.text
        customer = str(created.json()["id"])
        expired, issued = (today - timedelta(days=days) for days in (10, 30))
        _file(client, customer, "business_license", issued_on="2016-01-04", expires_on=str(expired))
        _file(client, customer, "tax_certificate", issued_on=str(issued))
        _file(client, customer, "credit_application")
    finally:
        client.close()
    return customer


def test_the_file_shows_its_gaps_and_the_report_lists_it_in_both_languages(visit: Visit) -> None:
    page = visit.page
    name = f"贵州{uuid.uuid4().hex[:6]}缺件有限公司"
    customer = _new_customer_lacking_its_bank_reference(visit.company, name)

    visit.sign_in("archivist", "zh")
    visit.go(f"/customers/{customer}")
    card = page.locator(".completeness")
    expect(card.locator(".completeness-summary")).to_have_text("缺少 1 项，已过期 1 项")
    rows = card.locator(".ant-table-row")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("银行资信证明")
    expect(rows.nth(0).locator("[data-state=missing]")).to_have_text("缺少")
    expect(rows.nth(1)).to_contain_text("营业执照")
    expect(rows.nth(1).locator("[data-state=expired]")).to_have_text("已过期")
    expect(rows.nth(1)).to_contain_text("已于")
    expect(card.locator("[data-state=present]")).to_have_count(2)
    card.scroll_into_view_if_needed()
    visit.shot("completeness-file-zh")

    page.get_by_role("menuitem", name="客户档案").click()
    page.get_by_role("button", name="不完整档案").click()
    row = page.locator(".incomplete-files .ant-table-row", has_text=name)
    expect(row).to_contain_text("银行资信证明")
    expect(row).to_contain_text("营业执照")
    expect(row).to_contain_text("王芳")
    expect(page.locator(".incomplete-files .ant-spin-spinning")).to_have_count(0)
    visit.shot("incomplete-files-zh")
    with page.expect_download() as downloading:
        page.get_by_role("link", name="下载 XLSX").click()
    book = openpyxl.load_workbook(io.BytesIO(downloading.value.path().read_bytes()))
    [found] = [r for r in book.worksheets[0].iter_rows(values_only=True) if r[2] == name]
    assert found[6] == "银行资信证明 bank reference"
    assert str(found[7]).startswith("营业执照 business license (")

    page.get_by_role("button", name="退出登录").click()
    page.locator("#username").wait_for()
    visit.sign_in("archivist", "en")
    visit.go(f"/customers/{customer}")
    expect(card.locator(".completeness-summary")).to_have_text("1 missing, 1 expired")
    expect(rows.nth(0).locator("[data-state=missing]")).to_have_text("Missing")
    card.scroll_into_view_if_needed()
    visit.shot("completeness-file-en")
    visit.go("/customers/incomplete")
    expect(page.locator(".incomplete-files .ant-table-row", has_text=name)).to_contain_text(
        "Bank reference"
    )
    expect(page.locator(".incomplete-files .ant-spin-spinning")).to_have_count(0)
    visit.shot("incomplete-files-en")

    # Department B's salesperson never sees the file in the report.
    page.get_by_role("button", name="Sign out").click()
    page.locator("#username").wait_for()
    visit.sign_in("other_sales", "zh")
    visit.go("/customers/incomplete")
    expect(page.locator(".incomplete-files .ant-table")).to_be_visible()
    expect(page.locator(".incomplete-files .ant-spin-spinning")).to_have_count(0)
    expect(page.get_by_text(name)).to_have_count(0)
