"""Staff pages: the tenancy list with filters, the import with its confirmation step,
activation letters and moves out. Rights through core.permissions; rules in services."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lokalsamfund.core import crypto, import_templates, jobs, permissions
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import Perm

from .. import selectors, services
from ..forms import MoveOutForm, TenancyFilterForm, TenancyImportForm
from ..importing import ImportRejected, TenancyRow, parse_tenancies, template_columns
from ..letters import activation_letters_pdf
from ..models import Tenancy
from ..tasks import LETTERS_IN_BACKGROUND_ABOVE, LETTERS_JOB, activation_letters_task

PAGE_SIZE = 100
SESSION_KEY = "residents_import"


def _organisation(request: HttpRequest, slug: str) -> Organisation:
    """The organisation, if the user manages its residents (else 404 for an unknown one, 403
    for one they do not manage: the same as every staff page)."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    permissions.require(request.user, Perm.MANAGE_RESIDENTS, organisation)
    return organisation


@login_required
def index(request: HttpRequest) -> HttpResponse:
    organisations = list(selectors.organisations_managed(request.user))
    if not organisations:
        raise PermissionDenied
    if len(organisations) == 1:
        return HttpResponseRedirect(reverse("residents:tenancies_of", args=[organisations[0].slug]))
    return render(request, "residents/index.html", {"organisations": organisations})


@login_required
@never_cache
def tenancy_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    departments = Department.objects.filter(organisation=organisation)
    form = TenancyFilterForm(request.GET or None, departments=departments)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {
            "department": form.cleaned_data["department"],
            "status": form.cleaned_data["status"],
            "query": form.cleaned_data["q"],
        }
    page = Paginator(selectors.tenancies(organisation, **filters), PAGE_SIZE).get_page(
        request.GET.get("side")
    )
    query = request.GET.copy()
    query.pop("side", None)
    context = {
        "organisation": organisation,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "counts": selectors.counts(organisation),
        "max_letters": services.MAX_LETTERS_PER_REQUEST,
        "max_invitations": services.MAX_INVITATIONS_PER_REQUEST,
    }
    return render(request, "residents/tenancy_list.html", context)


# --- import -------------------------------------------------------------------------------


def _store(request: HttpRequest, organisation: Organisation, payload: dict[str, Any]) -> None:
    """The validated rows wait in the session (encrypted when keys are set) until confirmed."""
    text = json.dumps({**payload, "organisation": organisation.pk})
    request.session[SESSION_KEY] = (
        crypto.encrypt(text) if settings.LOKALSAMFUND_FIELD_KEYS else text
    )


def _stored(request: HttpRequest, organisation: Organisation) -> dict[str, Any] | None:
    """The checked rows, or None (none, another organisation's, or unreadable: e.g. the
    field keys changed since; the person then checks the file again)."""
    text = request.session.get(SESSION_KEY)
    if not isinstance(text, str) or not text:
        return None
    try:
        payload = json.loads(crypto.decrypt(text) if settings.LOKALSAMFUND_FIELD_KEYS else text)
        if payload.get("organisation") != organisation.pk:
            return None
        payload["rows"] = [TenancyRow.from_json(row) for row in payload["rows"]]
    except (ImproperlyConfigured, ValueError, TypeError, KeyError, AttributeError):
        request.session.pop(SESSION_KEY, None)
        return None
    return dict(payload)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 1: read and check the file; show what it would do. Nothing is written."""
    organisation = _organisation(request, slug)
    form = TenancyImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        full_list = form.cleaned_data["full_list"]
        try:
            rows = parse_tenancies(
                upload.read(),
                upload.name,
                departments=Department.objects.filter(organisation=organisation).values_list(
                    "code", flat=True
                ),
                ignore=form.ignored(),
            )
            plan = services.tenancy_import_plan(
                actor=request.user, organisation=organisation, rows=rows, full_list=full_list
            )
        except ImportRejected as exc:
            problems, status = exc.messages, 400
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = 400
        else:
            _store(
                request,
                organisation,
                {
                    "rows": [row.as_json() for row in rows],
                    "full_list": full_list,
                    "counts": plan.counts(),
                    "filename": upload.name[:100],
                },
            )
            return HttpResponseRedirect(reverse("residents:import_confirm", args=[slug]))
    return render(
        request,
        "residents/import.html",
        {"organisation": organisation, "form": form, "problems": problems},
        status=status,
    )


def _department_codes(organisation: Organisation) -> list[str]:
    return list(
        Department.objects.filter(organisation=organisation)
        .order_by("code")
        .values_list("code", flat=True)
    )


@login_required
@require_GET
def import_template(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """The tenancy list's template: the header row the importer reads (CSV or XLSX)."""
    if kind not in {"csv", "xlsx"}:
        raise Http404
    organisation = _organisation(request, slug)
    columns = template_columns(departments=_department_codes(organisation))
    if kind == "xlsx":
        content = import_templates.xlsx_template(_("Tenancies"), columns)
        return import_templates.download(content, "lejemaal-skabelon.xlsx")
    return import_templates.download(
        import_templates.csv_template(columns), "lejemaal-skabelon.csv"
    )


@login_required
@require_GET
def import_format(request: HttpRequest, slug: str) -> HttpResponse:
    """The tenancy list's format: each column, whether it is required, the allowed values."""
    organisation = _organisation(request, slug)
    return render(
        request,
        "core/import_format.html",
        {
            "title": _("Import format for the tenancy list"),
            "context_name": organisation.name,
            "intro": _(
                "One row per tenancy. The first row names the columns; their order does not "
                "matter, other spellings are accepted (Afd.nr., Lejemål, Mail, Mobil), and "
                "other columns are refused unless you name them as columns to ignore."
            ),
            "columns": template_columns(departments=_department_codes(organisation)),
            "csv_url": reverse("residents:import_template", args=[slug, "csv"]),
            "xlsx_url": reverse("residents:import_template", args=[slug, "xlsx"]),
            "back_url": reverse("residents:import", args=[slug]),
            "back_label": _("Back to the import"),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def import_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 2: the counts (added / changed / moving out / unchanged); written on confirm."""
    organisation = _organisation(request, slug)
    payload = _stored(request, organisation)
    if payload is None:
        messages.info(request, _("Choose the file to import."))
        return HttpResponseRedirect(reverse("residents:import", args=[slug]))
    rows: list[TenancyRow] = payload["rows"]
    shown = payload["counts"]
    changed_since = False
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            request.session.pop(SESSION_KEY, None)
            messages.info(request, _("The import was cancelled; nothing was stored."))
            return HttpResponseRedirect(reverse("residents:tenancies_of", args=[slug]))
        try:
            current = services.tenancy_import_plan(
                actor=request.user,
                organisation=organisation,
                rows=rows,
                full_list=payload["full_list"],
            ).counts()
            if current != shown:
                changed_since = True
                payload["counts"] = shown = current
                _store(request, organisation, {**payload, "rows": [r.as_json() for r in rows]})
            else:
                plan = services.tenancy_import_apply(
                    actor=request.user,
                    organisation=organisation,
                    rows=rows,
                    full_list=payload["full_list"],
                )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if not changed_since:
                request.session.pop(SESSION_KEY, None)
                counts = plan.counts()
                messages.success(
                    request,
                    _(
                        "The tenancy list was imported: %(added)s added, %(changed)s changed, "
                        "%(moving_out)s moved out, %(unchanged)s unchanged."
                    )
                    % counts,
                )
                return HttpResponseRedirect(reverse("residents:tenancies_of", args=[slug]))
    context = {
        "organisation": organisation,
        "counts": shown,
        "full_list": payload["full_list"],
        "filename": payload.get("filename", ""),
        "changed_since": changed_since,
    }
    return render(request, "residents/import_confirm.html", context)


# --- letters and moves out ----------------------------------------------------------------


def _chosen(request: HttpRequest, organisation: Organisation) -> list[Tenancy]:
    ids = [int(v) for v in request.POST.getlist("tenancy") if v.isdigit() and len(v) <= 18]
    return list(
        Tenancy.objects.filter(organisation=organisation, pk__in=ids).select_related(
            "department", "organisation"
        )
    )


@login_required
@require_POST
def letters(request: HttpRequest, slug: str) -> HttpResponse:
    """Activation letters (one PDF) for the chosen tenancies; the codes are shown only here.
    More than ``LETTERS_IN_BACKGROUND_ABOVE``: a background job (codes and letters still one
    unit of work), then the job's page with its progress and, for this user only, the PDF."""
    organisation = _organisation(request, slug)
    chosen = _chosen(request, organisation)
    base_url = request.build_absolute_uri("/")
    try:
        if len(chosen) > LETTERS_IN_BACKGROUND_ABOVE:
            return _letters_in_background(request, organisation, chosen, base_url)
        pdf = services.activation_letters_create(
            actor=request.user,
            tenancies=chosen,
            render=lambda issued: activation_letters_pdf(
                organisation=organisation, issued=issued, base_url=base_url
            ),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("residents:tenancies_of", args=[slug]))
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="aktiveringsbreve-{slug}-{stamp}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _letters_in_background(
    request: HttpRequest, organisation: Organisation, chosen: list[Tenancy], base_url: str
) -> HttpResponse:
    assert isinstance(request.user, User)  # noqa: S101 - login_required
    services.activation_letters_check(actor=request.user, tenancies=chosen)
    job = jobs.job_start(
        actor=request.user,
        organisation=organisation,
        kind=LETTERS_JOB,
        perm=Perm.MANAGE_RESIDENTS,
        task=activation_letters_task,
        args={
            "organisation_id": organisation.pk,
            "tenancy_ids": [t.pk for t in chosen],
            "base_url": base_url,
        },
        total=len(chosen),
        private=True,  # the codes open residents' accounts: only their maker fetches them
    )
    return HttpResponseRedirect(reverse("job", args=[job.pk]))


@login_required
@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    """E-mail invitations for the chosen tenancies, or (``all``) for every current tenancy
    with an address that is not invited and has no resident yet (up to the batch limit)."""
    organisation = _organisation(request, slug)
    if request.POST.get("all"):
        chosen = list(
            selectors.tenancies(organisation, status="email_not_invited").select_related(
                "organisation"
            )[: services.MAX_INVITATIONS_PER_REQUEST]
        )
    else:
        chosen = _chosen(request, organisation)
    try:
        result = services.tenancies_invite(
            actor=request.user,
            organisation=organisation,
            tenancies=chosen,
            base_url=request.build_absolute_uri("/"),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(n)s invitations were sent by e-mail.") % {"n": result.invited},
        )
        if result.without_email:
            messages.info(
                request,
                _("Without an e-mail address (print a letter instead): %(numbers)s")
                % {"numbers": ", ".join(result.without_email[:20])},
            )
        for reason in result.skipped[:20]:
            messages.info(request, _("Not invited: %(reason)s") % {"reason": reason})
    return HttpResponseRedirect(reverse("residents:tenancies_of", args=[slug]))


@login_required
@require_POST
def move_out(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, slug)
    tenancy = get_object_or_404(Tenancy, organisation=organisation, pk=pk)
    form = MoveOutForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date of moving out."))
    else:
        try:
            ended = services.tenancy_move_out(
                actor=request.user, tenancy=tenancy, moved_out=form.cleaned_data["moved_out"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(home)s has moved out; %(n)s resident accounts no longer have the home.")
                % {"home": tenancy.home, "n": ended},
            )
    return HttpResponseRedirect(reverse("residents:tenancies_of", args=[slug]))
