"""Usage figures for the decision tool (selectors), also exported by ``selectors``.

``facility_usage`` and ``free_hours`` are the contract with the decision tool: keep their
names and signatures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from .choices import (
    ACTIVE_STATUSES,
    CROSS_OWNERSHIP_CATEGORIES,
    BookerCategory,
    BookingStatus,
    UseType,
)
from .models import Booking, Facility
from .policy import CATEGORIES, USE_TYPES
from .pricing import elapsed_seconds
from .timeline import Interval, clip, intersect_hours, merge, total_hours


@dataclass(frozen=True)
class FacilityUsage:
    """How a house was used in a period (confirmed bookings, hours clipped to the period)."""

    facility_id: int
    start: datetime
    end: datetime
    bookings: int
    booked_hours: float
    hours_by_category: dict[str, float]
    hours_by_use_type: dict[str, float]
    community_share: float  # community-activity hours / booked hours (0 when none)
    distinct_user_groups: int  # departments, neighbour housings, associations that booked
    cross_ownership_bookings: int  # bookings by neighbours and associations
    cross_ownership_hours: float
    cross_ownership_share: float


def _group_key(booking: Booking) -> tuple[str, int | None]:
    if booking.category in (BookerCategory.RESIDENT, BookerCategory.RESIDENT_OTHER_DEPARTMENT):
        return ("department", booking.department_id)
    if booking.category == BookerCategory.NEIGHBOUR:
        return ("neighbour_housing", booking.neighbour_housing_id or -booking.booker_id)
    if booking.category == BookerCategory.ASSOCIATION:
        return ("association", booking.association_id or -booking.booker_id)
    return ("department_itself", booking.department_id)


def facility_usage(*, facility: Facility, start: datetime, end: datetime) -> FacilityUsage:
    """Booked hours by category and use type, community share, distinct user groups and
    cross-ownership use of ``facility`` between ``start`` and ``end``."""
    bookings = Booking.objects.filter(
        facility=facility,
        status=BookingStatus.CONFIRMED,
        starts_at__lt=end,
        ends_at__gt=start,
    ).only(
        "starts_at",
        "ends_at",
        "category",
        "use_type",
        "department_id",
        "neighbour_housing_id",
        "association_id",
        "booker_id",
    )
    by_category: dict[str, float] = dict.fromkeys(CATEGORIES, 0.0)
    by_use: dict[str, float] = dict.fromkeys(USE_TYPES, 0.0)
    groups: set[tuple[str, int | None]] = set()
    count = cross_count = 0
    for booking in bookings:
        part = clip((booking.starts_at, booking.ends_at), start, end)
        if part is None:
            continue
        hours = elapsed_seconds(part[0], part[1]) / 3600
        by_category[booking.category] = by_category.get(booking.category, 0.0) + hours
        by_use[booking.use_type] = by_use.get(booking.use_type, 0.0) + hours
        groups.add(_group_key(booking))
        count += 1
        if booking.category in CROSS_OWNERSHIP_CATEGORIES:
            cross_count += 1
    booked = sum(by_category.values())
    cross = sum(by_category[c] for c in CROSS_OWNERSHIP_CATEGORIES)
    return FacilityUsage(
        facility_id=facility.pk,
        start=start,
        end=end,
        bookings=count,
        booked_hours=round(booked, 2),
        hours_by_category={k: round(v, 2) for k, v in by_category.items()},
        hours_by_use_type={k: round(v, 2) for k, v in by_use.items()},
        community_share=round(by_use[UseType.COMMUNITY_ACTIVITY] / booked, 4) if booked else 0.0,
        distinct_user_groups=len(groups),
        cross_ownership_bookings=cross_count,
        cross_ownership_hours=round(cross, 2),
        cross_ownership_share=round(cross / booked, 4) if booked else 0.0,
    )


def opening_windows(facility: Facility, start: datetime, end: datetime) -> list[Interval]:
    """The house's opening hours as aware intervals within ``start``..``end``."""
    windows: list[Interval] = []
    day = timezone.localtime(start).date() - timedelta(days=1)
    last = timezone.localtime(end).date()
    overnight = facility.closes_at <= facility.opens_at
    while day <= last:
        opens = timezone.make_aware(datetime.combine(day, facility.opens_at))
        close_day = day + timedelta(days=1) if overnight else day
        closes = timezone.make_aware(datetime.combine(close_day, facility.closes_at))
        part = clip((opens, closes), start, end)
        if part is not None:
            windows.append(part)
        day += timedelta(days=1)
    return merge(windows)


def free_hours(*, facility: Facility, start: datetime, end: datetime) -> float:
    """Opening hours between ``start`` and ``end`` minus the hours in them when any room is
    booked (confirmed or pending): the time the whole house could still be booked."""
    windows = opening_windows(facility, start, end)
    busy = [
        (b.starts_at, b.ends_at)
        for b in Booking.objects.filter(
            facility=facility, status__in=ACTIVE_STATUSES, starts_at__lt=end, ends_at__gt=start
        ).only("starts_at", "ends_at")
    ]
    return round(max(0.0, total_hours(windows) - intersect_hours(windows, busy)), 2)
