"""/api/v1/me and /api/v1/departments."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema

from lokalsamfund.core import permissions
from lokalsamfund.core.models import Membership, User
from lokalsamfund.core.permissions import Perm

router = Router(tags=["core"])


class MembershipOut(Schema):
    organisation: str
    organisation_name: str
    role: str
    departments: list[str]


class MeOut(Schema):
    email: str
    name: str
    memberships: list[MembershipOut]


class DepartmentOut(Schema):
    organisation: str
    code: str
    name: str
    address: str
    homes: int
    adult_residents: int
    activities_feed: str = Field(description="The department's public iCal feed of activities")


@router.get("/me", response=MeOut, summary="The caller and their roles")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by the bearer authentication
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .prefetch_related("departments")
    )
    return MeOut(
        email=user.email,
        name=user.get_full_name(),
        memberships=[
            MembershipOut(
                organisation=m.organisation.slug,
                organisation_name=m.organisation.name,
                role=m.role,
                departments=[d.code for d in m.departments.all()],
            )
            for m in memberships
        ],
    )


@router.get("/departments", response=list[DepartmentOut], summary="The caller's departments")
def departments(request: HttpRequest) -> list[DepartmentOut]:
    visible = permissions.departments_for(request.user, Perm.VIEW_ORGANISATION)
    return [
        DepartmentOut(
            organisation=d.organisation.slug,
            code=d.code,
            name=d.name,
            address=d.address,
            homes=d.homes,
            adult_residents=d.adult_residents,
            activities_feed=request.build_absolute_uri(
                reverse("activities:department_feed", args=[d.pk])
            ),
        )
        for d in visible.order_by("organisation__slug", "code")
    ]
