"""The project group's page at phone width (390 px) for a network-only member from outside the
sector: members, a meeting with sign-up and a document; axe on every state, no sideways scroll."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from lokalsamfund.activities.models import SignUp
from tests.conftest import PASSWORD
from tests.network.groups_fixtures import architect, document, group, meeting

__all__ = ["architect", "document", "group", "meeting"]

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_group_page_at_phone_width(
    page: Page,
    login: Callable[..., None],
    assert_accessible: Callable[[Page], None],
    architect: Any,
    group: Any,
    meeting: Any,
    document: Any,
) -> None:
    page.set_viewport_size(PHONE)
    login(page, architect.email, PASSWORD)
    page.goto(f"/netvaerk/grupper/{group.pk}/")
    expect(page.get_by_role("heading", name=group.title)).to_be_visible()
    expect(page.get_by_text("Asta Arkitekt")).to_be_visible()
    expect(page.get_by_role("link", name="Kommissorium")).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Tilmeld", exact=False).first.click()
    no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Tilmeld").click()
    expect(page.get_by_text("Du er tilmeldt", exact=False).first).to_be_visible()
    assert SignUp.objects.get().user == architect
    page.goto("/netvaerk/grupper/")
    no_sideways_scroll(page)
    assert_accessible(page)
