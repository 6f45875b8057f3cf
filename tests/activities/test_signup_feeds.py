"""The activities' iCal feeds, parsed with ``icalendar`` and ``recurring-ical-events`` (as a
calendar client reads them), across both daylight-saving changes of Europe/Copenhagen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lokalsamfund.activities import ical
from lokalsamfund.activities.models import Occurrence
from lokalsamfund.activities.services import signups as services
from lokalsamfund.bookings.services import calendar_feed_key, calendar_feed_reset
from lokalsamfund.core.models import Department, Role, User

from .factories_signups import make_activity, make_occurrence, make_occurrences

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")


def next_thursday_1730() -> datetime:
    today = timezone.localdate()
    day = today + timedelta(days=(3 - today.weekday()) % 7 or 7)
    return datetime.combine(day, time(17, 30), tzinfo=CPH)


def events(body: bytes, start: datetime, end: datetime) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return list(recurring_ical_events.of(calendar).between(start, end))


def test_department_feed_keeps_1730_across_both_daylight_saving_changes(
    dept_a: Department,
) -> None:
    activity = make_activity(
        [dept_a], visibility="public", starts_at=next_thursday_1730(), rrule="FREQ=WEEKLY"
    )
    occurrences = make_occurrences(activity)
    # One cancelled, one moved to 18:00 (RECURRENCE-ID semantics: it keeps its original id).
    cancelled, moved = occurrences[3], occurrences[5]
    Occurrence.objects.filter(pk=cancelled.pk).update(status="cancelled", changed=True)
    Occurrence.objects.filter(pk=moved.pk).update(
        starts_at=moved.starts_at + timedelta(minutes=30),
        ends_at=moved.ends_at + timedelta(minutes=30),
        changed=True,
    )
    body = Client().get(reverse("activities:department_feed", args=[dept_a.pk])).content
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Copenhagen"
    now = timezone.now()
    found = events(body, now, now + timedelta(days=390))
    starts = {e["UID"]: e["DTSTART"].dt for e in found}
    offsets = set()
    for e in found:
        local = e["DTSTART"].dt.astimezone(CPH)
        offsets.add(local.utcoffset())
        if e["UID"] == ical.uid(moved):
            assert (local.hour, local.minute) == (18, 0)
        else:
            assert (local.hour, local.minute) == (17, 30), local
            assert local.weekday() == 3
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}  # both sides of the changes
    assert len(starts) == len([o for o in occurrences if o.starts_at < now + timedelta(days=390)])
    by_uid = {e["UID"]: e for e in found}
    assert by_uid[ical.uid(cancelled)]["STATUS"] == "CANCELLED"
    assert by_uid[ical.uid(occurrences[0])]["LOCATION"] == "Fælleshuset, Engparken 1"


def test_department_feed_has_only_public_published_activities_of_the_department(
    dept_a: Department, dept_b: Department
) -> None:
    make_occurrence(make_activity([dept_a], visibility="public", title="Åben café"))
    make_occurrence(make_activity([dept_a], visibility="neighbours", title="Naboklub"))
    make_occurrence(make_activity([dept_a], visibility="departments", title="Beboermøde"))
    make_occurrence(
        make_activity([dept_a], visibility="public", status="proposed", title="Forslag")
    )
    make_occurrence(make_activity([dept_b], visibility="public", title="Andet sted"))
    response = Client().get(reverse("activities:department_feed", args=[dept_a.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    titles = [
        str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    ]
    assert titles == ["Åben café"]
    assert Client().get("/aktiviteter/feed/999999.ics").status_code == 404


def test_user_feed_shows_own_sign_ups_and_stops_with_a_new_key(
    dept_a: Department, resident: User, make_user: Callable[..., User], org: object
) -> None:
    activity = make_activity([dept_a], capacity=1)
    first = make_occurrence(activity)
    second = make_occurrence(activity, activity.starts_at + timedelta(days=7))
    other = make_occurrence(make_activity([dept_a], title="Ikke min"))
    services.signup_create(occurrence=first, actor=resident)
    services.signup_create(
        occurrence=second, actor=make_user(Role.RESIDENT, org, [dept_a])
    )  # takes the place
    services.signup_create(occurrence=other, actor=make_user(Role.RESIDENT, org, [dept_a]))
    # The resident waits for the second.
    second.activity.refresh_from_db()
    services.signup_create(occurrence=second, actor=resident)
    key = calendar_feed_key(user=resident)
    url = reverse("activities:user_feed", args=[key])
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    found = {
        str(e["UID"]): e for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    }
    assert set(found) == {ical.uid(first), ical.uid(second)}
    assert found[ical.uid(first)]["STATUS"] == "CONFIRMED"
    assert found[ical.uid(second)]["STATUS"] == "TENTATIVE"
    assert "1" in str(found[ical.uid(second)]["SUMMARY"])
    calendar_feed_reset(user=resident)
    assert Client().get(url).status_code == 404
    assert Client().get("/aktiviteter/feed/mine/not-a-key.ics").status_code == 404


def test_the_ics_of_one_occurrence_parses(dept_a: Department) -> None:
    occurrence = make_occurrence(make_activity([dept_a]))
    calendar = icalendar.Calendar.from_ical(ical.occurrence_ics(occurrence))
    (event,) = calendar.walk("VEVENT")
    assert event["DTSTART"].dt == occurrence.starts_at
    assert event["DTEND"].dt == occurrence.ends_at
    assert calendar["METHOD"] == "PUBLISH"


def test_department_feed_is_written_once_and_shows_a_change_of_the_activity_at_once(
    dept_a: Department, monkeypatch: pytest.MonkeyPatch, clock: object
) -> None:
    from lokalsamfund.activities.models import Activity

    activity = make_activity([dept_a], visibility="public", title="Åben café")
    make_occurrence(activity)
    written = []
    real = ical.department_feed
    monkeypatch.setattr(
        ical, "department_feed", lambda *a, **kw: written.append(1) or real(*a, **kw)
    )
    url = reverse("activities:department_feed", args=[dept_a.pk])

    def titles() -> list[str]:
        body = Client().get(url).content
        return [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")]

    assert titles() == ["Åben café"]
    assert titles() == ["Åben café"]
    assert len(written) == 1  # the second request read the cache
    clock.shift(timedelta(minutes=1))  # type: ignore[attr-defined]
    Activity.objects.filter(pk=activity.pk).update(title="Kaffe", updated_at=timezone.now())
    assert titles() == ["Kaffe"]  # an edited activity shows at once
    make_occurrence(make_activity([dept_a], visibility="public", title="Ny"))
    assert titles() == ["Kaffe", "Ny"]  # and a new one
    assert len(written) == 3
