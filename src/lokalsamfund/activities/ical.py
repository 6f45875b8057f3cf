"""iCalendar (RFC 5545) for activities: a public feed per department, a private feed of what a
user signed up for, and the .ics attached to a sign-up's confirmation.

One VEVENT per stored occurrence (UID ``occurrence-<id>@activities.lokalsamfund``), not a
master VEVENT with RRULE, EXDATE and RECURRENCE-ID overrides. Why:

- the occurrences are stored rows already (``Occurrence``): each carries its own status, note,
  place and time, so a moved or cancelled time is simply that event changed
  (``STATUS:CANCELLED`` and "Aflyst:" in the title, which every client shows);
- subscribed calendars handle overrides unevenly: Outlook's and Google's subscriptions have
  dropped or duplicated RECURRENCE-ID exceptions of a series, and a new EXDATE needs the whole
  series re-read, whereas plain events are read the same way by every client;
- the feed covers a window (30 days back, the stored horizon ahead), which a series with a
  rule would have to restate with UNTIL.

Times carry TZID=Europe/Copenhagen with the VTIMEZONE of the bookings' feeds (the EU rule as
RRULEs), so a weekly Thursday 17:30 is 17:30 on both sides of a daylight-saving change.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import icalendar
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lokalsamfund.bookings.ical import COPENHAGEN, _local_zone, _vtimezone, _when
from lokalsamfund.core.models import Department, User

from .models import Activity, Occurrence, OccurrenceStatus, SignUp, SignUpStatus

PRODID = "-//lokalsamfund//activities//DA"
PAST = timedelta(days=30)
AHEAD = timedelta(days=400)
MAX_EVENTS = 10000
FEED_CACHE_SECONDS = 900


def place_text(activity: Activity) -> str:
    """Where, as a line: the common house (name, address) or the free-text place."""
    if activity.facility_id is not None and activity.facility is not None:
        facility = activity.facility
        return ", ".join(p for p in (facility.name, facility.address) if p)
    return activity.place


def uid(occurrence: Occurrence) -> str:
    return f"occurrence-{occurrence.pk}@activities.lokalsamfund"


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


def _event(
    occurrence: Occurrence,
    *,
    summary_suffix: str = "",
    stamp: datetime | None = None,
    link: str = "",
) -> icalendar.Event:
    """One VEVENT. A feed passes ``stamp`` (DTSTAMP, UTC) and ``link`` (the box's URL with
    ``%d`` for the occurrence) once for all its events."""
    activity = occurrence.activity
    cancelled = occurrence.status == OccurrenceStatus.CANCELLED
    title = activity.title + summary_suffix
    event = icalendar.Event()
    event.add("uid", uid(occurrence))
    event.add("dtstamp", stamp or timezone.now().astimezone(UTC))
    event.add("dtstart", _when(occurrence.starts_at))
    event.add("dtend", _when(occurrence.ends_at))
    event.add("summary", _("Cancelled: %(title)s") % {"title": title} if cancelled else title)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    where = place_text(activity)
    if where:
        event.add("location", where)
    description = "\n\n".join(p for p in (occurrence.note, activity.description) if p)
    if description:
        event.add("description", description)
    event.add("url", (link or _link()) % occurrence.pk)
    return event


def _link() -> str:
    """The absolute URL of an occurrence's sign-up box, with ``%d`` for its id."""
    path = reverse("activities:signup_box", args=[0]).replace("/0/", "/%d/")
    return settings.LOKALSAMFUND_BASE_URL.rstrip("/") + path


def _finish(cal: icalendar.Calendar) -> bytes:
    return cal.to_ical()


def _window(now: datetime | None) -> tuple[datetime, datetime]:
    now = now or timezone.now()
    return now - PAST, now + AHEAD


def _public_occurrences(
    department: Department, start: datetime, end: datetime
) -> QuerySet[Occurrence]:
    return Occurrence.objects.filter(
        activity__departments=department,
        activity__visibility="public",
        activity__status="published",
        starts_at__lt=end,
        ends_at__gte=start,
    )


def department_feed(department: Department, *, now: datetime | None = None) -> bytes:
    """The department's public activities (visibility ``public``, published): one event per
    stored occurrence in the window, cancelled ones marked so."""
    start, end = _window(now)
    cal = _calendar(_("Activities in %(department)s") % {"department": department.name})
    occurrences: Iterable[Occurrence] = (
        _public_occurrences(department, start, end)
        .select_related("activity", "activity__facility")
        .order_by("starts_at", "pk")[:MAX_EVENTS]
    )
    stamp, link = timezone.now().astimezone(UTC), _link()
    for occurrence in occurrences:
        cal.add_component(_event(occurrence, stamp=stamp, link=link))
    return _finish(cal)


def department_feed_cached(department: Department, *, now: datetime | None = None) -> bytes:
    """``department_feed`` kept for ``FEED_CACHE_SECONDS`` (the feed's own Cache-Control):
    a year of a busy department is a couple of thousand events, about a second to write with
    ``icalendar``, and calendar clients poll. The key carries the language and a fingerprint
    of the rows (how many, the newest, the last change of an activity) and the sum of the
    activities' ``feed_revision``, which every service raises that changes what the feed
    shows (``services.series.feed_changed``: an edit, publishing, pausing, ending, resuming,
    a date cancelled, moved or given a note), so any such change shows at the next request.
    Revisions only grow, and each date adds its activity's, so the sum grows with every
    change of a listed activity; a date removed or added changes the count or the newest."""
    now = now or timezone.now()
    start, end = _window(now)
    fingerprint = _public_occurrences(department, start, end).aggregate(
        n=Count("pk"),
        last=Max("pk"),
        changed=Max("activity__updated_at"),
        revisions=Sum("activity__feed_revision"),
    )
    changed = fingerprint["changed"].timestamp() if fingerprint["changed"] else 0
    key = (
        f"activities:feed:{department.pk}:{get_language()}:"
        f"{fingerprint['n']}:{fingerprint['last']}:{changed}:{fingerprint['revisions'] or 0}"
    )
    body = cache.get(key)
    if body is None:
        body = department_feed(department, now=now)
        cache.set(key, body, FEED_CACHE_SECONDS)
    return bytes(body)


def user_feed(user: User, *, now: datetime | None = None) -> bytes:
    """What ``user`` signed up for (confirmed, or on the waitlist as a tentative event)."""
    start, end = _window(now)
    cal = _calendar(_("My activities"))
    signups = (
        SignUp.objects.filter(
            user=user,
            status__in=(SignUpStatus.CONFIRMED, SignUpStatus.WAITLISTED),
            occurrence__starts_at__lt=end,
            occurrence__ends_at__gte=start,
        )
        .select_related("occurrence__activity__facility")
        .order_by("occurrence__starts_at", "pk")[:MAX_EVENTS]
    )
    for signup in signups:
        waiting = signup.status == SignUpStatus.WAITLISTED
        suffix = (
            " " + _("(waitlist no. %(position)s)") % {"position": signup.waitlist_position}
            if waiting
            else ""
        )
        event = _event(signup.occurrence, summary_suffix=suffix)
        if waiting and signup.occurrence.status != OccurrenceStatus.CANCELLED:
            event["status"] = "TENTATIVE"
        cal.add_component(event)
    return _finish(cal)


def occurrence_ics(occurrence: Occurrence) -> bytes:
    """One occurrence as a calendar file (the attachment of a confirmation e-mail)."""
    cal = _calendar(occurrence.activity.title)
    cal.add_component(_event(occurrence))
    return _finish(cal)
