"""Reads of the activities domain: the calendar "Det sker" and the organiser's and decider's
lists. Every read goes through ``permissions.visible_q`` (one rule for pages, API and CLI).

The calendar is two queries whatever the number of occurrences: the visible activities'
ids as a subquery inside the query of occurrences, then each of their activities once, so a
year of 5,000 occurrences of 200 activities costs no query per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from lokalsamfund.core.models import Department, Organisation

from . import permissions as rules
from .models import Activity, ActivityStatus, Occurrence

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from lokalsamfund.core.models import User


@dataclass(frozen=True)
class CalendarFilter:
    """Filters of the calendar; empty means all."""

    activity_type: str = ""
    weekday: int | None = None  # ISO: 1 = Monday ... 7 = Sunday, local time
    target_group: str = ""
    accessible: bool = False  # step-free access


def visible_activities(user: User | AnonymousUser) -> QuerySet[Activity]:
    """Activities ``user`` may see (proposals only for those who may see them)."""
    return Activity.objects.filter(
        pk__in=Activity.objects.filter(rules.visible_q(user)).values("pk")
    )


def calendar_activities(
    user: User | AnonymousUser,
    *,
    organisation: Organisation | None = None,
    department: Department | None = None,
    filters: CalendarFilter | None = None,
) -> QuerySet[Activity]:
    """Listed activities (published, paused, ended) visible to ``user``, in scope."""
    filters = filters or CalendarFilter()
    condition = rules.visible_q(user) & Q(status__in=rules.LISTED)
    if organisation is not None:
        condition &= Q(organisation=organisation)
    if department is not None:
        condition &= Q(departments=department)
    if filters.activity_type:
        condition &= Q(activity_type=filters.activity_type)
    if filters.target_group:
        condition &= Q(target_group=filters.target_group)
    if filters.accessible:
        condition &= Q(step_free=True)
    return Activity.objects.filter(pk__in=Activity.objects.filter(condition).values("pk"))


def calendar_occurrences(
    user: User | AnonymousUser,
    *,
    start: datetime,
    end: datetime,
    organisation: Organisation | None = None,
    department: Department | None = None,
    filters: CalendarFilter | None = None,
) -> list[Occurrence]:
    """The occurrences between ``start`` and ``end`` that ``user`` may see, in order, each
    with its activity (and the activity's house) loaded: two queries.

    The dates are read without their activity joined, and each activity once (with its
    house), shared by all its dates: a join would build the activity's row again for every
    date (400 dates of 200 activities: 400 activities, each with its description and
    translations decoded), which made the calendar list slower and, by the objects it
    allocates, let the garbage collector's full passes fall on it more often."""
    filters = filters or CalendarFilter()
    activities = calendar_activities(
        user, organisation=organisation, department=department, filters=filters
    )
    rows = Occurrence.objects.filter(
        activity_id__in=activities.values("pk"), starts_at__lt=end, ends_at__gt=start
    )
    if filters.weekday:
        rows = rows.filter(starts_at__iso_week_day=filters.weekday)
    occurrences = list(rows.order_by("starts_at", "pk"))
    if not occurrences:
        return []
    shared = Activity.objects.select_related("facility").in_bulk(
        {o.activity_id for o in occurrences}
    )
    # An activity deleted between the two reads takes its dates with it.
    occurrences = [o for o in occurrences if o.activity_id in shared]
    for occurrence in occurrences:
        occurrence.activity = shared[occurrence.activity_id]
    return occurrences


def activity_for(user: User | AnonymousUser, pk: int) -> Activity | None:
    """The activity if ``user`` may see it, else None (pages answer 404)."""
    return (
        visible_activities(user)
        .select_related("organisation", "facility", "association", "proposed_by")
        .filter(pk=pk)
        .first()
    )


def localised(activity: Activity, language: str) -> tuple[str, str]:
    """Title and description in ``language`` where the activity has them (``translations``),
    else the Danish ones; a missing translated description falls back on its own."""
    texts = (activity.translations or {}).get(language.split("-")[0]) or {}
    if not isinstance(texts, dict):
        texts = {}
    return (
        str(texts.get("title") or activity.title),
        str(texts.get("description") or activity.description),
    )


def next_occurrences(activity: Activity, *, now: datetime, limit: int = 10) -> list[Occurrence]:
    return list(activity.occurrences.filter(ends_at__gt=now).order_by("starts_at", "pk")[:limit])


def organised_by(user: User) -> QuerySet[Activity]:
    """Activities ``user`` organises or proposed (the organiser's page)."""
    if not user.is_authenticated:
        return Activity.objects.none()
    return (
        Activity.objects.filter(
            pk__in=Activity.objects.filter(Q(organisers=user) | Q(proposed_by=user)).values("pk")
        )
        .select_related("organisation", "facility")
        .order_by("-created_at", "-pk")
    )


def proposals_for(user: User | AnonymousUser) -> list[Activity]:
    """Proposals ``user`` may decide (the coordinators' queue), oldest first."""
    if not user.is_authenticated:
        return []
    rows = (
        visible_activities(user)
        .filter(status__in=(ActivityStatus.PROPOSED, ActivityStatus.CHANGES_REQUESTED))
        .select_related("organisation", "facility", "proposed_by")
        .prefetch_related("departments")
        .order_by("created_at", "pk")
    )
    return [a for a in rows if rules.may_approve(user, a)]
