"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium), with axe-core.

Use ``page`` (a fresh page), ``login(page, email)`` and ``assert_accessible(page)``. The live
server runs in a thread of this process; Playwright's sync API runs an event loop in the same
thread, hence DJANGO_ALLOW_ASYNC_UNSAFE for the ORM calls that tests make.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# WCAG 2.1 A and AA, the target of the Danish web accessibility act.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is not installed (make test installs it).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# Addresses that are no other host: inline data and the browser's own resources (its PDF
# viewer, say).
BROWSERS_OWN = ("data:", "about:", "chrome:", "chrome-extension:")


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    page = context.new_page()
    external: list[str] = []

    def watch(request: Any) -> None:
        if not request.url.startswith((live_server.url, *BROWSERS_OWN)):
            external.append(request.url)

    page.on("request", watch)
    yield page
    context.close()
    assert not external, f"Pages requested other hosts: {external}"


@pytest.fixture
def login() -> Callable[[Page, str, str], None]:
    def do_login(page: Page, email: str, password: str = "demo") -> None:
        page.goto("/login/")
        page.fill("#id_username", email)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        assert "/login/" not in page.url, f"Login failed for {email}"

    return do_login


_axe = Axe()


@pytest.fixture
def assert_accessible() -> Callable[[Page], None]:
    def check(page: Page) -> None:
        results = _axe.run(page, options=AXE_OPTIONS)
        violations = results.response["violations"]
        details = [
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(n["target"]) for n in v["nodes"][:3])
            for v in violations
        ]
        assert not violations, f"axe on {page.url}:\n" + "\n".join(details)

    return check
