"""The shell: the anonymous front page, the phone menu's markup and the example-data badge."""

from __future__ import annotations

import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.template import Context, Template
from django.test import Client
from django.urls import URLResolver, include, path, reverse

from lokalsamfund.core.demo import DEMO_USERS, is_example_data, load_demo
from lokalsamfund.core.models import Organisation, User

pytestmark = pytest.mark.django_db


def _hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_front_page_says_what_the_site_is_in_danish_and_links_residents_in(
    client: Client,
) -> None:
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "boligorganisation" in html  # what the site is, in plain Danish
    hrefs = _hrefs(html)
    assert reverse("surveys:form_start") in hrefs
    assert reverse("bookings:facilities") in hrefs
    assert reverse("login") in hrefs


def test_front_page_links_the_activities_calendar(client: Client) -> None:
    html = client.get("/").content.decode()
    assert reverse("activities:calendar") in _hrefs(html)
    assert "Det sker" in html


def _calendar(request: HttpRequest) -> HttpResponse:
    return HttpResponse("calendar")


def _urlconf_with_calendar() -> ModuleType:
    from lokalsamfund import urls

    module = ModuleType("urls_with_calendar")
    patterns: list[Any] = [
        p
        for p in urls.urlpatterns
        if not (isinstance(p, URLResolver) and p.app_name == "activities")
    ]
    patterns.append(
        path("", include(([path("kalender/", _calendar, name="calendar")], "activities")))
    )
    module.urlpatterns = patterns  # type: ignore[attr-defined]
    module.handler404 = urls.handler404  # type: ignore[attr-defined]
    return module


def test_front_page_links_the_calendar_once_activities_has_one(
    client: Client, settings: Any
) -> None:
    settings.ROOT_URLCONF = _urlconf_with_calendar()
    html = client.get("/").content.decode()
    assert "/kalender/" in _hrefs(html)
    assert "Det sker" in html


def test_logged_in_pages_have_a_menu_button_that_controls_the_menu(
    client: Client, resident: User
) -> None:
    client.force_login(resident)
    html = client.get("/").content.decode()
    button = re.search(r"<button[^>]*class=\"menu-button\"[^>]*>", html)
    assert button is not None
    assert 'aria-expanded="false"' in button.group(0)
    controls = re.search(r'aria-controls="([^"]+)"', button.group(0))
    assert controls is not None
    assert f'id="{controls.group(1)}"' in html
    assert "/static/js/site.js" in html


def _badge(organisation: Organisation | None) -> str:
    template = Template("{% load shell %}{% example_data_badge organisation %}")
    return template.render(Context({"organisation": organisation}))


def test_the_demo_organisation_is_example_data_and_no_other_is(
    make_organisation: Callable[..., Organisation],
) -> None:
    demo = load_demo().organisation
    same_slug_elsewhere = Organisation(name="X", slug="eksempel", cvr="87654320")
    assert is_example_data(demo)
    assert "Eksempeldata" in _badge(demo)
    assert not is_example_data(make_organisation())
    assert not is_example_data(same_slug_elsewhere)
    assert not is_example_data(None)
    assert _badge(make_organisation()).strip() == ""


def test_demo_survey_results_are_marked_as_example_data(client: Client) -> None:
    load_demo()
    coordinator = next(e for e, _, role, _ in DEMO_USERS if role == "coordinator")
    client.force_login(User.objects.get(email=coordinator))
    pages = [
        reverse("surveys:results", args=["eksempel-2024"]),
        reverse("surveys:department_results", args=["eksempel-2024", "A1"]),
        reverse("surveys:summary", args=["eksempel-2024", "A1"]),
        reverse("surveys:comments", args=["eksempel-2024"]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Eksempeldata" in response.content.decode(), url
