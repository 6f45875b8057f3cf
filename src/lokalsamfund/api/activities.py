"""/api/v1 endpoints of the activities domain: the calendar of a department, an activity with
its dates, and creating and changing activities (organisers, staff).

Thin: reads through ``activities.selectors`` (what the caller may see), writes through
``activities.services.activities``. Errors are JSON: 400 invalid, 403 not allowed, 404 not
visible, 409 a clash in the common house (with ``clash``), like api/bookings.py.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from lokalsamfund.activities import selectors
from lokalsamfund.activities.models import Activity, Occurrence
from lokalsamfund.activities.services import activities as services
from lokalsamfund.bookings.models import Facility, Room
from lokalsamfund.bookings.selectors import check_period
from lokalsamfund.core.errors import DomainError, NotFound
from lokalsamfund.core.models import Department, Organisation, User

router = Router(tags=["activities"])

MAX_PERIOD_DAYS = 93
MAX_OCCURRENCES = 500

TargetGroupValue = Literal[
    "everyone", "children", "families", "youth", "adults", "seniors", "newcomers"
]
VisibilityValue = Literal["departments", "neighbours", "public"]


class OccurrenceOut(Schema):
    id: int
    activity: int
    title: str
    activity_type: str
    start: datetime
    end: datetime
    recurrence_id: datetime
    status: str
    note: str
    place: str


class ActivityOut(Schema):
    id: int
    organisation: str
    departments: list[str]
    activity_type: str
    title: str
    description: str
    status: str
    visibility: str
    target_group: str
    facility: str | None
    rooms: list[str]
    whole_house: bool
    place: str
    step_free: bool
    hearing_loop: bool
    sign_language: bool
    accessibility_note: str
    price: str
    starts_at: datetime
    duration_minutes: int
    rrule: str
    signup_required: bool
    capacity: int | None
    signup_closes_hours: int | None
    waitlist: bool
    occurrences: list[OccurrenceOut]


class ActivityChangeOut(ActivityOut):
    messages: list[str]


class PeriodQuery(Schema):
    department: int = Field(description="The department's id")
    start: datetime = Field(description="ISO 8601 with offset")
    end: datetime = Field(description="ISO 8601 with offset; at most 93 days after start")


class ActivityIn(Schema):
    organisation: str = Field(examples=["eksempel"])
    departments: list[str] = Field(min_length=1, examples=[["A1"]], description="Codes")
    activity_type: str = Field(examples=["faellesspisning"], description="Catalogue key")
    title: str = Field(max_length=200, examples=["Fællesspisning"])
    description: str = ""
    starts_at: datetime = Field(description="The first start, ISO 8601 with offset")
    duration_minutes: int = Field(ge=5, le=24 * 60, examples=[120])
    rrule: str = Field("", max_length=300, examples=["FREQ=WEEKLY;BYDAY=TH"])
    facility: str | None = Field(None, description="The common house's slug")
    rooms: list[str] = Field(default_factory=list, description="Room names; or whole_house")
    whole_house: bool = False
    place: str = Field("", max_length=200)
    target_group: TargetGroupValue = "everyone"
    visibility: VisibilityValue = "departments"
    step_free: bool = False
    hearing_loop: bool = False
    sign_language: bool = False
    accessibility_note: str = Field("", max_length=300)
    price: Decimal = Field(Decimal("0"), ge=0, max_digits=8, decimal_places=2)
    signup_required: bool = False
    capacity: int | None = Field(None, ge=1)
    signup_closes_hours: int | None = Field(None, ge=0)
    waitlist: bool = True


class ActivityPatch(Schema):
    """Only the fields given change."""

    departments: list[str] | None = None
    activity_type: str | None = None
    title: str | None = Field(None, max_length=200)
    description: str | None = None
    starts_at: datetime | None = None
    duration_minutes: int | None = Field(None, ge=5, le=24 * 60)
    rrule: str | None = Field(None, max_length=300)
    facility: str | None = None
    rooms: list[str] | None = None
    whole_house: bool | None = None
    place: str | None = Field(None, max_length=200)
    target_group: TargetGroupValue | None = None
    visibility: VisibilityValue | None = None
    step_free: bool | None = None
    hearing_loop: bool | None = None
    sign_language: bool | None = None
    accessibility_note: str | None = Field(None, max_length=300)
    price: Decimal | None = Field(None, ge=0, max_digits=8, decimal_places=2)
    signup_required: bool | None = None
    capacity: int | None = Field(None, ge=1)
    signup_closes_hours: int | None = Field(None, ge=0)
    waitlist: bool | None = None


class ErrorOut(Schema):
    detail: str


class ConflictOut(Schema):
    detail: str
    clash: dict[str, str]


DETAILS = (
    "target_group",
    "visibility",
    "step_free",
    "hearing_loop",
    "sign_language",
    "accessibility_note",
    "price",
    "signup_required",
    "capacity",
    "signup_closes_hours",
    "waitlist",
)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by the bearer authentication
    return user


def _place(activity: Activity) -> str:
    return activity.facility.name if activity.facility is not None else activity.place


def _occurrence_out(o: Occurrence) -> OccurrenceOut:
    return OccurrenceOut(
        id=o.pk,
        activity=o.activity_id,
        title=o.activity.title,
        activity_type=o.activity.activity_type,
        start=timezone.localtime(o.starts_at),
        end=timezone.localtime(o.ends_at),
        recurrence_id=timezone.localtime(o.recurrence_id),
        status=o.status,
        note=o.note,
        place=_place(o.activity),
    )


def _activity_out(activity: Activity, **extra: Any) -> dict[str, Any]:
    occurrences = list(
        activity.occurrences.filter(ends_at__gt=timezone.now()).order_by("starts_at", "pk")[
            :MAX_OCCURRENCES
        ]
    )
    for o in occurrences:
        o.activity = activity
    return {
        "id": activity.pk,
        "organisation": activity.organisation.slug,
        "departments": sorted(d.code for d in activity.departments.all()),
        "activity_type": activity.activity_type,
        "title": activity.title,
        "description": activity.description,
        "status": activity.status,
        "visibility": activity.visibility,
        "target_group": activity.target_group,
        "facility": activity.facility.slug if activity.facility else None,
        "rooms": sorted(r.name for r in activity.rooms.all()),
        "whole_house": activity.whole_house,
        "place": activity.place,
        "step_free": activity.step_free,
        "hearing_loop": activity.hearing_loop,
        "sign_language": activity.sign_language,
        "accessibility_note": activity.accessibility_note,
        "price": str(activity.price),
        "starts_at": timezone.localtime(activity.starts_at),
        "duration_minutes": activity.duration_minutes,
        "rrule": activity.rrule,
        "signup_required": activity.signup_required,
        "capacity": activity.capacity,
        "signup_closes_hours": activity.signup_closes_hours,
        "waitlist": activity.waitlist,
        "occurrences": [_occurrence_out(o) for o in occurrences],
        **extra,
    }


def _visible(request: HttpRequest, activity_id: int) -> Activity:
    activity = selectors.activity_for(request.user, activity_id)
    if activity is None:
        raise NotFound(_("No such activity."))
    return activity


def _departments(organisation: Organisation, codes: list[str]) -> list[Department]:
    found = {
        d.code: d for d in Department.objects.filter(organisation=organisation, code__in=codes)
    }
    missing = sorted(set(codes) - set(found))
    if missing:
        raise DomainError(_("Unknown department: %(code)s.") % {"code": missing[0]})
    return [found[c] for c in dict.fromkeys(codes)]


def _house(
    organisation: Organisation, slug: str | None, names: list[str]
) -> tuple[Facility | None, list[Room]]:
    if not slug:
        return None, []
    facility = Facility.objects.filter(organisation=organisation, slug=slug).first()
    if facility is None:
        raise DomainError(_("Unknown common house: %(slug)s.") % {"slug": slug})
    rooms = {r.name: r for r in facility.rooms.all()}
    missing = sorted(set(names) - set(rooms))
    if missing:
        raise DomainError(_("Unknown room: %(name)s.") % {"name": missing[0]})
    return facility, [rooms[n] for n in dict.fromkeys(names)]


@router.get(
    "/activities/occurrences",
    response={200: list[OccurrenceOut], 400: ErrorOut, 404: ErrorOut},
    summary="Dates of a department's calendar in a period (what the caller may see)",
)
def occurrences(request: HttpRequest, query: Query[PeriodQuery]) -> list[OccurrenceOut]:
    department = get_object_or_404(Department, pk=query.department)
    check_period(start=query.start, end=query.end, max_days=MAX_PERIOD_DAYS)
    rows = selectors.calendar_occurrences(
        request.user, start=query.start, end=query.end, department=department
    )
    return [_occurrence_out(o) for o in rows]


@router.get(
    "/activities/{activity_id}",
    response={200: ActivityOut, 400: ErrorOut, 404: ErrorOut},
    summary="An activity and its coming dates",
)
def activity_detail(request: HttpRequest, activity_id: int) -> dict[str, Any]:
    return _activity_out(_visible(request, activity_id))


@router.post(
    "/activities",
    response={201: ActivityOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut},
    summary="Create an activity (staff publish; residents propose)",
)
def activity_create(request: HttpRequest, payload: ActivityIn) -> Status:
    user = _user(request)
    organisation = Organisation.objects.filter(slug=payload.organisation).first()
    if organisation is None:
        raise NotFound(_("No such organisation."))
    departments = _departments(organisation, payload.departments)
    facility, rooms = _house(organisation, payload.facility, payload.rooms)
    activity = services.activity_create(
        actor=user,
        organisation=organisation,
        departments=departments,
        activity_type=payload.activity_type,
        title=payload.title,
        description=payload.description,
        starts_at=payload.starts_at,
        duration_minutes=payload.duration_minutes,
        rrule=payload.rrule,
        facility=facility,
        rooms=rooms,
        whole_house=payload.whole_house,
        place=payload.place,
        details={name: getattr(payload, name) for name in DETAILS},
    )
    return Status(201, _activity_out(activity))


@router.patch(
    "/activities/{activity_id}",
    response={
        200: ActivityChangeOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
    },
    summary="Change an activity (its organisers and those who decide)",
)
def activity_update(
    request: HttpRequest, activity_id: int, payload: ActivityPatch
) -> dict[str, Any]:
    user = _user(request)
    activity = _visible(request, activity_id)
    given = payload.model_dump(exclude_unset=True)
    departments = (
        _departments(activity.organisation, given.pop("departments"))
        if given.get("departments") is not None
        else None
    )
    given.pop("departments", None)
    rooms = None
    if "facility" in given or "rooms" in given:
        slug = given.pop("facility", activity.facility.slug if activity.facility else None)
        names = given.pop("rooms", None)
        if names is None:
            names = [r.name for r in activity.rooms.all()]
        facility, rooms = _house(activity.organisation, slug, names)
        given["facility"] = facility
    for name in ("description", "place", "accessibility_note"):
        if name in given and given[name] is None:
            given[name] = ""
    result = services.activity_update(
        activity=activity, actor=user, changes=given, departments=departments, rooms=rooms
    )
    return _activity_out(result.activity, messages=result.messages)
