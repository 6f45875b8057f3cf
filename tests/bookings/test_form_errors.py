"""Every booking form, posted invalid: each error is shown once, in Danish, with the field's
label and never its name in the code (tests/form_errors.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from lokalsamfund.bookings.models import Booking, Facility
from lokalsamfund.bookings.services import booking_create
from lokalsamfund.core.models import User
from tests.form_errors import assert_errors_once

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Any]
EMPTY = {"csrfmiddlewaretoken": "x"}  # what a browser posts for an empty form


@pytest.fixture
def party(facility: Facility, resident: User, at: Callable[..., datetime]) -> Booking:
    return booking_create(
        facility=facility,
        booker=resident,
        start=at(6, 12),
        end=at(6, 18),
        title="Fødselsdag",
        use_type="private_event",
        whole_house=True,
    )


def test_book(facility: Facility, resident: User, client_for: ClientFor) -> None:
    client = client_for(resident)
    url = f"/facilities/{facility.slug}/book/"
    assert_errors_once(client.post(url, EMPTY))
    reversed_times = {
        "category": "resident",
        "use_type": "private_event",
        "title": "Fest",
        "whole_house": "on",
        "date": "2026-06-20",
        "start_time": "18:00",
        "end_time": "12:00",
    }
    assert_errors_once(client.post(url, reversed_times))


def test_book_a_taken_time(
    facility: Facility, party: Booking, resident: User, client_for: ClientFor
) -> None:
    start = party.starts_at.astimezone()
    taken = {
        "category": "resident",
        "use_type": "private_event",
        "title": "Fest",
        "whole_house": "on",
        "date": start.date().isoformat(),
        "start_time": "13:00",
        "end_time": "15:00",
    }
    assert_errors_once(client_for(resident).post(f"/facilities/{facility.slug}/book/", taken))


def test_edit(party: Booking, resident: User, client_for: ClientFor) -> None:
    client = client_for(resident)
    url = f"/bookings/{party.pk}/edit/"
    assert_errors_once(client.post(url, {"date": "x", "start_time": "25:00", "title": ""}))


def test_register(client: Any, facility: Facility) -> None:
    url = f"/facilities/{facility.slug}/register/"
    assert_errors_once(client.post(url, EMPTY))
    assert_errors_once(client.post(url, {"kind": "neighbour", "email": "x", "full_name": "Bo"}))


def test_messages_name_the_field_by_its_label(
    party: Booking, resident: User, coordinator: User, client_for: ClientFor
) -> None:
    page = client_for(resident).post(f"/bookings/{party.pk}/budget/", {"sent_on": "x"}, follow=True)
    [error] = assert_errors_once(page)
    assert "sent_on" not in error
    assert "kommunen" in error  # the field's Danish label
    page = client_for(coordinator).post(
        f"/bookings/{party.pk}/reject/", {"scope": "x"}, follow=True
    )
    [error] = assert_errors_once(page)
    assert "scope" not in error
    assert "reason" not in error
