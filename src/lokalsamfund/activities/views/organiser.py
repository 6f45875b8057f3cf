"""The organiser's pages: my activities, create or propose, edit, the dates (cancel, move or
note one date) and the series' status (pause, resume, end).

Thin: reads through ``selectors``, writes through ``services.activities``; a domain error
becomes a message on the page.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department
from lokalsamfund.core.permissions import Perm

from .. import permissions as rules
from .. import selectors
from ..calendar_forms import ActivityForm, MoveForm
from ..models import Occurrence
from ..services import activities as services
from .calendar import _managed, _type_names, _visible


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    if not rules.may_organise(request.user):
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


urlpatterns: list[URLPattern | URLResolver] = [
    path("aktiviteter/mine/", mine, name="mine"),
    path("aktiviteter/ny/", create, name="create"),
    path("aktiviteter/foreslaa/", create, name="propose"),
    path("aktiviteter/<int:pk>/rediger/", edit, name="edit"),
    path("aktiviteter/<int:pk>/datoer/", dates, name="dates"),
    path("aktiviteter/<int:pk>/status/", status_change, name="status"),
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
