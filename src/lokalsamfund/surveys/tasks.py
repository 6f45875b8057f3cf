"""Background tasks of surveys (run by a worker through ``core.jobs``): many letters, a large
import and the results export of a large round. Each task acts as the job's owner, whose
rights the services check again when it runs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _
from django_tasks import task

from lokalsamfund.core.errors import DomainError, Forbidden, NotFound
from lokalsamfund.core.job_models import Job
from lokalsamfund.core.jobs import job_finish, job_progress, job_run
from lokalsamfund.core.models import Department

from . import export, selectors, services
from .importing import ImportRejected
from .letters import letters_pdf
from .models import SurveyRound

# More letters than this are made by a background job (a PDF of 200 letters takes a few
# seconds; thousands take minutes).
LETTERS_IN_BACKGROUND_ABOVE = 200
LETTERS_JOB = "surveys.letters"
# An import file larger than this (about 2,000 rows of CSV) is read and stored by a
# background job; a smaller one at once.
IMPORT_IN_BACKGROUND_ABOVE_BYTES = 256 * 1024
IMPORT_JOB = "surveys.import"
# The results export of a round with more departments than this (those the user sees) is made
# by a background job: every department adds its breakdowns' rows.
EXPORT_IN_BACKGROUND_ABOVE_DEPARTMENTS = 20
EXPORT_JOB = "surveys.export"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@task()
def letters_task(
    job_id: str, *, round_id: int, department_id: int, count: int, base_url: str
) -> None:
    """New codes and their letters as one unit of work (``services.letters_create``): a
    failure leaves no code."""

    def work(job: Job) -> None:
        survey_round = SurveyRound.objects.filter(pk=round_id).first()
        department = Department.objects.filter(pk=department_id).first()
        if survey_round is None or department is None:
            raise NotFound(_("The round or the department no longer exists."))
        job_progress(job, 0, count)
        pdf = services.letters_create(
            actor=job.owner,
            survey_round=survey_round,
            department=department,
            count=count,
            render=lambda new_codes: letters_pdf(
                survey_round=survey_round,
                department=department,
                new_codes=new_codes,
                base_url=base_url,
                progress=lambda done: job_progress(job, done, count),
            ),
        )
        job_finish(
            job,
            result=pdf,
            name=f"breve-{survey_round.slug}-{department.code}.pdf",
            content_type="application/pdf",
            message=_("%(n)s letters, each with its own new code. The codes are shown only here.")
            % {"n": count},
        )

    job_run(job_id, work)


def _round(round_id: int) -> SurveyRound:
    survey_round = SurveyRound.objects.select_related("organisation").filter(pk=round_id).first()
    if survey_round is None:
        raise NotFound(_("The round no longer exists."))
    return survey_round


@task()
def responses_import_task(job_id: str, *, round_id: int, ignore: list[str]) -> None:
    """A large file of responses (kept in the job's row until it ends), all or nothing, with
    the same line-and-column messages as a small file's page."""

    def work(job: Job) -> None:
        survey_round = _round(round_id)
        try:
            count = services.responses_import(
                actor=job.owner,
                survey_round=survey_round,
                data=bytes(job.upload or b""),
                filename=job.upload_name,
                ignore=ignore,
                progress=lambda done, total: job_progress(job, done, total),
            )
        except ImportRejected as exc:
            raise DomainError(
                _("The file was rejected; nothing was stored"), details={"problems": exc.messages}
            ) from exc
        job_finish(job, message=_("%(n)s responses were imported.") % {"n": count})

    job_run(job_id, work)


def results_xlsx(
    survey_round: SurveyRound, groups: list[dict[str, Any]], min_cell_size: int, job: Job | None
) -> bytes:
    """The results workbook; with a job, its progress every 200 rows."""

    def counted(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for done, group in enumerate(rows, start=1):
            if job is not None and done % 200 == 0:
                job_progress(job, done, len(groups))
            yield group

    return export.to_xlsx(counted(groups), survey_round=survey_round, min_cell_size=min_cell_size)


@task()
def results_export_task(job_id: str, *, round_id: int) -> None:
    """The XLSX of a round's results as the job's owner may see them (a private job: no one
    else sees its file)."""

    def work(job: Job) -> None:
        survey_round = _round(round_id)
        view = selectors.results_for_user(job.owner, survey_round)
        if view is None:
            raise Forbidden(_("You may no longer see these results."))
        groups = view.groups()
        job_progress(job, 0, len(groups))
        body = results_xlsx(survey_round, groups, view.min_cell_size, job)
        job_finish(
            job,
            result=body,
            name=f"resultater-{survey_round.slug}.xlsx",
            content_type=XLSX_TYPE,
            message=_("The results of %(round)s as a spreadsheet.") % {"round": survey_round.title},
        )

    job_run(job_id, work)
