"""The first steps of every user: sign in, the desk, the language, sign out; the API docs."""

from __future__ import annotations

from tests.browser.conftest import Visit


def test_sign_in_see_the_desk_switch_language_and_sign_out(visit: Visit) -> None:
    """Chinese by default, English on request and remembered; a wrong password said plainly."""
    page, company = visit.page, visit.company
    visit.expect_problem(r"401")  # the refused sign-in, as the browser logs it
    page.goto(company.url)
    page.get_by_role("heading", name="档案").wait_for()
    visit.shot("login-zh")
    page.get_by_label("用户名").fill("sun.li")
    page.get_by_label("密码").fill("wrong password")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("alert").get_by_text("用户名或密码错误").wait_for()
    page.get_by_label("密码").fill(company.people["credit"].password)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("孙丽，您好").wait_for()
    visit.shot("desk-zh")
    page.locator("label", has_text="English").click()
    page.get_by_text("Hello, 孙丽").wait_for()
    assert page.get_by_role("button", name="Sign out").is_visible()
    # The switch shows the language chosen, once its thumb has moved.
    page.locator(".ant-segmented-item-selected", has_text="English").wait_for()
    page.wait_for_timeout(500)
    visit.shot("desk-en")
    page.reload()  # the session is remembered, and so is the language
    page.get_by_text("Hello, 孙丽").wait_for()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Dangan").wait_for()
    # Another browser: the language follows the user, not the machine.
    page.context.clear_cookies()
    page.evaluate("localStorage.clear()")
    page.reload()
    page.get_by_role("heading", name="档案").wait_for()
    page.get_by_label("用户名").fill("sun.li")
    page.get_by_label("密码").fill(company.people["credit"].password)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("Hello, 孙丽").wait_for()


def test_the_api_documentation_works_offline(visit: Visit) -> None:
    """/docs shows every operation with nothing loaded from a CDN."""
    visit.page.goto(f"{visit.company.url}/docs")
    visit.page.get_by_text("/api/v1/customers").first.wait_for()
    visit.shot("docs")
