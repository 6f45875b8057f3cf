"""Pages of the activities domain: the calendar "Det sker" (per organisation and department,
list and week), an activity's page, the organiser's pages (create, propose, edit, dates),
the coordinators' queue of proposals and the posters (PDF) for the stairwell.

Thin: reads through ``selectors``, writes through ``services.activities``; a domain error
becomes a message on the page.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department, Organisation, Role
from lokalsamfund.core.permissions import Perm
from lokalsamfund.core.templatetags.formatting import money

from .. import permissions as rules
from .. import selectors
from .. import selectors_signups as signup_selectors
from ..calendar_forms import ActivityForm, MoveForm, ReasonForm
from ..models import Activity, ActivitySettings, Occurrence, TargetGroup
from ..services import activities as services
from .posters import month_poster, poster

LIST_DAYS = 28
SIGNUP_PARTIAL = "activities/_signup.html"


# --- who sees the menu entries ----------------------------------------------------------------


def may_organise(user: Any) -> bool:
    """Anyone who may propose or publish activities has an organiser's page."""
    return bool(user.is_authenticated) and permissions.has_any(user, Perm.JOIN_ACTIVITIES)


def has_proposals_to_decide(user: Any) -> bool:
    """Coordinators and administrators; board members where the organisation lets them."""
    if not user.is_authenticated:
        return False
    if permissions.has_any(user, Perm.APPROVE_ACTIVITIES):
        return True
    org_ids = {
        m.organisation_id
        for org_id in (permissions.organisation_ids_for(user) or set())
        for m in permissions.memberships_in(user, org_id)
        if m.role == Role.BOARD_MEMBER
    }
    return ActivitySettings.objects.filter(
        organisation_id__in=org_ids, board_may_approve=True
    ).exists()


# --- helpers ---------------------------------------------------------------------------


def _type_names(organisation: Organisation | None = None) -> dict[str, str]:
    from lokalsamfund.decisions.catalogue import catalogue_for, ensure_shipped
    from lokalsamfund.decisions.models import ActivityType

    english = (get_language() or "da").startswith("en")
    if organisation is not None:
        rows = catalogue_for(organisation)
    else:
        ensure_shipped()
        rows = list(ActivityType.objects.filter(organisation=None, is_active=True))
    return {a.slug: (a.name_en if english else a.name_da) for a in rows}


def _filters(request: HttpRequest) -> selectors.CalendarFilter:
    day = request.GET.get("day", "")
    target = request.GET.get("for", "")
    return selectors.CalendarFilter(
        activity_type=request.GET.get("type", "")[:60],
        weekday=int(day) if day.isdigit() and 1 <= int(day) <= 7 else None,
        target_group=target if target in TargetGroup.values else "",
        accessible=request.GET.get("accessible") == "1",
    )


def _monday(request: HttpRequest) -> date:
    today = timezone.localdate()
    try:
        chosen = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        chosen = today
    return chosen - timedelta(days=chosen.weekday())


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))


def _calendar(
    request: HttpRequest, *, organisation: Organisation | None, department: Department | None
) -> HttpResponse:
    view = "week" if request.GET.get("view") == "week" else "list"
    filters = _filters(request)
    if view == "week":
        first = _monday(request)
        start, end = _aware(first), _aware(first + timedelta(days=7))
    else:
        first = timezone.localdate()
        start, end = timezone.now(), _aware(first + timedelta(days=LIST_DAYS))
    occurrences = selectors.calendar_occurrences(
        request.user,
        start=start,
        end=end,
        organisation=organisation,
        department=department,
        filters=filters,
    )
    scope = organisation or (department.organisation if department else None)
    names = _type_names(scope)
    days: dict[date, list[Occurrence]] = {}
    if view == "week":
        days = {first + timedelta(days=n): [] for n in range(7)}
    # What is the same for every date of an activity is worked out once per activity.
    lines: dict[int, tuple[str, str]] = {}
    detail_url = reverse("activities:detail", kwargs={"pk": 0}).replace("/0/", "/%d/")
    for occurrence in occurrences:
        activity = occurrence.activity
        if activity.pk not in lines:
            facts = [names.get(activity.activity_type, activity.activity_type)]
            if activity.step_free:
                facts.append(_("step-free access"))
            facts.append(money(activity.price) if activity.price else _("free"))
            lines[activity.pk] = (detail_url % activity.pk, " · ".join(facts))
        occurrence.url, occurrence.facts = lines[activity.pk]  # type: ignore[attr-defined]
        days.setdefault(timezone.localtime(occurrence.starts_at).date(), []).append(occurrence)
    query = request.GET.copy()
    query.pop("week", None)
    # The list offers "Tilmeld" at once (menu, Det sker, sign up: three taps on a phone).
    signup_states = (
        signup_selectors.signup_states(
            occurrences=[
                o for o in occurrences if o.activity.signup_required and o.status == "scheduled"
            ],
            user=request.user,
            listed=True,
        )
        if request.user.is_authenticated
        else {}
    )
    for occurrence in occurrences:
        occurrence.signup = signup_states.get(occurrence.pk)  # type: ignore[attr-defined]
    context = {
        "here": request.get_full_path(),
        "organisation": organisation,
        "department": department,
        "view": view,
        "days": sorted(days.items()),
        "count": len(occurrences),
        "filters": filters,
        "types": sorted(names.items(), key=lambda t: t[1]),
        "target_groups": TargetGroup.choices,
        "weekdays": [(n, _weekday_name(n)) for n in range(1, 8)],
        "week": first,
        "prev_week": (first - timedelta(days=7)).isoformat(),
        "next_week": (first + timedelta(days=7)).isoformat(),
        "query": query.urlencode(),
        "today": timezone.localdate(),
    }
    if department is not None:
        month = timezone.localdate()
        context["month_poster_url"] = reverse(
            "activities:month_poster",
            kwargs={"department_id": department.pk, "year": month.year, "month": month.month},
        )
    return render(request, "activities/calendar.html", context)


def _weekday_name(n: int) -> str:
    from lokalsamfund.core import formatting

    return (
        formatting.long_date(date(2024, 1, n), formatting.language(get_language()))
        .split()[0]
        .rstrip(",")
    )


def calendar(request: HttpRequest) -> HttpResponse:
    """Det sker: everything the visitor may see, or one organisation's (``?organisation=``)."""
    slug = request.GET.get("organisation", "")
    organisation = get_object_or_404(Organisation, slug=slug) if slug else None
    return _calendar(request, organisation=organisation, department=None)


def department_calendar(request: HttpRequest, department_id: int) -> HttpResponse:
    department = get_object_or_404(
        Department.objects.select_related("organisation"), pk=department_id
    )
    return _calendar(request, organisation=None, department=department)


def _visible(request: HttpRequest, pk: int) -> Activity:
    activity = selectors.activity_for(request.user, pk)
    if activity is None:
        raise Http404
    return activity


def _managed(request: HttpRequest, pk: int) -> Activity:
    activity = _visible(request, pk)
    if not rules.may_manage(request.user, activity):
        raise PermissionDenied
    return activity


def _signup_partial() -> str | None:
    """The sign-up box of the sign-up area, once that template exists."""
    try:
        select_template([SIGNUP_PARTIAL])
    except TemplateDoesNotExist:
        return None
    return SIGNUP_PARTIAL


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _visible(request, pk)
    now = timezone.now()
    user = request.user
    occurrences = selectors.next_occurrences(activity, now=now)
    signup_partial = _signup_partial() if activity.signup_required else None
    may_manage = rules.may_manage(user, activity)
    title, description = selectors.localised(activity, get_language() or "da")
    context = {
        "activity": activity,
        "title": title,
        "description": description,
        "occurrences": occurrences,
        # Every box of the page at once: the queries do not grow with the dates shown.
        "signup_states": signup_selectors.signup_states(
            occurrences=[o for o in occurrences if o.status == "scheduled"], user=user, now=now
        )
        if signup_partial
        else {},
        "departments": list(activity.departments.all()),
        "type_name": _type_names(activity.organisation).get(
            activity.activity_type, activity.activity_type
        ),
        "may_manage": may_manage,
        "may_edit": user.is_authenticated and services.may_edit(user, activity),
        "signup_partial": signup_partial,
        "organisers": list(activity.organisers.all()) if may_manage else [],
    }
    return render(request, "activities/detail.html", context)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    if not may_organise(request.user):
        raise PermissionDenied
    activities = list(
        selectors.organised_by(request.user).prefetch_related("departments")  # type: ignore[arg-type]
    )
    return render(
        request,
        "activities/mine.html",
        {"activities": activities, "may_propose": bool(_creatable_departments(request))},
    )


def _creatable_departments(request: HttpRequest) -> list[Department]:
    user = request.user
    return [
        d
        for d in permissions.departments_for(user, Perm.JOIN_ACTIVITIES)
        .select_related("organisation")
        .order_by("organisation__name", "code")
        if rules.may_propose(user, [d])
    ]


def _form(request: HttpRequest, departments: list[Department], **kwargs: Any) -> ActivityForm:
    organisation = departments[0].organisation
    names = _type_names(organisation)
    return ActivityForm(
        request.POST or None,
        organisation=organisation,
        departments=[d for d in departments if d.organisation_id == organisation.pk],
        types=sorted(names.items(), key=lambda t: t[1]),
        **kwargs,
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """Create (staff publish at once) or propose (residents: it waits for approval)."""
    departments = _creatable_departments(request)
    if not departments:
        raise PermissionDenied
    form = _form(request, departments)
    publish = rules.may_publish_directly(request.user, departments[:1])
    if request.method == "POST" and form.is_valid():
        facility, rooms, whole_house = form.house()
        try:
            activity = services.activity_create(
                actor=request.user,  # type: ignore[arg-type]
                organisation=form.organisation,
                departments=list(form.cleaned_data["departments"]),
                activity_type=form.cleaned_data["activity_type"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                starts_at=form.starts_at(),
                duration_minutes=form.cleaned_data["duration_minutes"],
                rrule=form.rule(),
                facility=facility,
                rooms=rooms,
                whole_house=whole_house,
                place=form.cleaned_data["place"],
                details=form.details(),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if activity.status == "published":
                messages.success(request, _("The activity is published."))
            else:
                messages.success(
                    request, _("Thank you: your proposal is sent to the coordinators.")
                )
            return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/form.html", {"form": form, "publish": publish})


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _visible(request, pk)
    if not services.may_edit(request.user, activity):  # type: ignore[arg-type]
        raise PermissionDenied
    departments = list(activity.departments.all())
    local = timezone.localtime(activity.starts_at)
    initial = {
        "title": activity.title,
        "activity_type": activity.activity_type,
        "description": activity.description,
        "title_en": (activity.translations.get("en") or {}).get("title", ""),
        "description_en": (activity.translations.get("en") or {}).get("description", ""),
        "association": activity.association,
        "departments": departments,
        "date": local.date(),
        "start_time": local.time(),
        "duration_minutes": activity.duration_minutes,
        "rrule": activity.rrule,
        "facility": activity.facility,
        "whole_house": activity.whole_house,
        "rooms": list(activity.rooms.all()),
        "place": activity.place,
        "target_group": activity.target_group,
        "visibility": activity.visibility,
        "step_free": activity.step_free,
        "hearing_loop": activity.hearing_loop,
        "sign_language": activity.sign_language,
        "accessibility_note": activity.accessibility_note,
        "price": activity.price,
        "signup_required": activity.signup_required,
        "capacity": activity.capacity,
        "signup_closes_hours": activity.signup_closes_hours,
        "waitlist": activity.waitlist,
    }
    choices = list({d.pk: d for d in [*departments, *_creatable_departments(request)]}.values())
    choices = [d for d in choices if d.organisation_id == activity.organisation_id]
    form = _form(request, choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        facility, rooms, whole_house = form.house()
        changes = {
            "title": form.cleaned_data["title"],
            "activity_type": form.cleaned_data["activity_type"],
            "description": form.cleaned_data["description"],
            "starts_at": form.starts_at(),
            "duration_minutes": form.cleaned_data["duration_minutes"],
            "rrule": form.rule(),
            "facility": facility,
            "whole_house": whole_house,
            "place": form.cleaned_data["place"],
            **form.details(activity.translations),
        }
        try:
            result = services.activity_update(
                activity=activity,
                actor=request.user,  # type: ignore[arg-type]
                changes=changes,
                departments=list(form.cleaned_data["departments"]),
                rooms=rooms,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            for message in result.messages:
                messages.success(request, message)
            return redirect("activities:detail", pk=activity.pk)
    return render(
        request, "activities/form.html", {"form": form, "activity": activity, "publish": True}
    )


@login_required
def dates(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser's dates of one activity: cancel, move, a note; the held dates of the last
    eight weeks with their headcount (or a link to record it)."""
    activity = _managed(request, pk)
    now = timezone.now()
    occurrences = selectors.next_occurrences(activity, now=now, limit=60)
    held = (
        activity.occurrences.filter(
            status="scheduled", starts_at__lte=now, starts_at__gte=now - timedelta(weeks=8)
        )
        .select_related("headcount")
        .order_by("-starts_at")
    )
    return render(
        request,
        "activities/dates.html",
        {"activity": activity, "occurrences": occurrences, "held": held},
    )


@login_required
@require_POST
def status_change(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _managed(request, pk)
    action = request.POST.get("action")
    reason = request.POST.get("reason", "")
    user: Any = request.user
    try:
        if action == "pause":
            services.activity_pause(activity=activity, actor=user, reason=reason)
            messages.success(request, _("The activity is paused."))
        elif action == "resume":
            services.activity_resume(activity=activity, actor=user)
            messages.success(request, _("The activity is resumed."))
        elif action == "end":
            services.activity_end(activity=activity, actor=user, reason=reason)
            messages.success(request, _("The activity is ended."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("activities:detail", pk=activity.pk)


@login_required
@require_POST
def occurrence_action(request: HttpRequest, occurrence_id: int, action: str) -> HttpResponse:
    occurrence = get_object_or_404(Occurrence, pk=occurrence_id)
    activity = _managed(request, occurrence.activity_id)
    user: Any = request.user
    try:
        if action == "cancel":
            services.occurrence_cancel(
                occurrence=occurrence, actor=user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The date is cancelled; those signed up are told."))
        elif action == "move":
            form = MoveForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("Give the new date, start and end."))
            start, end = form.times()
            services.occurrence_move(occurrence=occurrence, actor=user, start=start, end=end)
            messages.success(request, _("The date is moved; those signed up are told."))
        elif action == "note":
            services.occurrence_change(
                occurrence=occurrence, actor=user, note=request.POST.get("note", "")
            )
            messages.success(request, _("The note is saved."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("activities:dates", pk=activity.pk)


@login_required
def proposals(request: HttpRequest) -> HttpResponse:
    if not has_proposals_to_decide(request.user):
        raise PermissionDenied
    rows = selectors.proposals_for(request.user)
    return render(request, "activities/proposals.html", {"proposals": rows, "form": ReasonForm()})


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _visible(request, pk)
    if not rules.may_approve(request.user, activity):
        raise PermissionDenied
    decision = request.POST.get("decision")
    reason = request.POST.get("reason", "")
    user: Any = request.user
    try:
        if decision == "approve":
            services.activity_approve(activity=activity, actor=user)
            messages.success(request, _("The activity is approved and published."))
        elif decision == "changes":
            services.activity_request_changes(activity=activity, actor=user, reason=reason)
            messages.success(request, _("The proposer is asked for changes."))
        elif decision == "decline":
            services.activity_decline(activity=activity, actor=user, reason=reason)
            messages.success(request, _("The proposal is declined."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("activities:proposals")


urlpatterns: list[URLPattern | URLResolver] = [
    path("aktiviteter/", calendar, name="calendar"),
    path(
        "aktiviteter/afdeling/<int:department_id>/", department_calendar, name="department_calendar"
    ),
    path(
        "aktiviteter/afdeling/<int:department_id>/plakat/<int:year>-<int:month>.pdf",
        month_poster,
        name="month_poster",
    ),
    path("aktiviteter/mine/", mine, name="mine"),
    path("aktiviteter/ny/", create, name="create"),
    path("aktiviteter/foreslaa/", create, name="propose"),
    path("aktiviteter/forslag/", proposals, name="proposals"),
    path("aktiviteter/<int:pk>/", detail, name="detail"),
    path("aktiviteter/<int:pk>/rediger/", edit, name="edit"),
    path("aktiviteter/<int:pk>/datoer/", dates, name="dates"),
    path("aktiviteter/<int:pk>/status/", status_change, name="status"),
    path("aktiviteter/<int:pk>/beslut/", decide, name="decide"),
    path("aktiviteter/<int:pk>/plakat.pdf", poster, name="poster"),
    # Explicit words: the sign-up and participation areas have their own tid/<id>/... pages.
    path(
        "aktiviteter/tid/<int:occurrence_id>/aflys/",
        occurrence_action,
        {"action": "cancel"},
        name="cancel",
    ),
    path(
        "aktiviteter/tid/<int:occurrence_id>/flyt/",
        occurrence_action,
        {"action": "move"},
        name="move",
    ),
    path(
        "aktiviteter/tid/<int:occurrence_id>/note/",
        occurrence_action,
        {"action": "note"},
        name="note",
    ),
]
