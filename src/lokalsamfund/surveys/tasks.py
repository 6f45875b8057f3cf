"""Background tasks of surveys (run by a worker through ``core.jobs``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_tasks import task

from lokalsamfund.core.errors import NotFound
from lokalsamfund.core.job_models import Job
from lokalsamfund.core.jobs import job_finish, job_progress, job_run
from lokalsamfund.core.models import Department

from . import services
from .letters import letters_pdf
from .models import SurveyRound

# More letters than this are made by a background job (a PDF of 200 letters takes a few
# seconds; thousands take minutes).
LETTERS_IN_BACKGROUND_ABOVE = 200
LETTERS_JOB = "surveys.letters"


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
