"""Background tasks of the residents' domain (run by a worker through ``core.jobs``)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from lokalsamfund.core.errors import NotFound
from lokalsamfund.core.job_models import Job
from lokalsamfund.core.jobs import job_finish, job_progress, job_run
from lokalsamfund.core.models import Organisation

from . import services
from .letters import activation_letters_pdf
from .models import Tenancy

# More activation letters than this are made by a background job (a PDF of 200 letters takes
# a few seconds; 500 take the better part of a minute).
LETTERS_IN_BACKGROUND_ABOVE = 200
LETTERS_JOB = "residents.letters"


@task()
def activation_letters_task(
    job_id: str, *, organisation_id: int, tenancy_ids: list[int], base_url: str
) -> None:
    """New activation codes and their letters as one unit of work
    (``services.activation_letters_create``): a failure leaves no code."""

    def work(job: Job) -> None:
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        if organisation is None:
            raise NotFound(_("The organisation no longer exists."))
        tenancies = list(
            Tenancy.objects.filter(organisation=organisation, pk__in=tenancy_ids).select_related(
                "department", "organisation"
            )
        )
        count = len(tenancies)
        job_progress(job, 0, count)
        pdf = services.activation_letters_create(
            actor=job.owner,
            tenancies=tenancies,
            render=lambda issued: activation_letters_pdf(
                organisation=organisation,
                issued=issued,
                base_url=base_url,
                progress=lambda done: job_progress(job, done, count),
            ),
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        job_finish(
            job,
            result=pdf,
            name=f"aktiveringsbreve-{organisation.slug}-{stamp}.pdf",
            content_type="application/pdf",
            message=_(
                "%(n)s activation letters, each with its own new code; earlier unused codes of "
                "these homes no longer work."
            )
            % {"n": count},
        )

    job_run(job_id, work)
