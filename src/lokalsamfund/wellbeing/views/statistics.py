"""Referral statistics for management and social workers (``VIEW_REFERRAL_STATISTICS``):
counts per department and quarter through disclosure control (selectors_statistics). Anyone
without the permission in the organisation gets 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import NotFound
from lokalsamfund.core.models import Organisation
from lokalsamfund.core.permissions import Perm

from ..selectors_statistics import referral_statistics


@login_required
@require_GET
def statistics_index(request: HttpRequest) -> HttpResponse:
    organisations = list(permissions.organisations_for(request.user, Perm.VIEW_REFERRAL_STATISTICS))
    if not organisations:
        raise Http404
    if len(organisations) == 1:
        return HttpResponseRedirect(reverse("wellbeing:statistics", args=[organisations[0].slug]))
    return render(request, "wellbeing/statistics/index.html", {"organisations": organisations})


@login_required
@require_GET
def statistics(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    try:
        figures = referral_statistics(
            actor=request.user, organisation=organisation, now=timezone.now()
        )
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "wellbeing/statistics/statistics.html", {"figures": figures})


urlpatterns = [
    path("henvendelser/statistik/", statistics_index, name="statistics_index"),
    path("henvendelser/statistik/<slug:slug>/", statistics, name="statistics"),
]
