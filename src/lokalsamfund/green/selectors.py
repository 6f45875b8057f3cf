"""Green groups' selectors: what a user sees of groups, seasons and applications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Sum
from django.utils import timezone

from lokalsamfund.activities.models import Activity, Headcount, OccurrenceStatus
from lokalsamfund.activities.permissions import LISTED, visible_q
from lokalsamfund.core import permissions
from lokalsamfund.core.models import User

from . import rules
from .models import (
    ApplicationStatus,
    DriftenHours,
    GreenGroup,
    GroupNews,
    LogEntry,
    LogPhoto,
    PlotApplication,
    Season,
    SeasonPlan,
    SitePlan,
)


def groups_visible_to(user: User | AnonymousUser) -> list[GreenGroup]:
    """The groups ``user`` may see (join, is a member of, or runs), by name."""
    organisation_ids = permissions.organisation_ids_for(user)
    qs = (
        GreenGroup.objects.select_related("organisation")
        .prefetch_related("departments", "resident_contacts")
        .annotate(member_count=Count("members", distinct=True))
    )
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    return [g for g in qs if rules.may_see(user, g)]


def visible_group(user: User | AnonymousUser, group_id: int) -> GreenGroup | None:
    group = (
        GreenGroup.objects.select_related("organisation", "caretaker_contact")
        .prefetch_related("departments", "resident_contacts")
        .filter(pk=group_id)
        .first()
    )
    if group is None or not rules.may_see(user, group):
        return None
    return group


def current_season(group: GreenGroup) -> Season | None:
    return group.seasons.order_by("-year").first()


def group_activities(user: User | AnonymousUser, group: GreenGroup) -> list[Activity]:
    """The group's activities on the calendar that ``user`` may see there."""
    return list(
        group.activities.filter(visible_q(user), status__in=LISTED).distinct().order_by("title")
    )


def member_names(group: GreenGroup) -> list[str]:
    """Members' names: for contacts and staff only (``rules.may_manage``)."""
    return [
        m.user.full_name or m.user.email
        for m in group.members.select_related("user").order_by("user__full_name")
    ]


def my_application(user: User | AnonymousUser, season: Season | None) -> PlotApplication | None:
    if season is None or not user.is_authenticated:
        return None
    return season.applications.select_related("plot").filter(user_id=user.pk).first()


@dataclass(frozen=True)
class Place:
    """Where an applicant stands: the place among those waiting (1 = next), and how many wait."""

    place: int | None
    waiting: int


def place_of(application: PlotApplication) -> Place:
    waiting = list(
        application.season.applications.filter(status=ApplicationStatus.WAITING)
        .order_by("position", "ticket")
        .values_list("pk", flat=True)
    )
    place = waiting.index(application.pk) + 1 if application.pk in waiting else None
    return Place(place=place, waiting=len(waiting))


def allocation_rows(season: Season) -> list[PlotApplication]:
    """The season's applications for the group's contacts, waitlist order first."""
    return list(
        season.applications.select_related("user", "plot").order_by("status", "position", "ticket")
    )


def plots_with_holders(season: Season | None, group: GreenGroup) -> list[dict[str, Any]]:
    holders = {}
    if season is not None:
        holders = {
            a.plot_id: a
            for a in season.applications.filter(plot__isnull=False).select_related("user")
        }
    return [{"plot": p, "application": holders.get(p.pk)} for p in group.plots.all()]


def group_by_slug(organisation_id: int | None, slug: str) -> list[GreenGroup]:
    """Groups with the short name ``slug`` (in one organisation, or in any)."""
    qs = GreenGroup.objects.select_related("organisation").filter(slug=slug)
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return list(qs)


def news_of(group: GreenGroup, limit: int = 10) -> list[GroupNews]:
    return list(group.news.all()[:limit])


def season_plan(group: GreenGroup, year: int) -> SeasonPlan | None:
    return group.season_plans.filter(year=year).first()


def log_of(group: GreenGroup, limit: int = 30) -> list[LogEntry]:
    return list(
        group.log_entries.select_related("author").prefetch_related(
            Prefetch("photos", queryset=LogPhoto.objects.only("pk", "entry_id", "width", "height"))
        )[:limit]
    )


def photo_for(user: User | AnonymousUser, photo_id: int) -> LogPhoto | None:
    """A log photo, for those who may see its group only."""
    photo = LogPhoto.objects.select_related("entry__group").filter(pk=photo_id).first()
    if photo is None or visible_group(user, photo.entry.group_id) is None:
        return None
    return photo


def site_plan_for(user: User | AnonymousUser, group_id: int) -> SitePlan | None:
    group = visible_group(user, group_id)
    if group is None:
        return None
    return SitePlan.objects.filter(group=group).first()


def has_site_plan(group: GreenGroup) -> SitePlan | None:
    return SitePlan.objects.filter(group=group).defer("image").first()


def driften_hours_for_group(group: GreenGroup, year: int) -> float | None:
    """Driften's (the caretakers') hours on green work in the group's departments in ``year``
    (``DriftenHours``, recorded per department, not per group); None while none are recorded.
    The one place the yearly summary reads them from."""
    total = DriftenHours.objects.filter(
        department__in=group.departments.all(), day__year=year
    ).aggregate(total=Sum("hours"))["total"]
    return None if total is None else float(total)


@dataclass(frozen=True)
class YearlySummary:
    """The group's year for the department's meeting (afdelingsmødet): counts only, no names."""

    group: GreenGroup
    year: int
    members: int
    plots: int
    plots_used: int
    applicants: int
    waiting: int
    work_days: int
    hands: int
    driften_hours: float | None
    log_entries: int
    harvest_kg: Decimal | None
    plan: SeasonPlan | None


def yearly_summary(group: GreenGroup, year: int) -> YearlySummary:
    """Members at the end of ``year`` (of those still members), the plots held that season,
    the work days held (the group's activities' times with a headcount) and their hands (the
    headcounts' totals), driften's hours and the log."""
    tz = timezone.get_current_timezone()
    start = datetime(year, 1, 1, tzinfo=tz)
    end = datetime(year + 1, 1, 1, tzinfo=tz)
    season = group.seasons.filter(year=year).first()
    plots_used = 0
    applicants = waiting = 0
    if season is not None:
        used = set(
            season.applications.filter(
                status=ApplicationStatus.ALLOCATED, plot__isnull=False
            ).values_list("plot_id", flat=True)
        )
        plots_used = len(used)
        applicants = season.applications.count()
        waiting = season.applications.filter(status=ApplicationStatus.WAITING).count()
    counts = Headcount.objects.filter(
        occurrence__activity__in=group.activities.all(),
        occurrence__starts_at__gte=start,
        occurrence__starts_at__lt=end,
    ).exclude(occurrence__status=OccurrenceStatus.CANCELLED)
    figures = counts.aggregate(days=Count("pk"), hands=Sum("total"))
    entries = group.log_entries.filter(day__year=year)
    harvest = entries.aggregate(kg=Sum("harvest_kg"))["kg"]
    return YearlySummary(
        group=group,
        year=year,
        members=group.members.filter(joined_at__lt=end).count(),
        plots=group.plots.count(),
        plots_used=plots_used,
        applicants=applicants,
        waiting=waiting,
        work_days=figures["days"] or 0,
        hands=figures["hands"] or 0,
        driften_hours=driften_hours_for_group(group, year),
        log_entries=entries.count(),
        harvest_kg=harvest,
        plan=season_plan(group, year),
    )
