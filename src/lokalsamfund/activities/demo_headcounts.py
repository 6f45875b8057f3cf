"""Demo data: a year of past headcounts for the demo organisation's published activities, so
that the decision tool's follow-up shows planned against realised on the demo.

Deterministic: each occurrence's figures come from a random generator seeded by the activity's
title and the occurrence's original start, so loading the demo twice gives the same numbers.
Idempotent: an occurrence that has a headcount keeps it. Plausible: around the catalogue's
participants per session (or the activity's places), never above the places, with age groups
that follow the activity's target group and a few new faces. Load after ``activities.demo``.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from lokalsamfund.core.demo import DemoContext
from lokalsamfund.core.permissions import SYSTEM

from .models import Activity, ActivityStatus, Occurrence, OccurrenceStatus
from .services.participation import headcount_record

DAYS = 365
DEFAULT_PER_SESSION = 10
# Shares of children, adults and seniors by target group.
AGE_MIX = {
    "children": (0.85, 0.15, 0.0),
    "families": (0.5, 0.45, 0.05),
    "youth": (0.7, 0.3, 0.0),
    "adults": (0.0, 0.8, 0.2),
    "seniors": (0.0, 0.15, 0.85),
}
DEFAULT_MIX = (0.2, 0.5, 0.3)


def _per_session(activity: Activity, catalogue: dict[str, int]) -> int:
    expected = catalogue.get(activity.activity_type) or DEFAULT_PER_SESSION
    if activity.capacity:
        expected = min(expected, activity.capacity)
    return max(2, expected)


def _figures(activity: Activity, occurrence: Occurrence, expected: int) -> dict[str, int]:
    rng = random.Random(f"{activity.title}|{occurrence.recurrence_id.isoformat()}")  # noqa: S311 - demo figures
    total = max(1, round(rng.gauss(expected * 0.85, expected * 0.2)))
    if activity.capacity:
        total = min(total, activity.capacity)
    children_share, adults_share, _seniors_share = AGE_MIX.get(activity.target_group, DEFAULT_MIX)
    children = round(total * children_share)
    adults = min(total - children, round(total * adults_share))
    seniors = total - children - adults
    new_faces = min(total, rng.choice((0, 0, 0, 1, 1, 2, 3)))
    return {
        "total": total,
        "children": children,
        "adults": adults,
        "seniors": seniors,
        "new_faces": new_faces,
    }


def load(ctx: DemoContext, *, now: datetime | None = None) -> int:
    """Record the missing headcounts of the last year; returns how many were recorded."""
    from lokalsamfund.decisions.catalogue import catalogue_for

    now = now or timezone.now()
    catalogue = {
        a.slug: a.participants_per_session
        for a in catalogue_for(ctx.organisation, include_inactive=True)
    }
    activities = Activity.objects.filter(
        organisation=ctx.organisation, status=ActivityStatus.PUBLISHED
    ).order_by("pk")
    recorded = 0
    for activity in activities:
        expected = _per_session(activity, catalogue)
        past = activity.occurrences.filter(
            status=OccurrenceStatus.SCHEDULED,
            ends_at__lte=now,
            starts_at__gte=now - timedelta(days=DAYS),
            headcount__isnull=True,
        ).order_by("starts_at")
        for occurrence in past:
            headcount_record(
                actor=SYSTEM,
                occurrence=occurrence,
                now=now,
                **_figures(activity, occurrence, expected),
            )
            recorded += 1
    ctx.say(f"Headcounts: {recorded} past occurrences counted")
    return recorded
