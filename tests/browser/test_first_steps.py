"""The first steps of every user: sign in, the desk, the language, sign out; the API docs."""

from __future__ import annotations

from tests.archive_api.conftest import add_user
from tests.browser.conftest import Person, Visit


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
    with page.expect_response(lambda r: r.url.endswith("/auth/me") and r.request.method == "PATCH"):
        page.locator("label", has_text="中文").click()  # as the other tests expect her


def test_the_api_documentation_works_offline(visit: Visit) -> None:
    """/docs shows every operation with nothing loaded from a CDN."""
    visit.page.goto(f"{visit.company.url}/docs")
    visit.page.get_by_text("/api/v1/customers").first.wait_for()
    visit.shot("docs")


def test_a_disabled_account_is_brought_back_to_the_login_page(visit: Visit) -> None:
    """Disabling someone ends their open pages: the next request shows the sign-in, said why."""
    company, page = visit.company, visit.page
    made = add_user(company.admin, "temp.worker", company.departments["A"], "internal", "sales")
    company.people["temp"] = Person("temp.worker", "temp.worker")
    visit.sign_in("temp")
    # The refusals after disabling are the point of this test; the browser logs them as 401s.
    visit.expect_problem(r"401")
    disabled = company.admin.patch(f"/api/v1/admin/users/{made}", json={"status": "disabled"})
    assert disabled.status_code == 200, disabled.text
    page.reload()  # or the next request the page makes, whichever comes first
    page.get_by_text("会话已结束，请重新登录").wait_for()
    page.get_by_role("button", name="登录").wait_for()
    assert page.locator(".shell").count() == 0


def test_signing_in_and_moving_about_works_from_the_keyboard(visit: Visit) -> None:
    """Tab to the fields, type, Enter: no mouse is needed to sign in and open the menu's pages."""
    page, person = visit.page, visit.company.people["archivist"]
    page.goto(visit.company.url)
    page.locator("#username").wait_for()
    page.keyboard.type(person.username)  # the user name field has the focus on arrival
    page.keyboard.press("Tab")
    page.keyboard.type(person.password)
    page.keyboard.press("Enter")
    page.locator(".shell").wait_for()
    menu = page.locator(".shell nav a[href='/customers'], .shell a[href='/customers']").first
    menu.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/customers")


def test_the_first_load_of_the_app_is_under_one_megabyte(visit: Visit) -> None:
    """Sign-in page and desk together travel as less than 1 MB (compressed) on first load."""
    sizes: list[int] = []
    visit.page.on("requestfinished", lambda r: sizes.append(r.sizes()["responseBodySize"]))
    visit.sign_in("sales")
    visit.page.wait_for_load_state("networkidle")
    assert 100_000 < sum(sizes) < 1_000_000, f"{sum(sizes)} bytes on first load"


def test_users_change_their_own_password_on_their_account_page(visit: Visit) -> None:
    """The first thing a new user (or the first administrator) does: their own password."""
    company, page = visit.company, visit.page
    add_user(company.admin, "new.hire", company.departments["A"], "internal", "sales")
    company.people["new"] = Person("new.hire", "new.hire")
    visit.sign_in("new")
    visit.go("/account")
    form = page.locator(".account-password")
    form.get_by_label("当前密码").fill(company.people["new"].password)
    form.get_by_label("新密码", exact=True).fill("my own new passphrase")
    form.get_by_label("再次输入新密码").fill("my own new passphrase")
    form.get_by_role("button", name="修改密码").click()
    page.get_by_text("密码已修改，其他登录会话已结束").wait_for()
    visit.shot("account-password-zh")
    page.get_by_role("button", name="退出登录").click()
    page.locator("#username").wait_for()  # signed out, its cookies cleared, before signing in
    company.people["new"] = Person("new.hire", "new.hire", "my own new passphrase")
    visit.sign_in("new")
