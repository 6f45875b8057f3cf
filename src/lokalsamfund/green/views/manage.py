"""Pages where the contacts and staff run a group: create and edit it, its plots and site
plan, linked activities and news to the members. Every write goes through ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lokalsamfund.activities.models import Activity
from lokalsamfund.core import permissions
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department, User
from lokalsamfund.core.permissions import Perm

from .. import rules, selectors, services
from ..forms import GroupForm, ImageForm, NewsForm, PlotForm
from ..models import GreenGroup, Plot
from .allocation import _group, _user


def _managed(request: HttpRequest, pk: int) -> GreenGroup:
    group = _group(request, pk)
    if not rules.may_manage(_user(request), group):
        raise Http404
    return group


def _caretakers(organisation_ids: list[int]) -> QuerySet[User]:
    """Staff who may be a group's caretaker contact (``green.manage`` in the organisation)."""
    ids: set[int] = set()
    for department in Department.objects.filter(organisation_id__in=organisation_ids):
        ids |= set(
            permissions.users_with(Perm.MANAGE_GREEN, department).values_list("pk", flat=True)
        )
    return User.objects.filter(pk__in=ids).order_by("full_name", "email")


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    departments = permissions.departments_for(user, Perm.MANAGE_GREEN).order_by("code")
    if not departments.exists():
        raise Http404
    org_ids = sorted({d.organisation_id for d in departments})
    form = GroupForm(request.POST or None, departments=departments, caretakers=_caretakers(org_ids))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen: list[Department] = list(data["departments"])
        try:
            group = services.group_create(
                actor=user,
                organisation=chosen[0].organisation,
                departments=chosen,
                name=data["name"],
                slug=data["slug"],
                kind=data["kind"],
                open_to_neighbours=data["open_to_neighbours"],
                plan=data["plan"],
                caretaker_contact=data["caretaker_contact"],
                allocation_rule=data["allocation_rule"],
                decline_rule=data["decline_rule"],
                residents_first=data["residents_first"],
                no_garden_first=data["no_garden_first"],
                reserved_percent=data["reserved_percent"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The group %(group)s is created.") % {"group": group})
            return redirect("green:group", pk=group.pk)
    return render(request, "green/group_form.html", {"form": form, "group": None})


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    group = _managed(request, pk)
    own = permissions.departments_for(user, Perm.MANAGE_GREEN, group.organisation)
    departments = Department.objects.filter(
        pk__in=[*own.values_list("pk", flat=True), *group.departments.values_list("pk", flat=True)]
    ).order_by("code")
    members = User.objects.filter(green_memberships__group=group).order_by("full_name", "email")
    initial = {
        "name": group.name,
        "slug": group.slug,
        "kind": group.kind,
        "departments": list(group.departments.all()),
        "open_to_neighbours": group.open_to_neighbours,
        "plan": group.plan,
        "caretaker_contact": group.caretaker_contact,
        "resident_contacts": list(group.resident_contacts.all()),
        "allocation_rule": group.allocation_rule,
        "decline_rule": group.decline_rule,
        "residents_first": group.residents_first,
        "no_garden_first": group.no_garden_first,
        "reserved_percent": group.reserved_percent,
    }
    form = GroupForm(
        request.POST or None,
        initial=initial,
        departments=departments,
        caretakers=_caretakers([group.organisation_id]),
        members=members,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.group_update(
                actor=user,
                group=group,
                departments=list(data["departments"]),
                caretaker_contact=data["caretaker_contact"],
                resident_contacts=list(data["resident_contacts"]),
                slug=data["slug"] or group.slug,
                **{key: data[key] for key in services.GROUP_FIELDS},
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The group's settings are saved."))
            return redirect("green:group", pk=group.pk)
    return render(request, "green/group_form.html", {"form": form, "group": group})


@login_required
@require_http_methods(["GET", "POST"])
def plots(request: HttpRequest, pk: int, plot_pk: int | None = None) -> HttpResponse:
    """The group's plots: add one, or change ``plot_pk``; and the site plan image."""
    user = _user(request)
    group = _managed(request, pk)
    plot = get_object_or_404(Plot, group=group, pk=plot_pk) if plot_pk else None
    initial = (
        {
            "label": plot.label,
            "size_m2": plot.size_m2,
            "location": plot.location,
            "map_x": plot.map_x,
            "map_y": plot.map_y,
        }
        if plot
        else {}
    )
    posting_plot = request.method == "POST" and request.POST.get("action") == "plot"
    form = PlotForm(request.POST if posting_plot else None, initial=initial)
    image_form = ImageForm(
        request.POST if request.method == "POST" and not posting_plot else None,
        request.FILES if request.method == "POST" and not posting_plot else None,
    )
    if posting_plot and form.is_valid():
        data = form.cleaned_data
        try:
            if plot is None:
                services.plot_create(actor=user, group=group, **data)
                messages.success(request, _("The plot %(label)s is added.") % data)
            else:
                services.plot_update(actor=user, plot=plot, **data)
                messages.success(request, _("The plot %(label)s is saved.") % data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("green:plots", pk=group.pk)
    elif request.method == "POST" and not posting_plot and image_form.is_valid():
        upload = image_form.cleaned_data["image"]
        try:
            services.site_plan_set(
                actor=user, group=group, data=upload.read(), name=upload.name or ""
            )
        except DomainError as exc:
            image_form.add_error("image", exc.message)
        else:
            messages.success(request, _("The site plan is saved."))
            return redirect("green:plots", pk=group.pk)
    return render(
        request,
        "green/plots.html",
        {
            "group": group,
            "plot": plot,
            "form": form,
            "image_form": image_form,
            "plots": list(group.plots.all()),
            "site_plan": selectors.has_site_plan(group),
        },
    )


@login_required
def site_plan_image(request: HttpRequest, pk: int) -> HttpResponse:
    """The site plan image, to those who may see the group only."""
    plan = selectors.site_plan_for(request.user, pk)
    if plan is None:
        raise Http404
    response = HttpResponse(bytes(plan.image), content_type=plan.content_type)
    response["Cache-Control"] = "private, max-age=600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def activities(request: HttpRequest, pk: int) -> HttpResponse:
    """Link one of the organisation's activities to the group."""
    user = _user(request)
    group = _managed(request, pk)
    linked = set(group.activities.values_list("pk", flat=True))
    candidates = (
        Activity.objects.filter(organisation=group.organisation)
        .exclude(pk__in=linked)
        .order_by("title")
    )
    if request.method == "POST":
        text = request.POST.get("activity", "")
        activity = candidates.filter(pk=int(text)).first() if text.isdigit() else None
        if activity is None:
            messages.error(request, _("Choose one of the activities in the list."))
        else:
            try:
                services.activity_link(actor=user, group=group, activity=activity)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request, _("%(activity)s is linked to the group.") % {"activity": activity}
                )
        return redirect("green:activities", pk=group.pk)
    return render(
        request,
        "green/activities.html",
        {"group": group, "candidates": list(candidates), "linked": group.activities.all()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def news(request: HttpRequest, pk: int) -> HttpResponse:
    """The group's news; who runs it posts news and sends it to all members."""
    user = _user(request)
    group = _group(request, pk)
    manages = rules.may_manage(user, group)
    if request.method == "POST" and not manages:
        raise Http404
    form = NewsForm(request.POST or None) if manages else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.news_post(actor=user, group=group, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("The news is posted and sent to the members.")
                if form.cleaned_data["email"]
                else _("The news is posted."),
            )
            return redirect("green:news", pk=group.pk)
    return render(
        request,
        "green/news.html",
        {"group": group, "form": form, "news": selectors.news_of(group, limit=50)},
    )
