"""Pages of the network: the departments one may compare, a department's benchmarks ("departments
like yours") with its shareable master data, and sharing closed rounds (opt-in, per round)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lokalsamfund.core import formatting, permissions
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.core.permissions import Perm
from lokalsamfund.surveys.evidence import shown
from lokalsamfund.surveys.models import RoundStatus, SurveyRound

from . import labels, pool, selectors, services, shared_reach
from .models import DepartmentKind, DepartmentProfile, Region


class ProfileForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of housing"), choices=DepartmentKind.choices)
    region = forms.ChoiceField(
        label=gettext_lazy("Region"),
        choices=[("", gettext_lazy("not given")), *Region.choices],
        required=False,
    )


def _lang() -> str:
    return formatting.language(get_language())


def _text(name: str, value: float | None, low: float | None, high: float | None) -> dict[str, str]:
    if value is None or low is None or high is None:
        return {}
    if pool.INDICATORS.get(name) == pool.SHARE:
        return {
            "value": formatting.share(value, 0, _lang()),
            "interval": formatting.interval(low, high, "share", _lang()),
        }
    return {
        "value": formatting.mean(value, 1, _lang()),
        "interval": formatting.interval(low, high, "number", _lang(), 1),
    }


def benchmark_rows(
    benchmark: pool.Benchmark, own: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """One row per indicator: the department's own figure (if given), "like yours", "all"."""
    rows = []
    for name in pool.INDICATORS:
        like, everyone = benchmark.similar[name], benchmark.all[name]
        mine = shown(own, name) if own else None
        rows.append(
            {
                "name": name,
                "label": labels.indicator(name),
                "own": _text(name, mine["value"], mine["ci_low"], mine["ci_high"]) if mine else {},
                "cells": [
                    {
                        **_text(name, p.value, p.ci_low, p.ci_high),
                        "pooled": p,
                        "reason": labels.reason(p.reason),
                    }
                    for p in (like, everyone)
                ],
            }
        )
    return rows


def _not_found_elsewhere(request: HttpRequest, organisation: Organisation) -> None:
    """Another organisation's department or round answers as one that does not exist (404),
    so that its short names and codes cannot be probed; within one's own, 403."""
    ids = permissions.organisation_ids_for(request.user)
    if ids is not None and organisation.pk not in ids:
        raise Http404


def _department(request: HttpRequest, organisation: str, code: str) -> Department:
    department = get_object_or_404(
        Department.objects.select_related("organisation"),
        organisation__slug=organisation,
        code=code,
    )
    _not_found_elsewhere(request, department.organisation)
    if not selectors.may_view_benchmark(request.user, department):
        raise PermissionDenied
    return department


@login_required
def index(request: HttpRequest) -> HttpResponse:
    departments = selectors.benchmark_departments(request.user)
    sharing = selectors.sharing_organisations(request.user)
    ideas = permissions.has_any(request.user, Perm.NETWORK_IDEAS)
    if not departments and not sharing and not ideas:
        raise PermissionDenied
    return render(
        request,
        "network/index.html",
        {
            "departments": departments,
            "sharing": sharing,
            "ideas": ideas,
            "orgs": pool.MIN_ORGANISATIONS,
            "depts": pool.MIN_DEPARTMENTS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def department(request: HttpRequest, organisation: str, code: str) -> HttpResponse:
    found = _department(request, organisation, code)
    may_edit = permissions.has_perm(request.user, Perm.SHARE_WITH_NETWORK, found.organisation)
    kind, band, region = services.profile_of(found)
    form = ProfileForm(initial={"kind": kind, "region": region}) if may_edit else None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.profile_set(
                    actor=request.user,
                    department=found,
                    kind=form.cleaned_data["kind"],
                    region=form.cleaned_data["region"],
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The department's network data is saved."))
                return HttpResponseRedirect(request.path)
    benchmark = selectors.department_benchmark(found)
    newest, own = selectors.own_figures(found)
    return render(
        request,
        "network/department.html",
        {
            "department": found,
            "kind": labels.kind(kind),
            "size_band": labels.size_band(band),
            "region": dict(Region.choices).get(region, ""),
            "rows": benchmark_rows(benchmark, own),
            "own_round": newest,
            "form": form,
            "has_profile": DepartmentProfile.objects.filter(department=found).exists(),
            "min_organisations": pool.MIN_ORGANISATIONS,
            "min_departments": pool.MIN_DEPARTMENTS,
        },
    )


@login_required
def sharing(request: HttpRequest) -> HttpResponse:
    organisations = selectors.sharing_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    return render(
        request,
        "network/sharing.html",
        {
            "organisations": [
                (o, selectors.share_rows(o), shared_reach.reach_share_of(o)) for o in organisations
            ]
        },
    )


@login_required
@require_POST
def reach_share(request: HttpRequest, organisation: str) -> HttpResponse:
    """Share (or refresh) or stop sharing the organisation's participation figures."""
    found = Organisation.objects.filter(slug=organisation).first()
    if found is None or not permissions.has_perm(request.user, Perm.SHARE_WITH_NETWORK, found):
        raise Http404
    try:
        if request.POST.get("action") == "stop":
            shared_reach.reach_unshare(actor=request.user, organisation=found)
            messages.success(
                request,
                _("Your participation figures are no longer shared; they have left the network."),
            )
        else:
            shared_reach.reach_share(actor=request.user, organisation=found)
            messages.success(request, _("Your participation figures are shared with the network."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(reverse("network:sharing"))


@login_required
@require_POST
def share(request: HttpRequest, slug: str) -> HttpResponse:
    survey_round = SurveyRound.objects.filter(slug=slug, status=RoundStatus.CLOSED).first()
    if survey_round is None:
        raise Http404
    _not_found_elsewhere(request, survey_round.organisation)
    if not permissions.has_perm(request.user, Perm.SHARE_WITH_NETWORK, survey_round.organisation):
        raise PermissionDenied
    try:
        if request.POST.get("action") == "stop":
            services.round_unshare(actor=request.user, survey_round=survey_round)
            messages.success(
                request, _("The round is no longer shared; it has left every benchmark.")
            )
        else:
            services.round_share(actor=request.user, survey_round=survey_round)
            messages.success(request, _("The round is shared with the network."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(reverse("network:sharing"))


def survey_results_panel(
    request: HttpRequest, survey_round: SurveyRound, department: Department
) -> str:
    """The "departments like yours" panel on the survey's department results page (registered
    with ``surveys.extensions``); empty when the viewer may not see it."""
    if not selectors.may_view_benchmark(request.user, department):
        return ""
    benchmark = selectors.department_benchmark(department)
    return render_to_string(
        "network/_panel.html",
        {
            "department": department,
            "rows": benchmark_rows(benchmark),
            "kind": labels.kind(benchmark.kind),
            "size_band": labels.size_band(benchmark.size_band),
        },
        request=request,
    )
