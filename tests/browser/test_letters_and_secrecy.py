"""A collection letter's details and a secrecy proposal in the browser: the letter shows its
channel, recipient and escalation level and is corrected by the archivist; a salesperson
proposes a lower level, the department head approves it with a reason and marks the customer
important."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.browser.conftest import Visit
from tests.factories import fake_file


def test_a_letters_level_is_corrected_and_a_proposed_level_approved(visit: Visit) -> None:
    page = visit.page
    name = f"遵义{uuid.uuid4().hex[:6]}酒业有限公司"
    customer = visit.company.customer(name)
    keeper = visit.company.as_user("archivist")
    try:
        sent = keeper.post(
            f"/api/v1/customers/{customer}/documents",
            data={"doc_type": "collection_letter", "title": "催款函 2026-10", "channel": "fax",
                  "direction": "outgoing", "recipient": "遵义酒业财务部", "escalation_level": "3",
                  "issued_on": "2026-10-08"},
            files={"file": ("letter.pdf", fake_file("pdf", 2600), "application/pdf")},
        )  # fmt: skip
        # A first reminder by e-mail, which the file's filters must leave out.
        first = keeper.post(
            f"/api/v1/customers/{customer}/documents",
            data={"doc_type": "collection_letter", "title": "提醒函 2026-08", "channel": "email",
                  "direction": "outgoing", "escalation_level": "1", "issued_on": "2026-08-03"},
            files={"file": ("reminder.pdf", fake_file("pdf", 2700), "application/pdf")},
        )  # fmt: skip
    finally:
        keeper.close()
    assert sent.status_code == 201, sent.text
    assert first.status_code == 201, first.text

    # The archivist sees the letter's details and corrects its level.
    visit.sign_in("archivist", "zh")
    visit.go(f"/customers/{customer}")
    letters = page.locator("[data-doc-type=collection_letter]")
    row = letters.locator(".ant-table-row", has_text="催款函 2026-10")
    expect(row.locator(".letter-summary")).to_contain_text("传真")
    expect(row.locator(".letter-summary")).to_contain_text("去函")
    expect(row.locator(".letter-level")).to_have_text("第 3 级：第三次提醒信")
    expect(row.locator(".letter-parties")).to_have_text("→ 遵义酒业财务部")
    row.locator(".letter-edit-open").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("combobox", name="催款级别: 催款函 2026-10").click()
    page.locator(".ant-select-item-option", has_text="最后提醒信").click()
    dialog.get_by_label("修改原因（可选）").fill("寄出的是第四封")
    with page.expect_response(lambda r: r.request.method == "PATCH" and r.status == 200):
        dialog.get_by_role("button", name="修改").click()
    expect(row.locator(".letter-level")).to_have_text("第 4 级：最后提醒信")
    visit.shot("letters-zh")

    # The file's letters narrowed by channel, then by escalation level.
    rows = letters.locator(".ant-table-row")
    expect(rows).to_have_count(2)
    page.locator(".doc-filter-channel").click()
    page.locator(".ant-select-item-option", has_text="传真").click()
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("催款函 2026-10")
    page.locator(".doc-filter-level").click()
    page.locator(".ant-select-item-option", has_text="首次提醒信").click()
    expect(page.locator(".documents .ant-empty")).to_contain_text("没有符合筛选条件的文件")
    visit.shot("letters-filtered-zh")
    page.locator(".doc-filter-level .ant-select-clear").click()
    page.locator(".doc-filter-channel .ant-select-clear").click()
    expect(rows).to_have_count(2)

    # A salesperson proposes that the letter be public, with the reason.
    page.get_by_role("button", name="退出登录").click()
    page.locator("#username").wait_for()
    visit.sign_in("sales", "zh")
    visit.go(f"/customers/{customer}")
    row.locator(".propose-secrecy").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("combobox", name="建议密级").click()
    page.locator(".ant-select-item-option", has_text="公开").click()
    dialog.get_by_label("理由").fill("催款函已送达客户")
    with page.expect_response(lambda r: r.request.method == "POST" and r.status == 201):
        dialog.get_by_role("button", name="提出密级建议").click()

    # The department head lowers it only with a reason, and marks the customer important.
    page.get_by_role("button", name="退出登录").click()
    page.locator("#username").wait_for()
    visit.sign_in("dept_head", "en")
    visit.go("/customers/secrecy-proposals")
    proposal = page.locator(".secrecy-proposals .ant-table-row", has_text=name)
    expect(proposal).to_contain_text("催款函 2026-10")
    expect(proposal).to_contain_text("张三")
    proposal.get_by_role("button", name="Approve").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Approve a lower level (give the reason)").click()
    expect(dialog.locator(".ant-form-item-explain-error")).to_be_visible()
    dialog.get_by_label("Reason").fill("Delivered to the customer")
    with page.expect_response(lambda r: "/decision" in r.url and r.status == 200):
        dialog.get_by_role("button", name="Approve a lower level (give the reason)").click()
    expect(page.get_by_text("No secrecy proposals")).to_be_visible()
    visit.shot("secrecy-proposals-en")
    visit.go(f"/customers/{customer}")
    expect(letters.locator(".ant-table-row", has_text="催款函 2026-10")).to_contain_text("Public")
    page.get_by_role("button", name="Mark as important").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Reason").fill("Contracts above the threshold three years running")
    with page.expect_response(lambda r: r.url.endswith("/important") and r.status == 200):
        dialog.get_by_role("button", name="Mark as important").click()
    expect(page.locator(".customer-name + .ant-tag, .important").first).to_be_visible()
    visit.go("/customers")
    page.get_by_label("Important").click()
    page.locator(".ant-select-item-option", has_text="Important only").click()
    expect(page.locator(".ant-table-row", has_text=name).locator(".important")).to_be_visible()
