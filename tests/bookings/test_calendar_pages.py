"""The month view and the day grid (htmx, server-rendered): busy or free, never who; a free
hour is one tap to a filled-in booking form; "add to calendar" (webcal) links."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from django.test import Client

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
        end=at(6, 14),
        title="Hemmelig fest",
        use_type="private_event",
        rooms=[facility.rooms.get(name="Salen")],
    )


def _day(party: Booking) -> str:
    return party.starts_at.astimezone().date().isoformat()


@pytest.mark.parametrize("persona", ["resident", "coordinator", "outsider", "no_role", None])
def test_month_and_day_show_busy_times_but_never_who(
    client_for: ClientFor,
    personas: dict[str, User],
    resident: User,
    facility: Facility,
    party: Booking,
    persona: str | None,
) -> None:
    client = client_for(personas[persona] if persona else None)
    month = client.get(f"/facilities/{facility.slug}/month/?month={_day(party)[:7]}")
    assert month.status_code == 200
    html = month.content.decode()
    assert f"/facilities/{facility.slug}/day/{_day(party)}/" in html
    assert 'hx-get="' in html
    assert 'hx-target="#calendar"' in html
    day = client.get(f"/facilities/{facility.slug}/day/{_day(party)}/").content.decode()
    for page in (html, day):
        assert "Hemmelig" not in page
        assert resident.email not in page
        assert resident.get_full_name() not in page
    assert "optaget" in day


def test_htmx_gets_the_fragment_only(client: Client, facility: Facility, party: Booking) -> None:
    fragment = client.get(
        f"/facilities/{facility.slug}/day/{_day(party)}/", headers={"HX-Request": "true"}
    ).content.decode()
    assert fragment.startswith('<div id="calendar"')
    assert "<html" not in fragment


def test_a_free_hour_is_one_tap_to_a_filled_in_form(
    client_for: ClientFor, resident: User, facility: Facility, party: Booking
) -> None:
    client = client_for(resident)
    day = client.get(f"/facilities/{facility.slug}/day/{_day(party)}/").content.decode()
    link = (
        f"/facilities/{facility.slug}/book/?date={_day(party)}"
        "&amp;start_time=15:00&amp;end_time=16:00&amp;rooms=Salen"
    )
    assert link in day
    # The busy hour of Salen has no link.
    assert "start_time=12:00&amp;end_time=13:00&amp;rooms=Salen" not in day
    # The whole house is busy when one room is.
    assert "start_time=12:00&amp;end_time=13:00&amp;whole_house=on" not in day
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert f'value="{_day(party)}"' in form
    assert 'value="15:00"' in form
    assert 'value="16:00"' in form
    assert 'value="Salen" id="id_rooms_' in form
    assert "checked" in form


def test_anonymous_visitors_see_free_hours_without_links(
    client: Client, facility: Facility, party: Booking
) -> None:
    day = client.get(f"/facilities/{facility.slug}/day/{_day(party)}/").content.decode()
    assert "/book/?" not in day
    assert "Ledigt" in day


@pytest.mark.parametrize("value", ["nonsense", "2026-13-40", "9999-01-01"])
def test_bad_days_are_404_and_bad_months_fall_back(
    client: Client, facility: Facility, value: str
) -> None:
    assert client.get(f"/facilities/{facility.slug}/day/{value}/").status_code == 404
    assert client.get(f"/facilities/{facility.slug}/month/?month={value}").status_code == 200
    assert client.get("/facilities/no-such-house/month/").status_code == 404


def test_add_to_calendar_links_are_webcal(
    client_for: ClientFor, resident: User, facility: Facility
) -> None:
    client = client_for(resident)
    house = client.get(f"/facilities/{facility.slug}/").content.decode()
    assert f'href="webcal://testserver/facilities/{facility.slug}/calendar.ics"' in house
    mine = client.get("/bookings/").content.decode()
    assert 'href="webcal://testserver/bookings/feed/' in mine
