"""iCalendar feeds (RFC 5545): a public free/busy feed per house and a private feed per user.

Times carry TZID=Europe/Copenhagen with its VTIMEZONE, so calendars place them right across
daylight-saving changes. The VTIMEZONE states the EU rule (last Sunday of March and October)
as RRULEs: the explicit transition lists some libraries generate are misread by others
(vobject takes them for permanent winter time). In any other time zone, times are in UTC.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

import icalendar
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lokalsamfund.core import formatting
from lokalsamfund.core.models import User

from .choices import ACTIVE_STATUSES, BookingStatus
from .models import Booking, BookingClaim, Facility

PRODID = "-//lokalsamfund//bookings//DA"
COPENHAGEN = "Europe/Copenhagen"
PAST = timedelta(days=30)
AHEAD = timedelta(days=400)


def _calendar(name: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    if _local_zone():
        cal.add("x-wr-timezone", COPENHAGEN)
        cal.add_component(_vtimezone())
    return cal


def _local_zone() -> bool:
    return timezone.get_current_timezone_name() == COPENHAGEN


def _vtimezone() -> icalendar.Timezone:
    """Europe/Copenhagen under the EU rules in force since 1996."""
    vtz = icalendar.Timezone()
    vtz.add("tzid", COPENHAGEN)
    summer = icalendar.TimezoneDaylight()
    summer.add("dtstart", datetime(1996, 3, 31, 2, 0))  # noqa: DTZ001 - floating by RFC 5545
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    summer.add("tzoffsetfrom", timedelta(hours=1))
    summer.add("tzoffsetto", timedelta(hours=2))
    summer.add("tzname", "CEST")
    winter = icalendar.TimezoneStandard()
    winter.add("dtstart", datetime(1996, 10, 27, 3, 0))  # noqa: DTZ001 - floating by RFC 5545
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    winter.add("tzoffsetfrom", timedelta(hours=2))
    winter.add("tzoffsetto", timedelta(hours=1))
    winter.add("tzname", "CET")
    vtz.add_component(summer)
    vtz.add_component(winter)
    return vtz


def _when(value: datetime) -> datetime:
    if _local_zone():
        return timezone.localtime(value)
    return value.astimezone(UTC)


def _event(uid: str, start: datetime, end: datetime, summary: str, status: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", _when(start))
    event.add("dtend", _when(end))
    event.add("summary", summary)
    event.add("transp", "OPAQUE")
    event.add("status", "TENTATIVE" if status == BookingStatus.PENDING else "CONFIRMED")
    return event


def _finish(cal: icalendar.Calendar) -> bytes:
    return cal.to_ical()


def public_feed(facility: Facility, now: datetime | None = None) -> bytes:
    """Busy times of the house's rooms: no names, no titles."""
    now = now or timezone.now()
    cal = _calendar(_("%(house)s: busy times") % {"house": facility.name})
    claims = (
        BookingClaim.objects.filter(
            room__facility=facility,
            active=True,
            ends_at__gte=now - PAST,
            starts_at__lte=now + AHEAD,
        )
        .select_related("room", "booking")
        .order_by("starts_at", "room__name")
    )
    rooms_of: dict[int, list[str]] = defaultdict(list)
    bookings: dict[int, Booking] = {}
    for claim in claims:
        rooms_of[claim.booking_id].append(claim.room.name)
        bookings[claim.booking_id] = claim.booking
    for booking_id, booking in bookings.items():
        where = (
            _("the whole house") if booking.whole_house else ", ".join(sorted(rooms_of[booking_id]))
        )
        cal.add_component(
            _event(
                f"busy-{booking_id}@{facility.slug}.lokalsamfund",
                booking.starts_at,
                booking.ends_at,
                _("Busy: %(where)s") % {"where": where},
                booking.status,
            )
        )
    return _finish(cal)


def private_feed(user: User, now: datetime | None = None) -> bytes:
    """The user's own bookings (booked by or for them), with titles and status."""
    now = now or timezone.now()
    cal = _calendar(_("My bookings"))
    bookings = (
        Booking.objects.filter(Q(booker=user) | Q(created_by=user))
        .filter(status__in=ACTIVE_STATUSES, ends_at__gte=now - PAST, starts_at__lte=now + AHEAD)
        .select_related("facility")
        .order_by("starts_at")
    )
    for booking in bookings:
        event = _event(
            f"booking-{booking.pk}@lokalsamfund",
            booking.starts_at,
            booking.ends_at,
            booking.title,
            booking.status,
        )
        event.add("location", f"{booking.facility.name}, {booking.facility.address}".strip(", "))
        event.add(
            "description",
            _("Status: %(status)s. Price: %(price)s.")
            % {
                "status": booking.get_status_display(),
                "price": formatting.money(booking.price, formatting.language(get_language())),
            },
        )
        cal.add_component(event)
    return _finish(cal)
