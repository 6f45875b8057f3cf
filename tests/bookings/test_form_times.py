"""Times on the booking form: overnight bookings show both days, a reversed time says so,
fixed slots are chosen from a list, and uses the policy refuses are not offered."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import Any

import pytest
from django.test import Client

from lokalsamfund.bookings.models import Booking, Facility, FixedSlot
from lokalsamfund.core.models import User

pytestmark = pytest.mark.django_db

At = Callable[..., datetime]
ClientFor = Callable[[User | None], Client]


def _form(at: At, **extra: Any) -> dict[str, Any]:
    data = {
        "category": "resident",
        "use_type": "community_activity",
        "title": "Aftenkaffe",
        "rooms": ["Salen"],
        "date": at(5, 0).date().isoformat(),
        "start_time": "20:00",
        "end_time": "18:00",
    }
    data.update(extra)
    return data


def test_a_reversed_time_says_the_end_is_before_the_start(
    client_for: ClientFor, resident: User, facility: Facility, at: At
) -> None:
    response = client_for(resident).post(f"/facilities/{facility.slug}/book/", _form(at))
    assert response.status_code == 400
    html = response.content.decode()
    assert "ligger før starttidspunktet" in html
    assert "18.00" in html
    assert "20.00" in html
    assert not Booking.objects.exists()
    # With an end date before the date, too.
    response = client_for(resident).post(
        f"/facilities/{facility.slug}/book/",
        _form(at, end_date=at(4, 0).date().isoformat(), end_time="21:00"),
    )
    assert response.status_code == 400
    assert "ligger før starttidspunktet" in response.content.decode()
    assert not Booking.objects.exists()


def test_until_midnight_and_overnight_with_an_end_date(
    client_for: ClientFor, resident: User, facility: Facility, at: At
) -> None:
    facility.opens_at = facility.closes_at = time(0)  # open around the clock
    facility.save()
    client = client_for(resident)
    response = client.post(f"/facilities/{facility.slug}/book/", _form(at, end_time="00:00"))
    assert response.status_code == 302
    assert Booking.objects.get().ends_at == at(6, 0)
    response = client.post(
        f"/facilities/{facility.slug}/book/",
        _form(
            at,
            date=at(8, 0).date().isoformat(),
            end_date=at(9, 0).date().isoformat(),
            end_time="02:00",
        ),
    )
    assert response.status_code == 302
    overnight = Booking.objects.get(starts_at=at(8, 20))
    assert overnight.ends_at == at(9, 2)
    detail = client.get(response["Location"]).content.decode()
    # Both days are named: "<weekday> <d>. <month> <year> kl. 20.00 – <weekday> ... kl. 02.00".
    start_day, end_day = str(at(8, 0).day) + ". ", str(at(9, 0).day) + ". "
    assert f"{start_day}" in detail
    assert f"{end_day}" in detail
    assert "kl. 20.00 – " in detail
    assert "kl. 02.00" in detail


@pytest.fixture
def party_slot(facility: Facility) -> FixedSlot:
    return FixedSlot.objects.create(
        facility=facility,
        use_type="private_event",
        label="Fest",
        starts_at=time(10),
        duration_hours=26,
    )


def test_fixed_slots_are_chosen_not_typed(
    client_for: ClientFor, resident: User, facility: Facility, party_slot: FixedSlot, at: At
) -> None:
    client = client_for(resident)
    html = client.get(f"/facilities/{facility.slug}/book/").content.decode()
    assert 'name="slot"' in html
    assert "Fest: fra kl. 10.00 i 26 timer" in html
    # A party without a slot: told to choose one, nothing saved.
    data = _form(at, use_type="private_event", start_time="12:00", end_time="16:00")
    response = client.post(f"/facilities/{facility.slug}/book/", data)
    assert response.status_code == 400
    assert "faste tidsrum" in response.content.decode()
    assert not Booking.objects.exists()
    # With the slot the times follow it (typed times are ignored).
    data = _form(at, use_type="private_event", slot=str(party_slot.pk), start_time="", end_time="")
    response = client.post(f"/facilities/{facility.slug}/book/", data)
    assert response.status_code == 302, response.content.decode()
    booking = Booking.objects.get()
    assert booking.starts_at == at(5, 10)
    assert booking.ends_at == at(6, 12)  # 26 hours on the clock


def test_a_slot_of_another_use_is_refused(
    client_for: ClientFor, resident: User, facility: Facility, party_slot: FixedSlot, at: At
) -> None:
    data = _form(at, slot=str(party_slot.pk), start_time="", end_time="")
    response = client_for(resident).post(f"/facilities/{facility.slug}/book/", data)
    assert response.status_code == 400
    assert "Tidsrummet Fest" in response.content.decode()
    assert not Booking.objects.exists()


def _uses(html: str) -> set[str]:
    return {
        u
        for u in ("community_activity", "private_event", "external_letting")
        if f'value="{u}"' in html
    }


def test_uses_the_policy_refuses_are_not_offered_and_still_refused(
    client_for: ClientFor,
    resident: User,
    neighbour: User,
    facility: Facility,
    at: At,
    verified: None,
) -> None:
    url = f"/facilities/{facility.slug}/book/"
    assert _uses(client_for(resident).get(url).content.decode()) == {
        "community_activity",
        "private_event",
    }
    assert _uses(client_for(neighbour).get(url).content.decode()) == {
        "community_activity",
        "external_letting",
    }
    data = _form(at, category="neighbour", use_type="private_event", end_time="22:00")
    response = client_for(neighbour).post(url, data)
    assert response.status_code == 400
    assert not Booking.objects.exists()
