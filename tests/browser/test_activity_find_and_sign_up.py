"""Issue 11's "done when": a resident on a phone (390 px) logs in, opens "Det sker" from the
menu, finds this week's activity and signs up in three taps (the menu, "Det sker", "Tilmeld"
on the list), with axe on every page and no sideways scrolling. The real pages: the calendar
(``activities/views/calendar.py``) and the sign-up box on the activity page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

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


def checked(page: Page, assert_accessible: Callable[[Page], None]) -> None:
    no_sideways_scroll(page)
    assert_accessible(page)


def test_a_resident_finds_this_weeks_activity_and_signs_up_in_three_taps(
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
    # The fixed clock: Wednesday 10 June 2026, 10:00. This week: Thursday's dinner.
    thursday = datetime(2026, 6, 11, 17, 30, tzinfo=ZoneInfo("Europe/Copenhagen"))
    dinner = make_activity([dept], title="Fællesspisning", starts_at=thursday, capacity=8)
    this_week = make_occurrence(dinner)
    make_occurrence(dinner, thursday + timedelta(days=7))
    walk = make_activity(
        [dept], title="Gåtur", starts_at=thursday + timedelta(days=1), signup_required=False
    )
    make_occurrence(walk)

    page.set_viewport_size(PHONE)
    login(page, resident.email, PASSWORD)
    checked(page, assert_accessible)

    page.get_by_role("button", name="Menu").click()  # tap 1
    with page.expect_navigation():
        page.locator("#site-menu").get_by_role("link", name="Det sker").click()  # tap 2
    expect(page.get_by_role("heading", level=1)).to_contain_text("Det sker")
    checked(page, assert_accessible)
    item = page.locator("li.card", has=page.get_by_role("heading", name="Fællesspisning")).first
    expect(item).to_contain_text("8 ledige pladser")
    expect(item).to_contain_text("17.30")
    # The walk needs no sign-up: no button on its card.
    walk_card = page.locator("li.card", has=page.get_by_role("heading", name="Gåtur"))
    expect(walk_card.get_by_role("button")).to_have_count(0)

    with page.expect_navigation():
        item.get_by_role("button", name="Tilmeld").click()  # tap 3
    expect(page.get_by_text("Du er tilmeldt", exact=False).first).to_be_visible()
    assert "/aktiviteter/" in page.url
    checked(page, assert_accessible)
    signup = SignUp.objects.get()
    assert (signup.occurrence_id, signup.user_id, signup.status) == (
        this_week.pk,
        resident.pk,
        "confirmed",
    )

    # The activity page says the same, with its sign-up box and a way to cancel.
    page.get_by_role("link", name="Fællesspisning").first.click()
    expect(page.get_by_role("link", name="Afmeld mig")).to_be_visible()
    expect(page.get_by_text("7 ledige pladser")).to_be_visible()
    checked(page, assert_accessible)
