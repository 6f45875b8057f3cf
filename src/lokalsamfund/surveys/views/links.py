"""The round's open links for those who manage it: switch one off or on, and its QR code to
print (SVG made by segno, served by the app: no third party sees the link)."""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.permissions import Perm

from .. import selectors, services
from ..models import SurveyLink
from .staff import _may, _round


def _link(request: HttpRequest, slug: str, code: str) -> SurveyLink:
    survey_round = _round(request, slug)
    if not _may(request, Perm.MANAGE_SURVEYS, survey_round):
        raise PermissionDenied
    link = selectors.link_of(survey_round, code)
    if link is None:
        raise Http404
    return link


@login_required
@require_POST
def link_switch(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    link = _link(request, slug, code)
    active = request.POST.get("active") == "1"
    try:
        services.link_set_active(actor=request.user, link=link, active=active)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            (
                _("The open link of %(department)s is on.")
                if active
                else _("The open link of %(department)s is off: it takes no more answers.")
            )
            % {"department": link.department.code},
        )
    return HttpResponseRedirect(reverse("surveys:round", args=[slug]))


@login_required
def link_qr(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The open link as a QR code (SVG) to print on a notice."""
    link = _link(request, slug, code)
    if not link.active or not link.round.is_open:
        raise Http404
    url = request.build_absolute_uri(reverse("surveys:form_link", args=[link.token]))
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = f'inline; filename="link-{link.department.code}.svg"'
    return response
