"""The month view and the day grid of a house: busy or free per room and hour, never who or
what. A free hour links to the booking form, filled in (one tap)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from .models import Facility, Room
from .selectors import BusyInterval, busy_intervals


@dataclass(frozen=True)
class MonthDay:
    day: date
    in_month: bool
    busy: int
    past: bool


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))


def month_weeks(*, facility: Facility, month: date) -> list[list[MonthDay]]:
    """The weeks (Monday first) covering ``month``, each day with its number of busy
    periods."""
    first = month.replace(day=1)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    start, end = _midnight(weeks[0][0]), _midnight(weeks[-1][-1] + timedelta(days=1))
    busy = busy_intervals(facility=facility, start=start, end=end)
    today = timezone.localdate()
    result = []
    for week in weeks:
        row = []
        for day in week:
            day_start, day_end = _midnight(day), _midnight(day + timedelta(days=1))
            count = len({(b.start, b.end) for b in busy if b.start < day_end and b.end > day_start})
            row.append(MonthDay(day, day.month == first.month, count, day < today))
        result.append(row)
    return result


@dataclass(frozen=True)
class Cell:
    """One room (or the whole house, ``room`` None) in one hour."""

    room: Room | None
    state: str  # "free", "busy", "requested" or "past"


@dataclass(frozen=True)
class Hour:
    start: datetime
    end: datetime
    cells: list[Cell]


def _hours(facility: Facility, day: date) -> list[tuple[datetime, datetime]]:
    opens = datetime.combine(day, facility.opens_at)
    if facility.opens_at == facility.closes_at:
        opens, closes = (
            datetime.combine(day, time()),
            datetime.combine(day + timedelta(days=1), time()),
        )
    elif facility.closes_at <= facility.opens_at:
        closes = datetime.combine(day + timedelta(days=1), time())  # the grid ends at midnight
    else:
        closes = datetime.combine(day, facility.closes_at)
    hours = []
    moment = opens.replace(minute=0)
    while moment + timedelta(hours=1) <= closes:
        hours.append(
            (timezone.make_aware(moment), timezone.make_aware(moment + timedelta(hours=1)))
        )
        moment += timedelta(hours=1)
    return hours


def _state(busy: list[BusyInterval], rooms: list[str], start: datetime, end: datetime) -> str:
    found = [b for b in busy if b.room in rooms and b.start < end and b.end > start]
    if not found:
        return "free"
    return "busy" if any(not b.pending for b in found) else "requested"


def day_grid(*, facility: Facility, day: date, now: datetime | None = None) -> list[Hour]:
    """Each opening hour of ``day`` with the state of each room and of the whole house."""
    now = now or timezone.now()
    rooms = list(facility.rooms.all())
    hours = _hours(facility, day)
    if not hours:
        return []
    busy = busy_intervals(facility=facility, start=hours[0][0], end=hours[-1][1])
    names = [r.name for r in rooms]
    grid = []
    for start, end in hours:
        cells = []
        for room in [*rooms, None]:
            if start < now:
                state = "past"
            else:
                state = _state(busy, names if room is None else [room.name], start, end)
            cells.append(Cell(room, state))
        grid.append(Hour(start, end, cells))
    return grid
