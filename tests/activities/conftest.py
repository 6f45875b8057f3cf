"""Fixtures of the calendar tests: a fælleshus of A1, and a factory of activities."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import Any

import pytest

from lokalsamfund.activities.models import Activity
from lokalsamfund.activities.recurrence import ZONE
from lokalsamfund.activities.services.activities import DETAIL_FIELDS, activity_create
from lokalsamfund.bookings.models import Facility, Room
from lokalsamfund.bookings.services import policy_profile_install_default
from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import SYSTEM


@pytest.fixture
def house(org: Organisation, dept_a: Department) -> Facility:
    facility = Facility.objects.create(
        organisation=org,
        department=dept_a,
        slug="aktivitetshuset",
        name="Aktivitetshuset",
        opens_at=time(7, 0),
        closes_at=time(0, 0),
        min_duration_minutes=60,
        max_duration_minutes=17 * 60,
        monthly_quota_per_household=2,
    )
    Room.objects.create(facility=facility, name="Salen", capacity=80)
    Room.objects.create(facility=facility, name="Mødelokalet", capacity=16)
    policy_profile_install_default(organisation=org, actor=SYSTEM)
    return facility


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZONE)  # type: ignore[misc]


# activity_create's own arguments; the other DETAIL_FIELDS go in ``details``.
KEPT = {"place", "title", "activity_type", "description"}


@pytest.fixture
def make_activity(
    org: Organisation, dept_a: Department, coordinator: User
) -> Callable[..., Activity]:
    """``make_activity(actor=coordinator, **fields)``: a weekly Thursday 17:30 dinner by
    default (published when the actor may publish)."""

    def make(**kwargs: Any) -> Activity:
        kwargs.setdefault("actor", coordinator)
        kwargs.setdefault("organisation", org)
        kwargs.setdefault("departments", [dept_a])
        kwargs.setdefault("activity_type", "faellesspisning")
        kwargs.setdefault("title", "Fællesspisning")
        kwargs.setdefault("starts_at", local(2026, 6, 11, 17, 30))
        kwargs.setdefault("duration_minutes", 120)
        kwargs.setdefault("rrule", "FREQ=WEEKLY;COUNT=10")
        if "facility" not in kwargs:
            kwargs.setdefault("place", "Gården")
        details = {k: kwargs.pop(k) for k in list(kwargs) if k in DETAIL_FIELDS and k not in KEPT}
        return activity_create(**kwargs, details=details)

    return make
