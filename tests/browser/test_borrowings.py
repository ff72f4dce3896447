"""Borrowing in the browser: the sales user asks to view a document, the department head
approves in their own browser, the sales user reads the watermarked pages and returns them, and
the archivist finds it in the register and downloads it as CSV."""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pdfplumber
from PIL import Image
from playwright.sync_api import ConsoleMessage, Page, Request, Route

from ingest.viewer import SIDES
from tests.browser.conftest import Company, Visit, open_context
from tests.factories import random_uscc, sample_pdf

# The exact image the viewer shows, read back from the <img> the browser decoded.
SHOWN_IMAGE = """async (img) => {
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  canvas.getContext("2d").drawImage(img, 0, 0);
  return canvas.toDataURL("image/png");
}"""


@contextmanager
def another(visit: Visit) -> Iterator[Visit]:
    """A second person's own browser context, watched for problems like the first."""
    browser = visit.page.context.browser
    assert browser is not None
    context = open_context(browser)
    seen = Visit(context.new_page(), visit.company)
    _track(seen.page)

    def console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            seen.problems.append(f"console {message.type}: {message.text}")

    seen.page.on("console", console)
    seen.page.on("pageerror", lambda error: seen.problems.append(f"page error: {error}"))
    seen.page.on("requestfailed", lambda r: seen.problems.append(f"request failed: {r.url}"))

    def elsewhere(route: Route) -> None:
        seen.problems.append(f"outside: {route.request.url}")
        route.abort()

    context.route(lambda url: not url.startswith(visit.company.url), elsewhere)
    try:
        yield seen
    finally:
        context.close()
    assert seen.unexpected() == [], f"the second browser saw problems: {seen.unexpected()}"


def _prepare(company: Company, name: str = "遵义借阅测试有限公司") -> tuple[str, str]:
    """A customer of department A with one uploaded PDF; returns their ids."""
    # as_user's client is open already (it signed in), so it is closed here, not by `with`.
    archivist = company.as_user("archivist")
    try:
        made = archivist.post("/api/v1/customers", json={"name": name, "uscc": random_uscc()})
        assert made.status_code == 201, made.text
        customer = str(made.json()["id"])
        uploaded = archivist.post(
            f"/api/v1/customers/{customer}/documents",
            data={"doc_type": "financial_statement", "title": "2022 年度财务报表"},
            files={"file": ("statement.pdf", sample_pdf(), "application/pdf")},
        )
        assert uploaded.status_code == 201, uploaded.text
        return customer, str(uploaded.json()["id"])
    finally:
        archivist.close()


def _red(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    """How many pixels in `box` are the watermark's red."""
    raw = image.convert("RGB").crop(box).tobytes()
    pixels = zip(raw[0::3], raw[1::3], raw[2::3], strict=True)
    return sum(1 for r, g, b in pixels if r > 150 and g < 110 and b < 110)


PENDING: dict[int, set[Request]] = {}


def _track(page: Page) -> None:
    """Keep count of the page's requests in flight, so that leaving it can wait for them."""
    pending = PENDING.setdefault(id(page), set())

    # Playwright calls Python functions only, not built-in methods such as set.add.
    def started(request: Request) -> None:
        pending.add(request)

    def ended(request: Request) -> None:
        pending.discard(request)

    page.on("request", started)
    page.on("requestfinished", ended)
    page.on("requestfailed", ended)


def _go(visit: Visit, path: str) -> None:
    """Open a page once the current one has finished its requests (leaving earlier would abort
    them, which the browser reports as failed)."""
    pending = PENDING[id(visit.page)]
    for _ in range(300):
        if not pending:
            break
        visit.page.wait_for_timeout(100)
    visit.page.wait_for_timeout(300)  # a page may ask again once its first answers arrive
    for _ in range(300):
        if not pending:
            break
        visit.page.wait_for_timeout(100)
    visit.go(path)


def _switch_to_english(page: Page) -> None:
    page.locator("label", has_text="English").click()
    page.locator("html[lang=en]").wait_for()
    page.locator(".ant-segmented-item-selected", has_text="English").wait_for()


def test_request_approve_read_the_watermarked_pages_return_and_register(visit: Visit) -> None:
    company, page = visit.company, visit.page
    _track(page)
    customer, document = _prepare(company)

    # The sales user asks to view the statement, from the link the customer file gives.
    visit.sign_in("sales", "zh")
    _go(visit, f"/borrowings/new?customer={customer}&documents={document}")
    page.get_by_text("遵义借阅测试有限公司").first.wait_for()
    page.get_by_role("row", name=re.compile("2022 年度财务报表")).get_by_role("checkbox").wait_for()
    assert (
        page.get_by_role("row", name=re.compile("2022 年度财务报表"))
        .get_by_role("checkbox")
        .is_checked()
    )
    page.get_by_text("按规则：最长 72 小时；审批人：部门负责人").wait_for()
    page.get_by_label("用途").fill("核对客户财务数据")
    page.get_by_role("radio", name="在线查看").check()
    page.get_by_label("时长（小时）").fill("4")
    visit.shot("borrowings-new-zh")
    page.get_by_role("button", name="提交申请").click()
    page.get_by_text("等待：赵磊").wait_for()
    number = page.get_by_role("heading", level=3).inner_text()
    assert re.fullmatch(r"JY\d{8}-[0-9A-F]{6}", number)
    page.get_by_text("待审批").first.wait_for()
    assert page.get_by_role("button", name="同意").count() == 0  # nobody approves their own
    visit.shot("borrowings-detail-zh")

    # The department head approves in their own browser, from the list waiting for them.
    with another(visit) as head:
        head.sign_in("dept_head", "zh")
        _go(head, "/borrowings?scope=to_approve")
        head.page.get_by_role("link", name=number).click()
        head.page.get_by_text("等待：赵磊").wait_for()
        head.page.get_by_role("button", name="同意").click()
        head.page.get_by_role("dialog").get_by_label("原因").fill("同意查看")
        head.page.get_by_role("dialog").get_by_role("button", name="同意").click()
        head.page.get_by_text("赵磊 已同意").wait_for()
        head.page.get_by_text("已批准").first.wait_for()

    # The sales user sees it approved and due, and opens the viewer: no download control there.
    page.reload()
    page.get_by_text("赵磊 已同意").wait_for()
    assert page.get_by_role("link", name=re.compile("下载")).count() == 0
    page.get_by_role("link", name=re.compile("查看")).click()
    shown = page.locator("img.bw-page-image")
    shown.wait_for(state="attached")
    page.get_by_text("页面图像带有您的姓名、借阅编号和时间水印").wait_for()
    # Each page is rendered and stamped on request, the thumbnails' too: that takes a while.
    for _ in range(240):
        if shown.evaluate("img => img.complete && img.naturalWidth > 0"):
            break
        page.wait_for_timeout(500)
    assert shown.is_visible()
    assert page.get_by_role("button", name=re.compile("下载|Download")).count() == 0
    assert page.locator("a[download], a[href*='/content']").count() == 0
    visit.shot("borrowings-viewer-zh")

    # The watermark is on the image itself: compared with the page rendered from the original
    # PDF at the viewer's resolution, the foot band carries the red mark and the clean one not.
    data_url = shown.evaluate(SHOWN_IMAGE)
    viewed = Image.open(io.BytesIO(base64.b64decode(data_url.split(",", 1)[1])))
    with pdfplumber.open(io.BytesIO(sample_pdf())) as pdf:
        first = pdf.pages[0]
        resolution = 72 * SIDES["screen"] / max(first.width, first.height)
        clean = first.to_image(resolution=resolution).original.convert("RGB")
    assert abs(viewed.width - clean.width) <= 2
    assert abs(viewed.height - clean.height) <= 2
    band = max(14, viewed.width // 40) * 2
    foot = (0, viewed.height - band, viewed.width, viewed.height)
    assert _red(viewed, foot) > 200, "the viewer's image carries no watermark in its foot band"
    assert _red(clean, foot) < 20, "the clean render is already red there: the check proves nothing"
    # Zoom changes the shown size, keyboard first.
    before = shown.bounding_box()
    page.get_by_role("button", name="放大").focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(200)
    after = shown.bounding_box()
    assert before is not None
    assert after is not None
    assert after["width"] > before["width"]

    # The same pages in English, then the list, and the return.
    _switch_to_english(page)
    page.get_by_text("The page images carry your name").wait_for()
    visit.shot("borrowings-viewer-en")
    page.get_by_role("button", name="Back to the borrowing").click()
    page.get_by_text("Approved by 赵磊").wait_for()
    visit.shot("borrowings-detail-en")
    _go(visit, "/borrowings")
    page.get_by_role("link", name=number).wait_for()
    visit.shot("borrowings-list-en")
    page.get_by_role("link", name=number).click()
    page.get_by_role("button", name="Return").click()
    page.locator(".ant-popconfirm").get_by_role("button", name="Return").click()
    page.locator(".ant-tag", has_text="Returned").wait_for()
    page.locator("label", has_text="中文").click()
    page.locator("html[lang=zh-CN]").wait_for()
    _go(visit, "/borrowings")
    page.get_by_role("link", name=number).wait_for()
    page.get_by_text("已归还").first.wait_for()
    visit.shot("borrowings-list-zh")

    # The archivist finds it in the register and downloads the register as CSV.
    with another(visit) as archivist:
        archivist.sign_in("archivist", "zh")
        _go(archivist, "/borrowings/register")
        archivist.page.get_by_role("link", name=number).wait_for()
        archivist.shot("borrowings-register-zh")
        with archivist.page.expect_download() as downloading:
            archivist.page.get_by_role("link", name="导出登记簿").click()
        csv_text = downloading.value.path().read_text(encoding="utf-8-sig")
        assert number in csv_text
        assert "核对客户财务数据" in csv_text
        row = next(line for line in csv_text.splitlines() if number in line)
        assert "returned" in row
        _switch_to_english(archivist.page)
        archivist.page.get_by_text("Export the register").wait_for()
        archivist.shot("borrowings-register-en")
        # The language is remembered for the user: leave the archivist in Chinese for others.
        archivist.page.locator("label", has_text="中文").click()
        archivist.page.locator("html[lang=zh-CN]").wait_for()
        _go(archivist, "/borrowings/register")
        archivist.page.get_by_text("导出登记簿").wait_for()


def test_the_archivist_hands_paper_out_marks_it_missing_and_resolves_the_incident(
    visit: Visit,
) -> None:
    company, page = visit.company, visit.page
    _track(page)
    customer, document = _prepare(company, "贵阳原件测试有限公司")
    with_place = {"cabinet": "A-01", "shelf": "2", "box": "17"}
    sales, head = company.as_user("sales"), company.as_user("dept_head")
    try:
        archivist = company.as_user("archivist")
        filed = archivist.put(f"/api/v1/documents/{document}/original", json=with_place)
        assert filed.status_code == 200, filed.text
        archivist.close()
        asked = sales.post(
            "/api/v1/borrowings",
            json={
                "customer_id": customer,
                "document_ids": [document],
                "purpose": "核对原件",
                "mode": "physical",
                "hours": 8,
            },
        )
        assert asked.status_code == 201, asked.text
        borrowing = asked.json()
        approved = head.post(f"/api/v1/borrowings/{borrowing['id']}/approve")
        assert approved.status_code == 200, approved.text
    finally:
        sales.close()
        head.close()

    # The archivist hands the paper out; once out it can be checked in or marked missing only.
    visit.sign_in("archivist", "zh")
    _go(visit, f"/borrowings/{borrowing['id']}")
    page.set_default_timeout(30_000)
    page.get_by_text(borrowing["number"]).first.wait_for()
    page.get_by_role("button", name="交付纸质原件").click()
    page.locator(".ant-popconfirm").get_by_role("button", name="交付纸质原件").click()
    page.get_by_role("button", name="纸质原件归还入库").wait_for()
    assert page.get_by_role("button", name="收回").count() == 0
    page.get_by_role("button", name="标记原件遗失").click()
    page.get_by_role("dialog").get_by_label("原因").fill("借阅人离职未归还")
    page.get_by_role("dialog").get_by_role("button", name="标记原件遗失").click()
    page.locator(".ant-tag", has_text="遗失").wait_for()

    # The incident waits in the register until resolved with a note.
    _go(visit, "/borrowings/register")
    incidents = page.locator(".bw-incidents")
    row = incidents.get_by_role("row", name=re.compile(borrowing["number"]))
    row.get_by_text("原件遗失").wait_for()
    visit.shot("borrowings-incidents-zh")
    row.get_by_role("button", name="处理").click()
    page.get_by_role("dialog").get_by_label("原因").fill("已在档案室找到")
    page.get_by_role("dialog").get_by_role("button", name="处理").click()
    row.wait_for(state="detached")
    page.get_by_label("仅显示未处理").click()
    incidents.get_by_role("row", name=re.compile("已在档案室找到")).wait_for()
