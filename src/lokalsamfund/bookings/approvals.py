"""Reads for approvers: who approves a house's requests, and a weekly series as one request
(each date with its state)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Prefetch
from django.utils import timezone

from lokalsamfund.core import permissions
from lokalsamfund.core.models import Membership
from lokalsamfund.core.permissions import Perm

from .choices import BookingStatus
from .models import Booking, BookingClaim, BookingSeries, Facility, Room
from .services.checks import first_clash

if TYPE_CHECKING:
    from lokalsamfund.core.models import User


def approvers_of(facility: Facility) -> list[User]:
    """Active people who may approve the house's requests (the right is decided by
    ``permissions.has_perm``)."""
    roles = [
        r for r, perms in permissions.ROLE_PERMISSIONS.items() if Perm.APPROVE_BOOKINGS in perms
    ]
    memberships = Membership.objects.filter(
        organisation_id=facility.organisation_id, role__in=roles, user__is_active=True
    ).select_related("user")
    people = {m.user_id: m.user for m in memberships}
    return [
        u
        for _, u in sorted(people.items())
        if permissions.has_perm(u, Perm.APPROVE_BOOKINGS, facility)
    ]


@dataclass(frozen=True)
class SeriesDate:
    """One date of a series: its booking (None when it was skipped because it was taken),
    and, for a skipped date, whether the time is taken now."""

    day: date
    start: datetime
    end: datetime
    booking: Booking | None
    taken: bool

    @property
    def pending(self) -> bool:
        return self.booking is not None and self.booking.status == BookingStatus.PENDING


def series_dates(series: BookingSeries) -> list[SeriesDate]:
    """Every date of the series' pattern, in order, with its occurrence and clash state."""
    bookings = list(
        Booking.objects.filter(series=series)
        .prefetch_related(Prefetch("claims", queryset=BookingClaim.objects.select_related("room")))
        .order_by("starts_at")
    )
    if not bookings:
        return []
    first = bookings[0]
    rooms: list[Room] = [c.room for c in first.claims.all()]
    start_local = timezone.localtime(first.starts_at)
    wall = timezone.localtime(first.ends_at).replace(tzinfo=None) - start_local.replace(tzinfo=None)
    by_day = {timezone.localtime(b.starts_at).date(): b for b in bookings}
    result = []
    day = series.first_date
    while day <= series.until:
        booking = by_day.pop(day, None)
        if booking is not None:
            result.append(SeriesDate(day, booking.starts_at, booking.ends_at, booking, False))
        else:
            naive = datetime.combine(day, start_local.time())
            start, end = timezone.make_aware(naive), timezone.make_aware(naive + wall)
            taken = first_clash(rooms, start, end) is not None if rooms else False
            result.append(SeriesDate(day, start, end, None, taken))
        day += timedelta(weeks=series.interval_weeks)
    # Occurrences moved off the pattern (changed one by one) are listed too.
    for day, booking in by_day.items():
        result.append(SeriesDate(day, booking.starts_at, booking.ends_at, booking, False))
    return sorted(result, key=lambda d: d.start)
