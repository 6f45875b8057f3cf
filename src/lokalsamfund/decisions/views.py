"""Pages of the decision tool. Thin: forms check input, services write, selectors read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import DomainError, NotFound
from lokalsamfund.core.models import Organisation
from lokalsamfund.core.permissions import Perm

from . import planning, selectors, services
from .catalogue import catalogue_for, parameters_for
from .forms import ActivityTypeForm, ParameterForm, PlanForm, ValueBankForm
from .labels import local_lines
from .models import ActivityType
from .rendering import render_report_pdf, report_context
from .why_signals import WhySignals, why_signals

BUDGET_VARIANTS = (0.5, 1.0, 1.5)


def _plan_or_404(request: HttpRequest, plan_id: int) -> Any:
    try:
        return selectors.plan_get(request.user, plan_id)
    except NotFound as exc:
        raise Http404 from exc


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    if not permissions.has_any(request.user, Perm.VIEW_PLANS):
        raise PermissionDenied
    return render(
        request,
        "decisions/plan_list.html",
        {
            "plans": selectors.plans_for(request.user)[:200],
            "may_plan": permissions.has_any(request.user, Perm.MANAGE_PLANS),
        },
    )


def _signals(request: HttpRequest, department: Any, data: dict[str, Any]) -> WhySignals:
    """What the viewer may see next to the plan's "why", read now (docs/decisions-tool.md)."""
    return why_signals(
        viewer=request.user, department=department, plan_data=data, now=timezone.now()
    )


def _what_if(computed: planning.ComputedPlan) -> list[dict[str, Any]]:
    """The same plan at half, the same and one and a half times the budget (from the plan's
    own model and draws: once per change)."""
    return [
        {
            "budget": variant.budget_dkk,
            "cost": variant.cost_dkk,
            "helped": variant.people_helped._asdict(),
            "social": variant.social_value._asdict(),
            "activities": ", ".join(
                f"{a.name} × {scale}" if scale > 1 else a.name for a, scale in variant.chosen
            ),
        }
        for variant in planning.what_if(computed, BUDGET_VARIANTS)
    ]


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    """The planning page: the plan updates as the inputs change (htmx); saving is a POST.

    Whoever may see a department's plans (board members too) may try budgets on it and see
    the plan as a scenario; only whoever may manage its plans saves it as the department's
    plan."""
    departments = permissions.departments_for(request.user, Perm.VIEW_PLANS)
    if not departments.exists():
        raise PermissionDenied
    language = get_language() or "da"
    bound = request.method == "POST" or "department" in request.GET
    form = PlanForm(
        (request.POST if request.method == "POST" else request.GET) if bound else None,
        departments=departments,
    )
    may_save_any = permissions.has_any(request.user, Perm.MANAGE_PLANS)
    context: dict[str, Any] = {"form": form, "may_save": may_save_any}
    # htmx adds the last clicked button to its change-triggered previews, so a preview sent
    # while the page submits "save" would save a second plan: only the page's own submit saves.
    is_preview = bool(request.headers.get("HX-Request"))
    wants_save = request.method == "POST" and request.POST.get("action") == "save"
    if bound and form.is_valid():
        department = form.cleaned_data["department"]
        context["may_save"] = may_save = permissions.has_perm(
            request.user, Perm.MANAGE_PLANS, department
        )
        if wants_save and not is_preview and not may_save:
            raise PermissionDenied
        plan_request = form.plan_request()
        try:
            computed = planning.compute_plan(
                department=department, request=plan_request, language=language
            )
            if wants_save and not is_preview:
                plan = services.plan_create(
                    actor=request.user,
                    department=department,
                    request=plan_request,
                    title=form.cleaned_data.get("title", ""),
                    computed=computed,
                )
                messages.success(request, _("The plan was saved."))
                return redirect("decisions:plan_detail", plan_id=plan.pk)
            context.update(
                report_context(computed.data, _signals(request, department, computed.data))
            )
            context["what_if"] = _what_if(computed)
            context["driften_recorded"] = computed.driften_recorded
        except DomainError as exc:
            context["error"] = exc.message
    elif wants_save and not is_preview and not may_save_any:
        raise PermissionDenied
    template = "decisions/_preview.html" if is_preview else "decisions/plan_new.html"
    return render(request, template, context)


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_or_404(request, plan_id)
    data = selectors.plan_data(plan)
    context = report_context(data, _signals(request, plan.department, data))
    context.update(
        {
            "saved": plan,
            "followup": selectors.plan_followup(plan),
            "may_manage": permissions.has_perm(request.user, Perm.MANAGE_PLANS, plan.department),
        }
    )
    return render(request, "decisions/plan_detail.html", context)


@login_required
def plan_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_or_404(request, plan_id)
    data = selectors.plan_data(plan)
    pdf = render_report_pdf(
        data,
        organisation=plan.organisation.name,
        made_on=timezone.localdate(plan.created_at),
        signals=_signals(request, plan.department, data),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="plan-{plan.department.code}-{plan.pk}.pdf"'
    )
    return response


@login_required
def plan_json(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_or_404(request, plan_id)
    response = HttpResponse(plan.result_json, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="plan-{plan.department.code}-{plan.pk}.json"'
    )
    return response


@login_required
@require_POST
def plan_delete(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_or_404(request, plan_id)
    try:
        services.plan_delete(actor=request.user, plan=plan)
    except DomainError as exc:
        raise PermissionDenied from exc
    messages.success(request, _("The plan was deleted."))
    return redirect("decisions:plans")


@login_required
def plan_compare(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.GET.getlist("plan") if i.isdigit()][:4]
    plans = list(selectors.plans_for(request.user).filter(pk__in=ids))
    if len(plans) < 2:
        messages.error(request, _("Choose two to four plans to compare."))
        return redirect("decisions:plans")
    columns = [{"saved": p, "data": selectors.plan_data(p)} for p in plans]
    return render(request, "decisions/plan_compare.html", {"columns": columns})


def _organisation(request: HttpRequest) -> Organisation:
    organisations = permissions.organisations_for(request.user, Perm.MANAGE_PLANS)
    slug = request.GET.get("org") or request.POST.get("org")
    organisation = (organisations.filter(slug=slug) if slug else organisations).first()
    if organisation is None or not permissions.has_perm(
        request.user, Perm.MANAGE_PLANS, organisation
    ):
        raise PermissionDenied
    return organisation


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    rows = catalogue_for(organisation, include_inactive=True)
    local = selectors.catalogue_local_evidence(organisation, rows)
    return render(
        request,
        "decisions/catalogue.html",
        {
            "organisation": organisation,
            "rows": [(a, local_lines(local.get(a.slug))) for a in rows],
            "language": get_language() or "da",
        },
    )


@login_required
def activity_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    organisation = _organisation(request)
    instance = None
    if slug is not None:
        instance = next(
            (a for a in catalogue_for(organisation, include_inactive=True) if a.slug == slug), None
        )
        if instance is None:
            raise Http404
    form = ActivityTypeForm(
        request.POST or None, instance=instance or ActivityType(), editing=slug is not None
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_type_save(
                actor=request.user, organisation=organisation, slug=slug, data=form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The activity type was saved for your organisation."))
            return redirect("decisions:catalogue")
    return render(
        request,
        "decisions/activity_edit.html",
        {"form": form, "organisation": organisation, "row": instance},
    )


@login_required
@require_POST
def activity_reset(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request)
    try:
        services.activity_type_reset(actor=request.user, organisation=organisation, slug=slug)
        messages.success(request, _("Your edit was removed."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("decisions:catalogue")


@login_required
def parameters(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    params = parameters_for(organisation)
    language = get_language() or "da"
    edit_key = request.GET.get("edit") or request.POST.get("key")
    form = None
    if edit_key in params:
        p = params[edit_key]
        form = ParameterForm(
            request.POST if request.method == "POST" and "key" in request.POST else None,
            initial={
                "value": p.value,
                "low": p.low,
                "high": p.high,
                "distribution": p.distribution,
                "year": p.year,
                "source": p.source,
                "note": p.note,
            },
        )
        if form.is_bound and form.is_valid():
            try:
                services.parameter_save(
                    actor=request.user,
                    organisation=organisation,
                    key=edit_key,
                    data=form.cleaned_data,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The parameter was saved for your organisation."))
                return redirect("decisions:parameters")
    rows = [
        {"p": p, "name": p.name(language), "own": p.organisation_id is not None}
        for p in params.values()
    ]
    return render(
        request,
        "decisions/parameters.html",
        {
            "organisation": organisation,
            "rows": rows,
            "form": form,
            "edit_key": edit_key if form else None,
            "edit_name": params[edit_key].name(language) if form and edit_key else "",
            "bank": selectors.value_bank_for(organisation),
            "bank_form": ValueBankForm(),
        },
    )


@login_required
@require_POST
def parameter_reset(request: HttpRequest, key: str) -> HttpResponse:
    organisation = _organisation(request)
    try:
        services.parameter_reset(actor=request.user, organisation=organisation, key=key)
        messages.success(request, _("Your value was removed; the shipped value applies again."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("decisions:parameters")


@login_required
@require_POST
def value_bank_import(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = ValueBankForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV file to import."))
        return redirect("decisions:parameters")
    try:
        upload = form.cleaned_data["file"]
        count = services.value_bank_import(
            actor=request.user,
            organisation=organisation,
            data=upload.file,
            filename=upload.name or "",
        )
        messages.success(request, _("%(count)s rows were imported.") % {"count": count})
    except DomainError as exc:
        for error in exc.details.get("errors", [exc.message])[:20]:
            messages.error(request, error)
    return redirect("decisions:parameters")


@login_required
@require_POST
def value_bank_use(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    raw = request.POST.get("entry", "")
    try:
        services.value_bank_use(
            actor=request.user,
            organisation=organisation,
            entry_id=int(raw) if raw.isdigit() else None,
        )
        messages.success(request, _("The societal value for plans was changed."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("decisions:parameters")
