"""Sign-ups without an account send an e-mail to the address given: each counts, per e-mail
address and per client (``Purpose.PUBLIC_SIGNUP``), so that the form cannot flood a
stranger's inbox (third attack)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lokalsamfund.activities.models import Occurrence, SignUp
from lokalsamfund.core.models import Department, User

from ..activities.factories_signups import mail_at_once, make_activity, make_occurrence  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_at_once")]

LIMIT = 3
WINDOW = 3600


@pytest.fixture(autouse=True)
def _limit(settings: object) -> None:
    settings.PUBLIC_SIGNUP_FAILURE_LIMIT = LIMIT  # type: ignore[attr-defined]
    settings.PUBLIC_SIGNUP_FAILURE_WINDOW_SECONDS = WINDOW  # type: ignore[attr-defined]


@pytest.fixture
def public(dept_a: Department) -> Occurrence:
    return make_occurrence(
        make_activity([dept_a], visibility="public", starts_at=timezone.now() + timedelta(days=30))
    )


def _post(
    client: Client,
    occurrence: Occurrence,
    email: str,
    *,
    htmx: bool = False,
    ip: str = "198.51.100.7",
) -> int:
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(
        reverse("activities:signup", args=[occurrence.pk]),
        {"name": "Ida", "email": email},
        REMOTE_ADDR=ip,
        headers=headers,
    )
    if response.status_code == 429:
        assert "For mange tilmeldinger" in response.content.decode()
    return response.status_code


@pytest.mark.parametrize("htmx", [False, True])
def test_the_next_sign_up_within_the_window_is_refused_and_sends_nothing(
    public: Occurrence, client_for: Callable[[User | None], Client], htmx: bool
) -> None:
    client = client_for(None)
    for _ in range(LIMIT):
        assert _post(client, public, "stranger@example.org", htmx=htmx) in (200, 302)
    sent = len(mail.outbox)
    assert sent == LIMIT
    assert _post(client, public, "stranger@example.org", htmx=htmx) == 429
    assert len(mail.outbox) == sent
    # Another client cannot send to the same address either (per address).
    assert _post(client, public, "stranger@example.org", htmx=htmx, ip="203.0.113.9") == 429
    assert len(mail.outbox) == sent


def test_after_the_window_it_works_again(
    public: Occurrence,
    client_for: Callable[[User | None], Client],
    clock: time_machine.Coordinates,
) -> None:
    client = client_for(None)
    for _ in range(LIMIT):
        _post(client, public, "ida@example.org")
    assert _post(client, public, "ida@example.org") == 429
    clock.shift(timedelta(seconds=WINDOW + 1))
    assert _post(client, public, "ida@example.org") == 302
    assert len(mail.outbox) == LIMIT + 1


def test_another_address_from_the_same_client_is_limited_per_client(
    public: Occurrence, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(None)
    for n in range(LIMIT):
        assert _post(client, public, f"person{n}@example.org") == 302
    assert _post(client, public, "someone-else@example.org") == 429
    assert not SignUp.objects.filter(email="someone-else@example.org").exists()
    assert len(mail.outbox) == LIMIT
    # Another client may still sign up another address.
    assert _post(client, public, "someone-else@example.org", ip="203.0.113.9") == 302


def test_residents_with_an_account_are_not_counted(
    public: Occurrence, client_for: Callable[[User | None], Client], resident: User
) -> None:
    client = client_for(resident)
    for _ in range(LIMIT + 1):
        response = client.post(
            reverse("activities:signup", args=[public.pk]), REMOTE_ADDR="198.51.100.7"
        )
        assert response.status_code == 302
    assert _post(client_for(None), public, "ida@example.org") == 302


def test_the_api_has_no_sign_up_without_an_account(public: Occurrence) -> None:
    """The API signs up only the bearer of a token, so it needs no limit of its own."""
    url = f"/api/v1/activities/occurrences/{public.pk}/signups"
    response = Client().post(url, {"places": 1}, content_type="application/json")
    assert response.status_code == 401
    assert not SignUp.objects.exists()
    assert not mail.outbox
