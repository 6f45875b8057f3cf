"""Registration does not tell which e-mail addresses have accounts (the same answer either
way; the rest goes by e-mail), and it shares the login limit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from lokalsamfund.bookings.models import Facility
from lokalsamfund.core.models import NeighbourHousing, User

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Fælleshus-2026-solsikke"


def _register(client: Client, facility: Facility, housing: NeighbourHousing, email: str) -> Any:
    return client.post(
        f"/facilities/{facility.slug}/register/",
        {
            "kind": "neighbour",
            "full_name": "Naja Nabo",
            "email": email,
            "password": GOOD_PASSWORD,
            "neighbour_housing": str(housing.pk),
        },
        follow=True,
    )


def _answer(response: Any, email: str) -> tuple[int, list[tuple[str, int]], str]:
    page = response.content.decode().replace(email, "ADDRESS")
    main = page.split("<main")[1].split("</main>")[0]
    return response.status_code, response.redirect_chain, main


def test_the_same_answer_whether_or_not_the_address_has_an_account(
    facility: Facility,
    neighbour_housing: NeighbourHousing,
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    owner = make_user(email="taken@example.org")
    password_before = owner.password
    with django_capture_on_commit_callbacks(execute=True):
        taken = _register(Client(), facility, neighbour_housing, "taken@example.org")
        new = _register(Client(), facility, neighbour_housing, "new@example.org")
    assert _answer(taken, "taken@example.org") == _answer(new, "new@example.org")
    assert User.objects.filter(email="taken@example.org").count() == 1
    owner.refresh_from_db()
    assert owner.password == password_before
    assert not owner.memberships.exists()
    # The owner of the address hears the rest by e-mail, with a way back in.
    to_owner = next(m for m in mail.outbox if m.to == ["taken@example.org"])
    assert "/password/reset/" in to_owner.body
    assert GOOD_PASSWORD not in to_owner.body


def test_registration_shares_the_login_limit(
    facility: Facility,
    neighbour_housing: NeighbourHousing,
    make_user: Callable[..., User],
    settings: Any,
) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    for n in range(3):
        make_user(email=f"probe{n}@example.org")
    client = Client()
    for n in range(3):  # probing addresses that have accounts counts as failures
        _register(client, facility, neighbour_housing, f"probe{n}@example.org")
    locked = _register(client, facility, neighbour_housing, "fresh@example.org")
    assert locked.status_code == 429
    assert not User.objects.filter(email="fresh@example.org").exists()
    # Failed logins lock registration from the same client, too.
    other = Client(REMOTE_ADDR="198.51.100.9")
    for _ in range(3):
        other.post("/login/", {"username": "nobody@example.org", "password": "x"})
    assert _register(other, facility, neighbour_housing, "fresh@example.org").status_code == 429


def test_verification_links_are_limited(settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    client = Client()
    for n in range(3):
        assert client.get(f"/bookings/verify/guess-{n}/").status_code == 400
    assert client.get("/bookings/verify/guess-x/").status_code == 429
