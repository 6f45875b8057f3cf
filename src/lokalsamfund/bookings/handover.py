"""Who booked what, for the key handover (nøgleudlevering): a day or a week of a house's
active bookings with who, contact, rooms, times and the house's key notes. Staff only; the
view checks the right (``permissions.has_perm``) before calling this read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from lokalsamfund.core.models import Membership

from .choices import ACTIVE_STATUSES
from .models import Booking, BookingClaim, Facility

MAX_DAYS = 31


@dataclass(frozen=True)
class HandoverRow:
    booking: Booking
    rooms: list[str]
    home: str


@dataclass(frozen=True)
class HandoverDay:
    day: date
    rows: list[HandoverRow]


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))


def handover_days(*, facility: Facility, first_day: date, days: int) -> list[HandoverDay]:
    """Active bookings (confirmed and requested) of ``facility`` per day from ``first_day``;
    a booking across midnight is listed on each day it touches."""
    days = max(1, min(days, MAX_DAYS))
    start, end = _midnight(first_day), _midnight(first_day + timedelta(days=days))
    bookings = list(
        Booking.objects.filter(
            facility=facility, status__in=ACTIVE_STATUSES, starts_at__lt=end, ends_at__gt=start
        )
        .select_related("booker", "created_by")
        .prefetch_related(Prefetch("claims", queryset=BookingClaim.objects.select_related("room")))
        .order_by("starts_at", "pk")
    )
    homes = dict(
        Membership.objects.filter(
            organisation_id=facility.organisation_id,
            user_id__in={b.booker_id for b in bookings},
        )
        .exclude(home="")
        .values_list("user_id", "home")
    )
    rows = [
        HandoverRow(b, sorted(c.room.name for c in b.claims.all()), homes.get(b.booker_id, ""))
        for b in bookings
    ]
    result = []
    for n in range(days):
        day = first_day + timedelta(days=n)
        day_start, day_end = _midnight(day), _midnight(day + timedelta(days=1))
        result.append(
            HandoverDay(
                day,
                [
                    r
                    for r in rows
                    if r.booking.starts_at < day_end and r.booking.ends_at > day_start
                ],
            )
        )
    return result
