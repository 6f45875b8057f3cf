"""A resident answers Fællesskabsmålingen on a phone-sized screen: every page passes axe-core,
going back keeps the answers, the response is stored once; also without JavaScript, and in
an organisation's right-to-left language."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from lokalsamfund.core.demo import load_demo
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.surveys import services
from lokalsamfund.surveys.models import SurveyLanguage, SurveyResponse, SurveyRound, SurveyText

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 667}


def _phone(browser: Browser, live_server: Any, javascript: bool = True) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url,
        locale="da-DK",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        java_script_enabled=javascript,
    )
    page = context.new_page()
    external: list[str] = []
    page.on(
        "request",
        lambda r: (
            external.append(r.url)
            if not r.url.startswith((live_server.url, "data:", "about:"))
            else None
        ),
    )
    yield page
    context.close()
    assert not external, f"Pages requested other hosts: {external}"


@pytest.fixture
def phone(browser: Browser, live_server: Any) -> Iterator[Page]:
    yield from _phone(browser, live_server)


@pytest.fixture
def phone_without_js(browser: Browser, live_server: Any) -> Iterator[Page]:
    yield from _phone(browser, live_server, javascript=False)


def _open_round() -> SurveyRound:
    load_demo()
    return SurveyRound.objects.get(slug="eksempel-2025")


def _answer_every_step(page: Page, check: Callable[[Page], None]) -> None:
    """Choose the first answer of every question (tick the first box of a block)."""
    while "/s/trin/" in page.url:
        check(page)
        assert page.locator("progress").is_visible()
        for fieldset in page.locator("fieldset.question").all():
            fieldset.locator("label").first.click()
        before = page.url
        page.get_by_role("button", name="Næste").click()
        page.wait_for_url(lambda url, old=before: url != old)  # htmx swaps, pushes the address
        page.wait_for_load_state()


def test_a_resident_answers_on_a_phone_with_a_code(
    phone: Page, assert_accessible: Callable[[Page], None]
) -> None:
    survey_round = _open_round()
    a1 = survey_round.departments.get(code="A1")
    [code] = services.codes_generate(
        actor=SYSTEM, survey_round=survey_round, department=a1, count=1
    )
    phone.goto("/s/")
    assert_accessible(phone)
    phone.get_by_label("Din kode fra brevet").fill(code)
    phone.get_by_role("button", name="Start").click()
    phone.wait_for_url("**/s/start/")
    assert_accessible(phone)
    phone.get_by_role("link", name="Start").click()
    phone.wait_for_url("**/s/trin/1/")
    # Answer the first page, go forward and back: the answer is still there.
    phone.get_by_label("25-34 år").check()
    phone.get_by_role("button", name="Næste").click()
    phone.wait_for_url("**/s/trin/2/")
    phone.get_by_role("button", name="Tilbage").click()
    phone.wait_for_url("**/s/trin/1/")
    assert phone.get_by_label("25-34 år").is_checked()
    _answer_every_step(phone, assert_accessible)
    assert phone.url.endswith("/s/oversigt/")
    assert_accessible(phone)
    phone.get_by_role("button", name="Send dine svar").click()
    phone.get_by_role("heading", name="Tak for dine svar").wait_for()
    assert_accessible(phone)
    stored = SurveyResponse.objects.get(round=survey_round)
    assert (stored.channel, stored.department.code, stored.age_group) == ("code", "A1", 1)
    # The page fits the phone: nothing scrolls sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_form_works_without_javascript(
    phone_without_js: Page, assert_accessible: Callable[[Page], None]
) -> None:
    survey_round = _open_round()
    link = survey_round.links.get(department__code="B1")
    page = phone_without_js
    page.goto(f"/s/l/{link.token}/")
    page.get_by_role("link", name="Start").click()
    page.wait_for_url("**/s/trin/1/")
    _answer_every_step(page, lambda p: None)
    page.get_by_role("button", name="Send dine svar").click()
    expect(page.get_by_role("heading", name="Tak for dine svar")).to_be_visible()
    assert SurveyResponse.objects.filter(round=survey_round, channel="link").count() == 1


def test_right_to_left_language_passes_axe(
    phone: Page, assert_accessible: Callable[[Page], None]
) -> None:
    survey_round = _open_round()
    organisation = survey_round.organisation
    SurveyLanguage.objects.create(
        organisation=organisation, code="ar", name="العربية", direction="rtl"
    )
    for key, text in {
        "ui.next": "التالي",
        "ui.back": "رجوع",
        "ui.skip": "انتقل إلى المحتوى",
        "item.age_group": "كم عمرك؟",
        "section.background.title": "عنك",
    }.items():
        SurveyText.objects.create(organisation=organisation, language="ar", key=key, text=text)
    link = survey_round.links.get(department__code="A2")
    phone.goto(f"/s/l/{link.token}/")
    phone.get_by_label("Vælg sprog").select_option("ar")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Skift sprog").click()
    phone.goto("/s/trin/1/")
    assert phone.evaluate("document.documentElement.dir") == "rtl"
    assert phone.get_by_role("heading", name="عنك").is_visible()
    assert_accessible(phone)
