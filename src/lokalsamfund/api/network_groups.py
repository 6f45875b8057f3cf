"""/api/v1 endpoints of the network's project groups and development days.

``GET /network/groups[?mine=true]`` and ``GET /network/groups/{id}``: everyone who takes part in
the network (``network.take_part``); members, meetings and documents only for the group's
members. ``POST /network/groups/{id}/join`` and ``/leave``. ``GET /network/development-days``
and ``/{id}`` with the programme. Meetings and development days are activities: sign up with
``POST /activities/occurrences/{occurrence_id}/signups``.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from lokalsamfund.network import events, groups
from lokalsamfund.network.group_models import NetworkEvent, ProjectGroup

from .participation import ErrorOut, _user

router = Router(tags=["network"])


class NetworkGroupMemberOut(Schema):
    name: str
    affiliation: str
    role_in_group: str
    contact: bool


class NetworkOccurrenceOut(Schema):
    occurrence_id: int
    starts_at: str
    ends_at: str


class NetworkGroupMeetingOut(Schema):
    activity_id: int
    title: str
    place: str
    occurrences: list[NetworkOccurrenceOut]


class NetworkGroupDocumentOut(Schema):
    id: int
    title: str
    filename: str
    size: int
    url: str


class NetworkGroupOut(Schema):
    id: int
    title: str
    aim: str
    host_organisation: str
    activity_types: list[str]
    open: bool
    member_count: int
    member: bool
    members: list[NetworkGroupMemberOut] | None = Field(None, description="For members only")
    meetings: list[NetworkGroupMeetingOut] | None = Field(None, description="For members only")
    documents: list[NetworkGroupDocumentOut] | None = Field(None, description="For members only")


class NetworkGroupsQuery(Schema):
    mine: bool = Field(False, description="Only the groups the caller belongs to")


class NetworkJoinIn(Schema):
    affiliation: str = Field("", description="The caller's organisation or sector")
    role_in_group: str = Field("", description="The caller's role in the group")


class NetworkSessionOut(Schema):
    starts_at: str
    ends_at: str
    title: str
    room: str
    host: str


class NetworkDevelopmentDayOut(Schema):
    id: int
    activity_id: int
    title: str
    description: str
    host_organisation: str
    place: str
    starts_at: str
    programme: list[NetworkSessionOut]
    occurrences: list[NetworkOccurrenceOut]


def _occurrences(event: NetworkEvent) -> list[dict[str, Any]]:
    return [
        {
            "occurrence_id": o.pk,
            "starts_at": o.starts_at.isoformat(),
            "ends_at": o.ends_at.isoformat(),
        }
        for o in events.coming_occurrences(event, timezone.now())
    ]


def _group_out(request: HttpRequest, group: ProjectGroup, *, detail: bool) -> dict[str, Any]:
    user = _user(request)
    inside = groups.may_see_inside(user, group)
    out: dict[str, Any] = {
        "id": group.pk,
        "title": group.title,
        "aim": group.aim,
        "host_organisation": group.host_organisation.name,
        "activity_types": list(group.activity_types),
        "open": group.is_open,
        "member_count": getattr(group, "member_count", 0),
        "member": groups.is_member(user, group),
    }
    if detail and inside:
        out["members"] = [
            {
                "name": m.name,
                "affiliation": m.affiliation,
                "role_in_group": m.role_in_group,
                "contact": m.is_contact,
            }
            for m in groups.members_of(user, group)
            if not m.invited
        ]
        out["meetings"] = [
            {
                "activity_id": e.activity_id,
                "title": e.activity.title,
                "place": e.activity.place,
                "occurrences": _occurrences(e),
            }
            for e in events.meetings_of(user, group)
        ]
        out["documents"] = [
            {
                "id": d.pk,
                "title": d.title,
                "filename": d.filename,
                "size": d.size,
                "url": request.build_absolute_uri(f"/netvaerk/dokumenter/{d.pk}/"),
            }
            for d in groups.documents_of(user, group)
        ]
    return out


def _group(request: HttpRequest, group_id: int) -> ProjectGroup:
    group = groups.group_for(_user(request), group_id)
    if group is None:
        raise Http404
    return group


ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@router.get(
    "/network/groups",
    response={200: list[NetworkGroupOut], 400: ErrorOut, 403: ErrorOut},
    summary="The network's project groups (or the caller's own)",
)
def group_list(request: HttpRequest, query: Query[NetworkGroupsQuery]) -> list[dict[str, Any]]:
    user = _user(request)
    found = groups.my_groups(user) if query.mine else groups.groups_for(user)
    return [_group_out(request, g, detail=False) for g in found[:200]]


@router.get(
    "/network/groups/{group_id}",
    response={200: NetworkGroupOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="A project group; members, meetings and documents for its members",
)
def group_detail(request: HttpRequest, group_id: int) -> dict[str, Any]:
    return _group_out(request, _group(request, group_id), detail=True)


@router.post(
    "/network/groups/{group_id}/join",
    response={200: NetworkGroupOut, **ERRORS},
    summary="Join an open project group",
)
def group_join(request: HttpRequest, group_id: int, body: NetworkJoinIn) -> dict[str, Any]:
    group = _group(request, group_id)
    groups.group_join(
        actor=_user(request),
        group=group,
        affiliation=body.affiliation,
        role_in_group=body.role_in_group,
    )
    return _group_out(request, _group(request, group_id), detail=True)


@router.post(
    "/network/groups/{group_id}/leave",
    response={200: NetworkGroupOut, **ERRORS},
    summary="Leave a project group (not its last contact)",
)
def group_leave(request: HttpRequest, group_id: int) -> dict[str, Any]:
    group = _group(request, group_id)
    groups.group_leave(actor=_user(request), group=group)
    return _group_out(request, _group(request, group_id), detail=True)


def _day_out(event: NetworkEvent) -> dict[str, Any]:
    activity = event.activity
    return {
        "id": event.pk,
        "activity_id": activity.pk,
        "title": activity.title,
        "description": activity.description,
        "host_organisation": activity.organisation.name,
        "place": activity.place,
        "starts_at": activity.starts_at.isoformat(),
        "programme": [
            {
                "starts_at": s.starts_at.isoformat(),
                "ends_at": s.ends_at.isoformat(),
                "title": s.title,
                "room": s.room,
                "host": s.host,
            }
            for s in event.sessions.all()
        ],
        "occurrences": _occurrences(event),
    }


@router.get(
    "/network/development-days",
    response={200: list[NetworkDevelopmentDayOut], 400: ErrorOut, 403: ErrorOut},
    summary="The network's development days with their programmes",
)
def development_day_list(request: HttpRequest) -> list[dict[str, Any]]:
    found = events.development_days_for(_user(request)).prefetch_related("sessions")
    return [_day_out(e) for e in found[:100]]


@router.get(
    "/network/development-days/{day_id}",
    response={200: NetworkDevelopmentDayOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="A development day with its programme",
)
def development_day_detail(request: HttpRequest, day_id: int) -> dict[str, Any]:
    event = events.development_day_for(_user(request), day_id)
    if event is None:
        raise Http404
    return _day_out(event)
