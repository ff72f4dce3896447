"""Upkeep deadlines in the browser, in both languages: on the customer file and on the desk's
list of my deadlines, after the server's daily round; nothing of them in another department."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from playwright.sync_api import expect

from archive_api.backends import connect
from archive_api.postman import Postman
from tests.archive_api.conftest import embedded_settings
from tests.browser.conftest import Company, Visit
from tests.factories import fake_file


def _license_ending_soon_and_statements_lacking(company: Company, name: str) -> str:
    """An active customer whose license ends in 20 days and whose last year's statements are
    not in; the daily round run over it, as the server's postman does each day."""
    customer = company.customer(name)
    keeper, head = company.as_user("archivist"), company.as_user("dept_head")
    try:
        ends = date.today() + timedelta(days=20)
        filed = keeper.post(
            f"/api/v1/customers/{customer}/documents",
            data={"doc_type": "business_license", "title": "营业执照", "expires_on": str(ends)},
            files={"file": ("scan.pdf", fake_file("pdf", 2000), "application/pdf")},
        )
        assert filed.status_code == 201, filed.text
        moved = head.put(
            f"/api/v1/customers/{customer}/status", json={"status": "active", "reason": "合作"}
        )
        assert moved.status_code == 200, moved.text
    finally:
        keeper.close()
        head.close()
    backends = connect(embedded_settings(company.data), apply_migrations=False)
    try:
        Postman(backends).keep_deadlines()
    finally:
        backends.close()
    return customer


def _sign_out(visit: Visit, label: str) -> None:
    visit.page.get_by_role("button", name=label).click()
    visit.page.locator("#username").wait_for()


def test_the_file_and_the_desk_show_the_deadlines_in_both_languages(visit: Visit) -> None:
    page = visit.page
    name = f"贵州{uuid.uuid4().hex[:6]}期限有限公司"
    customer = _license_ending_soon_and_statements_lacking(visit.company, name)

    visit.sign_in("archivist", "zh")
    visit.go(f"/customers/{customer}")
    card = page.locator(".deadlines")
    rows = card.locator(".ant-table-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("年度财务报表待交")
    expect(rows.nth(0)).to_contain_text("已逾期")
    expect(rows.nth(1)).to_contain_text("营业执照到期")
    expect(rows.nth(1)).to_contain_text("即将到期")
    visit.shot("deadlines-file-zh")

    _sign_out(visit, "退出登录")
    visit.sign_in("dept_head", "en")
    visit.go(f"/customers/{customer}")
    rows = page.locator(".deadlines .ant-table-row")
    expect(rows.nth(0)).to_contain_text("Annual statements due")
    expect(rows.nth(1)).to_contain_text("Business license expires")
    visit.shot("deadlines-file-en")
    visit.go("/")
    mine = page.locator(".my-deadlines")
    expect(mine.locator(".ant-list-item", has_text=name)).to_have_count(2)
    expect(mine).to_contain_text("Coming due")
    visit.shot("deadlines-desk-en")

    _sign_out(visit, "Sign out")
    visit.sign_in("dept_head", "zh")
    visit.go("/")
    expect(page.locator(".my-deadlines .ant-list-item", has_text=name)).to_have_count(2)
    expect(page.locator(".my-deadlines")).to_contain_text("营业执照到期")
    visit.shot("deadlines-desk-zh")

    # Another department's salesperson: none of it on their desk.
    _sign_out(visit, "退出登录")
    visit.sign_in("other_sales", "zh")
    visit.go("/")
    expect(page.locator(".my-deadlines")).to_be_visible()
    expect(page.locator(".my-deadlines")).not_to_contain_text(name)
