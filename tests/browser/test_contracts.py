"""The contract ledger in the browser, in both languages: a contract registered and numbered by
the server, changed with a reason, listed with its overdue hand-over; nothing of it in another
department."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.conftest import Visit


def test_a_contract_is_registered_changed_and_listed_in_both_languages(visit: Visit) -> None:
    page, company = visit.page, visit.company
    name = f"遵义{uuid.uuid4().hex[:6]}合同有限公司"
    customer = company.customer(name)
    seller = company.as_user("sales")
    try:  # signed 35 days ago and not handed to the credit manager: overdue
        signed = seller.post(
            f"/api/v1/customers/{customer}/contracts",
            json={"title": "年度供货合同", "counterparty": "贵阳对方有限公司", "status": "signed",
                  "signed_on": str(date.today() - timedelta(days=35)), "amount": "125000.5"},
        )  # fmt: skip
        assert signed.status_code == 201, signed.text
    finally:
        seller.close()

    visit.sign_in("credit", "zh")
    visit.go("/contracts/new")
    page.locator("#contract-customer").click()
    page.locator("#contract-customer").fill(name[:8])
    page.locator(".ant-select-item-option", has_text=name).click()
    page.get_by_label("合同名称").fill("技术服务合同")
    page.get_by_label("对方当事人").fill("遵义服务方有限公司")
    page.locator("button.submit").click()
    heading = page.locator(".page.contract h3")
    expect(heading).to_contain_text(re.compile(r"SALES-1-\d{4}-\d{4}"))
    expect(heading).to_contain_text("技术服务合同")
    visit.shot("contract-new-zh")

    page.get_by_role("button", name="修改").click()
    dialog = page.locator(".ant-modal")
    dialog.get_by_label("对方当事人").fill("遵义服务方（集团）有限公司")
    dialog.get_by_label("修改原因").fill("对方更名")
    dialog.get_by_role("button", name="保存").click()
    expect(page.locator(".ant-descriptions")).to_contain_text("遵义服务方（集团）有限公司")
    change = page.locator(".ant-table-row", has_text="对方更名")
    expect(change).to_have_count(1)
    expect(change).to_contain_text("对方当事人: 遵义服务方有限公司 → 遵义服务方（集团）有限公司")
    visit.shot("contract-changed-zh")

    visit.go("/contracts")
    row = page.locator(".ant-table-row", has_text="贵阳对方有限公司")
    expect(row).to_contain_text("125,000.50 CNY")
    expect(row.locator(".ant-tag-error")).to_contain_text("移交信用(合同)管理员")
    visit.shot("contracts-ledger-zh")

    # The customer's file lists both, each opening its contract.
    visit.go(f"/customers/{customer}")
    card = page.locator(".file-contracts")
    expect(card.locator(".ant-table-row")).to_have_count(2)
    yearly = card.locator(".ant-table-row", has_text="年度供货合同")
    expect(yearly).to_contain_text("125,000.50 CNY")
    card.get_by_role("link", name=re.compile(r"SALES-1-")).first.wait_for()
    visit.shot("contracts-of-file-zh")
    card.locator(".ant-table-row", has_text="技术服务合同").get_by_role("link").click()
    expect(page.locator(".page.contract h3")).to_contain_text("技术服务合同")

    page.get_by_role("button", name="退出登录").click()
    page.locator("#username").wait_for()
    visit.sign_in("sales", "en")
    visit.go("/contracts")
    row = page.locator(".ant-table-row", has_text="贵阳对方有限公司")
    expect(row).to_contain_text("Signed")
    expect(row).to_contain_text("To the credit (contract) manager")
    expect(page.locator(".ant-table-row", has_text="遵义服务方")).to_contain_text("Draft")
    visit.shot("contracts-ledger-en")

    # Another department's salesperson sees none of it.
    page.get_by_role("button", name="Sign out").click()
    page.locator("#username").wait_for()
    visit.sign_in("other_sales", "en")
    visit.go("/contracts")
    expect(page.locator(".contracts")).to_be_visible()
    expect(page.locator(".contracts")).not_to_contain_text(name)
