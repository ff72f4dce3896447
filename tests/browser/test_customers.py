"""Customers in the browser: open a file, upload a license and a statement, find it again."""

from __future__ import annotations

import io
import re
import uuid

from playwright.sync_api import FilePayload, Page, expect

from tests.archive_api.test_credit import YEARS
from tests.browser.conftest import Visit
from tests.factories import license_image, random_uscc
from tests.statements import statement_pdf

SLOW = 90_000  # ms: a scan is read by OCR in the background, on a busy machine


def _license_png(name: str, uscc: str) -> bytes:
    image, _ = license_image(name, uscc)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(300, 300))
    return out.getvalue()


def _drop(page: Page, target: str, name: str, content: bytes) -> None:
    """Drop a file onto `target` as a desktop's file manager does."""
    transfer = page.evaluate_handle(
        """([name, bytes]) => {
            const transfer = new DataTransfer();
            const file = new File([new Uint8Array(bytes)], name, {type: "application/pdf"});
            transfer.items.add(file);
            return transfer;
        }""",
        [name, list(content)],
    )
    for event in ("dragenter", "dragover", "drop"):
        page.dispatch_event(target, event, {"dataTransfer": transfer})


def _search(page: Page, text: str) -> None:
    box = page.locator("#customer-query")
    box.fill(text)
    with page.expect_response(lambda r: "/api/v1/customers?" in r.url and "q=" in r.url):
        box.press("Enter")
    expect(page.locator(".ant-table-wrapper .ant-spin-spinning")).to_have_count(0)


def _customers(page: Page, label: str) -> None:
    # Through the menu: a page load would cut off the desk's requests still under way.
    page.get_by_role("menuitem", name=label).click()
    page.locator("#customer-query").wait_for()


def _sign_out(page: Page, label: str) -> None:
    page.get_by_role("button", name=label).click()
    page.locator("#username").wait_for()


def test_open_a_file_upload_and_find_it_only_in_its_department(visit: Visit) -> None:
    page = visit.page
    # Unique, and all Chinese: the license scan is read back by OCR, which the name must survive.
    digits = "".join("零一二三四五六七八九"[int(d)] for d in str(uuid.uuid4().int)[:6])
    name = f"贵州{digits}电子有限公司"
    code = random_uscc()
    visit.expect_problem(r"409")  # the second file with the same code, refused on purpose

    # The archivist opens a new customer file; the code is checked as it is typed.
    visit.sign_in("archivist", "zh")
    _customers(page, "客户档案")
    page.get_by_role("button", name="新建客户档案").click()
    page.get_by_label("客户名称").fill(name)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    page.get_by_label("统一社会信用代码").fill(wrong)
    page.get_by_text("校验码不正确，请核对").wait_for()
    page.get_by_label("统一社会信用代码").fill(code[:10])
    page.get_by_text("应为 18 位（已输入 10 位）").wait_for()
    page.get_by_label("统一社会信用代码").fill(code.lower())
    expect(page.get_by_text("校验码不正确，请核对")).to_have_count(0)
    expect(page.get_by_label("所属部门")).to_be_visible()
    page.get_by_role("button", name="建立档案").click()
    page.locator(".customer-name", has_text=name).wait_for()
    file_url = page.url
    assert "/customers/" in file_url
    page.get_by_text(code).wait_for()  # kept in capitals
    page.get_by_text("王芳").first.wait_for()  # the custodian by name, not by id
    page.get_by_text("销售一部").first.wait_for()
    # No category chosen: of what the configuration requires, only a license applies.
    completeness = page.locator(".completeness")
    expect(completeness.locator(".completeness-summary")).to_have_text("缺少 1 项")
    expect(completeness.locator("[data-state=missing]")).to_have_count(1)

    # Two files at once through the file chooser (one Dangan does not take), one dropped.
    page.get_by_role("button", name="上传文件").click()
    chosen: list[FilePayload] = [
        {"name": "营业执照.png", "mimeType": "image/png", "buffer": _license_png(name, code)},
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not a scan"},
    ]
    page.locator(".upload input[type=file]").set_input_files(chosen)
    statement = statement_pdf(name, 2023, YEARS[2023], YEARS[2022])
    _drop(page, ".upload .ant-upload-btn", "2023年财务报表.pdf", statement)
    rows = page.locator(".upload-files .ant-table-row")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator(".doc-type")).to_contain_text("营业执照")
    expect(rows.nth(1).locator(".upload-error")).to_have_text(
        "不支持此文件类型（仅支持 PDF, JPEG, PNG, TIFF, WebP）"
    )
    expect(rows.nth(2).locator(".doc-type")).to_contain_text("财务报表")
    page.get_by_role("button", name="开始上传").click()
    for row in (rows.nth(0), rows.nth(2)):
        expect(row.locator("[data-stage=sent]")).to_be_visible(timeout=SLOW)
        expect(row.locator(".ant-progress")).to_contain_text("100%")
    # The reading's outcome appears on each upload once the server has finished it.
    expect(rows.nth(2).locator(".extraction-done")).to_be_visible(timeout=SLOW)
    expect(rows.nth(0).locator(".extraction-done, .extraction-failed")).to_be_visible(timeout=SLOW)

    # Both are listed under their types, with secrecy, version and upload time.
    license_group = page.locator("[data-doc-type=business_license]")
    statement_group = page.locator("[data-doc-type=financial_statement]")
    expect(license_group.locator(".ant-table-row", has_text="营业执照")).to_have_count(1)
    expect(statement_group.locator(".ant-table-row", has_text="2023年财务报表")).to_have_count(1)
    expect(statement_group).to_contain_text("内部")
    expect(statement_group).to_contain_text("第 1 版")
    expect(statement_group.locator(".extraction-done")).to_be_visible(timeout=SLOW)
    expect(completeness.locator(".completeness-summary")).to_have_text("资料齐全")
    visit.shot("customers-upload-zh")
    page.get_by_role("button", name="关闭").click()
    # No industry yet: ratings would use the default table. The archivist records it.
    page.get_by_text("未登记（信用评级按默认参照表）").wait_for()
    page.get_by_role("button", name="修改基本信息").click()
    page.get_by_role("combobox", name="所属行业").fill("白酒")
    page.get_by_label("修改原因").fill("登记所属行业")
    page.get_by_role("button", name="保存修改").click()
    page.locator(".master-data span[translate=no]", has_text="白酒").wait_for()
    visit.shot("customers-file-zh")

    # Choosing documents carries them to the borrowing request.
    statement_group.get_by_label("选择 2023年财务报表").check()
    page.get_by_role("button", name="申请借阅所选文件（1）").click()
    customer_id = file_url.rsplit("/", 1)[1]
    page.wait_for_url(
        re.compile(rf"/borrowings/new\?customer={customer_id}&documents=[0-9a-f-]{{36}}$")
    )

    # Found by name and by code.
    _customers(page, "客户档案")
    _search(page, name[2:8])
    table = page.locator(".ant-table-tbody")
    expect(table.locator(".ant-table-row")).to_have_count(1)
    expect(table.locator(".ant-table-row")).to_contain_text(code)
    expect(table.locator(".ant-table-row")).to_contain_text("王芳")
    _search(page, code.lower())
    expect(table.locator(".ant-table-row", has_text=name)).to_have_count(1)
    visit.shot("customers-search-zh")

    # One file per code: the server's refusal is said in Chinese.
    page.get_by_role("button", name="新建客户档案").click()
    page.get_by_label("客户名称").fill("另一家公司")
    page.get_by_label("统一社会信用代码").fill(code)
    page.get_by_role("button", name="建立档案").click()
    page.get_by_role("alert").get_by_text("该统一社会信用代码已有客户档案").wait_for()

    # Someone of department B finds it neither by name nor by code.
    _sign_out(page, "退出登录")
    visit.sign_in("other_sales", "zh")
    _customers(page, "客户档案")
    for text in (name, code):
        _search(page, text)
        expect(page.get_by_text("没有符合条件的客户")).to_be_visible()
        expect(page.locator(".ant-table-row")).to_have_count(0)

    # A credit manager sees the license as read, and takes it into the record.
    _sign_out(page, "退出登录")
    visit.sign_in("credit", "zh")
    _customers(page, "客户档案")
    _search(page, code)
    page.get_by_role("link", name=name).click()
    license_card = page.locator(".license")
    expect(license_card).to_contain_text("营业执照识别结果")
    expect(license_card).to_contain_text(name)
    expect(license_card).to_contain_text(code)
    expect(page.get_by_role("button", name="信用评估")).to_be_visible()
    license_card.get_by_role("button", name="采用识别结果").click()
    expect(license_card.get_by_text("已采用识别结果")).to_be_visible()
    # Its legal representative is taken into the master data, and the history says from where.
    expect(page.locator(".master-data")).to_contain_text("张三")
    expect(page.locator(".customer-history")).to_contain_text("采用营业执照识别结果")
    visit.shot("customers-license-zh")

    # The same pages in English.
    _sign_out(page, "退出登录")
    visit.sign_in("archivist", "en")
    _customers(page, "Customers")
    _search(page, name)
    expect(page.locator(".ant-table-row", has_text=name)).to_have_count(1)
    page.get_by_role("columnheader", name="Custodian").wait_for()
    visit.shot("customers-search-en")
    page.get_by_role("link", name=name).click()
    page.locator("[data-doc-type=financial_statement]").get_by_text(
        "Financial statement"
    ).wait_for()
    expect(page.locator("[data-doc-type=financial_statement] .extraction-done")).to_have_text(
        "Read"
    )
    expect(page.locator(".completeness .completeness-summary")).to_have_text("Nothing is missing")
    visit.shot("customers-file-en")
    # At tablet width the file still reads: the tables scroll rather than squeeze.
    page.set_viewport_size({"width": 768, "height": 1024})
    expect(page.get_by_role("button", name="Upload files")).to_be_visible()
    visit.shot("customers-file-tablet-en")
