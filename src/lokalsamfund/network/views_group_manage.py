"""Pages that run a project group and the development days: scheduling a meeting, naming the
group's contacts, deleting a document, creating a development day and adding its programme.
Thin: the services in ``events`` and ``groups`` decide who may; these pages show the forms to
those who may and refuse the others as the group's pages do (404 to non-members)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lokalsamfund.activities import permissions as activity_rules
from lokalsamfund.core import permissions
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.forms import DateInput, TimeInput, errors_as_text
from lokalsamfund.core.models import Department, User
from lokalsamfund.core.permissions import Perm

from . import events, groups
from .group_models import NetworkEvent, ProjectGroup
from .views_groups import _require_takes_part, _to_group
from .views_ideas import activity_choices


def _at(date: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date, time))


class _EventForm(forms.Form):
    """What a meeting and a development day have in common: an activity in a department."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    department = forms.ModelChoiceField(
        label=gettext_lazy("Hosting department"),
        queryset=Department.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": gettext_lazy("Choose one of the departments shown.")},
    )
    date = forms.DateField(label=gettext_lazy("Date"), widget=DateInput())
    start_time = forms.TimeField(label=gettext_lazy("Starts"), widget=TimeInput())
    duration_minutes = forms.IntegerField(
        label=gettext_lazy("Duration in minutes"), min_value=5, max_value=24 * 60, initial=90
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200)
    capacity = forms.IntegerField(
        label=gettext_lazy("Places (empty: no limit)"), min_value=1, required=False
    )
    activity_type = forms.ChoiceField(label=gettext_lazy("Activity type"))

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["activity_type"].choices = activity_choices()  # type: ignore[attr-defined]

    def starts_at(self) -> dt.datetime:
        return _at(self.cleaned_data["date"], self.cleaned_data["start_time"])


class MeetingForm(_EventForm):
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea, required=False
    )


class DevelopmentDayForm(_EventForm):
    description = forms.CharField(label=gettext_lazy("Description"), widget=forms.Textarea)


class ContactForm(forms.Form):
    is_contact = forms.TypedChoiceField(
        label=gettext_lazy("Contact"),
        choices=[("1", gettext_lazy("Yes")), ("0", gettext_lazy("No"))],
        coerce=lambda value: value == "1",
    )


class SessionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Session"), max_length=200)
    date = forms.DateField(label=gettext_lazy("Date"), widget=DateInput())
    start_time = forms.TimeField(label=gettext_lazy("Starts"), widget=TimeInput())
    end_time = forms.TimeField(label=gettext_lazy("Ends"), widget=TimeInput())
    room = forms.CharField(label=gettext_lazy("Room"), max_length=100, required=False)
    host = forms.CharField(label=gettext_lazy("Host"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start is not None and end is not None and end <= start:
            self.add_error("end_time", _("A session ends after it starts."))
        return cleaned


def _run_group(request: HttpRequest, pk: int) -> ProjectGroup:
    """The group, for one who runs it: 404 to those who are not its members (they cannot
    tell what is inside), 403 to members who are not its contacts."""
    _require_takes_part(request)
    group = groups.group_for(request.user, pk)
    if group is None or not groups.may_see_inside(request.user, group):
        raise Http404
    if not groups.may_run(request.user, group):
        raise PermissionDenied
    return group


def _publishing_departments(user: Any, organisations: Any = None) -> Any:
    departments = permissions.departments_for(user, Perm.MANAGE_ACTIVITIES)
    if organisations is not None:
        departments = departments.filter(organisation__in=organisations)
    return departments.order_by("organisation__name", "name")


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    group = _run_group(request, pk)
    departments = _publishing_departments(request.user)
    initial = {"activity_type": group.activity_types[0] if group.activity_types else ""}
    form = MeetingForm(request.POST or None, departments=departments, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            events.meeting_create(
                actor=request.user,
                group=group,
                department=form.cleaned_data["department"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                starts_at=form.starts_at(),
                duration_minutes=form.cleaned_data["duration_minutes"],
                place=form.cleaned_data["place"],
                capacity=form.cleaned_data["capacity"],
                activity_type=form.cleaned_data["activity_type"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The meeting is scheduled: the members can sign up."))
            return _to_group(group)
    return render(
        request,
        "network/groups/meeting_new.html",
        {"group": group, "form": form, "may_host": departments.exists()},
    )


@login_required
@require_POST
def contact_set(request: HttpRequest, pk: int, member: int) -> HttpResponse:
    group = _run_group(request, pk)
    found = group.members.filter(pk=member).first()
    if found is None:
        raise Http404
    form = ContactForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_as_text(form))
        return _to_group(group)
    try:
        groups.contact_set(
            actor=request.user, member=found, is_contact=form.cleaned_data["is_contact"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Named a contact.") if form.cleaned_data["is_contact"] else _("No longer a contact."),
        )
    return _to_group(group)


@login_required
@require_http_methods(["GET", "POST"])
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_takes_part(request)
    document = groups.document_for(request.user, pk)
    if document is None:
        raise Http404
    if not groups.may_delete_document(request.user, document):
        raise PermissionDenied
    if request.method == "POST":
        try:
            groups.document_delete(actor=request.user, document=document)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The document is deleted."))
        return _to_group(document.group)
    return render(request, "network/groups/document_delete.html", {"document": document})


@login_required
@require_http_methods(["GET", "POST"])
def development_day_new(request: HttpRequest) -> HttpResponse:
    organisations = permissions.organisations_for(request.user, Perm.NETWORK_ORGANISE)
    if not organisations.exists():
        raise PermissionDenied
    departments = _publishing_departments(request.user, organisations)
    form = DevelopmentDayForm(request.POST or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        try:
            event = events.development_day_create(
                actor=request.user,
                department=form.cleaned_data["department"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                starts_at=form.starts_at(),
                duration_minutes=form.cleaned_data["duration_minutes"],
                place=form.cleaned_data["place"],
                capacity=form.cleaned_data["capacity"],
                activity_type=form.cleaned_data["activity_type"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The development day is created: add its programme."))
            return HttpResponseRedirect(reverse("network:development_day", args=[event.pk]))
    return render(
        request,
        "network/groups/development_day_new.html",
        {"form": form, "may_host": departments.exists()},
    )


def may_add_session(user: User | Any, event: NetworkEvent) -> bool:
    return isinstance(user, User) and activity_rules.may_manage(user, event.activity)


def session_form(event: NetworkEvent, data: Any = None) -> SessionForm:
    return SessionForm(data, initial={"date": timezone.localtime(event.activity.starts_at).date()})


@login_required
@require_POST
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    _require_takes_part(request)
    event = events.development_day_for(request.user, pk)
    if event is None:
        raise Http404
    if not may_add_session(request.user, event):
        raise PermissionDenied
    form = session_form(event, request.POST)
    if form.is_valid():
        try:
            events.session_add(
                actor=request.user,
                event=event,
                starts_at=_at(form.cleaned_data["date"], form.cleaned_data["start_time"]),
                ends_at=_at(form.cleaned_data["date"], form.cleaned_data["end_time"]),
                title=form.cleaned_data["title"],
                room=form.cleaned_data["room"],
                host=form.cleaned_data["host"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The session is added to the programme."))
            return HttpResponseRedirect(reverse("network:development_day", args=[event.pk]))
    return _day_page(request, event, form)


def _day_page(request: HttpRequest, event: NetworkEvent, form: SessionForm | None) -> HttpResponse:
    may_add = may_add_session(request.user, event)
    return render(
        request,
        "network/groups/development_day.html",
        {
            "event": event,
            "activity": event.activity,
            "sessions": list(event.sessions.all()),
            "occurrences": events.coming_occurrences(event, timezone.now()),
            "may_add_session": may_add,
            "session_form": (form or session_form(event)) if may_add else None,
        },
    )


@login_required
@require_GET
def development_day(request: HttpRequest, pk: int) -> HttpResponse:
    _require_takes_part(request)
    event = events.development_day_for(request.user, pk)
    if event is None:
        raise Http404
    return _day_page(request, event, None)
