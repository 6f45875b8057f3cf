"""/api/v1 endpoints of the green groups: groups, their plots, applying for a plot and one's
own application, and a season's allocation and waitlist.

Thin: reads through ``green.selectors`` and ``green.rules``, writes through
``green.services``. A group the caller may not see is 404, whoever asks. The allocation shows
ticket numbers (as in the published draw) to members; names only to who runs the group."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from lokalsamfund.core.errors import NotFound
from lokalsamfund.core.models import User
from lokalsamfund.green import rules, selectors, services
from lokalsamfund.green.models import ApplicationStatus, GreenGroup, PlotApplication, Season

router = Router(tags=["green"])


class ErrorOut(Schema):
    detail: str


class GroupOut(Schema):
    id: int
    organisation: str
    slug: str
    name: str
    kind: str
    departments: list[str]
    open_to_neighbours: bool
    members: int
    is_member: bool
    manages: bool
    allocation_rule: str
    season: int | None
    deadline: date | None
    renewal_deadline: date | None


class GroupDetailOut(GroupOut):
    plan: str
    decline_rule: str
    residents_first: bool
    no_garden_first: bool
    reserved_percent: int
    plots: int


class PlotOut(Schema):
    id: int
    label: str
    size_m2: Decimal
    location: str
    map_x: Decimal | None
    map_y: Decimal | None


class ApplyIn(Schema):
    own_garden: bool = False


class ApplicationOut(Schema):
    season: int
    ticket: int
    status: str
    renewal: bool
    place: int | None
    waiting: int
    plot: str | None
    seed: int | None
    draw: list[int]


class AllocatedOut(Schema):
    plot: str
    ticket: int
    status: str
    renewal: bool
    name: str | None


class WaitingOut(Schema):
    place: int
    ticket: int
    name: str | None


class AllocationOut(Schema):
    season: int
    rule: str
    deadline: date | None
    renewal_deadline: date | None
    drawn_at: datetime | None
    seed: int | None
    draw: list[int]
    free_plots: int
    allocation: list[AllocatedOut]
    waitlist: list[WaitingOut]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by the bearer authentication
    return user


def _visible(request: HttpRequest, group_id: int) -> GreenGroup:
    group = selectors.visible_group(request.user, group_id)
    if group is None:
        raise NotFound(_("No such green group."))
    return group


def _group_out(user: User, group: GreenGroup) -> dict[str, object]:
    season = selectors.current_season(group)
    return {
        "id": group.pk,
        "organisation": group.organisation.slug,
        "slug": group.slug,
        "name": group.name,
        "kind": group.kind,
        "departments": sorted(d.code for d in group.departments.all()),
        "open_to_neighbours": group.open_to_neighbours,
        "members": group.members.count(),
        "is_member": rules.is_member(user, group),
        "manages": rules.may_manage(user, group),
        "allocation_rule": group.allocation_rule,
        "season": season.year if season else None,
        "deadline": season.deadline if season else None,
        "renewal_deadline": season.renewal_deadline if season else None,
    }


def _name(a: PlotApplication) -> str:
    return a.user.full_name or a.user.email


@router.get("/green/groups", response=list[GroupOut], summary="The green groups the caller sees")
def groups(request: HttpRequest) -> list[dict[str, object]]:
    user = _user(request)
    return [_group_out(user, g) for g in selectors.groups_visible_to(user)]


@router.get(
    "/green/groups/{group_id}",
    response={200: GroupDetailOut, 400: ErrorOut, 404: ErrorOut},
    summary="A green group",
)
def group_detail(request: HttpRequest, group_id: int) -> dict[str, object]:
    user = _user(request)
    group = _visible(request, group_id)
    return {
        **_group_out(user, group),
        "plan": group.plan,
        "decline_rule": group.decline_rule,
        "residents_first": group.residents_first,
        "no_garden_first": group.no_garden_first,
        "reserved_percent": group.reserved_percent,
        "plots": group.plots.count(),
    }


@router.get(
    "/green/groups/{group_id}/plots",
    response={200: list[PlotOut], 400: ErrorOut, 404: ErrorOut},
    summary="A group's plots (size, location, place on the site plan)",
)
def plots(request: HttpRequest, group_id: int) -> list[PlotOut]:
    group = _visible(request, group_id)
    return [
        PlotOut(
            id=p.pk,
            label=p.label,
            size_m2=p.size_m2,
            location=p.location,
            map_x=p.map_x,
            map_y=p.map_y,
        )
        for p in group.plots.all()
    ]


def _season(group: GreenGroup) -> Season:
    season = selectors.current_season(group)
    if season is None:
        raise NotFound(_("No season is open for applications."))
    return season


def _application_out(application: PlotApplication) -> ApplicationOut:
    season = application.season
    place = selectors.place_of(application)
    return ApplicationOut(
        season=season.year,
        ticket=application.ticket,
        status=application.status,
        renewal=application.renewal,
        place=place.place,
        waiting=place.waiting,
        plot=application.plot.label if application.plot else None,
        seed=season.seed if season.drawn_at else None,
        draw=list(season.draw) if season.drawn_at else [],
    )


@router.post(
    "/green/groups/{group_id}/applications",
    response={201: ApplicationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Apply for a plot in the group's current season (members)",
)
def apply(request: HttpRequest, group_id: int, payload: ApplyIn) -> Status:
    group = _visible(request, group_id)
    application = services.apply(
        actor=_user(request), season=_season(group), own_garden=payload.own_garden
    )
    return Status(201, _application_out(application))


@router.get(
    "/green/groups/{group_id}/applications/mine",
    response={200: ApplicationOut, 400: ErrorOut, 404: ErrorOut},
    summary="The caller's application this season: status, place on the waitlist, plot, draw",
)
def my_application(request: HttpRequest, group_id: int) -> ApplicationOut:
    group = _visible(request, group_id)
    application = selectors.my_application(request.user, _season(group))
    if application is None:
        raise NotFound(_("You have not applied for this season."))
    return _application_out(application)


@router.get(
    "/green/groups/{group_id}/seasons/{year}/allocation",
    response={200: AllocationOut, 400: ErrorOut, 404: ErrorOut},
    summary="A season's allocation and waitlist (members: tickets; who runs it: names too)",
)
def allocation(request: HttpRequest, group_id: int, year: int) -> AllocationOut:
    user = _user(request)
    group = _visible(request, group_id)
    manages = rules.may_manage(user, group)
    if not manages and not rules.is_member(user, group):
        raise NotFound(_("No such green group."))
    season = group.seasons.filter(year=year).first() if 2000 <= year <= 2100 else None
    if season is None:
        raise NotFound(_("No such season."))
    rows = list(season.applications.select_related("user", "plot"))
    held = sorted(
        (a for a in rows if a.plot is not None), key=lambda a: a.plot.label if a.plot else ""
    )
    waiting = sorted(
        (a for a in rows if a.status == ApplicationStatus.WAITING),
        key=lambda a: (a.position or 0, a.ticket),
    )
    return AllocationOut(
        season=season.year,
        rule=group.allocation_rule,
        deadline=season.deadline,
        renewal_deadline=season.renewal_deadline,
        drawn_at=season.drawn_at,
        seed=season.seed if season.drawn_at else None,
        draw=list(season.draw) if season.drawn_at else [],
        free_plots=len(services.free_plots(season)),
        allocation=[
            AllocatedOut(
                plot=a.plot.label if a.plot else "",
                ticket=a.ticket,
                status=a.status,
                renewal=a.renewal,
                name=_name(a) if manages else None,
            )
            for a in held
        ],
        waitlist=[
            WaitingOut(place=n, ticket=a.ticket, name=_name(a) if manages else None)
            for n, a in enumerate(waiting, start=1)
        ],
    )
