"""Pages of anonymous visitors pass axe-core, and a keyboard user can skip to the content.

The crawl of every page each demo persona can reach is tests/browser/test_crawl.py.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.django_db(transaction=True)


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
