"""Pages of the referrals: the caretaker's one-minute form and status list, the social
workers' queue and referral page with its steps. Who sees what: ``wellbeing.permissions``
(anyone else gets the same 404 as for a reference that does not exist); reads through
``selectors.referral_for_reading`` (audit-logged), changes through ``services.referrals``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from lokalsamfund.core.errors import DomainError, NotFound

from .. import permissions, selectors
from ..models import Referral, ReferralStatus, Urgency
from ..referral_forms import CloseForm, ReassignForm, RecordForm, ReferralForm
from ..services import referrals as services


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _guidance(departments: Any) -> dict[str, Any]:
    """The acute numbers and the municipality's form of the organisations of ``departments``."""
    organisation_ids = sorted({d.organisation_id for d in departments})
    settings = [selectors.settings_for(pk) for pk in organisation_ids]
    return {
        "acute_numbers": [s.acute_numbers for s in settings if s.acute_numbers.strip()],
        "report_urls": [s.municipality_report_url for s in settings if s.municipality_report_url],
    }


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest) -> HttpResponse:
    """The caretaker's form: one screen on a phone, with the acute and child guidance."""
    departments = permissions.departments_to_refer(request.user).order_by("organisation", "code")
    if not departments.exists():
        raise Http404
    form = ReferralForm(request.POST or None, departments=departments)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                referral = services.referral_create(
                    actor=request.user,
                    department=data["department"],
                    observations=data["observations"],
                    urgency=data["urgency"],
                    child_affected=data["child_affected"],
                    consent_to_contact=data["consent_to_contact"],
                    identity_basis=data["identity_basis"],
                    resident_name=data["resident_name"],
                    resident_address=data["resident_address"],
                    identity_reason=data["identity_reason"],
                    free_text=data["free_text"],
                    base_url=_base_url(request),
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, _("Thank you. The social worker has been told and will act.")
                )
                if referral.urgency == Urgency.ACUTE:
                    messages.warning(
                        request,
                        _("If life or health is at risk now, call 112 before anything else."),
                    )
                return HttpResponseRedirect(reverse("wellbeing:mine") + "?sendt=1")
        status = 400
    context = {"form": form, "draft_key": request.user.pk, **_guidance(departments)}
    return render(request, "wellbeing/referral_form.html", context, status=status)


@login_required
@never_cache
def my_referrals(request: HttpRequest) -> HttpResponse:
    """The caretaker's own referrals: when, where and the status; nothing else."""
    if not permissions.may_refer(request.user):
        raise Http404
    context = {
        "referrals": selectors.referrals_made_by(request.user)[:200],
        "clear_draft": request.GET.get("sendt") == "1",
    }
    return render(request, "wellbeing/my_referrals.html", context)


@login_required
@never_cache
def queue(request: HttpRequest) -> HttpResponse:
    """The social workers' queue by urgency (same day first); no personal field shown."""
    if not permissions.may_handle_any(request.user):
        raise Http404
    view = request.GET.get("vis", "")
    referrals = selectors.queue_for(
        request.user, assigned_to_me=(view == "mine"), closed=(view == "closed")
    )
    rows = [
        {
            "referral": r,
            "same_day": selectors.is_same_day(r),
            "observations": selectors.observation_labels(r),
        }
        for r in referrals[:500]
    ]
    return render(request, "wellbeing/queue.html", {"rows": rows, "view": view})


@login_required
@never_cache
def referral_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """A social worker's referral page with its steps; the caretaker's status page."""
    try:
        read = selectors.referral_for_reading(request.user, reference)
    except NotFound as exc:
        raise Http404 from exc
    referral = read.referral
    context: dict[str, Any] = {
        "read": read,
        "referral": referral,
        "same_day": selectors.is_same_day(referral),
        "observations": selectors.observation_labels(referral),
        "is_open": referral.status != ReferralStatus.CLOSED,
    }
    if read.full:
        candidates = permissions.social_workers_for(referral).exclude(
            pk=referral.assigned_to_id or 0
        )
        context.update(
            record_form=RecordForm(),
            reassign_form=ReassignForm(candidates=candidates),
            close_form=CloseForm(),
            has_candidates=candidates.exists(),
        )
    return render(request, "wellbeing/referral_detail.html", context)


def _change(
    request: HttpRequest, reference: str, work: Callable[[Referral], str | None]
) -> HttpResponse:
    """Run a change for a social worker; 404 for anyone else; errors as messages."""
    try:
        referral = selectors.referral_for_handling(request.user, reference)
    except NotFound as exc:
        raise Http404 from exc
    try:
        done = work(referral)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if done:
            messages.success(request, done)
    return HttpResponseRedirect(reverse("wellbeing:detail", args=[reference]))


@login_required
@require_POST
def referral_take(request: HttpRequest, reference: str) -> HttpResponse:
    def work(referral: Referral) -> str:
        services.referral_take(actor=request.user, referral=referral)
        return _("You are handling the referral.")

    return _change(request, reference, work)


@login_required
@require_POST
def referral_record(request: HttpRequest, reference: str) -> HttpResponse:
    def work(referral: Referral) -> str:
        form = RecordForm(request.POST)
        if not form.is_valid():
            raise DomainError(_("Choose what happened and write it."))
        services.referral_record(
            actor=request.user,
            referral=referral,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
        )
        return _("The step is recorded.")

    return _change(request, reference, work)


@login_required
@require_POST
def referral_reassign(request: HttpRequest, reference: str) -> HttpResponse:
    def work(referral: Referral) -> str:
        form = ReassignForm(request.POST, candidates=permissions.social_workers_for(referral))
        if not form.is_valid():
            raise DomainError(_("Choose one of the social workers for this department."))
        services.referral_reassign(
            actor=request.user,
            referral=referral,
            to=form.cleaned_data["to"],
            base_url=_base_url(request),
        )
        return _("The referral is reassigned.")

    return _change(request, reference, work)


@login_required
@require_POST
def referral_close(request: HttpRequest, reference: str) -> HttpResponse:
    def work(referral: Referral) -> str:
        form = CloseForm(request.POST)
        if not form.is_valid():
            raise DomainError(_("Choose the outcome."))
        services.referral_close(
            actor=request.user,
            referral=referral,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )
        return _("The referral is closed.")

    return _change(request, reference, work)


urlpatterns: list[URLPattern | URLResolver] = [
    path("referrals/new/", referral_new, name="new"),
    path("referrals/mine/", my_referrals, name="mine"),
    path("referrals/queue/", queue, name="queue"),
    path("referrals/r/<str:reference>/", referral_detail, name="detail"),
    path("referrals/r/<str:reference>/take/", referral_take, name="take"),
    path("referrals/r/<str:reference>/record/", referral_record, name="record"),
    path("referrals/r/<str:reference>/reassign/", referral_reassign, name="reassign"),
    path("referrals/r/<str:reference>/close/", referral_close, name="close"),
]
