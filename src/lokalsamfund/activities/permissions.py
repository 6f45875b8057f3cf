"""Who may see, organise, approve and join an activity: the activities' rules on top of the
core permission table (``core.permissions``), in one place for pages, API and CLI.

- An organisation's coordinators and administrators (``activities.approve``) manage every
  activity of its departments and decide proposals; where the organisation allows it
  (``ActivitySettings.board_may_approve``), so does a board member of one of the activity's
  departments.
- Organisers (residents, caretakers, association contacts) manage their own activities only.
- Caretakers and coordinators (``activities.manage``) publish directly; residents propose.
- A published activity is seen by everyone (``public``), by everyone with a role in the
  organisation's departments including neighbours and associations (``neighbours``), or by the
  departments' residents, board and staff (``departments``). A proposal, a declined or
  changes-requested activity is seen only by its organisers, its proposer and those who decide.
- Another domain may decide the audience of some activities (``register_audience``: the
  network's project-group meetings and development days): those are hidden from their
  departments' residents, neighbours and the public whatever their visibility, and seen by whom
  that domain names; organisers and those who decide still see them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from lokalsamfund.core import permissions
from lokalsamfund.core.models import Role, User
from lokalsamfund.core.permissions import Perm

if TYPE_CHECKING:
    from lokalsamfund.activities.models import Activity

# Statuses in which an activity is on the calendar.
LISTED = ("published", "paused", "ended")
# Roles that see activities open to "neighbours" but not those for "the departments' residents".
OUTSIDE_ROLES = frozenset({Role.NEIGHBOUR, Role.ASSOCIATION})


# (governed, audience): a filter on Activity for the activities another domain decides the
# audience of, and one for those of them a user may see.
_AUDIENCES: list[tuple[Callable[[], Q], Callable[[User | AnonymousUser], Q]]] = []


def register_audience(
    governed: Callable[[], Q], audience: Callable[[User | AnonymousUser], Q]
) -> None:
    """Let another domain decide who sees some activities (from its ``AppConfig.ready``)."""
    _AUDIENCES.append((governed, audience))


def _department_ids(activity: Activity) -> set[int]:
    return {d.pk for d in activity.departments.all()}


def _has_on_any(user: User | AnonymousUser, perm: Perm, activity: Activity) -> bool:
    return any(permissions.has_perm(user, perm, d) for d in activity.departments.all())


def is_organiser(user: User | AnonymousUser, activity: Activity) -> bool:
    if not user.is_authenticated:
        return False
    return any(o.pk == user.pk for o in activity.organisers.all())


def board_may_approve(activity: Activity) -> bool:
    from lokalsamfund.activities.models import ActivitySettings

    row = ActivitySettings.objects.filter(organisation_id=activity.organisation_id).first()
    return bool(row and row.board_may_approve)


def may_approve(user: User | AnonymousUser, activity: Activity) -> bool:
    """May ``user`` decide this activity's proposal (and manage it)?"""
    if _has_on_any(user, Perm.APPROVE_ACTIVITIES, activity):
        return True
    if not user.is_authenticated or not board_may_approve(activity):
        return False
    ids = _department_ids(activity)
    return any(
        m.role == Role.BOARD_MEMBER and {d.pk for d in m.departments.all()} & ids
        for m in permissions.memberships_in(user, activity.organisation_id)
    )


def may_manage(user: User | AnonymousUser, activity: Activity) -> bool:
    """May ``user`` change this activity, its occurrences, sign-ups and headcounts?"""
    return is_organiser(user, activity) or may_approve(user, activity)


def may_publish_directly(user: User | AnonymousUser, departments: list) -> bool:
    """Does an activity created by ``user`` for ``departments`` need no approval?"""
    return bool(departments) and all(
        permissions.has_perm(user, Perm.MANAGE_ACTIVITIES, d) for d in departments
    )


def may_propose(user: User | AnonymousUser, departments: list) -> bool:
    from lokalsamfund.activities.models import ActivitySettings

    if not departments or not all(
        permissions.has_perm(user, Perm.JOIN_ACTIVITIES, d) for d in departments
    ):
        return False
    if may_publish_directly(user, departments):
        return True
    row = ActivitySettings.objects.filter(organisation_id=departments[0].organisation_id).first()
    return row is None or row.residents_may_propose


def _memberships(user: User | AnonymousUser) -> list:
    return [
        m
        for organisation_id in (permissions.organisation_ids_for(user) or set())
        for m in permissions.memberships_in(user, organisation_id)
    ]


def _reach(user: User | AnonymousUser) -> tuple[Q, set[int]]:
    """(a filter for activities of departments the user joins as resident, board or staff;
    organisation ids the user joins as a neighbour or an association contact)."""
    inside = Q(pk__in=[])
    outside: set[int] = set()
    for m in _memberships(user):
        if not permissions.role_grants(m.role, Perm.JOIN_ACTIVITIES):
            continue
        if m.role in OUTSIDE_ROLES:
            outside.add(m.organisation_id)
            continue
        ids = {d.pk for d in m.departments.all()}
        if ids:
            inside |= Q(departments__in=ids)
        elif m.role not in permissions.DEPARTMENT_ROLES:  # staff: the whole organisation
            inside |= Q(organisation_id=m.organisation_id)
    return inside, outside


def visible_q(user: User | AnonymousUser) -> Q:
    """A filter on Activity for what ``user`` may see (use with ``.distinct()``)."""
    listed = Q(status__in=LISTED)
    condition = listed & Q(visibility="public")
    if not user.is_authenticated:
        return _with_audiences(condition, user)
    if user.is_superuser:
        return Q()
    inside, outside = _reach(user)
    condition |= listed & Q(visibility__in=("departments", "neighbours")) & inside
    condition |= listed & Q(visibility="neighbours", organisation_id__in=outside)
    condition = _with_audiences(condition, user)
    condition |= Q(organisers=user) | Q(proposed_by=user)
    approve_ids = set(
        permissions.departments_for(user, Perm.APPROVE_ACTIVITIES).values_list("pk", flat=True)
    )
    condition |= Q(departments__in=approve_ids)
    board_ids = {
        d.pk for m in _memberships(user) if m.role == Role.BOARD_MEMBER for d in m.departments.all()
    }
    if board_ids:
        condition |= Q(
            departments__in=board_ids, organisation__activity_settings__board_may_approve=True
        )
    return condition


def _with_audiences(condition: Q, user: User | AnonymousUser) -> Q:
    """``condition`` (who sees an activity by its visibility) without the activities another
    domain decides, and with those of them that domain shows ``user``."""
    for governed, audience in _AUDIENCES:
        condition = (condition & ~governed()) | (Q(status__in=LISTED) & audience(user))
    return condition


def may_view(user: User | AnonymousUser, activity: Activity) -> bool:
    from lokalsamfund.activities.models import Activity

    return Activity.objects.filter(visible_q(user), pk=activity.pk).exists()


def may_join(user: User | AnonymousUser, activity: Activity) -> bool:
    """May ``user`` sign up (with an account)? Anyone who may see a listed activity; for
    ``public`` activities people without an account sign up by e-mail instead."""
    return activity.status == "published" and may_view(user, activity)


def may_organise(user: User | AnonymousUser) -> bool:
    """Anyone who may propose or publish activities has an organiser's page ("Mine
    aktiviteter")."""
    return bool(user.is_authenticated) and permissions.has_any(user, Perm.JOIN_ACTIVITIES)
