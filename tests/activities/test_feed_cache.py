"""The department feed is cached, and every service that changes what it shows makes the next
request show the change at once: a date moved, cancelled or given a note, an activity edited,
paused, ended, resumed or published. The clock stands still (no time passes between the
requests), so nothing here is shown by the cache's time limit running out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lokalsamfund.activities import ical
from lokalsamfund.activities.models import Activity
from lokalsamfund.activities.recurrence import ZONE
from lokalsamfund.activities.services import activities as svc
from lokalsamfund.core.models import Department, Organisation, User

pytestmark = pytest.mark.django_db


def _coming_thursday() -> datetime:
    today = timezone.localdate()
    day = today + timedelta(days=(3 - today.weekday()) % 7 or 7)
    return datetime.combine(day, time(17, 30), tzinfo=ZONE)


@pytest.fixture
def public_series(org: Organisation, dept_a: Department, coordinator: User) -> Activity:
    """A weekly public café of A1 for four weeks, published by a coordinator."""
    return svc.activity_create(
        actor=coordinator,
        organisation=org,
        departments=[dept_a],
        activity_type="faellesspisning",
        title="Åben café",
        starts_at=_coming_thursday(),
        duration_minutes=120,
        rrule="FREQ=WEEKLY;COUNT=4",
        place="Gården",
        details={"visibility": "public"},
    )


@pytest.fixture
def feed(dept_a: Department, monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[Any]]:
    """The feed's events as a calendar client reads them; ``feed.written`` counts how often
    the feed was written rather than read from the cache."""
    written: list[int] = []
    real = ical.department_feed
    monkeypatch.setattr(
        ical, "department_feed", lambda *a, **kw: written.append(1) or real(*a, **kw)
    )
    url = reverse("activities:department_feed", args=[dept_a.pk])

    def read() -> list[Any]:
        body = Client().get(url).content
        return sorted(icalendar.Calendar.from_ical(body).walk("VEVENT"), key=lambda e: e["UID"])

    read.written = written  # type: ignore[attr-defined]
    return read


def _summaries(events: list[Any]) -> list[str]:
    return [str(e["SUMMARY"]) for e in events]


def test_the_feed_is_read_from_the_cache_while_nothing_changes(
    public_series: Activity, feed: Callable[[], list[Any]]
) -> None:
    assert _summaries(feed()) == ["Åben café"] * 4
    assert _summaries(feed()) == ["Åben café"] * 4
    assert len(feed.written) == 1  # type: ignore[attr-defined]


def test_a_moved_cancelled_or_noted_date_shows_at_the_next_request(
    public_series: Activity, coordinator: User, feed: Callable[[], list[Any]]
) -> None:
    first, second, third = list(public_series.occurrences.order_by("starts_at")[:3])
    feed()
    later = first.starts_at + timedelta(hours=1)
    svc.occurrence_move(occurrence=first, actor=coordinator, start=later)
    moved = next(e for e in feed() if e["UID"] == ical.uid(first))
    assert moved.decoded("DTSTART") == later

    svc.occurrence_cancel(occurrence=second, actor=coordinator, reason="Kokken er syg")
    cancelled = next(e for e in feed() if e["UID"] == ical.uid(second))
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["SUMMARY"]).startswith("Aflyst")

    svc.occurrence_change(occurrence=third, actor=coordinator, note="Vi laver syrisk mad")
    noted = next(e for e in feed() if e["UID"] == ical.uid(third))
    assert "Vi laver syrisk mad" in str(noted["DESCRIPTION"])
    assert len(feed.written) == 4  # type: ignore[attr-defined]


def test_an_edited_paused_resumed_or_ended_activity_shows_at_the_next_request(
    public_series: Activity, coordinator: User, feed: Callable[[], list[Any]]
) -> None:
    feed()
    svc.activity_update(activity=public_series, actor=coordinator, changes={"title": "Kaffe"})
    assert _summaries(feed()) == ["Kaffe"] * 4
    svc.activity_update(
        activity=public_series, actor=coordinator, changes={"description": "Kage og kaffe"}
    )
    assert {str(e["DESCRIPTION"]) for e in feed()} == {"Kage og kaffe"}

    svc.activity_pause(activity=public_series, actor=coordinator)
    assert feed() == []
    svc.activity_resume(activity=public_series, actor=coordinator)
    assert _summaries(feed()) == ["Kaffe"] * 4
    svc.activity_end(activity=public_series, actor=coordinator)
    assert feed() == []


def test_a_published_proposal_shows_at_the_next_request(
    org: Organisation,
    dept_a: Department,
    resident: User,
    coordinator: User,
    public_series: Activity,
    feed: Callable[[], list[Any]],
) -> None:
    proposal = svc.activity_create(
        actor=resident,
        organisation=org,
        departments=[dept_a],
        activity_type="faellesspisning",
        title="Strikkeklub",
        starts_at=_coming_thursday() + timedelta(hours=2),
        duration_minutes=60,
        rrule="FREQ=WEEKLY;COUNT=2",
        place="Gården",
        details={"visibility": "public"},
    )
    assert proposal.status == "proposed"
    assert "Strikkeklub" not in _summaries(feed())
    svc.activity_approve(activity=proposal, actor=coordinator)
    assert _summaries(feed()).count("Strikkeklub") == 2


def test_a_change_bypassing_the_services_waits_for_the_cache_to_expire(
    public_series: Activity, feed: Callable[[], list[Any]], clock: Any
) -> None:
    """The counter-check: the key really is what makes the change show. A date changed in
    the database behind the services' back is served from the cache until it expires."""
    first = public_series.occurrences.order_by("starts_at").first()
    assert first is not None
    feed()
    type(first).objects.filter(pk=first.pk).update(note="Bag om ryggen")
    assert all("DESCRIPTION" not in e for e in feed())
    clock.shift(timedelta(seconds=ical.FEED_CACHE_SECONDS + 1))
    assert any("Bag om ryggen" in str(e.get("DESCRIPTION", "")) for e in feed())
