"""Disposal in the browser: due documents are chosen and requested with a reason, approved by
the department head and another archivist (the requester cannot), executed, and the
certificate is offered for download."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.archive_api.conftest import add_user
from tests.browser.conftest import Person, Visit
from tests.browser.test_retention import _file

REASON = "保管期满，经鉴定无保存价值"


def _as(visit: Visit, signed_in: str, who: str, language: str, url: str) -> None:
    """Sign out (the button named in the language shown) and open `url` as `who`."""
    visit.page.get_by_role("button", name=signed_in).click()
    visit.page.locator("#username").wait_for()
    visit.sign_in(who, language)
    visit.go(url)


def _approve(visit: Visit, label: str) -> None:
    with visit.page.expect_response(lambda r: r.url.endswith("/decision") and r.status == 200):
        visit.page.get_by_role("button", name=label).click()


def test_a_disposal_is_requested_approved_by_two_others_and_executed(visit: Visit) -> None:
    page, company = visit.page, visit.company
    if "keeper" not in company.people:  # a second archivist of department A, to approve
        add_user(
            company.admin, "zhou.min", company.departments["A"], "secret", "archivist",
            display_name="周敏",
        )  # fmt: skip
        company.people["keeper"] = Person("zhou.min", "周敏")
    name = f"遵义{uuid.uuid4().hex[:6]}销毁有限公司"
    customer = _file(visit, name)

    # The archivist chooses both due documents and asks for their disposal, with the reason.
    visit.sign_in("archivist", "zh")
    page.get_by_role("link", name="保管期限").click()
    rows = page.locator(".disposal-list .ant-table-row", has_text=name)
    expect(rows).to_have_count(2)
    for row in (rows.nth(0), rows.nth(1)):
        row.locator(".ant-checkbox-input").check()
    page.get_by_role("button", name="申请销毁（2）").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("原因").fill(REASON)
    with page.expect_response(lambda r: r.url.endswith("/disposals") and r.status == 201):
        dialog.get_by_role("button", name="申请销毁").click()
    expect(page.locator(".disposal-state")).to_have_text("待审批")
    expect(page.locator(".disposal-items .ant-table-row")).to_have_count(2)
    # The requester is offered no approval.
    expect(page.locator(".disposal-approve")).to_have_count(0)
    url = page.url.removeprefix(company.url)
    visit.shot("disposal-requested-zh")

    # The department head approves, in English.
    _as(visit, "退出登录", "dept_head", "en", url)
    _approve(visit, "Approve")
    expect(page.locator(".disposal-state")).to_have_text("Pending")
    expect(page.locator(".disposal")).to_contain_text("Awaited")
    expect(page.locator(".disposal-execute")).to_have_count(0)  # heads do not execute

    # The other archivist gives the second approval.
    _as(visit, "Sign out", "keeper", "zh", url)
    _approve(visit, "批准")
    expect(page.locator(".disposal-state")).to_have_text("已批准")

    # The requester executes it, confirming; the items become tombstones with their hashes.
    _as(visit, "退出登录", "archivist", "zh", url)
    page.locator(".disposal-execute").click()
    with page.expect_response(lambda r: r.url.endswith("/execute") and r.status == 200):
        page.locator(".disposal-execute-confirm").click()
    expect(page.locator(".disposal-state")).to_have_text("已销毁")
    items = page.locator(".disposal-items .ant-table-row")
    expect(items.filter(has_text="已销毁（仅存记录）")).to_have_count(2)
    expect(items.locator(".disposal-sha")).to_have_count(2)
    expect(page.locator(".certificate-sha")).to_have_text(re.compile(r"[0-9a-f]{64}"))
    href = f"/api/v1{url.removeprefix('/retention')}/certificate.pdf"
    expect(page.locator(".disposal-certificate")).to_have_attribute("href", href)
    pdf = page.request.get(f"{company.url}{href}")  # the download, with the page's session
    assert pdf.ok
    assert pdf.body().startswith(b"%PDF")
    visit.shot("disposal-executed-zh")

    # On the file, the documents are tombstones: no title, the day they were disposed of.
    visit.go(f"/customers/{customer}")
    expect(page.locator(".doc-group .doc-disposed")).to_have_count(2)
    expect(page.locator(".doc-group", has_text="往来函 2019")).to_have_count(0)

    # The documents are no longer due; the request is listed as disposed of.
    page.get_by_role("link", name="保管期限").click()
    expect(page.locator(".disposal-list .ant-table-row", has_text=name)).to_have_count(0)
    page.locator(".disposal-requests-link").click()
    listed = page.locator(".disposal-requests .ant-table-row").first
    expect(listed).to_contain_text("已销毁")
