"""Every demo persona logs in, and every page reachable from the start page passes axe-core."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page

from lokalsamfund.core.demo import DEMO_USERS, load_demo

pytestmark = pytest.mark.django_db(transaction=True)

MAX_PAGES = 40
SKIP_PREFIXES = ("/backoffice/", "/api/", "/static/", "/i18n/", "/logout")


def _same_site_links(page: Page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    paths = []
    for href in hrefs:
        parsed = urlparse(href)
        if parsed.scheme or parsed.netloc or not parsed.path.startswith("/"):
            continue
        if parsed.path.startswith(SKIP_PREFIXES) or parsed.path.endswith(
            (".pdf", ".ics", ".csv", ".xlsx", ".json")
        ):
            continue
        paths.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    return paths


@pytest.mark.parametrize("email", [u[0] for u in DEMO_USERS])
def test_persona_pages_pass_axe(
    page: Page,
    login: Callable[[Page, str], None],
    assert_accessible: Callable[[Page], None],
    email: str,
) -> None:
    load_demo()
    login(page, email)
    assert page.locator("h1").first.is_visible()
    seen: set[str] = set()
    queue = ["/"]
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = page.goto(path)
        assert response is not None
        assert response.status < 400, f"{email}: {path} answered {response.status}"
        assert_accessible(page)
        queue.extend(p for p in _same_site_links(page) if p not in seen)
    assert "/" in seen


def test_anonymous_pages_pass_axe(page: Page, assert_accessible: Callable[[Page], None]) -> None:
    for path in ("/", "/login/", "/tilgaengelighed/", "/privatliv/", "/password/reset/"):
        response = page.goto(path)
        assert response is not None
        assert response.status == 200
        assert_accessible(page)


def test_keyboard_user_can_skip_to_content(page: Page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "indhold" in focused.lower() or "content" in focused.lower()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
