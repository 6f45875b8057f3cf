"""Requests to join an association: the contacts' and the organisation's list, and decisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import DomainError, NotFound
from lokalsamfund.core.models import User

from .. import services
from ..join_requests import join_requests_to_decide


def may_see_join_requests(user: object) -> bool:
    """Whether the list is for the user at all (a contact, or who approves bookings)."""
    organisation_ids, association_ids = permissions.association_join_scope(user)  # type: ignore[arg-type]
    return organisation_ids is None or bool(organisation_ids or association_ids)


@login_required
@require_GET
def join_requests(request: HttpRequest) -> HttpResponse:
    if not may_see_join_requests(request.user):
        raise Http404
    requests = list(join_requests_to_decide(request.user)[:300])
    return render(request, "bookings/join_requests.html", {"join_requests": requests})


def _decide(request: HttpRequest, pk: int, *, confirm: bool) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):
        raise Http404
    try:
        if confirm:
            decided = services.association_join_confirm(actor=user, pk=pk)
        else:
            decided = services.association_join_decline(actor=user, pk=pk)
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("bookings:join_requests")
    params = {"name": decided.user.get_full_name(), "association": decided.association.name}
    if confirm:
        messages.success(request, _("%(name)s is now a contact of %(association)s.") % params)
    else:
        messages.success(
            request, _("The request from %(name)s to join %(association)s is declined.") % params
        )
    return redirect("bookings:join_requests")


@login_required
@require_POST
def join_request_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, confirm=True)


@login_required
@require_POST
def join_request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, confirm=False)
