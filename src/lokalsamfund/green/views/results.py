"""Seasons and results: the season plan, the harvest or activity log with its private photos,
and the yearly summary for the department's meeting (page and PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.letters import pdf_from_template

from .. import rules, selectors, services
from ..forms import LogForm, SeasonPlanForm
from ..models import LogEntry
from .allocation import _group, _user


@login_required
@require_http_methods(["GET", "POST"])
def season_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """This year's plan for everyone who sees the group; who runs it writes it."""
    user = _user(request)
    group = _group(request, pk)
    manages = rules.may_manage(user, group)
    if request.method == "POST" and not manages:
        raise Http404
    year = timezone.localdate().year
    plan = selectors.season_plan(group, year)
    form = (
        SeasonPlanForm(
            request.POST or None, initial={"year": year, "text": plan.text if plan else ""}
        )
        if manages
        else None
    )
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.season_plan_set(actor=user, group=group, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The season's plan is saved."))
            return redirect("green:season_plan", pk=group.pk)
    return render(
        request,
        "green/season_plan.html",
        {"group": group, "plan": plan, "year": year, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def log(request: HttpRequest, pk: int) -> HttpResponse:
    """The group's log, for its members and who runs it; they write in it too."""
    user = _user(request)
    group = _group(request, pk)
    if not rules.may_read_log(user, group):
        raise Http404
    form = LogForm(
        request.POST or None,
        request.FILES or None,
        initial={"day": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        files = request.FILES.getlist("photos")
        try:
            services.log_write(
                actor=user,
                group=group,
                day=form.cleaned_data["day"],
                text=form.cleaned_data["text"],
                harvest_kg=form.cleaned_data["harvest_kg"],
                photos=[(f.name or "", f.read()) for f in files],
            )
        except DomainError as exc:
            form.add_error("photos" if files else None, exc.message)
        else:
            messages.success(request, _("The entry is written in the log."))
            return redirect("green:log", pk=group.pk)
    return render(
        request,
        "green/log.html",
        {
            "group": group,
            "form": form,
            "entries": selectors.log_of(group),
            "manages": rules.may_manage(user, group),
        },
    )


@login_required
@require_POST
def log_delete(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    user = _user(request)
    group = _group(request, pk)
    if not rules.may_read_log(user, group):
        raise Http404
    entry = get_object_or_404(LogEntry, group=group, pk=entry_pk)
    try:
        services.log_delete(actor=user, entry=entry)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The entry is deleted."))
    return redirect("green:log", pk=group.pk)


@login_required
def photo(request: HttpRequest, photo_pk: int) -> HttpResponse:
    """A log photo, to the group's members and who runs it only (never a public address)."""
    found = selectors.photo_for(request.user, photo_pk)
    if found is None or not rules.may_read_log(request.user, found.entry.group):
        raise Http404
    response = HttpResponse(bytes(found.image), content_type=found.content_type)
    response["Cache-Control"] = "private, max-age=600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _summary(request: HttpRequest, pk: int, year: int) -> selectors.YearlySummary:
    group = _group(request, pk)
    if not 2000 <= year <= 2100:
        raise Http404
    return selectors.yearly_summary(group, year)


@login_required
def summary(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """The group's year in figures for the department's meeting: counts, no names."""
    result = _summary(request, pk, year)
    return render(request, "green/summary.html", {"summary": result, "group": result.group})


@login_required
def summary_pdf(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    result = _summary(request, pk, year)
    pdf = pdf_from_template(
        "green/summary_pdf.html",
        {"summary": result, "group": result.group},
        base_url=request.build_absolute_uri("/"),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{result.group.slug}-{result.year}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
