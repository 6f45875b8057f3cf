"""A project group's meetings and the development days (udviklingsdage): activities of a
hosting organisation's department, with the activities' own sign-up (capacity, waitlist,
e-mail confirmation: ``activities.services.signups``).

- The activity is created by the activities' service (``activity_create``) by someone who may
  publish activities in the hosting department (its coordinators, caretakers, administrators),
  with visibility "departments" and sign-up; the network records whose it is
  (``NetworkEvent``). Bookings of a common house, moving and cancelling dates are the
  activities' as for every activity.
- Who sees it is the network's to say (``audience``, registered with the activities'
  visibility rule): a meeting its group's members, a development day everyone who takes part
  in the network. The hosting department's residents do not see either; the activity's
  organisers and those who approve the hosting organisation's activities do.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lokalsamfund.activities import permissions as activity_rules
from lokalsamfund.activities.models import Activity, Occurrence
from lokalsamfund.activities.services import activities as activity_services
from lokalsamfund.activities.services import signups
from lokalsamfund.core import permissions
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import DomainError, Forbidden
from lokalsamfund.core.models import Department, User
from lokalsamfund.core.permissions import Actor, Perm

from . import groups
from .group_models import EventKind, GroupMember, NetworkEvent, ProgrammeSession, ProjectGroup

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


# --- who sees the network's activities (the activities' visibility rule asks here) -----------


def governed() -> Q:
    return Q(pk__in=NetworkEvent.objects.values("activity_id"))


def audience(user: User | AnonymousUser) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    assert isinstance(user, User)  # noqa: S101 - authenticated means a user
    groups_of_user = GroupMember.objects.filter(
        Q(user=user) | Q(user__isnull=True, invitation__accepted_by=user)
    ).values("group_id")
    events = NetworkEvent.objects.filter(kind=EventKind.MEETING, group_id__in=groups_of_user)
    if groups.takes_part(user):
        events = NetworkEvent.objects.filter(
            Q(kind=EventKind.DEVELOPMENT_DAY) | Q(pk__in=events.values("pk"))
        )
    return Q(pk__in=events.values("activity_id"))


# --- services --------------------------------------------------------------------------------


def _create_activity(
    *,
    actor: User,
    department: Department,
    activity_type: str,
    title: str,
    description: str,
    starts_at: datetime,
    duration_minutes: int,
    place: str,
    capacity: int | None,
    now: datetime | None,
) -> Activity:
    if not activity_rules.may_publish_directly(actor, [department]):
        raise Forbidden(
            _("Only who may publish activities in %(department)s can host it there.")
            % {"department": department}
        )
    return activity_services.activity_create(
        actor=actor,
        organisation=department.organisation,
        departments=[department],
        activity_type=activity_type,
        title=title,
        description=description,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        details={
            "visibility": "departments",
            "signup_required": True,
            "capacity": capacity,
            "waitlist": True,
        },
        now=now,
    )


def meeting_create(
    *,
    actor: Actor,
    group: ProjectGroup,
    department: Department,
    title: str,
    starts_at: datetime,
    duration_minutes: int,
    place: str,
    capacity: int | None = None,
    activity_type: str = "",
    description: str = "",
    now: datetime | None = None,
) -> NetworkEvent:
    """A contact schedules a meeting of the group, hosted by ``department`` (where they may
    publish activities). Its activity type is the group's first, unless given."""
    if not isinstance(actor, User) or not groups.may_run(actor, group):
        raise Forbidden(_("Only the group's contacts schedule its meetings."))
    activity_type = activity_type or (group.activity_types[0] if group.activity_types else "")
    if not activity_type:
        raise DomainError(_("Activity type: choose the type of activity the group works on."))
    with transaction.atomic():
        activity = _create_activity(
            actor=actor,
            department=department,
            activity_type=activity_type,
            title=title,
            description=description,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            place=place,
            capacity=capacity,
            now=now,
        )
        event = NetworkEvent.objects.create(kind=EventKind.MEETING, group=group, activity=activity)
        log_action(
            actor=actor,
            action="network.meeting_created",
            organisation=group.host_organisation,
            obj=group,
            data={"activity": activity.pk},
        )
    return event


def development_day_create(
    *,
    actor: Actor,
    department: Department,
    title: str,
    description: str,
    starts_at: datetime,
    duration_minutes: int,
    place: str,
    activity_type: str,
    capacity: int | None = None,
    now: datetime | None = None,
) -> NetworkEvent:
    """A development day hosted by ``department`` (``network.organise`` on its organisation,
    and the right to publish activities there), open to everyone in the network."""
    permissions.require(actor, Perm.NETWORK_ORGANISE, department.organisation)
    if not isinstance(actor, User):
        raise Forbidden(_("A development day is organised by a person."))
    with transaction.atomic():
        activity = _create_activity(
            actor=actor,
            department=department,
            activity_type=activity_type,
            title=title,
            description=description,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            place=place,
            capacity=capacity,
            now=now,
        )
        event = NetworkEvent.objects.create(kind=EventKind.DEVELOPMENT_DAY, activity=activity)
        log_action(
            actor=actor,
            action="network.development_day_created",
            organisation=department.organisation,
            obj=activity,
        )
    return event


def session_add(
    *,
    actor: Actor,
    event: NetworkEvent,
    starts_at: datetime,
    ends_at: datetime,
    title: str,
    room: str = "",
    host: str = "",
) -> ProgrammeSession:
    """A session of a development day's programme, by who manages the day's activity."""
    if event.kind != EventKind.DEVELOPMENT_DAY:
        raise DomainError(_("Only a development day has a programme."))
    if actor is not permissions.SYSTEM and not (
        isinstance(actor, User) and activity_rules.may_manage(actor, event.activity)
    ):
        raise Forbidden(_("Only the development day's organisers change its programme."))
    title = " ".join((title or "").split())
    if not title or len(title) > 200:
        raise DomainError(_("Title: write a title of at most 200 characters."))
    if len(room) > 100 or len(host) > 200:
        raise DomainError(_("Room or host is too long."))
    if ends_at <= starts_at:
        raise DomainError(_("A session ends after it starts."))
    with transaction.atomic():
        session = ProgrammeSession.objects.create(
            event=event,
            starts_at=starts_at,
            ends_at=ends_at,
            title=title,
            room=room.strip(),
            host=host.strip(),
        )
        log_action(
            actor=actor,
            action="network.session_added",
            organisation=event.activity.organisation,
            obj=session,
        )
    return session


def sign_up(
    *,
    actor: User | AnonymousUser,
    occurrence: Occurrence,
    places: int = 1,
    language: str = "",
    now: datetime | None = None,
) -> signups.SignupResult:
    """Sign up for a meeting or a development day: the activities' own sign-up (who may is
    the activities' visibility rule, which asks ``audience``)."""
    return signups.signup_create(
        occurrence=occurrence, actor=actor, places=places, language=language, now=now
    )


# --- selectors -------------------------------------------------------------------------------


def meetings_of(user: User | AnonymousUser, group: ProjectGroup) -> QuerySet[NetworkEvent]:
    if not groups.may_see_inside(user, group):
        raise Forbidden(_("Only the group's members see its meetings."))
    return group.events.select_related("activity").order_by("activity__starts_at")


def development_days_for(user: User | AnonymousUser) -> QuerySet[NetworkEvent]:
    if not groups.takes_part(user):
        raise Forbidden(_("You do not take part in the network."))
    return (
        NetworkEvent.objects.filter(kind=EventKind.DEVELOPMENT_DAY)
        .select_related("activity", "activity__organisation")
        .order_by("activity__starts_at")
    )


def development_day_for(user: User | AnonymousUser, pk: int) -> NetworkEvent | None:
    return development_days_for(user).filter(pk=pk).first()


def coming_occurrences(event: NetworkEvent, now: datetime) -> list[Occurrence]:
    return list(event.activity.occurrences.filter(ends_at__gt=now).select_related("activity")[:20])
