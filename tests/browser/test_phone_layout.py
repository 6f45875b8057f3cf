"""The shell at a phone's width (390 px): the menu button, touch targets, wide tables, charts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from lokalsamfund.core.demo import load_demo

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
COORDINATOR = "koordinator@eksempel.dk"
RESIDENT = "beboer@eksempel.dk"


def _box(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box


def test_phone_menu_is_a_button_that_opens_the_list(
    page: Page, login: Callable[[Page, str], None], assert_accessible: Callable[[Page], None]
) -> None:
    load_demo()
    page.set_viewport_size(PHONE)
    login(page, COORDINATOR)
    button = page.locator("button.menu-button")
    menu_links = page.locator("#site-menu .nav-list a")
    assert button.is_visible()
    assert button.get_attribute("aria-expanded") == "false"
    assert not menu_links.first.is_visible()
    header = _box(page, ".site-header")
    assert header["height"] < 80  # not a 200 px stack of links

    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert menu_links.first.is_visible()
    for i in range(menu_links.count()):
        box = menu_links.nth(i).bounding_box()
        assert box is not None
        assert box["height"] >= 44, menu_links.nth(i).inner_text()
        assert box["width"] >= 44, menu_links.nth(i).inner_text()
    logout = _box(page, "#site-menu .logout-form button")
    assert logout["height"] >= 44
    assert_accessible(page)

    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert not menu_links.first.is_visible()


def test_desktop_shows_the_menu_without_a_button(
    page: Page, login: Callable[[Page, str], None]
) -> None:
    load_demo()
    page.set_viewport_size(DESKTOP)
    login(page, COORDINATOR)
    assert not page.locator("button.menu-button").is_visible()
    assert page.locator("#site-menu .nav-list a").first.is_visible()


@pytest.fixture
def page_without_script(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url, locale="da-DK", java_script_enabled=False, viewport=PHONE
    )
    yield context.new_page()
    context.close()


def test_without_script_the_phone_menu_is_a_plain_list(page_without_script: Page) -> None:
    load_demo()
    page = page_without_script
    page.goto("/login/")
    page.fill("#id_username", RESIDENT)
    page.fill("#id_password", "demo")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert not page.locator("button.menu-button").is_visible()
    links = page.locator("#site-menu .nav-list a")
    assert links.count() >= 2
    for i in range(links.count()):
        assert links.nth(i).is_visible()


def test_wide_tables_scroll_in_a_focusable_region_with_a_hint(
    page: Page, login: Callable[[Page, str], None]
) -> None:
    load_demo()
    page.set_viewport_size(PHONE)
    login(page, COORDINATOR)
    page.goto("/undersoegelser/eksempel-2024/resultater/")
    wrap = page.locator(".table-wrap").first
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")  # the table is wider
    assert "is-overflowing" in (wrap.get_attribute("class") or "")
    assert wrap.get_attribute("role") == "region"
    assert wrap.get_attribute("tabindex") == "0"
    assert wrap.get_attribute("aria-label") or wrap.get_attribute("aria-labelledby")
    hint = wrap.locator("caption .scroll-hint")
    assert hint.is_visible()
    assert "siden" in hint.inner_text().lower()
    # At desktop width the same table fits: no hint.
    page.set_viewport_size({"width": 1600, "height": 900})
    page.wait_for_function(
        "() => !document.querySelector('.table-wrap').classList.contains('is-overflowing')"
    )
    assert wrap.locator(".scroll-hint").count() == 0


def test_charts_with_a_table_give_way_to_it_on_a_phone(
    page: Page, login: Callable[[Page, str], None]
) -> None:
    load_demo()
    login(page, COORDINATOR)
    page.set_viewport_size(DESKTOP)
    page.goto("/undersoegelser/eksempel-2024/resultater/")
    assert page.locator("figure.chart-has-table svg").is_visible()
    page.set_viewport_size(PHONE)
    assert not page.locator("figure.chart-has-table svg").is_visible()
    assert page.locator("table.results").first.is_visible()
    for svg in page.locator("main svg").all():
        if svg.is_visible():
            box = svg.bounding_box()
            assert box is not None
            assert box["width"] <= PHONE["width"]


def test_charts_without_a_table_keep_a_readable_width_and_scroll_on_a_phone(
    page: Page, login: Callable[[Page, str], None]
) -> None:
    load_demo()
    login(page, COORDINATOR)
    page.set_viewport_size(PHONE)
    page.goto("/undersoegelser/eksempel-2024/resultater/A1/")
    figure = page.locator("figure.chart-scroll").first
    svg = figure.locator("svg")
    box = svg.bounding_box()
    assert box is not None
    view_box_width = float((svg.get_attribute("viewBox") or "").split()[2])
    assert box["width"] / view_box_width >= 0.8  # 13 px labels stay above 10 px
    assert figure.evaluate("el => el.scrollWidth > el.clientWidth")
    assert figure.get_attribute("tabindex") == "0"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_decision_charts_give_way_to_their_tables_on_a_phone(
    page: Page, login: Callable[[Page, str], None]
) -> None:
    load_demo()
    login(page, COORDINATOR)
    page.goto("/beslutninger/")
    with page.expect_navigation():
        page.locator("main a[href*='/beslutninger/planer/']").first.click()
    charts = page.locator("svg.chart")
    assert charts.count() >= 1
    assert charts.first.is_visible()
    page.set_viewport_size(PHONE)
    for i in range(charts.count()):
        assert not charts.nth(i).is_visible()


def test_booking_choices_are_44_px_touch_targets(
    page: Page, login: Callable[[Page, str], None]
) -> None:
    load_demo()
    page.set_viewport_size(PHONE)
    login(page, RESIDENT)
    page.goto("/facilities/")
    with page.expect_navigation():
        page.locator("main a[href$='/book/']").first.click()
    labels = page.locator("#rooms-field label.tap-choice")
    assert labels.count() >= 1
    targets = [labels.nth(i) for i in range(labels.count())]
    targets.append(page.locator("label[for=id_whole_house]"))
    for label in targets:
        box = label.bounding_box()
        assert box is not None
        assert box["height"] >= 44, label.inner_text()
        assert box["width"] >= 44, label.inner_text()
    # The whole label is the target: a tap on its text ticks the box.
    first = page.locator("#rooms-field input[type=checkbox]").first
    was = first.is_checked()
    labels.first.click(position={"x": labels.first.bounding_box()["width"] - 5, "y": 22})  # type: ignore[index]
    assert first.is_checked() != was
    whole = page.locator("#id_whole_house")
    page.locator("label[for=id_whole_house]").click()
    assert whole.is_checked()
