"""Reads for the core: what a user's start page shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .models import Department, Membership, Organisation
from .permissions import STAFF_ROLES

if TYPE_CHECKING:
    from .models import User


@dataclass
class OrganisationView:
    organisation: Organisation
    roles: list[str]
    departments: list[Department]
    whole_organisation: bool


def start_page_for(user: User) -> list[OrganisationView]:
    """The user's organisations, roles and departments (a limited membership shows its own)."""
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("organisation", "neighbour_housing", "association")
        .prefetch_related("departments")
        .order_by("organisation__name", "role")
    )
    by_org: dict[int, OrganisationView] = {}
    for m in memberships:
        view = by_org.setdefault(m.organisation_id, OrganisationView(m.organisation, [], [], False))
        view.roles.append(m.get_role_display())
        limited = list(m.departments.all())
        if limited:
            view.departments.extend(d for d in limited if d not in view.departments)
        elif m.role in STAFF_ROLES:
            view.whole_organisation = True
    for view in by_org.values():
        if view.whole_organisation:
            view.departments = list(view.organisation.departments.all())
    return list(by_org.values())
