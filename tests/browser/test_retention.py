"""Retention in the browser: what is due is listed for the archivist; a hold set on a document
or a contract moves it to the held list, shows on the file, and is lifted with a reason."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.browser.conftest import Visit
from tests.factories import fake_file


def _file(visit: Visit, name: str) -> str:
    """A customer with a letter of 2019 (5 years: due) and a contract ended 2015 (10: due)."""
    customer = visit.company.customer(name)
    archivist = visit.company.as_user("archivist")
    try:
        for title, fields in (
            ("往来函 2019", {"doc_type": "correspondence", "issued_on": "2019-03-01"}),
            ("购销合同 HT-9", {"doc_type": "contract", "issued_on": "2014-01-01",
                               "expires_on": "2015-12-31", "contract_no": "HT-9"}),
        ):  # fmt: skip
            stored = archivist.post(
                f"/api/v1/customers/{customer}/documents",
                data={"title": title, **fields},
                files={"file": ("f.pdf", fake_file("pdf", 1500), "application/pdf")},
            )
            assert stored.status_code == 201, stored.text
    finally:
        archivist.close()
    return customer


def test_a_hold_keeps_a_due_document_off_the_disposal_list_until_lifted(visit: Visit) -> None:
    page = visit.page
    name = f"遵义{uuid.uuid4().hex[:6]}贸易有限公司"
    customer = _file(visit, name)

    # The archivist sees both documents due, with the rule each is due under.
    visit.sign_in("archivist", "zh")
    page.get_by_role("link", name="保管期限").click()
    mine = page.locator(".disposal-list .ant-table-row", has_text=name)
    expect(mine).to_have_count(2)
    contract = mine.filter(has_text="购销合同 HT-9")
    expect(contract).to_contain_text("10 年")
    expect(contract).to_contain_text("期满日 2015-12-31")
    expect(contract).to_contain_text("2025-12-31")
    visit.shot("retention-due-zh")

    # On the file, the archivist holds the letter, with a reason.
    visit.go(f"/customers/{customer}")
    letter = page.locator(".doc-group .ant-table-row", has_text="往来函 2019")
    letter.get_by_role("button", name="保全此文件").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("原因").fill("诉讼保全（2026）黔01民初1号")
    with page.expect_response(lambda r: r.request.method == "POST" and r.status == 201):
        dialog.get_by_role("button", name="保全文件：往来函 2019").click()
    expect(letter.locator(".doc-held")).to_have_text("保全中")
    holds = page.locator(".legal-holds")
    expect(holds).to_contain_text("诉讼保全（2026）黔01民初1号")
    expect(holds).to_contain_text("王芳")
    visit.shot("retention-file-held-zh")

    # The department head, in English, holds the contract.
    page.get_by_role("button", name="退出登录").click()
    page.locator("#username").wait_for()
    visit.sign_in("dept_head", "en")
    visit.go(f"/customers/{customer}")
    page.get_by_role("button", name="Put under legal hold").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Contract", exact=True).check()
    dialog.get_by_label("Contract number").click()
    page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="HT-9"]').click()
    expect(dialog.locator(".ant-select:has(#hold_contract_no)")).to_contain_text("HT-9")
    dialog.get_by_label("Reason for the hold").fill("Contract dispute with the supplier")
    with page.expect_response(lambda r: r.request.method == "POST" and r.status == 201):
        dialog.get_by_role("button", name="Put under legal hold").click()
    expect(page.locator(".legal-holds .ant-table-row")).to_have_count(2)
    contract_row = page.locator(".doc-group .ant-table-row", has_text="购销合同 HT-9")
    expect(contract_row.locator(".doc-held")).to_have_text("Under hold")
    visit.shot("retention-file-held-en")

    # Neither is due any more: both are listed as held, with their holds.
    page.get_by_role("link", name="Retention").click()
    expect(page.locator(".disposal-list .ant-table-row", has_text=name)).to_have_count(0)
    page.get_by_role("tab", name="Due but held").click()
    held = page.locator(".disposal-list .ant-table-row", has_text=name)
    expect(held).to_have_count(2)
    expect(held.filter(has_text="HT-9")).to_contain_text("Contract dispute with the supplier")
    visit.shot("retention-held-en")

    # Lifting the letter's hold needs a reason; it is kept, lifted, as history.
    visit.go(f"/customers/{customer}")
    row = page.locator(".legal-holds .ant-table-row", has_text="诉讼保全")
    row.get_by_role("button", name="Lift the hold").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Lift the hold").click()
    expect(dialog.locator(".ant-form-item-explain-error")).to_have_text("Please fill this in")
    dialog.get_by_label("Reason").fill("Lawsuit withdrawn")
    with page.expect_response(lambda r: r.url.endswith("/lift") and r.status == 200):
        dialog.get_by_role("button", name="Lift the hold").click()
    expect(row).to_contain_text("Lifted by 赵磊")
    expect(row).to_contain_text("Lawsuit withdrawn")
    expect(
        page.locator(".doc-group .ant-table-row", has_text="往来函 2019").locator(".doc-held")
    ).to_have_count(0)
    visit.shot("retention-lifted-en")

    page.get_by_role("link", name="Retention").click()
    due = page.locator(".disposal-list .ant-table-row", has_text=name)
    expect(due).to_have_count(1)
    expect(due).to_contain_text("往来函 2019")
