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
