"""The web UI in Debian's Chromium against a real `dangan serve`, with the people who use it.

One server on the embedded default serves the whole browser suite; each test opens its own
customers so tests do not meet. Every page records console errors and warnings, page errors,
failed requests and any request leaving the server; a test fails on any it did not expect.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.archive_api.conftest import USER_PASSWORD, add_user, sign_in
from tests.factories import random_uscc
from tests.servers import free_port

pytest.importorskip("playwright")
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Request,
    Response,
    Route,
    sync_playwright,
)

ADMIN_PASSWORD = "a long administrator passphrase"
SHOTS = Path(os.environ.get("DANGAN_SCREENSHOTS", "test-artifacts/screenshots"))
# One log per test process: with pytest-xdist each worker starts its own server.
SERVER_LOG = SHOTS.parent / f"served{os.environ.get('PYTEST_XDIST_WORKER', '')}.log"
_CALL = pytest.StashKey[pytest.TestReport]()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep the browser tests in one worker: they share one server, company and browser."""
    for item in items:
        if item.path.is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item,
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each test's outcome where its `visit` can see whether the test failed."""
    report = yield
    if report.when == "call":
        item.stash[_CALL] = report
    return report


@dataclass(frozen=True)
class Person:
    """Someone who signs in to the UI."""

    username: str
    display_name: str
    password: str = USER_PASSWORD


# The people of one company: department A does the daily work, B is the department next door.
PEOPLE = {
    "sales": ("zhang.san", "张三", "A", "internal", ["sales"]),
    "successor": ("li.si", "李四", "A", "internal", ["sales"]),
    "archivist": ("wang.fang", "王芳", "A", "secret", ["archivist"]),
    "dept_head": ("zhao.lei", "赵磊", "A", "confidential", ["dept_head"]),
    "director": ("qian.min", "钱敏", None, "secret", ["marketing_director"]),
    "credit": ("sun.li", "孙丽", None, "confidential", ["credit_manager"]),
    "auditor": ("zhou.jie", "周杰", None, "secret", ["auditor"]),
    "other_sales": ("wu.gang", "吴刚", "B", "internal", ["sales"]),
}


@dataclass
class Company:
    """The served Dangan with its departments and people, and the administrator's API client."""

    url: str
    admin: httpx.Client
    departments: dict[str, str]
    data: Path  # the server's data directory, for work a test does as its background rounds
    people: dict[str, Person] = field(default_factory=dict)

    def as_user(self, who: str) -> httpx.Client:
        """An API client signed in as one of the people (to prepare what a test starts from).

        Close it when done; it is already open, so it cannot be used as a context manager.
        """
        client = httpx.Client(base_url=self.url, timeout=60)
        sign_in(client, self.people[who].username, USER_PASSWORD)
        return client

    def customer(self, name: str, who: str = "archivist") -> str:
        """A new customer file of department A, opened by `who`; returns its id."""
        client = self.as_user(who)
        try:
            response = client.post("/api/v1/customers", json={"name": name, "uscc": random_uscc()})
        finally:
            client.close()
        assert response.status_code == 201, response.text
        return str(response.json()["id"])


def _serve(data: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "DANGAN_ADMIN_PASSWORD": ADMIN_PASSWORD, "DANGAN_EXTRACT_EVERY": "1"}
    # The server's own output is kept beside the screenshots (CI keeps that folder), so that an
    # error a browser saw can be read back to its traceback.
    SERVER_LOG.parent.mkdir(parents=True, exist_ok=True)
    with SERVER_LOG.open("wb") as log:
        server = subprocess.Popen(
            [Path(sys.executable).parent / "dangan", "serve", "--data-dir", str(data / "data"),
             "--port", str(port)],
            cwd=data, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(f"{url}/openapi.json", timeout=1)
            return server, url
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("dangan serve did not start")


@pytest.fixture(scope="session")
def company(built_ui: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Company]:
    """`dangan serve` on the embedded default, on a free loopback port, with its people."""
    served = tmp_path_factory.mktemp("served")
    server, url = _serve(served)
    try:
        with httpx.Client(base_url=url, timeout=60) as admin:
            sign_in(admin, "admin", ADMIN_PASSWORD)
            departments = {}
            for key, code, name in (("A", "sales-1", "销售一部"), ("B", "sales-2", "销售二部")):
                made = admin.post("/api/v1/admin/departments", json={"code": code, "name": name})
                assert made.status_code == 201, made.text
                departments[key] = str(made.json()["id"])
            company = Company(url, admin, departments, served / "data")
            for key, (username, name, dept, clearance, roles) in PEOPLE.items():
                department = departments[dept] if dept else None
                add_user(admin, username, department, clearance, *roles, display_name=name)
                company.people[key] = Person(username, name)
            company.people["admin"] = Person("admin", "Administrator", ADMIN_PASSWORD)
            yield company
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:  # a loaded machine; the test run is over anyway
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[Browser]:
    """Debian's Chromium, headless, for the whole browser suite."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium)
        yield launched
        launched.close()


@dataclass
class Visit:
    """One person's browser tab, noting every problem the browser sees."""

    page: Page
    company: Company
    problems: list[str] = field(default_factory=list)
    expected: list[re.Pattern[str]] = field(default_factory=list)

    def expect_problem(self, pattern: str) -> None:
        """A problem this test causes on purpose (a refused sign-in is logged as a 401)."""
        self.expected.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        """The problems no test asked for."""
        return [p for p in self.problems if not any(e.search(p) for e in self.expected)]

    def sign_in(self, who: str, language: str = "zh") -> None:
        """Sign in through the login page as one of the people, in a language."""
        person = self.company.people[who]
        self.page.goto(self.company.url)
        if language == "en":
            self.page.locator("label", has_text="English").click()
        self.page.locator("#username").fill(person.username)
        self.page.locator("#password").fill(person.password)
        self.page.locator("button[type=submit]").click()
        self.page.locator(".shell").wait_for()
        # The server remembers each user's language: choose it again if it was another.
        lang = "en" if language == "en" else "zh-CN"
        if self.page.locator(f"html[lang={lang}]").count() == 0:
            saved = self.page.expect_response(
                lambda r: r.url.endswith("/api/v1/auth/me") and r.request.method == "PATCH"
            )
            with saved:
                self.page.locator(
                    "label", has_text="English" if language == "en" else "中文"
                ).click()
        self.page.locator(f"html[lang={lang}]").wait_for(state="attached")

    def dialog(self) -> Locator:
        """The open dialog, once its opening animation is over: under load, a click on a button
        still zooming in was seen lost (the credit test's confirmation, in a full run)."""
        self.page.get_by_role("dialog").wait_for()
        self.page.wait_for_function(
            "() => !document.querySelector('.ant-zoom-appear, .ant-zoom-enter')"
        )
        return self.page.get_by_role("dialog")

    def go(self, path: str) -> None:
        """Open a page of the app by its path."""
        self.page.goto(f"{self.company.url}{path}")

    def shot(self, name: str) -> Path:
        """Save a screenshot of the whole page for the reviewer (CI keeps the folder)."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def open_context(browser: Browser) -> BrowserContext:
    """A fresh browser context at 1280×800 whose reader asked for reduced motion: a dropdown or
    dialog is in place at once, so a click under load never lands on one still sliding in."""
    return browser.new_context(
        viewport={"width": 1280, "height": 800}, accept_downloads=True, reduced_motion="reduce"
    )


@pytest.fixture
def visit(company: Company, browser: Browser, request: pytest.FixtureRequest) -> Iterator[Visit]:
    """A fresh browser context at 1280×800 that may talk to the server only; a failed test
    leaves a screenshot of the page as it was (`FAILED-<test>.png`) and what the browser saw."""
    context = open_context(browser)
    page = context.new_page()
    seen = Visit(page, company)

    def console(message: ConsoleMessage) -> None:
        # A refused request is noted with its address below; the console's line names none.
        if message.text.startswith("Failed to load resource: the server responded"):
            return
        if message.type in ("error", "warning"):
            seen.problems.append(f"console {message.type}: {message.text}")

    def answered(response: Response) -> None:
        if response.status >= 400:
            seen.problems.append(f"HTTP {response.status} {response.request.method} {response.url}")

    def elsewhere(route: Route) -> None:
        seen.problems.append(f"outside: {route.request.url}")
        route.abort()

    page.on("console", console)
    page.on("response", answered)
    page.on("pageerror", lambda error: seen.problems.append(f"page error: {error}"))

    def failed(request: Request) -> None:
        # A request cut short by leaving the page (ERR_ABORTED) is the browser's doing.
        if request.failure != "net::ERR_ABORTED":
            seen.problems.append(f"request failed: {request.url} {request.failure}")

    page.on("requestfailed", failed)
    # Nothing may come from elsewhere: an intranet has no internet.
    context.route(lambda url: not url.startswith(company.url), elsewhere)
    yield seen
    outcome = request.node.stash.get(_CALL, None)
    if outcome is not None and outcome.failed:
        seen.shot(f"FAILED-{request.node.name}")
        print(f"the browser saw: {seen.problems} (server log: {SERVER_LOG})")
    context.close()
    assert seen.unexpected() == [], f"the browser saw problems (server log: {SERVER_LOG})"
