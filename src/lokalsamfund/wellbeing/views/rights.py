"""The data protection contact's pages: find what is recorded about a resident, export it
(PDF, JSON), rectify it, erase it. Only a user with ``Perm.REFERRAL_RIGHTS`` in the
organisation gets anything; everyone else gets 404 (not even whether the page exists for the
organisation). Names and addresses travel only in POST bodies, never in URLs."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import DomainError, NotFound
from lokalsamfund.core.models import Organisation
from lokalsamfund.core.permissions import Perm

from .. import permissions as referral_permissions
from ..forms_rights import RectifyForm, RightsSearchForm
from ..services import rights


def _organisation(request: HttpRequest, slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or not referral_permissions.may_answer_rights(
        request.user, organisation
    ):
        raise Http404
    return organisation


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def rights_index(request: HttpRequest) -> HttpResponse:
    organisations = list(permissions.organisations_for(request.user, Perm.REFERRAL_RIGHTS))
    organisations = [
        o for o in organisations if referral_permissions.may_answer_rights(request.user, o)
    ]
    if not organisations:
        raise Http404
    if len(organisations) == 1:
        return HttpResponseRedirect(reverse("wellbeing:rights", args=[organisations[0].slug]))
    return render(request, "wellbeing/rights/index.html", {"organisations": organisations})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def rights_search(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    form = RightsSearchForm(request.POST or None)
    found = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            referrals = rights.rights_find(
                actor=request.user,
                organisation=organisation,
                name=form.cleaned_data["name"],
                address=form.cleaned_data["address"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status_code
        else:
            found = [rights.referral_record(r) for r in referrals]
    elif request.method == "POST":
        status = 400
    context = {
        "organisation": organisation,
        "form": form,
        "found": found,
        "erasures": rights.erasures(actor=request.user, organisation=organisation),
    }
    return _no_store(render(request, "wellbeing/rights/search.html", context, status=status))


def _references(request: HttpRequest) -> list[str]:
    return [r for r in request.POST.getlist("reference") if r][:200]


@login_required
@require_POST
def rights_export(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    kind = "pdf" if request.POST.get("format") == "pdf" else "json"
    try:
        export = rights.rights_export(
            actor=request.user,
            organisation=organisation,
            references=_references(request),
            kind=kind,
        )
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("wellbeing:rights", args=[slug]))
    stamp = timezone.localdate().isoformat()
    if kind == "pdf":
        from weasyprint import HTML

        html = render_to_string(
            "wellbeing/rights/export_pdf.html", {"export": export}, request=request
        )
        response = HttpResponse(
            bytes(HTML(string=html).write_pdf()), content_type="application/pdf"
        )
    else:
        body = json.dumps(export, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="indsigt-{stamp}.{kind}"'
    return _no_store(response)


@login_required
@require_POST
def rights_erase(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the erasure."))
        return HttpResponseRedirect(reverse("wellbeing:rights", args=[slug]))
    try:
        deletion = rights.rights_erase(
            actor=request.user, organisation=organisation, references=_references(request)
        )
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d referral was erased.",
                "%(count)d referrals were erased.",
                deletion.referrals,
            )
            % {"count": deletion.referrals},
        )
    return HttpResponseRedirect(reverse("wellbeing:rights", args=[slug]))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def rights_rectify(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    try:
        referral = rights.referral_for_rights(actor=request.user, reference=reference)
    except NotFound as exc:
        raise Http404 from exc
    if referral.organisation_id != organisation.pk:
        raise Http404
    record = rights.referral_record(referral)
    initial = {name: record[name] for name in rights.RECTIFIABLE}
    form = RectifyForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            rights.rights_rectify(
                actor=request.user,
                reference=reference,
                changes=rights.Rectification(**{n: data[n] for n in rights.RECTIFIABLE}),
                explanation=data["explanation"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status_code
        else:
            messages.success(request, _("The referral was rectified."))
            return HttpResponseRedirect(reverse("wellbeing:rights", args=[slug]))
    elif request.method == "POST":
        status = 400
    else:
        rights.log_read(actor=request.user, referral=referral, purpose="rectification")
    context = {"organisation": organisation, "form": form, "record": record}
    return _no_store(render(request, "wellbeing/rights/rectify.html", context, status=status))


urlpatterns = [
    path("henvendelser/rettigheder/", rights_index, name="rights_index"),
    path("henvendelser/rettigheder/<slug:slug>/", rights_search, name="rights"),
    path("henvendelser/rettigheder/<slug:slug>/udlevering/", rights_export, name="rights_export"),
    path("henvendelser/rettigheder/<slug:slug>/sletning/", rights_erase, name="rights_erase"),
    path(
        "henvendelser/rettigheder/<slug:slug>/<str:reference>/berigtigelse/",
        rights_rectify,
        name="rights_rectify",
    ),
]
