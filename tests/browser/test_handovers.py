"""A salesperson leaves: the department head opens the handover, three people confirm it, each in
their own browser, and the successor keeps the customer and downloads the signed record."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pdfplumber
import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Route

from tests.archive_api.conftest import add_user
from tests.browser.conftest import Company, Person, Visit, open_context
from tests.factories import random_uscc, sample_pdf

CUSTOMER = "贵州交接示范有限公司"


@pytest.fixture
def another(company: Company, browser: Browser) -> Iterator[Callable[[], Visit]]:
    """More browser contexts beside `visit`, one per person, watched for problems the same way."""
    opened: list[tuple[Visit, BrowserContext]] = []

    def open_one() -> Visit:
        context = open_context(browser)
        page = context.new_page()
        seen = Visit(page, company)

        def console(message: ConsoleMessage) -> None:
            if message.type in ("error", "warning"):
                seen.problems.append(f"console {message.type}: {message.text}")

        def elsewhere(route: Route) -> None:
            seen.problems.append(f"outside: {route.request.url}")
            route.abort()

        page.on("console", console)
        page.on("pageerror", lambda error: seen.problems.append(f"page error: {error}"))
        page.on("requestfailed", lambda r: seen.problems.append(f"request failed: {r.url}"))
        context.route(lambda url: not url.startswith(company.url), elsewhere)
        opened.append((seen, context))
        return seen

    yield open_one
    for seen, context in opened:
        context.close()
        assert seen.unexpected() == [], "the browser saw problems"


@pytest.fixture
def chinese_afterwards(company: Company) -> Iterator[list[str]]:
    """People who switch to English here, set back to Chinese after the test: the language is
    remembered per user, and the shared people are signed in by other tests in Chinese."""
    switched: list[str] = []
    yield switched
    for who in switched:
        with closing(company.as_user(who)) as client:
            assert client.patch("/api/v1/auth/me", json={"language": "zh"}).status_code == 204


def _newcomers(company: Company) -> dict[str, str]:
    # Fresh people for this journey, so the shared people of other tests keep their state.
    ids = {}
    for key, username, name in (("leaver", "chen.jing", "陈静"), ("heir", "liu.yang", "刘洋")):
        ids[key] = add_user(
            company.admin, username, company.departments["A"], "internal", "sales",
            display_name=name,
        )  # fmt: skip
        company.people[key] = Person(username, name)
    return ids


def _enter(visit: Visit, who: str, language: str) -> None:
    # Sign in and open the area from the menu: moving inside the app aborts no request the
    # desk still has in flight, as loading a new page would.
    visit.sign_in(who, language)
    visit.page.locator(".ant-menu").get_by_role("link", name=_AREA[language]).click()


_AREA = {"zh": "交接", "en": "Handovers"}


def _pick(visit: Visit, field: str, name: str) -> None:
    page = visit.page
    page.locator(f"#{field}").click()
    # The list is replaced when the search for the typed name answers; an option clicked while
    # that happens is lost on a slow machine, so wait for the answer first.
    with page.expect_response(lambda r: "/handovers/people" in r.url and _asked(r.url) == name):
        page.locator(f"#{field}").fill(name)
    page.locator(".ant-select-item-option:visible", has_text=name).click()
    page.locator(f".ant-select:has(#{field})", has_text=name).wait_for()


def _asked(url: str) -> str:
    return parse_qs(urlsplit(url).query).get("q", [""])[0]


def test_a_salesperson_leaves_and_three_people_confirm_the_handover(
    visit: Visit, another: Callable[[], Visit], company: Company, chinese_afterwards: list[str]
) -> None:
    chinese_afterwards.append("archivist")
    ids = _newcomers(company)
    with closing(company.as_user("leaver")) as leaver:
        customer = leaver.post("/api/v1/customers", json={"name": CUSTOMER, "uscc": random_uscc()})
        assert customer.status_code == 201, customer.text
        customer_id = customer.json()["id"]
        document = leaver.post(
            f"/api/v1/customers/{customer_id}/documents",
            data={"doc_type": "business_license", "title": "营业执照"},
            files={"file": ("license.pdf", sample_pdf(), "application/pdf")},
        ).json()["id"]
        asked = leaver.post(
            "/api/v1/borrowings",
            json={"customer_id": customer_id, "document_ids": [document], "mode": "view",
                  "purpose": "核对执照", "hours": 4},
        )  # fmt: skip
        assert asked.status_code == 201, asked.text

    # The department head opens the wizard: employee, successor, date.
    head, page = visit, visit.page
    _enter(head, "dept_head", "zh")
    page.get_by_role("heading", name="交接列表").wait_for()
    page.get_by_role("button", name="发起交接").click()
    page.get_by_text("选择离职员工").first.wait_for()
    _pick(head, "handover-employee", "陈静")
    page.get_by_role("button", name="下一步").click()
    _pick(head, "handover-successor", "刘洋")
    page.get_by_role("button", name="下一步").click()
    page.get_by_text("交接信息确认").wait_for()
    page.locator(".ant-descriptions").get_by_text("刘洋 (liu.yang)").wait_for()
    head.shot("handovers-wizard-zh")
    page.get_by_role("button", name="发起交接").click()

    # The handover shows its live inventory and what blocks it: the employee's open borrowing.
    page.get_by_text("交接已发起").wait_for()
    page.get_by_role("tab", name="保管的客户").wait_for()
    page.get_by_role("cell", name=CUSTOMER).wait_for()
    page.get_by_text("1 笔借阅尚未归还或收回").wait_for()
    assert page.get_by_role("button", name="确认交接").is_disabled()
    page.get_by_role("tab", name="未结借阅").click()
    page.get_by_role("cell", name="在线查看 · 待审批").wait_for()
    head.shot("handovers-page-zh")
    handover_id = page.url.rsplit("/", 1)[1]
    number = page.locator("h3").inner_text().split(" ")[-1]

    # The archive closes the borrowing; nothing blocks now, and the head confirms.
    with closing(company.as_user("archivist")) as archivist:
        revoked = archivist.post(
            f"/api/v1/borrowings/{asked.json()['id']}/revoke", json={"reason": "员工离职"}
        )
        assert revoked.status_code == 200, revoked.text
    page.get_by_role("link", name="返回列表").click()
    page.get_by_role("link", name=number).click()
    page.get_by_text("没有阻碍完成的事项").wait_for()
    page.get_by_role("button", name="确认交接").click()
    page.get_by_text("已确认", exact=True).wait_for()
    page.get_by_text("赵磊 于").wait_for()
    assert page.get_by_role("button", name="确认交接").count() == 0

    # The archivist, in English, finds it waiting for them and confirms.
    keeper = another()
    _enter(keeper, "archivist", "en")
    row = keeper.page.get_by_role("row").filter(has_text="陈静")
    row.get_by_text("Your confirmation is awaited").wait_for()
    row.get_by_role("link").click()
    keeper.page.get_by_text("Nothing blocks completion").wait_for()
    keeper.page.get_by_role("cell", name=CUSTOMER).wait_for()
    keeper.page.wait_for_timeout(300)  # let the tabs' ink bar settle for the screenshot
    keeper.shot("handovers-page-en")
    keeper.page.get_by_role("button", name="Confirm the handover").click()
    keeper.page.get_by_text("Confirmed by 王芳").wait_for()

    # The successor sees it on the desk, confirms last, and the handover completes.
    heir = another()
    heir.sign_in("heir", "zh")
    heir.page.get_by_text("我参与的交接").wait_for()
    heir.page.get_by_role("link", name=number).click()
    heir.page.get_by_role("button", name="确认交接").click()
    heir.page.get_by_text("交接已完成，客户已移交接替人").wait_for()
    heir.page.get_by_text("刘洋 于").wait_for()
    with heir.page.expect_download() as downloading:
        heir.page.get_by_role("link", name="下载交接记录").click()
    pdf = downloading.value
    content = open(pdf.path(), "rb").read()  # noqa: SIM115 - the download's own temporary file
    assert content.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(content)) as record:
        text = "".join(p.extract_text() or "" for p in record.pages).replace("\n", "")
    assert CUSTOMER in text
    assert "DRAFT" not in text

    # The customer's custodian is now the successor; the employee has departed.
    with closing(company.as_user("heir")) as successor:
        held = successor.get(f"/api/v1/customers/{customer_id}").json()
        assert held["custodian_id"] == ids["heir"]
        done = successor.get(f"/api/v1/handovers/{handover_id}").json()
        assert (done["status"], done["awaiting"]) == ("completed", [])
    users = company.admin.get("/api/v1/admin/users").json()
    listed = users["items"] if isinstance(users, dict) else users
    assert next(u for u in listed if u["username"] == "chen.jing")["status"] == "departed"


def test_the_wizard_in_english_offers_only_successors_who_may_keep_the_files(
    visit: Visit, company: Company, chinese_afterwards: list[str]
) -> None:
    chinese_afterwards.append("dept_head")
    _enter(visit, "dept_head", "en")
    page = visit.page
    page.get_by_role("button", name="Open a handover").click()
    page.get_by_text("Open a departing employee's handover").wait_for()
    _pick(visit, "handover-employee", "张三")
    page.get_by_role("button", name="Next").click()
    page.locator("#handover-successor").click()
    page.locator(".ant-select-item-option:visible", has_text="王芳").wait_for()
    # Nobody of the other department, and never the employee themself.
    assert page.locator(".ant-select-item-option:visible", has_text="吴刚").count() == 0
    assert page.locator(".ant-select-item-option:visible", has_text="张三").count() == 0
    page.locator(".ant-select-item-option:visible", has_text="王芳").click()
    page.get_by_role("button", name="Next").click()
    page.get_by_text("Check the handover").wait_for()
    page.wait_for_timeout(400)  # let the steps finish moving for the screenshot
    visit.shot("handovers-wizard-en")
    page.get_by_role("button", name="Back to the list").click()
    page.get_by_role("heading", name="Handovers").wait_for()


def test_the_desk_shows_the_credit_warnings_of_customers_a_credit_manager_may_rate(
    visit: Visit, company: Company, chinese_afterwards: list[str]
) -> None:
    chinese_afterwards.append("credit")
    name = "0号预警示范有限公司"  # sorts first among the customers of every other test
    expired = (date.today() - timedelta(days=5)).isoformat()
    with closing(company.as_user("archivist")) as archivist:
        made = archivist.post("/api/v1/customers", json={"name": name, "uscc": random_uscc()})
        assert made.status_code == 201, made.text
        customer_id = made.json()["id"]
        sent = archivist.post(
            f"/api/v1/customers/{customer_id}/documents",
            data={"doc_type": "business_license", "title": "营业执照", "expires_on": expired},
            files={"file": ("license.pdf", sample_pdf(), "application/pdf")},
        )
        assert sent.status_code == 201, sent.text
    visit.sign_in("credit", "zh")
    page = visit.page
    card = page.locator(".ant-card", has_text="客户信用预警")
    card.get_by_text("暂无").wait_for()  # none in the credit manager's own custody
    card.get_by_text("我可查看的").click()
    item = card.locator(".ant-list-item", has_text=name)
    item.get_by_text("营业执照已过期").wait_for()
    page.wait_for_timeout(400)  # the list's loading shade and the switch's thumb settle
    visit.shot("desk-warnings-zh")
    page.locator("label", has_text="English").click()
    english = page.locator(".ant-card", has_text="Credit warnings of customers")
    shown = english.locator(".ant-list-item", has_text=name)
    shown.get_by_text("The business license has expired").wait_for()


def test_the_department_head_cancels_a_handover_with_a_reason(
    visit: Visit, company: Company
) -> None:
    ids = {}
    for key, username, name in (("stays", "he.ping", "何平"), ("stand_in", "xu.li", "许丽")):
        ids[key] = add_user(
            company.admin, username, company.departments["A"], "internal", "sales",
            display_name=name,
        )  # fmt: skip
    with closing(company.as_user("dept_head")) as head:
        body = {"employee_id": ids["stays"], "successor_id": ids["stand_in"],
                "planned_on": date.today().isoformat()}  # fmt: skip
        opened = head.post("/api/v1/handovers", json=body)
        assert opened.status_code == 201, opened.text
    _enter(visit, "dept_head", "zh")
    page = visit.page
    page.get_by_role("row").filter(has_text="何平").get_by_role("link").click()
    page.get_by_role("button", name="取消交接").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="确定取消").click()
    dialog.get_by_text("请填写取消原因").wait_for()  # a reason is required
    dialog.get_by_label("取消原因").fill("员工留任")
    dialog.get_by_role("button", name="确定取消").click()
    page.get_by_text("取消原因：员工留任").wait_for()
    page.locator(".handovers-head").get_by_text("已取消").wait_for()
    assert page.get_by_role("button", name="取消交接").count() == 0
    assert page.get_by_role("button", name="确认交接").count() == 0
