"""The queue of proposals: coordinators and administrators (and boards, where the
organisation lets them) approve, ask for changes or decline with a reason.

Thin: reads through ``selectors``, writes through ``services.activities``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Role
from lokalsamfund.core.permissions import Perm

from .. import permissions as rules
from .. import selectors
from ..calendar_forms import ReasonForm
from ..models import ActivitySettings
from ..services import activities as services
from .calendar import _visible


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
    path("aktiviteter/forslag/", proposals, name="proposals"),
    path("aktiviteter/<int:pk>/beslut/", decide, name="decide"),
]
