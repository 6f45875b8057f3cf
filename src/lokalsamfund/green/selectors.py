"""Green groups' selectors: what a user sees of groups, seasons and applications."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count

from lokalsamfund.activities.models import Activity
from lokalsamfund.activities.permissions import LISTED, visible_q
from lokalsamfund.core import permissions
from lokalsamfund.core.models import User

from . import rules
from .models import ApplicationStatus, GreenGroup, PlotApplication, Season


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
