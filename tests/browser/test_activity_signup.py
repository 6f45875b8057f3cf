"""Signing up for an activity on a phone (390 px), with htmx: the box swaps itself, the
cancellation asks first; every state passes axe. And the form without an account."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from lokalsamfund.activities.models import SignUp
from lokalsamfund.core.models import Department, Organisation, Role
from tests.activities.factories_signups import make_activity, make_occurrence
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_sign_up_and_cancel_at_phone_width(
    page: Page,
    login: Callable[..., None],
    assert_accessible: Callable[[Page], None],
    make_organisation: Callable[..., Organisation],
    make_department: Callable[..., Department],
    make_user: Callable[..., Any],
) -> None:
    org = make_organisation()
    dept = make_department(org, "A1")
    resident = make_user(Role.RESIDENT, org, [dept])
    occurrence = make_occurrence(make_activity([dept], capacity=8))
    page.set_viewport_size(PHONE)
    login(page, resident.email, PASSWORD)
    page.goto(f"/aktiviteter/tid/{occurrence.pk}/tilmelding/")
    expect(page.get_by_text("8 ledige pladser")).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Tilmeld").click()
    expect(page.get_by_text("Du er tilmeldt", exact=False).first).to_be_visible()
    assert SignUp.objects.get().status == "confirmed"
    assert_accessible(page)
    page.get_by_role("link", name="Afmeld mig").click()
    expect(page.get_by_role("button", name="Ja, afmeld mig")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Ja, afmeld mig").click()
    expect(page.get_by_text("Du er afmeldt")).to_be_visible()
    assert SignUp.objects.get().status == "cancelled"
    page.goto("/aktiviteter/tilmeldinger/")
    no_sideways_scroll(page)
    assert_accessible(page)


def test_sign_up_without_an_account_at_phone_width(
    page: Page,
    assert_accessible: Callable[[Page], None],
    make_organisation: Callable[..., Organisation],
    make_department: Callable[..., Department],
) -> None:
    org = make_organisation()
    dept = make_department(org, "A1")
    occurrence = make_occurrence(make_activity([dept], visibility="public"))
    page.set_viewport_size(PHONE)
    page.goto(f"/aktiviteter/tid/{occurrence.pk}/tilmelding/")
    assert_accessible(page)
    page.get_by_label("Navn").fill("Ida Jensen")
    page.get_by_label("E-mail").fill("ida@example.org")
    page.get_by_role("button", name="Tilmeld").click()
    expect(page.get_by_text("Tjek din e-mail", exact=False)).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)
    assert SignUp.objects.get().status == "unconfirmed"
