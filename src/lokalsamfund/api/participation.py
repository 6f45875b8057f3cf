"""/api/v1 endpoints of the activities domain: participation.

``POST /activities/occurrences/{id}/headcount`` records (or corrects) a headcount: the
activity's organisers and those who may manage it. ``GET /activities/participation``: figures
per month and activity type of an organisation or one department, through the same disclosure
control as the pages, the CLI and the exports (``activities.figures.report``).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema

from lokalsamfund.activities import figures
from lokalsamfund.activities import permissions as rules
from lokalsamfund.activities.models import Occurrence
from lokalsamfund.activities.services import participation as services
from lokalsamfund.core import permissions
from lokalsamfund.core.models import Department, Organisation, User

router = Router(tags=["activities"])


class HeadcountIn(Schema):
    total: int = Field(ge=0, examples=[23])
    children: int | None = Field(None, ge=0)
    adults: int | None = Field(None, ge=0)
    seniors: int | None = Field(None, ge=0)
    new_faces: int | None = Field(None, ge=0, examples=[2])


class HeadcountOut(Schema):
    occurrence: int
    total: int
    children: int | None
    adults: int | None
    seniors: int | None
    new_faces: int | None
    recorded_at: str


class ErrorOut(Schema):
    detail: str


class FigureOut(Schema):
    sessions: int
    attendances: int | None
    average: float | None
    new_faces: int | None
    suppressed: bool


class MonthOut(Schema):
    month: str
    total: FigureOut
    types: dict[str, FigureOut]


class TypeOut(Schema):
    key: str
    name: str


class ParticipationOut(Schema):
    organisation: str
    department: str | None
    from_month: str = Field(alias="from")
    to: str
    min_cell_size: int
    activity_types: list[TypeOut]
    months: list[MonthOut]


class ParticipationQuery(Schema):
    organisation: str | None = Field(
        None, description="The organisation's short name; needed when you have several"
    )
    department: str | None = Field(None, description="A department's code; empty: all")
    from_month: str | None = Field(
        None, alias="from", description="YYYY-MM; default: twelve months back"
    )
    to: str | None = Field(None, description="YYYY-MM, a month that has ended; default: the last")


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by the bearer authentication
    return user


@router.post(
    "/activities/occurrences/{occurrence_id}/headcount",
    response={200: HeadcountOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Record how many took part in an occurrence (no names)",
)
def headcount_record(
    request: HttpRequest,
    payload: HeadcountIn,
    occurrence_id: int = Path(..., ge=1, le=2**63 - 1),
) -> HeadcountOut:
    user = _user(request)
    occurrence = get_object_or_404(
        Occurrence.objects.select_related("activity__organisation"), pk=occurrence_id
    )
    if not rules.may_view(user, occurrence.activity):
        raise Http404
    h = services.headcount_record(actor=user, occurrence=occurrence, **payload.dict())
    return HeadcountOut(
        occurrence=occurrence.pk,
        total=h.total,
        children=h.children,
        adults=h.adults,
        seniors=h.seniors,
        new_faces=h.new_faces,
        recorded_at=h.recorded_at.isoformat(),
    )


def resolve_scope(
    user: Any, organisation_slug: str | None, department_code: str | None
) -> tuple[Organisation, Department | None]:
    """The organisation (by slug, or the caller's only one) and department (by code)."""
    visible = permissions.organisations_for(user)
    if organisation_slug:
        organisation = visible.filter(slug=organisation_slug).first()
    else:
        candidates = list(visible[:2])
        organisation = candidates[0] if len(candidates) == 1 else None
    if organisation is None:
        raise Http404
    department = None
    if department_code:
        department = Department.objects.filter(
            organisation=organisation, code=department_code
        ).first()
        if department is None:
            raise Http404
    return organisation, department


@router.get(
    "/activities/participation",
    response={200: ParticipationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Participation per month and activity type (disclosure-controlled)",
    by_alias=True,
)
def participation(request: HttpRequest, query: Query[ParticipationQuery]) -> dict[str, Any]:
    user = _user(request)
    organisation, department = resolve_scope(user, query.organisation, query.department)
    first_default, last_default = figures.default_range()
    report = figures.report(
        actor=user,
        organisation=organisation,
        department=department,
        first=query.from_month or first_default,
        last=query.to or last_default,
    )
    return report.as_dict()
