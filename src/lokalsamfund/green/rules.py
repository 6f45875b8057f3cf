"""Who may see, join and run a green group, on top of the core permission table.

- Who may join: whoever may join activities (``activities.join``) of one of the group's
  departments; neighbours and associations only when the group is open to neighbours.
- Who sees a group: who may join it, its members and who runs it.
- Who runs a group (plots, seasons, the allocation, the members' names): its resident
  contacts and caretaker contact, and ``green.manage`` on one of its departments
  (coordinators, caretakers of the department, the organisation's administrators).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from lokalsamfund.activities.permissions import OUTSIDE_ROLES
from lokalsamfund.core import permissions
from lokalsamfund.core.models import Role, User
from lokalsamfund.core.permissions import Perm

from .models import GreenGroup, GroupMember

RESIDENT_ROLES = frozenset({Role.RESIDENT, Role.BOARD_MEMBER})


def _department_ids(group: GreenGroup) -> set[int]:
    return {d.pk for d in group.departments.all()}


def is_contact(user: User | AnonymousUser, group: GreenGroup) -> bool:
    if not user.is_authenticated:
        return False
    return group.caretaker_contact_id == user.pk or any(
        c.pk == user.pk for c in group.resident_contacts.all()
    )


def may_manage(user: User | AnonymousUser, group: GreenGroup) -> bool:
    """May ``user`` run the group (plots, seasons, allocation, members' names)?"""
    if is_contact(user, group):
        return True
    return any(permissions.has_perm(user, Perm.MANAGE_GREEN, d) for d in group.departments.all())


def is_resident(user: User | AnonymousUser, group: GreenGroup) -> bool:
    """Is ``user`` a resident (or board member) of one of the group's departments?"""
    if not user.is_authenticated:
        return False
    ids = _department_ids(group)
    return any(
        m.role in RESIDENT_ROLES and {d.pk for d in m.departments.all()} & ids
        for m in permissions.memberships_in(user, group.organisation_id)
    )


def may_join(user: User | AnonymousUser, group: GreenGroup) -> bool:
    """May ``user`` join the group: ``activities.join`` on one of its departments by a role
    that counts (neighbours and associations only for groups open to neighbours)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    ids = _department_ids(group)
    for membership in permissions.memberships_in(user, group.organisation_id):
        if Perm.JOIN_ACTIVITIES not in permissions.ROLE_PERMISSIONS.get(membership.role, set()):
            continue
        if membership.role in OUTSIDE_ROLES and not group.open_to_neighbours:
            continue
        limited = {d.pk for d in membership.departments.all()}
        if membership.role in RESIDENT_ROLES and not limited:
            continue
        if not limited or limited & ids:
            return True
    return False


def is_member(user: User | AnonymousUser, group: GreenGroup) -> bool:
    if not user.is_authenticated:
        return False
    return GroupMember.objects.filter(group=group, user_id=user.pk).exists()


def may_see(user: User | AnonymousUser, group: GreenGroup) -> bool:
    return may_join(user, group) or may_manage(user, group) or is_member(user, group)


def may_read_log(user: User | AnonymousUser, group: GreenGroup) -> bool:
    """The log and its photos: the group's members and who runs it."""
    return is_member(user, group) or may_manage(user, group)


def may_create_group(user: User | AnonymousUser) -> bool:
    """``green.manage`` on some department: coordinators, caretakers, administrators."""
    return permissions.has_any(user, Perm.MANAGE_GREEN)
