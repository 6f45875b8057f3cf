"""Activities and occurrences made directly with the models, for the sign-up tests (the
activity service is another area's). ``make_activity`` publishes by default."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from lokalsamfund.activities.models import Activity, Occurrence
from lokalsamfund.activities.recurrence import HORIZON, expand
from lokalsamfund.activities.services import signup_mail
from lokalsamfund.core.models import Department, User


def make_activity(
    departments: list[Department],
    *,
    organisers: list[User] = (),  # type: ignore[assignment]
    **kwargs: Any,
) -> Activity:
    kwargs.setdefault("title", "Fællesspisning")
    kwargs.setdefault("activity_type", "shared_meal")
    kwargs.setdefault("status", "published")
    kwargs.setdefault("visibility", "departments")
    kwargs.setdefault("starts_at", timezone.now() + timedelta(days=7))
    kwargs.setdefault("duration_minutes", 120)
    kwargs.setdefault("signup_required", True)
    kwargs.setdefault("capacity", 10)
    kwargs.setdefault("place", "Fælleshuset, Engparken 1")
    activity = Activity.objects.create(organisation=departments[0].organisation, **kwargs)
    activity.departments.set(departments)
    if organisers:
        activity.organisers.set(organisers)
    return activity


def make_occurrence(
    activity: Activity, starts_at: datetime | None = None, **kwargs: Any
) -> Occurrence:
    start = starts_at or activity.starts_at
    kwargs.setdefault("recurrence_id", start)
    return Occurrence.objects.create(
        activity=activity,
        starts_at=start,
        ends_at=start + timedelta(minutes=activity.duration_minutes),
        **kwargs,
    )


def make_occurrences(activity: Activity, until: datetime | None = None) -> list[Occurrence]:
    """The stored occurrences of the activity's rule up to ``until`` (default: the horizon)."""
    end = until or activity.starts_at + HORIZON
    slots = expand(
        starts_at=activity.starts_at,
        duration=timedelta(minutes=activity.duration_minutes),
        rule=activity.rrule,
        start=activity.starts_at,
        end=end,
    )
    return [
        Occurrence.objects.create(
            activity=activity,
            recurrence_id=s.recurrence_id,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
        )
        for s in slots
    ]


@pytest.fixture
def mail_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sign-up e-mails go out at once instead of after the commit that the test's own
    transaction never makes (import this fixture into a module and use it)."""
    monkeypatch.setattr(
        signup_mail, "transaction", SimpleNamespace(on_commit=lambda work, **_kw: work())
    )
