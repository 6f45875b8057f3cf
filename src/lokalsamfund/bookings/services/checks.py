"""Checks the booking services share: times, opening hours, slots, window, quota, conflicts.

Each raises a domain error with a translated message naming what was wrong.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lokalsamfund.core import formatting, permissions
from lokalsamfund.core.errors import Conflict, DomainError

from ..choices import ACTIVE_STATUSES, PERSONAL_CATEGORIES, BookerCategory
from ..models import Booking, BookingClaim, Facility, Room
from ..policy import CategoryTerms
from ..pricing import elapsed_seconds

if TYPE_CHECKING:
    from collections.abc import Sequence

    from lokalsamfund.core.models import User


def local(value: datetime) -> datetime:
    return timezone.localtime(value)


def lang() -> str:
    """The language figures and dates are written in (core.formatting)."""
    return formatting.language(get_language())


def fmt(value: datetime) -> str:
    """A time as users read it, in local time: torsdag 24. december 2026 kl. 18.00."""
    return formatting.long_datetime(local(value), lang())


def fmt_day(value: datetime) -> str:
    """A day as users read it: torsdag 24. december 2026."""
    return formatting.long_date(local(value).date(), lang())


def check_aware_order(start: datetime, end: datetime) -> None:
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise DomainError(_("Times must include their UTC offset (ISO 8601)."))
    if end <= start:
        raise DomainError(
            _("The end (%(end)s) must be after the start (%(start)s).")
            % {"end": fmt(end), "start": fmt(start)}
        )


def _wall_minutes(start: datetime, end: datetime) -> int:
    """Wall-clock minutes between two local times (a party of 26 h is 26 h on the clock)."""
    a, b = local(start).replace(tzinfo=None), local(end).replace(tzinfo=None)
    return int((b - a).total_seconds() // 60)


def check_times(*, facility: Facility, use_type: str, start: datetime, end: datetime) -> None:
    """Fixed slots (when the house has them for ``use_type``), else opening hours and the
    minimum and maximum duration."""
    check_aware_order(start, end)
    slots = [s for s in facility.fixed_slots.all() if s.use_type == use_type]
    if slots:
        start_local = local(start)
        for slot in slots:
            if start_local.time().replace(second=0, microsecond=0) == slot.starts_at and (
                _wall_minutes(start, end) == slot.duration_hours * 60
            ):
                return
        offered = ", ".join(
            f"{s.label} ({formatting.clock(s.starts_at, lang())}, {s.duration_hours} t)"
            for s in slots
        )
        raise DomainError(
            _("This house is booked in fixed slots for this use: %(slots)s.") % {"slots": offered}
        )
    minutes = elapsed_seconds(start, end) // 60
    if minutes < facility.min_duration_minutes:
        raise DomainError(
            _("A booking lasts at least %(minutes)d minutes.")
            % {"minutes": facility.min_duration_minutes}
        )
    if minutes > facility.max_duration_minutes:
        raise DomainError(
            _("A booking lasts at most %(hours)s hours.")
            % {"hours": f"{facility.max_duration_minutes / 60:g}"}
        )
    if facility.opens_at == facility.closes_at:
        return  # open around the clock
    start_local, end_local = local(start), local(end)
    opens = datetime.combine(start_local.date(), facility.opens_at)
    closes_day = start_local.date()
    if facility.closes_at <= facility.opens_at:
        closes_day += timedelta(days=1)
    closes = datetime.combine(closes_day, facility.closes_at)
    if start_local.replace(tzinfo=None) < opens or end_local.replace(tzinfo=None) > closes:
        raise DomainError(
            _("The house is open from %(opens)s to %(closes)s.")
            % {
                "opens": formatting.clock(facility.opens_at, lang()),
                "closes": formatting.clock(facility.closes_at, lang()),
            }
        )


def check_window(*, terms: CategoryTerms, start: datetime, now: datetime) -> None:
    if start < now:
        raise DomainError(_("The start (%(start)s) has passed.") % {"start": fmt(start)})
    last = now + timedelta(days=terms.max_days_ahead)
    if start > last:
        raise DomainError(
            _("You may book at most %(days)d days ahead (until %(last)s).")
            % {"days": terms.max_days_ahead, "last": fmt_day(last)}
        )


def check_quota(
    *, facility: Facility, person: User, category: str, start: datetime, exclude_id: int | None
) -> None:
    """At most ``monthly_quota_per_household`` bookings a month for residents and neighbours.

    A household is everyone whose membership in the house's organisation has the same home
    (``Membership.home_key``); a person without a recorded home is a household of their own.
    """
    quota = facility.monthly_quota_per_household
    if quota == 0 or category not in PERSONAL_CATEGORIES:
        return
    start_local = local(start)
    month_start = timezone.make_aware(datetime.combine(start_local.date().replace(day=1), time()))
    next_month = (start_local.date().replace(day=28) + timedelta(days=4)).replace(day=1)
    month_end = timezone.make_aware(datetime.combine(next_month, time()))
    homes = household_homes(person, facility.organisation_id)
    who = Q(booker=person)
    for home in homes:
        who |= Q(
            booker__memberships__organisation_id=facility.organisation_id,
            booker__memberships__home_key=home,
        )
    used = (
        Booking.objects.filter(
            who,
            facility=facility,
            status__in=ACTIVE_STATUSES,
            category__in=list(PERSONAL_CATEGORIES),
            starts_at__gte=month_start,
            starts_at__lt=month_end,
        )
        .exclude(pk=exclude_id or 0)
        .values("pk")
        .distinct()
        .count()
    )
    if used >= quota:
        if homes:
            message = _("Your household has used this month's %(quota)d bookings of %(house)s.")
        else:
            message = _("You have used this month's %(quota)d bookings of %(house)s.")
        raise DomainError(message % {"quota": quota, "house": facility.name})


def household_homes(person: User, organisation_id: int) -> set[str]:
    """The keys of the homes recorded for ``person`` in the organisation (normally one;
    none: unknown)."""
    return {m.home_key for m in permissions.memberships_in(person, organisation_id) if m.home_key}


def first_clash(rooms: Sequence[Room], start: datetime, end: datetime) -> BookingClaim | None:
    """The earliest active claim on one of ``rooms`` that overlaps ``start``-``end``."""
    by_id = {room.pk: room for room in rooms}
    clash = (
        BookingClaim.objects.filter(
            room_id__in=list(by_id), active=True, starts_at__lt=end, ends_at__gt=start
        )
        .order_by("starts_at")
        .first()
    )
    if clash is not None:
        clash.room = by_id[clash.room_id]
    return clash


def conflict_for(clash: BookingClaim) -> Conflict:
    details: dict[str, Any] = {
        "clash": {
            "room": clash.room.name,
            "start": local(clash.starts_at).isoformat(),
            "end": local(clash.ends_at).isoformat(),
        }
    }
    return Conflict(
        _("%(room)s is already booked from %(start)s to %(end)s.")
        % {"room": clash.room.name, "start": fmt(clash.starts_at), "end": fmt(clash.ends_at)},
        details=details,
    )


class FacilityChanged(Exception):
    """The house changed (rooms, slots, rules, policy) since the booking read it."""


def lock_house(facility_id: int, revision: UUID | None = None) -> None:
    """One writer per house at a time from here to commit (call inside a transaction):
    crossing inserts into the exclusion constraint would otherwise deadlock (PostgreSQL then
    aborts one after deadlock_timeout). SQLite's IMMEDIATE transaction already holds the
    database's write lock.

    With ``revision`` (the house's revision as the caller read it, possibly from a cache),
    raise FacilityChanged when the house has another one now: the caller reads it again.
    """
    found = list(
        Facility.objects.select_for_update()
        .filter(pk=facility_id)
        .order_by()
        .values_list("revision")
    )
    if revision is not None and (not found or found[0][0] != revision):
        raise FacilityChanged


def claim_rooms(*, booking: Booking, rooms: Sequence[Room], house_locked: bool = False) -> None:
    """Block ``rooms`` for the booking's time (inside the caller's transaction; locks the
    house unless ``house_locked``).

    PostgreSQL: the exclusion constraint is the check; an overlapping insert raises
    IntegrityError, which the service turns into Conflict once its transaction has rolled
    back (``conflict_after_rollback``). SQLite: the check runs here, inside the IMMEDIATE
    transaction that serialises all writers. (booking_create also checks early, unlocked,
    to answer most clashes cheaply.)
    """
    if not house_locked:
        lock_house(booking.facility_id)
    if connection.vendor != "postgresql":
        clash = first_clash(rooms, booking.starts_at, booking.ends_at)
        if clash is not None:
            raise conflict_for(clash)
    BookingClaim.objects.bulk_create(
        [
            BookingClaim(
                booking=booking, room=room, starts_at=booking.starts_at, ends_at=booking.ends_at
            )
            for room in rooms
        ]
    )
    booking.claimed_rooms = list(rooms)


def conflict_after_rollback(
    attempts: Sequence[tuple[Sequence[Room], datetime, datetime]],
) -> Conflict | None:
    """After an IntegrityError: the Conflict naming the clashing time, or None when the error
    was not an overlap (then the caller re-raises it)."""
    for rooms, start, end in reversed(attempts):
        clash = first_clash(rooms, start, end) if rooms else None
        if clash is not None:
            return conflict_for(clash)
    return None


def category_label(category: str) -> str:
    return str(BookerCategory(category).label)
