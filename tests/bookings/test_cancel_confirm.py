"""Cancellation asks for confirmation; the cancel button disappears after the deadline (the
service still refuses a late cancel)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client

from lokalsamfund.bookings.choices import BookingStatus
from lokalsamfund.bookings.models import Booking, Facility
from lokalsamfund.bookings.services import booking_create
from lokalsamfund.core.models import User

pytestmark = pytest.mark.django_db

At = Callable[..., datetime]
ClientFor = Callable[[User | None], Client]


@pytest.fixture
def party(facility: Facility, resident: User, at: At) -> Booking:
    return booking_create(
        facility=facility,
        booker=resident,
        start=at(6, 12),
        end=at(6, 18),
        title="Fest",
        use_type="private_event",
        whole_house=True,
    )


def test_cancel_asks_for_confirmation_first(
    client_for: ClientFor, resident: User, party: Booking
) -> None:
    client = client_for(resident)
    detail = client.get(f"/bookings/{party.pk}/").content.decode()
    assert f'href="/bookings/{party.pk}/cancel/"' in detail
    page = client.get(f"/bookings/{party.pk}/cancel/")
    assert page.status_code == 200
    assert "Ja, afbestil bookingen" in page.content.decode()
    # A post without the confirmation only shows the question again.
    response = client.post(f"/bookings/{party.pk}/cancel/", {"scope": "this"})
    assert response.status_code == 200
    party.refresh_from_db()
    assert party.status == BookingStatus.CONFIRMED
    response = client.post(f"/bookings/{party.pk}/cancel/", {"scope": "this", "confirmed": "yes"})
    assert response.status_code == 302
    party.refresh_from_db()
    assert party.status == BookingStatus.CANCELLED


@pytest.mark.parametrize(
    ("persona", "status"),
    [("board_member", 404), ("neighbour", 404), ("outsider", 404), ("no_role", 404)],
)
def test_others_cannot_see_or_cancel(
    client_for: ClientFor, personas: dict[str, User], party: Booking, persona: str, status: int
) -> None:
    client = client_for(personas[persona])
    assert client.get(f"/bookings/{party.pk}/cancel/").status_code == status
    client.post(f"/bookings/{party.pk}/cancel/", {"scope": "this", "confirmed": "yes"})
    party.refresh_from_db()
    assert party.status == BookingStatus.CONFIRMED


def test_the_cancel_button_disappears_after_the_deadline(
    client_for: ClientFor, resident: User, coordinator: User, party: Booking
) -> None:
    # Residents may cancel until 48 hours before the start (shipped default).
    with time_machine.travel(party.starts_at - timedelta(hours=47), tick=False):
        client = client_for(resident)
        detail = client.get(f"/bookings/{party.pk}/").content.decode()
        assert f"/bookings/{party.pk}/cancel/" not in detail
        assert "fristen" in detail.lower()
        response = client.post(
            f"/bookings/{party.pk}/cancel/", {"scope": "this", "confirmed": "yes"}
        )
        assert response.status_code == 302
        party.refresh_from_db()
        assert party.status == BookingStatus.CONFIRMED  # the service refused it
        # Staff still see the button.
        staff_view = client_for(coordinator).get(f"/bookings/{party.pk}/").content.decode()
        assert f"/bookings/{party.pk}/cancel/" in staff_view
    with time_machine.travel(party.starts_at - timedelta(hours=49), tick=False):
        detail = client_for(resident).get(f"/bookings/{party.pk}/").content.decode()
        assert f"/bookings/{party.pk}/cancel/" in detail
