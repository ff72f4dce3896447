"""The customer's master data in the browser: edited with a reason and seen in its history, its
status moved by a department head, and hidden from another department."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.browser.conftest import Visit


def test_a_change_is_kept_in_the_history_and_another_department_sees_nothing(
    visit: Visit,
) -> None:
    page = visit.page
    name = f"贵州{uuid.uuid4().hex[:6]}科技有限公司"
    customer = visit.company.customer(name)

    # The archivist records the customer's legal representative and address, with a reason.
    visit.sign_in("archivist", "zh")
    visit.go(f"/customers/{customer}")
    master = page.locator(".master-data")
    expect(master).to_contain_text("未登记")
    page.get_by_role("button", name="修改基本信息").click()
    page.get_by_label("法定代表人").fill("张伟")
    page.get_by_label("住所").fill("贵州省贵阳市观山湖区长岭北路1号")
    page.get_by_role("button", name="添加股东").click()
    page.get_by_role("textbox", name="股东名称").fill("贵州甲投资有限公司")
    page.get_by_role("textbox", name="持股比例（%）").fill("60")
    # Without a reason nothing is sent.
    page.get_by_role("button", name="保存修改").click()
    page.get_by_text("请填写修改原因").wait_for()
    page.get_by_label("修改原因").fill("按新营业执照补录")
    visit.shot("customer-master-form-zh")
    with page.expect_response(lambda r: r.request.method == "PATCH" and r.status == 200):
        page.get_by_role("button", name="保存修改").click()
    expect(master).to_contain_text("张伟")
    expect(master).to_contain_text("贵州甲投资有限公司 60.00%")

    history = page.locator(".customer-history")
    row = history.locator(".ant-table-row").first
    expect(row).to_contain_text("王芳")
    expect(row).to_contain_text("按新营业执照补录")
    expect(row.locator("[data-field=legal_representative] .after")).to_have_text("张伟")
    expect(row.locator("[data-field=address] .before")).to_have_text("（空）")
    visit.shot("customer-master-zh")

    # The department head moves the prospect to active, with a reason.
    page.get_by_role("button", name="退出登录").click()
    page.locator("#username").wait_for()
    visit.sign_in("dept_head", "en")
    visit.go(f"/customers/{customer}")
    expect(page.locator(".customer-status")).to_have_text("Prospect")
    page.get_by_role("button", name="Move to Active").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Reason").fill("Credit application approved")
    dialog.get_by_role("button", name="Move to Active").click()
    expect(page.locator(".customer-status")).to_have_text("Active")
    newest = page.locator(".customer-history .ant-table-row").first
    expect(newest).to_contain_text("Status changed")
    expect(newest.locator("[data-field=status] .before")).to_have_text("Prospect")
    expect(newest.locator("[data-field=status] .after")).to_have_text("Active")
    expect(newest).to_contain_text("Credit application approved")
    expect(page.locator(".customer-history .ant-table-row")).to_have_count(2)
    visit.shot("customer-master-en")

    # Someone of department B is told the file does not exist.
    visit.expect_problem(r"HTTP 404 GET .*/api/v1/customers/")
    page.get_by_role("button", name="Sign out").click()
    page.locator("#username").wait_for()
    visit.sign_in("other_sales", "zh")
    visit.go(f"/customers/{customer}")
    page.get_by_role("alert").get_by_text("未找到").wait_for()
    expect(page.locator(".master-data")).to_have_count(0)
    expect(page.get_by_text("张伟")).to_have_count(0)
