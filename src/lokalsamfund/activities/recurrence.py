"""Occurrences of a one-off or recurring activity (pure: no Django).

The rule is RFC 5545's RRULE with DTSTART in Europe/Copenhagen, expanded by
``recurring-ical-events``: a weekly Thursday 17:30 stays 17:30 local time across the
daylight-saving changes, and COUNT is applied before anything is removed (a cancelled
occurrence is kept as a cancelled row, the EXDATE of the series).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

ZONE = ZoneInfo("Europe/Copenhagen")
# Occurrences of an open-ended series are stored this far ahead and extended as time passes.
HORIZON = timedelta(days=400)
# A series never has more stored occurrences than this (a daily rule over a horizon fits).
MAX_OCCURRENCES = 1000
# An activity happens at most once a day by its rule: a rule of hours, minutes or seconds (or
# BYHOUR/BYMINUTE/BYSECOND, several times a day) would make the expansion walk hundreds of
# thousands of candidate times before MAX_OCCURRENCES could refuse it (a worker for minutes).
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
WITHIN_A_DAY = ("BYHOUR", "BYMINUTE", "BYSECOND")


class RuleError(ValueError):
    """The RRULE cannot be read, or gives no occurrence, or too many."""


@dataclass(frozen=True)
class Slot:
    recurrence_id: datetime  # the start the rule gives (aware, Europe/Copenhagen)
    starts_at: datetime
    ends_at: datetime


def parse_rule(rule: str) -> icalendar.vRecur | None:
    """The rule as icalendar's value, None for a one-off; RuleError when it cannot be read or
    carries its own DTSTART."""
    rule = (rule or "").strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    if not rule:
        return None
    if "DTSTART" in rule.upper():
        raise RuleError("DTSTART belongs to the activity, not to the rule")
    try:
        value = icalendar.vRecur.from_ical(rule)
    except (ValueError, TypeError) as exc:
        raise RuleError(str(exc)) from exc
    if "FREQ" not in value:
        raise RuleError("FREQ is missing")
    frequency = str(value["FREQ"][0]).upper()
    if frequency not in FREQUENCIES:
        raise RuleError(f"FREQ={frequency}: an activity repeats daily at most")
    for part in WITHIN_A_DAY:
        if part in value:
            raise RuleError(f"{part}: the time of day is the activity's first start")
    return value


def is_open_ended(rule: str) -> bool:
    value = parse_rule(rule)
    return value is not None and "COUNT" not in value and "UNTIL" not in value


def expand(
    *, starts_at: datetime, duration: timedelta, rule: str, start: datetime, end: datetime
) -> list[Slot]:
    """The occurrences whose original start lies in [start, end), in order."""
    if starts_at.tzinfo is None:
        raise ValueError("starts_at must be aware")
    first = starts_at.astimezone(ZONE)
    value = parse_rule(rule)
    if value is None:
        return [Slot(first, first, first + duration)] if start <= first < end else []
    event = icalendar.Event()
    event.add("uid", "expand")
    event.add("dtstart", first)
    event.add("duration", duration)
    event.add("rrule", value)
    calendar = icalendar.Calendar()
    calendar.add_component(event)
    slots: list[Slot] = []
    try:
        found = recurring_ical_events.of(calendar).between(start, end)
    except (ValueError, TypeError) as exc:  # e.g. an UNTIL without a time zone
        raise RuleError(str(exc)) from exc
    for occurrence in found:
        begin = occurrence["DTSTART"].dt.astimezone(ZONE)
        if begin < start:
            continue
        slots.append(Slot(begin, begin, begin + duration))
        if len(slots) > MAX_OCCURRENCES:
            raise RuleError("too many occurrences")
    slots.sort(key=lambda s: s.recurrence_id)
    return slots
