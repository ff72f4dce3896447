"""Administration, audit and one's own account in the browser: the administrator makes a user
who then signs in, the auditor finds events and exports a bundle that verifies, and a user
makes and revokes a personal API token."""

from __future__ import annotations

import secrets
import zipfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from storage import audit_verify
from tests.archive_api.conftest import USER_PASSWORD
from tests.browser.conftest import Person, Visit
from tests.factories import random_uscc

pytest.importorskip("playwright")
from playwright.sync_api import expect


def _choose(visit: Visit, label: str, option: str, typed: str | None = None) -> None:
    """Pick `option` in the select labelled `label` (typing `typed` first to search)."""
    field = visit.page.get_by_label(label, exact=True)
    field.click()
    if typed is not None:
        field.fill(typed)
    visit.page.locator(
        f'.ant-select-dropdown:visible .ant-select-item-option[title="{option}"]'
    ).click()


def _shot(visit: Visit, name: str) -> None:
    """A screenshot once the lists have loaded and faded in."""
    expect(visit.page.locator(".ant-spin-spinning")).to_have_count(0)
    visit.page.wait_for_timeout(400)
    visit.shot(name)


def _english(visit: Visit, word: str) -> None:
    # A message said in Chinese has gone before the English screenshot is taken.
    visit.page.locator(".ant-message-notice").first.wait_for(state="detached")
    visit.page.get_by_role("banner").locator("label", has_text="English").click()
    visit.page.get_by_text(word).first.wait_for()
    visit.page.wait_for_timeout(400)  # the switch's thumb has moved


def _chinese(visit: Visit) -> None:
    # The language is remembered for the user: leave them in Chinese for the next test.
    visit.page.get_by_role("banner").locator("label", has_text="中文").click()
    visit.page.locator("html[lang=zh-CN]").wait_for()


def test_the_administrator_makes_a_user_with_a_role_who_then_signs_in(visit: Visit) -> None:
    page, company = visit.page, visit.company
    username = f"clerk.{secrets.token_hex(3)}"
    visit.sign_in("admin")
    page.get_by_role("menuitem", name="系统管理").click()
    page.get_by_role("tab", name="用户", exact=True).wait_for()
    page.get_by_role("cell", name="zhang.san").wait_for()
    _shot(visit, "admin-users-zh")

    page.get_by_role("button", name="新建用户").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("用户名").fill(username)
    dialog.get_by_label("姓名").fill("陈新")
    dialog.get_by_label("初始密码").fill(USER_PASSWORD)
    _choose(visit, "部门", "销售一部 (sales-1)")
    _choose(visit, "初始角色", "销售")
    dialog.get_by_label("电子邮箱").fill("chen.xin@example.cn")
    dialog.get_by_role("button", name="新建用户").click()
    page.get_by_text("用户已创建").wait_for()
    page.get_by_placeholder("按姓名或用户名查找").fill("陈新")
    page.get_by_placeholder("按姓名或用户名查找").press("Enter")
    expect(page.get_by_role("row")).to_have_count(2)  # the header and the one user found
    row = page.get_by_role("row", name=username)
    row.wait_for()

    # The role is shown in the editor; the administrator's own powers are refused, and said so.
    row.get_by_role("button", name="编辑").click()
    page.get_by_role("dialog").get_by_text("销售一部").first.wait_for()
    page.get_by_role("dialog").get_by_role("cell", name="销售", exact=True).wait_for()
    page.locator(".ant-drawer-close").click()
    page.get_by_placeholder("按姓名或用户名查找").fill("admin")
    page.get_by_placeholder("按姓名或用户名查找").press("Enter")
    page.get_by_role("row", name="Administrator").get_by_role("button", name="编辑").click()
    editor = page.get_by_role("dialog")
    editor.get_by_role("button", name="撤销").click()
    visit.expect_problem(r"403")  # the refusal this test asks for, as the browser logs it
    page.locator(".ant-popconfirm").get_by_role("button", name="撤销").click()
    editor.get_by_role("alert").get_by_text("不能更改自己的权限").wait_for()
    page.locator(".ant-drawer-close").click()
    page.locator(".ant-message-notice").first.wait_for(state="detached")  # before the screenshot

    # A department, and an extra rule: a wrong action is refused and said so, a right one kept.
    code = f"audit-{secrets.token_hex(2)}"
    page.get_by_role("tab", name="部门").click()
    page.get_by_label("部门代码").fill(code)
    page.get_by_label("部门名称").fill(f"稽核部{code[-4:]}")
    page.get_by_role("button", name="新建部门").click()
    page.get_by_role("cell", name=code).wait_for()
    page.get_by_role("tab", name="策略规则").click()
    _choose(visit, "对象", "审计")
    _choose(visit, "资源", "客户档案")
    page.get_by_label("操作").fill("fly")
    page.get_by_role("button", name="添加规则").click()
    visit.expect_problem(r"422")
    page.locator(".ant-alert", has_text="该资源没有这个操作").wait_for()
    page.get_by_label("操作").fill("reassign")
    page.get_by_role("button", name="添加规则").click()
    rule = page.get_by_role("row", name="reassign")
    rule.get_by_text("禁止").wait_for()
    rule.get_by_role("button", name="删除").click()
    page.locator(".ant-popconfirm").get_by_role("button", name="删除").click()
    expect(page.get_by_role("row", name="reassign")).to_have_count(0)
    page.get_by_role("tab", name="用户", exact=True).click()
    page.locator(".ant-message-notice").first.wait_for(state="detached")

    _english(visit, "Administration")
    page.get_by_role("tab", name="Users").wait_for()
    page.get_by_placeholder("Find by name or user name").fill("")
    page.get_by_placeholder("Find by name or user name").press("Enter")
    page.get_by_role("cell", name="zhang.san").wait_for()
    _shot(visit, "admin-users-en")
    _chinese(visit)

    # The new user signs in and holds the role given.
    page.get_by_role("button", name="退出登录").click()
    page.locator("#username").wait_for()  # signed out before the next person signs in
    company.people["new_clerk"] = Person(username, "陈新")
    visit.sign_in("new_clerk")
    page.get_by_text("陈新，您好").wait_for()
    page.get_by_role("menuitem", name="客户档案").wait_for()


def _today() -> str:
    return datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d")


def test_the_auditor_finds_events_and_exports_a_bundle_that_verifies(
    visit: Visit, tmp_path: Path
) -> None:
    page, company = visit.page, visit.company
    # (company.customer's `with` reopens the client as_user has opened: httpx refuses that.)
    archivist = company.as_user("archivist")
    try:
        opened = archivist.post(
            "/api/v1/customers", json={"name": "审计追踪有限公司", "uscc": random_uscc()}
        )
        assert opened.status_code == 201, opened.text
        customer = str(opened.json()["id"])
    finally:
        archivist.close()
    visit.sign_in("auditor")
    page.get_by_role("menuitem", name="审计").click()
    page.get_by_role("tab", name="事件", exact=True).wait_for()

    _choose(visit, "人员", "王芳 (wang.fang)", typed="王")
    _choose(visit, "操作", "新建客户档案", typed="新建客户")
    range_from = page.get_by_placeholder("开始日期")
    range_from.click()
    range_from.fill(_today())
    range_from.press("Enter")
    range_to = page.get_by_placeholder("结束日期")
    range_to.fill(_today())
    range_to.press("Enter")
    page.get_by_role("button", name="查询").click()
    row = page.get_by_role("row", name="审计追踪有限公司")
    row.wait_for()
    assert "王芳" in row.inner_text()
    assert "新建客户档案" in row.inner_text()
    assert all("新建客户档案" in r for r in page.locator(".ant-table-tbody tr").all_inner_texts())
    row.get_by_role("button", name="详情").click()
    details = page.get_by_role("dialog")
    details.get_by_text("wang.fang").first.wait_for()
    assert customer in details.inner_text()
    _shot(visit, "audit-event-zh")
    page.locator(".ant-drawer-close").click()
    _shot(visit, "audit-search-zh")

    with page.expect_download() as arrived:
        page.get_by_role("button", name="导出签名审计包").click()
    bundle = tmp_path / arrived.value.suggested_filename
    arrived.value.save_as(bundle)
    assert bundle.name.startswith("dangan-audit-")
    assert bundle.suffix == ".zip"
    assert audit_verify.main([str(bundle)]) == 0  # as an auditor checks it, with Dangan's verifier
    with zipfile.ZipFile(bundle) as kept:
        shown = kept.read("events.jsonl").decode()
    assert customer in shown
    page.get_by_text("审计包已下载").wait_for()
    page.get_by_role("tab", name="签名检查点").click()
    page.get_by_role("button", name="签署并获取当前检查点").click()
    page.get_by_text("链头哈希").wait_for()
    page.get_by_role("tab", name="隔离事件").click()
    page.get_by_text("没有被隔离的事件").wait_for()
    page.get_by_role("tab", name="事件", exact=True).click()
    page.get_by_role("row", name="审计追踪有限公司").wait_for()
    page.locator(".ant-message-notice").first.wait_for(state="detached")

    _english(visit, "Audit log")
    page.get_by_role("row", name="审计追踪有限公司").wait_for()
    assert "Customer file opened" in page.get_by_role("row", name="审计追踪有限公司").inner_text()
    _shot(visit, "audit-search-en")
    _chinese(visit)


def test_a_user_makes_and_revokes_a_personal_token(visit: Visit) -> None:
    page, company = visit.page, visit.company
    visit.sign_in("successor")
    page.get_by_role("link", name="李四").click()
    page.get_by_role("heading", name="我的账户").wait_for()
    page.get_by_text("当前会话").wait_for()
    page.get_by_label("令牌名称").fill("报表脚本")
    page.get_by_role("button", name="创建令牌").click()
    shown = page.locator(".new-token code")
    shown.wait_for()
    token = shown.inner_text()
    page.get_by_role("button", name="我已保存").click()
    page.get_by_role("row", name="报表脚本").get_by_text("有效").wait_for()
    _shot(visit, "account-zh")
    with httpx.Client(base_url=company.url, headers={"Authorization": f"Bearer {token}"}) as script:
        assert script.get("/api/v1/auth/me").json()["username"] == "li.si"
        page.get_by_role("row", name="报表脚本").get_by_role("button", name="撤销 报表脚本").click()
        page.locator(".ant-popconfirm").get_by_role("button", name="撤销").click()
        page.get_by_text("令牌已撤销").wait_for()
        page.get_by_role("row", name="报表脚本").get_by_text("已撤销").wait_for()
        assert script.get("/api/v1/auth/me").status_code == 401
    assert token not in page.content()  # shown once, never listed

    _english(visit, "My account")
    page.get_by_text("Personal API tokens").wait_for()
    _shot(visit, "account-en")
    _chinese(visit)
