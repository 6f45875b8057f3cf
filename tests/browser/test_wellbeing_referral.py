"""A caretaker's referral on a phone (390 px), with axe: the acute instruction and the child
guidance appear when they matter, the draft survives a reload without the personal fields
(unless the caretaker asks), sending clears it, and the social worker's page passes axe too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from cryptography.fernet import Fernet
from playwright.sync_api import Browser, Page

from lokalsamfund.core.demo import load_demo
from lokalsamfund.wellbeing.models import Referral, ReferralStatus

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
CARETAKER = "vicevaert@eksempel.dk"
SOCIAL_WORKER = "socialraadgiver@eksempel.dk"
NAME = "Bodil Browsertest"


@pytest.fixture(autouse=True)
def _keys(settings: Any) -> None:
    settings.LOKALSAMFUND_FIELD_KEYS = [Fernet.generate_key().decode()]


def _draft(page: Page) -> str:
    return str(
        page.evaluate(
            "() => Object.keys(sessionStorage).filter(k => k.startsWith('wellbeing-draft-'))"
            ".map(k => sessionStorage.getItem(k)).join('')"
        )
    )


def test_a_caretaker_refers_on_a_phone(
    page: Page,
    login: Callable[[Page, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    load_demo()
    before = Referral.objects.count()
    page.set_viewport_size(PHONE)
    login(page, CARETAKER)
    page.goto("/referrals/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    acute, child = page.locator("#acute-help"), page.locator("#child-help")
    assert not acute.is_visible()
    assert not child.is_visible()
    assert page.locator("#free-text-warning").is_visible()
    assert not page.locator("[name=resident_name]").is_visible()
    assert_accessible(page)

    page.check("[name=observations][value=post]")
    page.check("[name=urgency][value=acute]")
    assert acute.is_visible()
    assert "112" in acute.inner_text()
    assert "70 20 30 40" in acute.inner_text()  # the demo organisation's own number
    page.check("[name=child_affected]")
    assert child.is_visible()
    assert "132" in child.inner_text()
    page.check("[name=identity_basis][value=consent]")
    page.fill("[name=resident_name]", NAME)
    page.fill("[name=free_text]", "Posten hober sig op")
    assert_accessible(page)  # with the guidance shown

    # A reload (a lost connection) keeps the choices but not the name: no consent to keep it.
    assert NAME not in _draft(page)
    page.reload()
    assert page.is_checked("[name=urgency][value=acute]")
    assert page.is_checked("[name=observations][value=post]")
    assert page.is_checked("[name=child_affected]")
    assert acute.is_visible()
    assert page.input_value("[name=resident_name]") == ""
    # Asked to keep it on this phone, the name survives the reload too.
    page.check("[name=keep_draft]")
    page.fill("[name=resident_name]", NAME)
    page.fill("[name=resident_address]", "Engparken 5")
    page.reload()
    assert page.input_value("[name=resident_name]") == NAME
    assert page.evaluate("localStorage.length") == 0

    with page.expect_navigation():
        page.click("#referral-form button[type=submit]")
    assert "/referrals/mine/" in page.url
    assert _draft(page) == ""
    assert "112" in page.locator(".messages").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    referral = Referral.objects.order_by("-pk").first()
    assert referral is not None
    assert Referral.objects.count() == before + 1
    assert referral.child_affected
    assert referral.status == ReferralStatus.RECEIVED
    assert NAME not in referral.resident_name_encrypted

    page.click(f"a[href='/referrals/r/{referral.reference}/']")
    page.wait_for_url(f"**/referrals/r/{referral.reference}/")
    assert NAME not in page.content()  # the caretaker sees the status only
    assert_accessible(page)


def test_the_social_worker_pages_on_a_phone(
    browser: Browser,
    live_server: Any,
    login: Callable[[Page, str], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    load_demo()
    context = browser.new_context(base_url=live_server.url, locale="da-DK", viewport=PHONE)
    page = context.new_page()
    try:
        login(page, SOCIAL_WORKER)
        page.goto("/referrals/queue/")
        assert page.locator(".badge-warn").count() >= 2  # the acute and the child referral
        assert_accessible(page)
        page.locator("main table a").first.click()
        page.wait_for_url("**/referrals/r/**")
        assert page.locator("h2").count() >= 2
        assert_accessible(page)
    finally:
        context.close()
