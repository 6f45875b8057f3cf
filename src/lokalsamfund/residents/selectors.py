"""Reads of the residents' domain: tenancy lists scoped by the permission module."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from lokalsamfund.core import permissions
from lokalsamfund.core.models import Department, Membership, Organisation, Role
from lokalsamfund.core.permissions import Perm

from .models import Tenancy

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from lokalsamfund.core.models import User


def organisations_managed(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """Organisations whose tenancy list the user manages (organisation-wide permission)."""
    return Organisation.objects.filter(
        pk__in=[
            o.pk
            for o in permissions.organisations_for(user, Perm.MANAGE_RESIDENTS)
            if permissions.has_perm(user, Perm.MANAGE_RESIDENTS, o)
        ]
    )


def tenancies(
    organisation: Organisation,
    *,
    department: Department | None = None,
    status: str = "",
    query: str = "",
) -> QuerySet[Tenancy]:
    """The organisation's tenancies, filtered; current ones unless ``status`` is moved_out.
    ``has_residents``: someone holds a resident membership with the home (however it came:
    a letter, an e-mail invitation, the back office)."""
    residents = Membership.objects.filter(
        organisation_id=OuterRef("organisation_id"),
        role=Role.RESIDENT,
        home_key=OuterRef("home_key"),
    )
    qs = (
        Tenancy.objects.filter(organisation=organisation)
        .select_related("department")
        .annotate(has_residents=Exists(residents))
    )
    if department is not None:
        qs = qs.filter(department=department)
    if status == "moved_out":
        qs = qs.filter(moved_out__isnull=False)
    else:
        qs = qs.filter(moved_out__isnull=True)
    if status == "not_invited":
        qs = qs.filter(invited_at__isnull=True, letter_at__isnull=True, has_residents=False)
    elif status == "invited":
        qs = qs.filter(Q(invited_at__isnull=False) | Q(letter_at__isnull=False)).filter(
            has_residents=False
        )
    elif status == "activated":
        qs = qs.filter(has_residents=True)
    elif status == "no_email":
        qs = qs.filter(has_email=False, has_residents=False)
    elif status == "email_not_invited":
        qs = qs.filter(has_email=True, invited_at__isnull=True, has_residents=False)
    if query.strip():
        qs = qs.filter(Q(address__icontains=query.strip()) | Q(number__icontains=query.strip()))
    return qs


def counts(organisation: Organisation) -> dict[str, int]:
    """The list's totals for the page's heading."""
    base = tenancies(organisation)
    return {
        "current": base.count(),
        "activated": base.filter(has_residents=True).count(),  # type: ignore[misc]
        "with_email": base.filter(has_email=True).count(),
    }
