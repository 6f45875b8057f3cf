"""iCal feeds parsed with vobject (independent of the icalendar library that writes them),
across the daylight-saving changes of Europe/Copenhagen (last Sunday of March and October)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from django.test import Client
from django.utils import timezone

from lokalsamfund.bookings import ical
from lokalsamfund.bookings.models import Booking, Facility
from lokalsamfund.bookings.services import booking_create
from lokalsamfund.core.models import User

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")


def last_sunday(year: int, month: int) -> date:
    day = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() - 6) % 7)


@pytest.fixture
def night_house(facility: Facility) -> Facility:
    """Open around the clock, so that a booking can run over the 02:00/03:00 change."""
    facility.opens_at = time(0, 0)
    facility.closes_at = time(0, 0)
    facility.max_duration_minutes = 26 * 60
    facility.save()
    return facility


def night_booking(facility: Facility, user: User, day: date, title: str) -> Booking:
    """From 22:00 the evening before ``day`` until 05:00 on ``day`` (wall clock)."""
    start = datetime.combine(day - timedelta(days=1), time(22), tzinfo=CPH)
    end = datetime.combine(day, time(5), tzinfo=CPH)
    return booking_create(
        facility=facility,
        booker=user,
        start=start,
        end=end,
        title=title,
        use_type="community_activity",
        whole_house=True,
        now=start - timedelta(days=10),
    )


def events(data: bytes) -> list[vobject.base.Component]:
    calendar = vobject.readOne(data.decode())
    return list(calendar.vevent_list)


@pytest.mark.parametrize(("month", "real_hours"), [(3, 6), (10, 8)])
def test_public_feed_is_right_across_dst(
    night_house: Facility, coordinator: User, month: int, real_hours: int
) -> None:
    day = last_sunday(timezone.localdate().year + 1, month)
    booking = night_booking(night_house, coordinator, day, "Natcafé")
    data = ical.public_feed(night_house, now=booking.starts_at - timedelta(days=10))
    calendar = vobject.readOne(data.decode())
    assert calendar.vtimezone.tzid.value == "Europe/Copenhagen"
    (event,) = events(data)
    start, end = event.dtstart.value, event.dtend.value
    # Wall clock as booked, and the elapsed time the DST change makes of it.
    assert (start.hour, end.hour) == (22, 5)
    assert start.astimezone(UTC) == booking.starts_at.astimezone(UTC)
    assert end.astimezone(UTC) == booking.ends_at.astimezone(UTC)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=real_hours)
    assert "Natcafé" not in data.decode()  # busy/free only
    assert event.summary.value.endswith(("hele huset", "the whole house"))
    # The price follows elapsed hours too: cost recovery would bill 6 or 8 hours, not 7.
    assert booking.hours == real_hours


def test_private_feed_has_titles_and_dst_times(night_house: Facility, coordinator: User) -> None:
    day = last_sunday(timezone.localdate().year + 1, 10)
    booking = night_booking(night_house, coordinator, day, "Natcafé")
    data = ical.private_feed(coordinator, now=booking.starts_at - timedelta(days=10))
    (event,) = events(data)
    assert event.summary.value == "Natcafé"
    assert event.dtend.value.utcoffset() == timedelta(hours=1)  # winter time after the change
    assert event.dtstart.value.utcoffset() == timedelta(hours=2)  # summer time before it
    assert event.uid.value == f"booking-{booking.pk}@lokalsamfund"


def test_feed_over_http_is_valid_calendar(
    client: Client, facility: Facility, resident: User, at: object
) -> None:
    start = timezone.localtime() + timedelta(days=3)
    start = start.replace(hour=12, minute=0, second=0, microsecond=0)
    booking_create(
        facility=facility,
        booker=resident,
        start=start,
        end=start + timedelta(hours=3),
        title="Frokost",
        use_type="community_activity",
        rooms=[facility.rooms.get(name="Salen")],
    )
    response = client.get(f"/facilities/{facility.slug}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = events(response.content)
    assert event.dtstart.value == start
    assert "Salen" in event.summary.value
    assert client.get("/facilities/no-such-house/calendar.ics").status_code == 404
