"""In the browser at 390 px: room and whole-house choices and the day grid's free hours are
touch targets of at least 44 × 44 px; one tap on a free hour opens the filled-in form; the
month view, day grid, key-handover list and series page pass axe."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page

from lokalsamfund.core.demo import load_demo

pytestmark = pytest.mark.django_db(transaction=True)

MIN = 44


def _assert_target(locator: Locator) -> None:
    box = locator.bounding_box()
    assert box is not None
    assert box["width"] >= MIN, (locator, box)
    assert box["height"] >= MIN, (locator, box)


def test_touch_targets_and_one_tap_booking_on_a_phone(
    page: Page,
    login: Callable[[Page, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    load_demo()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "beboer@eksempel.dk")
    page.goto("/facilities/engparkens-faelleshus/book/")
    assert_accessible(page)
    choices = page.locator("label.tap-choice")
    assert choices.count() >= 2
    for n in range(choices.count()):
        _assert_target(choices.nth(n))

    day = timezone.localdate() + timedelta(days=40)
    page.goto(f"/facilities/engparkens-faelleshus/month/?month={day:%Y-%m}")
    assert_accessible(page)
    link = page.locator(f'a.day-link[href$="/day/{day.isoformat()}/"]')
    _assert_target(link)
    link.click()
    page.wait_for_selector("table.day-grid")
    assert_accessible(page)
    free = page.locator("td.slot-free a.tap")
    assert free.count() > 0
    for n in range(min(free.count(), 6)):
        _assert_target(free.nth(n))
    with page.expect_navigation():
        free.first.click()
    assert "/book/?" in page.url
    assert page.get_by_label("Dato", exact=True).input_value() == day.isoformat()


def test_staff_pages_pass_axe(
    page: Page,
    login: Callable[[Page, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    load_demo()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "koordinator@eksempel.dk")
    page.goto("/facilities/engparkens-faelleshus/handover/?span=week")
    assert_accessible(page)
    page.goto("/bookings/requests/")
    assert_accessible(page)
