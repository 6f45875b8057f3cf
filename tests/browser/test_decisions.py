"""The planning page in a real browser: htmx updates the plan; the report passes axe."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from lokalsamfund.core.demo import load_demo
from lokalsamfund.decisions.models import Plan

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_plans_with_live_update_and_saves(
    page: Page, login: Callable[[Page, str], None], assert_accessible: Callable[[Page], None]
) -> None:
    load_demo()
    before = Plan.objects.count()
    login(page, "koordinator@eksempel.dk")
    page.goto("/beslutninger/ny/")
    assert_accessible(page)
    page.select_option("#id_department", label="A1 Engparken")
    page.fill("#id_draws", "500")
    page.fill("#id_budget_dkk", "90000")
    page.locator("#id_budget_dkk").dispatch_event("change")
    expect(page.locator("#preview h2").first).to_be_visible(timeout=15000)
    expect(page.locator("#preview")).to_contain_text("eksempel-2024")
    expect(page.locator("#preview")).to_contain_text("Engparkens Fælleshus")
    assert_accessible(page)
    page.fill("#id_title", "Browserplan")
    page.click("button[value=save]")
    page.wait_for_url("**/beslutninger/planer/*/")
    expect(page.locator("h1")).to_have_text("Browserplan")
    assert Plan.objects.count() == before + 1
    assert_accessible(page)


def test_plan_pages_pass_axe_for_coordinator_and_board_member_also_at_phone_width(
    page: Page, login: Callable[[Page, str], None], assert_accessible: Callable[[Page], None]
) -> None:
    """axe found ``scrollable-region-focusable`` on every plan page (issue 9 point 12)."""
    load_demo()
    plans = list(Plan.objects.filter(department__code="A1").values_list("pk", flat=True))
    assert plans
    login(page, "bestyrelse@eksempel.dk")
    for pk in plans:
        page.goto(f"/beslutninger/planer/{pk}/")
        assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/beslutninger/planer/{plans[0]}/")
    assert_accessible(page)
    expect(page.locator(".chart-text").first).to_be_visible()
    expect(page.locator("svg.chart").first).to_be_hidden()


def test_board_member_tries_a_budget_in_the_browser(
    page: Page, login: Callable[[Page, str], None], assert_accessible: Callable[[Page], None]
) -> None:
    load_demo()
    before = Plan.objects.count()
    login(page, "bestyrelse@eksempel.dk")
    page.goto("/beslutninger/ny/")
    expect(page.locator("#scenario-notice")).to_be_visible()
    expect(page.locator("button[value=save]")).to_have_count(0)
    page.select_option("#id_department", label="A1 Engparken")
    page.fill("#id_draws", "500")
    page.fill("#id_budget_dkk", "90000")
    page.locator("#id_budget_dkk").dispatch_event("change")
    expect(page.locator("#preview h2").first).to_be_visible(timeout=15000)
    assert_accessible(page)
    assert Plan.objects.count() == before
