"""The web UI in Debian's Chromium against a real `dangan serve`, in both languages."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import free_port

pytest.importorskip("playwright")
from playwright.sync_api import ConsoleMessage, Page, Route, sync_playwright

PASSWORD = "a long administrator passphrase"
SHOTS = Path(os.environ.get("DANGAN_SCREENSHOTS", "test-artifacts/screenshots"))


@pytest.fixture(scope="module")
def served(built_ui: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`dangan serve` on the embedded default, on a free loopback port."""
    port = free_port()
    env = {**os.environ, "DANGAN_ADMIN_PASSWORD": PASSWORD}
    data = tmp_path_factory.mktemp("served")
    server = subprocess.Popen(
        [Path(sys.executable).parent / "dangan", "serve", "--data-dir", str(data / "data"),
         "--port", str(port)],
        cwd=data, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{url}/openapi.json", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def page(served: str, chromium: str) -> Iterator[Page]:
    """A fresh browser page that may talk to the server only; it notes every problem."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        opened = context.new_page()
        problems: list[str] = []

        def console(message: ConsoleMessage) -> None:
            if message.type in ("error", "warning"):
                problems.append(f"console {message.type}: {message.text}")

        opened.on("console", console)
        opened.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        opened.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))

        def elsewhere(route: Route) -> None:
            problems.append(f"outside: {route.request.url}")
            route.abort()

        # Nothing may come from elsewhere: an intranet has no internet.
        context.route(lambda url: not url.startswith(served), elsewhere)
        opened.problems = problems  # type: ignore[attr-defined]
        yield opened
        browser.close()


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_sign_in_see_the_desk_switch_language_and_sign_out(page: Page, served: str) -> None:
    """The first journey of every user, in Chinese by default and in English on request."""
    page.goto(served)
    page.get_by_role("heading", name="档案").wait_for()
    _shot(page, "login-zh")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill("wrong password")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("alert").get_by_text("用户名或密码错误").wait_for()
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("Administrator，您好").wait_for()
    _shot(page, "desk-zh")
    page.locator("label", has_text="English").click()
    page.get_by_text("Hello, Administrator").wait_for()
    assert page.get_by_role("button", name="Sign out").is_visible()
    # The switch shows the language chosen, once its thumb has moved.
    page.locator(".ant-segmented-item-selected", has_text="English").wait_for()
    page.wait_for_timeout(500)
    _shot(page, "desk-en")
    page.reload()  # the language is remembered, and the session too
    page.get_by_text("Hello, Administrator").wait_for()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Dangan").wait_for()
    page.locator("label", has_text="中文").click()
    page.get_by_role("button", name="登录").wait_for()
    problems = page.problems  # type: ignore[attr-defined]
    # Signing in with a wrong password is a 401 the page shows; the browser logs it as such.
    assert [p for p in problems if "401" not in p] == []


def test_the_api_documentation_works_offline(page: Page, served: str) -> None:
    """/docs shows every operation with nothing loaded from a CDN."""
    page.goto(f"{served}/docs")
    page.get_by_text("/api/v1/customers").first.wait_for()
    _shot(page, "docs")
    assert page.problems == []  # type: ignore[attr-defined]
