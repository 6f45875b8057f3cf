"""Activities, occurrences and headcounts made directly with the models (the activity
services are built in parallel), for the participation tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from lokalsamfund.activities.models import Activity, Headcount, Occurrence
from lokalsamfund.activities.recurrence import ZONE
from lokalsamfund.core.models import Department, Organisation, User


def make_activity(
    organisation: Organisation,
    departments: Iterable[Department],
    *,
    activity_type: str = "faellesspisning",
    title: str | None = None,
    organisers: Iterable[User] = (),
    status: str = "published",
    visibility: str = "departments",
    capacity: int | None = None,
    target_group: str = "everyone",
) -> Activity:
    activity = Activity.objects.create(
        organisation=organisation,
        activity_type=activity_type,
        title=title or f"{activity_type} {Activity.objects.count() + 1}",
        starts_at=datetime(2025, 1, 2, 17, 30, tzinfo=ZONE),
        duration_minutes=120,
        status=status,
        visibility=visibility,
        capacity=capacity,
        signup_required=capacity is not None,
        target_group=target_group,
    )
    activity.departments.set(list(departments))
    activity.organisers.set(list(organisers))
    return activity


def make_occurrence(activity: Activity, starts_at: datetime, *, minutes: int = 120) -> Occurrence:
    return Occurrence.objects.create(
        activity=activity,
        recurrence_id=starts_at,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
    )


def at(year: int, month: int, day: int, hour: int = 17, minute: int = 30) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZONE)


def counted(
    activity: Activity, starts_at: datetime, total: int, *, new_faces: int | None = None
) -> Headcount:
    """An occurrence of ``activity`` at ``starts_at`` with a headcount."""
    occurrence = make_occurrence(activity, starts_at)
    return Headcount.objects.create(occurrence=occurrence, total=total, new_faces=new_faces)
