"""Accepting an invitation on a phone (390 px): the page passes axe, and the new account lands
on its start page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from lokalsamfund.core.invitations import invitation_create
from lokalsamfund.core.models import Department, Membership, Organisation, Role, User

pytestmark = pytest.mark.django_db(transaction=True)


def test_invitation_is_accepted_at_phone_width(
    page: Page,
    assert_accessible: Callable[[Page], None],
    make_organisation: Callable[..., Organisation],
    make_department: Callable[..., Department],
    make_user: Callable[..., Any],
) -> None:
    org = make_organisation(name="Boligselskabet Test")
    dept = make_department(org, "A1")
    admin = make_user(Role.ORG_ADMIN, org, is_staff=True)
    _, token = invitation_create(
        actor=admin,
        organisation=org,
        email="ny@example.org",
        role=Role.RESIDENT,
        departments=[dept],
    )
    page.set_viewport_size({"width": 390, "height": 844})
    response = page.goto(f"/invitation/{token}/")
    assert response is not None
    assert response.status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    assert_accessible(page)
    # A mistake first: the page says what is wrong and stays accessible.
    page.fill("#id_full_name", "Ny Beboer")
    page.fill("#id_password1", "a long and unusual passphrase 42")
    page.fill("#id_password2", "another passphrase")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    expect(page.locator("[role=alert]").first).to_be_visible()
    assert_accessible(page)
    page.fill("#id_password1", "a long and unusual passphrase 42")
    page.fill("#id_password2", "a long and unusual passphrase 42")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url.endswith("/")
    assert "Ny" in page.locator("h1").first.inner_text()
    assert_accessible(page)
    user = User.objects.get(email="ny@example.org")
    assert Membership.objects.get(user=user).role == Role.RESIDENT
