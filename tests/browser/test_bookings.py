"""In the browser: a neighbour books the fælleshus, the coordinator approves; axe on each page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from lokalsamfund.bookings.models import Booking
from lokalsamfund.core.demo import load_demo

pytestmark = pytest.mark.django_db(transaction=True)


def test_neighbour_books_and_coordinator_approves(
    page: Page,
    login: Callable[[Page, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    load_demo()
    day = timezone.localdate() + timedelta(days=45)
    page.set_viewport_size({"width": 390, "height": 844})  # phone first
    login(page, "nabo@eksempel.dk")
    page.goto("/facilities/engparkens-faelleshus/")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Book", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Brug").select_option("community_activity")
    page.get_by_label("Titel").fill("Morgenyoga for naboer og beboere")
    page.get_by_label("Mødelokalet").check()
    page.get_by_label("Dato", exact=True).fill(day.isoformat())
    page.get_by_label("Fra").fill("07:00")
    page.get_by_label("Til", exact=True).fill("08:00")
    page.get_by_role("button", name="Book").click()
    expect(page.get_by_text("afventer godkendelse").first).to_be_visible()
    assert "/bookings/" in page.url
    assert_accessible(page)
    booking = Booking.objects.get(title="Morgenyoga for naboer og beboere")
    assert booking.status == "pending"

    page.context.clear_cookies()
    login(page, "koordinator@eksempel.dk")
    page.goto("/bookings/requests/")
    assert_accessible(page)
    card = page.locator("li.card", has_text="Morgenyoga for naboer og beboere")
    with page.expect_navigation():
        card.get_by_role("button", name="Godkend").click()
    assert_accessible(page)
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert booking.decided_by is not None
    assert booking.decided_by.email == "koordinator@eksempel.dk"
