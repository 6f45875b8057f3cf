"""Staff pages: rounds (list, create, open, close, publish), letters with codes, paper
answers and file import. Permission checks through core.permissions; rules in services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lokalsamfund.core import import_templates, jobs, permissions, tabular
from lokalsamfund.core.errors import DomainError, NotFound
from lokalsamfund.core.models import Department, User
from lokalsamfund.core.permissions import Perm

from .. import selectors, services
from ..forms import ImportForm, LettersForm, PaperDepartmentForm, RoundForm
from ..importing import ImportRejected, template_columns
from ..letters import letters_pdf
from ..models import Channel, SurveyRound
from ..questionnaire import Draft, Questionnaire, read_step
from ..tasks import (
    IMPORT_IN_BACKGROUND_ABOVE_BYTES,
    IMPORT_JOB,
    LETTERS_IN_BACKGROUND_ABOVE,
    LETTERS_JOB,
    letters_task,
    responses_import_task,
)


def _round(request: HttpRequest, slug: str) -> SurveyRound:
    """The round if the user may see it at all; else 404, the same as for a missing slug, so
    that no one learns which rounds other organisations have."""
    try:
        return selectors.visible_round(request.user, slug)
    except NotFound as exc:
        raise Http404 from exc


def _may(request: HttpRequest, perm: Perm, survey_round: SurveyRound) -> bool:
    return permissions.has_perm(request.user, perm, survey_round.organisation)


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = selectors.rounds_for(request.user)
    can_create = permissions.organisations_for(request.user, Perm.MANAGE_SURVEYS).exists()
    return render(request, "surveys/round_list.html", {"rounds": rounds, "can_create": can_create})


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest) -> HttpResponse:
    organisations = permissions.organisations_for(request.user, Perm.MANAGE_SURVEYS)
    if not organisations.exists():
        raise PermissionDenied
    departments = permissions.departments_for(request.user, Perm.MANAGE_SURVEYS)
    form = RoundForm(request.POST or None, organisations=organisations, departments=departments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.round_create(
                actor=request.user,
                organisation=data["organisation"],
                slug=data["slug"],
                title=data["title"],
                departments=list(data["departments"]),
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                min_cell_size=data["min_cell_size"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The round was created as a draft."))
            return HttpResponseRedirect(reverse("surveys:round", args=[created.slug]))
    return render(request, "surveys/round_new.html", {"form": form})


@login_required
def round_detail(request: HttpRequest, slug: str) -> HttpResponse:
    survey_round = _round(request, slug)
    page = selectors.round_page(request.user, survey_round)
    if page is None:
        raise PermissionDenied
    rows = [
        {
            "row": row,
            "link": request.build_absolute_uri(reverse("surveys:form_link", args=[row.link.token]))
            if row.link
            else "",
        }
        for row in page.rows
    ]
    context = {
        "round": survey_round,
        "page": page,
        "rows": rows,
        "letters_form": LettersForm(departments=survey_round.departments.all())
        if page.can_make_letters
        else None,
    }
    return render(request, "surveys/round_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def round_close(request: HttpRequest, slug: str) -> HttpResponse:
    """Closing asks first, and says what happens: results are computed once, no more answers
    are taken, and unused codes and the open links stop working."""
    survey_round = _round(request, slug)
    if not _may(request, Perm.MANAGE_SURVEYS, survey_round):
        raise PermissionDenied
    if request.method == "POST":
        try:
            results = services.round_close(actor=request.user, survey_round=survey_round)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("The round is closed; results for %(n)s respondents are ready.")
                % {"n": results.respondents},
            )
        return HttpResponseRedirect(reverse("surveys:round", args=[slug]))
    if not survey_round.is_open:
        messages.error(request, _("Only an open round can be closed."))
        return HttpResponseRedirect(reverse("surveys:round", args=[slug]))
    return render(request, "surveys/round_close.html", {"round": survey_round})


@login_required
@require_POST
def round_status(request: HttpRequest, slug: str) -> HttpResponse:
    survey_round = _round(request, slug)
    if not _may(request, Perm.MANAGE_SURVEYS, survey_round):
        raise PermissionDenied
    action = request.POST.get("action")
    try:
        if action == "open":
            services.round_open(actor=request.user, survey_round=survey_round)
            messages.success(request, _("The round is open."))
        elif action == "close":  # closing asks first (round_close)
            return HttpResponseRedirect(reverse("surveys:round_close", args=[slug]))
        elif action in {"publish", "withdraw"}:
            services.round_publish_summary(
                actor=request.user, survey_round=survey_round, published=action == "publish"
            )
            messages.success(
                request,
                _("The summary is published to residents.")
                if action == "publish"
                else _("The summary is no longer shown to residents."),
            )
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(reverse("surveys:round", args=[slug]))


@login_required
@require_POST
def letters(request: HttpRequest, slug: str) -> HttpResponse:
    """Generate codes for a department and return the letters as one PDF (codes are shown
    only here, once)."""
    survey_round = _round(request, slug)
    if not _may(request, Perm.MANAGE_SURVEYS, survey_round):
        raise PermissionDenied
    form = LettersForm(request.POST, departments=survey_round.departments.all())
    if not form.is_valid():
        messages.error(request, _("Choose a department and a number of letters."))
        return HttpResponseRedirect(reverse("surveys:round", args=[slug]))
    department = form.cleaned_data["department"]
    base_url = request.build_absolute_uri("/")
    count = form.cleaned_data["count"]
    if count > LETTERS_IN_BACKGROUND_ABOVE:
        return _letters_in_background(request, survey_round, department, count, base_url)
    try:
        pdf = services.letters_create(
            actor=request.user,
            survey_round=survey_round,
            department=department,
            count=count,
            render=lambda new_codes: letters_pdf(
                survey_round=survey_round,
                department=department,
                new_codes=new_codes,
                base_url=base_url,
            ),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("surveys:round", args=[slug]))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="breve-{survey_round.slug}-{department.code}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response


def _letters_in_background(
    request: HttpRequest,
    survey_round: SurveyRound,
    department: Department,
    count: int,
    base_url: str,
) -> HttpResponse:
    """Many letters: a background job (codes and letters still one unit of work), then the
    job's page with its progress and the download."""
    assert isinstance(request.user, User)  # noqa: S101 - login_required
    job = jobs.job_start(
        actor=request.user,
        organisation=survey_round.organisation,
        kind=LETTERS_JOB,
        perm=Perm.MANAGE_SURVEYS,
        task=letters_task,
        args={
            "round_id": survey_round.pk,
            "department_id": department.pk,
            "count": count,
            "base_url": base_url,
        },
        total=count,
    )
    return HttpResponseRedirect(reverse("job", args=[job.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff type in a paper questionnaire: the same questions and validation as the form."""
    survey_round = _round(request, slug)
    departments = permissions.departments_for(
        request.user, Perm.ENTER_PAPER_ANSWERS, survey_round.organisation
    ).filter(pk__in=survey_round.departments.all())
    if not departments.exists():
        raise PermissionDenied
    q = Questionnaire(survey_round, "da")
    form = PaperDepartmentForm(request.POST or None, departments=departments)
    draft = Draft()
    if request.method == "POST" and form.is_valid():
        invalid = [code for current in q.steps for code in read_step(current, request.POST, draft)]
        if invalid:
            form.add_error(
                None, _("Some answers are not valid: %(codes)s") % {"codes": ", ".join(invalid)}
            )
        else:
            try:
                services.response_submit(
                    survey_round=survey_round,
                    department=form.cleaned_data["department"],
                    channel=Channel.PAPER,
                    answers=draft.answers,
                    extra=draft.extra,
                    comment=draft.comment,
                    actor=request.user,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The paper answers were saved."))
                return HttpResponseRedirect(reverse("surveys:paper", args=[slug]))
    steps = [
        {
            "step": current,
            "questions": [{"q": qu, "selected": None, "ticked": False} for qu in current.questions],
        }
        for current in q.steps
    ]
    return render(
        request,
        "surveys/paper.html",
        {"round": survey_round, "form": form, "steps": steps, "ui": q.ui},
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    """A file of responses, all or nothing: a small file at once (its problems on this page),
    one above ``IMPORT_IN_BACKGROUND_ABOVE_BYTES`` by a background job (the job's page shows
    its progress, then the count or the same problems)."""
    survey_round = _round(request, slug)
    if not _may(request, Perm.MANAGE_SURVEYS, survey_round):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # A file over the size limit is refused at once, unread (core.tabular).
            size = upload.size or 0
            if (
                IMPORT_IN_BACKGROUND_ABOVE_BYTES
                < size
                <= tabular.TableLimits.from_settings().max_bytes
            ):
                return _import_in_background(request, survey_round, upload, form.ignored())
            count = services.responses_import(
                actor=request.user,
                survey_round=survey_round,
                data=upload.file,
                filename=upload.name or "",
                ignore=form.ignored(),
            )
        except ImportRejected as exc:
            problems = exc.messages
            status = 400
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = 400
        else:
            messages.success(request, _("%(n)s responses were imported.") % {"n": count})
            return HttpResponseRedirect(reverse("surveys:round", args=[slug]))
    return render(
        request,
        "surveys/import.html",
        {
            "round": survey_round,
            "form": form,
            "problems": problems,
            "limits": tabular.limits_for_people(),
        },
        status=status,
    )


def _import_columns(request: HttpRequest, slug: str) -> tuple[SurveyRound, list[Any]]:
    survey_round = _round(request, slug)
    if not _may(request, Perm.MANAGE_SURVEYS, survey_round):
        raise PermissionDenied
    departments, extra_items = selectors.import_vocabulary(survey_round)
    return survey_round, template_columns(departments=list(departments), extra_items=extra_items)


@login_required
@require_GET
def import_template(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """The import template of the round: the header row the importer reads (CSV or XLSX)."""
    if kind not in {"csv", "xlsx"}:
        raise Http404
    survey_round, columns = _import_columns(request, slug)
    name = f"svar-skabelon-{survey_round.slug}"
    if kind == "xlsx":
        content = import_templates.xlsx_template(_("Responses"), columns)
        return import_templates.download(content, f"{name}.xlsx")
    return import_templates.download(import_templates.csv_template(columns), f"{name}.csv")


@login_required
@require_GET
def import_format(request: HttpRequest, slug: str) -> HttpResponse:
    """The import format: each column, whether it is required, the allowed values."""
    survey_round, columns = _import_columns(request, slug)
    return render(
        request,
        "core/import_format.html",
        {
            "title": _("Import format for survey responses"),
            "context_name": survey_round.title,
            "intro": _(
                "One row per respondent. The first row names the columns; their order does "
                "not matter, and only department is required. Values may also be the Danish "
                "or English answer texts. An empty cell is not answered."
            ),
            "columns": columns,
            "csv_url": reverse("surveys:import_template", args=[slug, "csv"]),
            "xlsx_url": reverse("surveys:import_template", args=[slug, "xlsx"]),
            "back_url": reverse("surveys:import", args=[slug]),
            "back_label": _("Back to the import"),
        },
    )


def _import_in_background(
    request: HttpRequest, survey_round: SurveyRound, upload: UploadedFile, ignore: list[str]
) -> HttpResponse:
    """A large file: kept in the job's row (never in the task's arguments) and imported by a
    worker through the same service; the round must be open now and still when it runs."""
    assert isinstance(request.user, User)  # noqa: S101 - login_required
    services.responses_import_check(actor=request.user, survey_round=survey_round)
    job = jobs.job_start(
        actor=request.user,
        organisation=survey_round.organisation,
        kind=IMPORT_JOB,
        perm=Perm.MANAGE_SURVEYS,
        task=responses_import_task,
        args={"round_id": survey_round.pk, "ignore": ignore},
        upload=upload.read(),
        upload_name=upload.name or "",
    )
    return HttpResponseRedirect(reverse("job", args=[job.pk]))
