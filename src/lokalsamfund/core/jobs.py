"""Background jobs: long work (many letters, large imports and exports) run by a worker, with
progress on the page and a download when done.

One mechanism for every domain. A view calls ``job_start`` with a django-tasks task; the task
receives the job's id as its first argument and wraps its work in ``job_run``, which calls
``job_progress`` as it goes, then ``job_finish`` with the result bytes, or ``job_fail`` with a
translated message (a ``DomainError``'s message; any other exception becomes a generic message
and its stack trace goes only to the server log). Only the owner, and others with the job's
permission in its organisation, see it (``job_for``: anyone else gets ``NotFound``).
Results are kept ``LOKALSAMFUND_JOB_RESULT_DAYS`` and then deleted by ``jobs_purge``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks.base import Task

from . import permissions
from .audit import log_action
from .errors import DomainError, NotFound
from .job_models import Job, JobStatus
from .models import Organisation, User
from .permissions import Perm

logger = logging.getLogger(__name__)


def _expiry(moment: datetime) -> datetime:
    return moment + timedelta(days=settings.LOKALSAMFUND_JOB_RESULT_DAYS)


def job_start(
    *,
    actor: User,
    organisation: Organisation,
    kind: str,
    perm: Perm,
    task: Task[Any, Any],
    args: dict[str, Any],
    total: int = 0,
    now: datetime | None = None,
) -> Job:
    """Record a job and enqueue ``task(job_id, **args)`` (``args``: JSON values only, never
    personal data: they are stored in the task table). The actor must hold ``perm`` now; the
    task checks again when it runs."""
    permissions.require(actor, perm, organisation)
    moment = now or timezone.now()
    with transaction.atomic():
        job = Job.objects.create(
            owner=actor,
            organisation=organisation,
            kind=kind,
            perm=str(perm),
            language=translation.get_language() or settings.LANGUAGE_CODE,
            total=total,
            created_at=moment,
            expires_at=_expiry(moment),
        )
        log_action(
            actor=actor,
            action="core.job_started",
            organisation=organisation,
            obj=job,
            data={"kind": kind},
        )
    # Outside the transaction: an immediate backend runs the task here, and a worker must find
    # the committed job row.
    task.enqueue(str(job.pk), **args)
    job.refresh_from_db()
    return job


def job_progress(job: Job, done: int, total: int) -> None:
    """Record how far the job is (the task calls this as it goes)."""
    job.done, job.total = max(0, done), max(0, total)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=job.done, total=job.total)


def job_finish(
    job: Job,
    *,
    result: bytes | None = None,
    name: str = "",
    content_type: str = "",
    message: str = "",
    now: datetime | None = None,
) -> None:
    """Mark the job done, with its result file (if any) and a message for the page."""
    moment = now or timezone.now()
    job.status, job.finished_at, job.expires_at = JobStatus.DONE, moment, _expiry(moment)
    job.result, job.result_name, job.result_content_type = result, name, content_type
    job.message = message
    job.done = job.total = max(job.total, job.done)
    job.save()


def job_fail(
    job: Job, *, message: str, problems: list[str] | None = None, now: datetime | None = None
) -> None:
    """Mark the job failed with a translated message (and a list of problems, e.g. an
    import's rows); no result is kept."""
    moment = now or timezone.now()
    job.status, job.finished_at, job.expires_at = JobStatus.FAILED, moment, _expiry(moment)
    job.message, job.problems = message, problems or []
    job.result, job.result_name, job.result_content_type = None, "", ""
    job.save()


def job_run(job_id: str, work: Callable[[Job], None]) -> None:
    """Run ``work(job)`` for a task: in the language of the one who started it; a
    ``DomainError`` fails the job with its message, anything else with a generic message
    (the stack trace goes to the server log only). ``work`` calls ``job_finish`` itself."""
    try:
        job = Job.objects.select_related("owner", "organisation").get(pk=job_id)
    except (Job.DoesNotExist, ValueError, ValidationError):
        logger.warning("job %s no longer exists", job_id)
        return
    if job.is_finished:
        return
    with translation.override(job.language):
        job_progress(job, job.done, job.total)
        try:
            work(job)
        except DomainError as exc:
            job_fail(job, message=exc.message, problems=list(exc.details.get("problems", [])))
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            job_fail(job, message=_("The work failed; nothing was saved. Please try again."))
        else:
            if not Job.objects.filter(pk=job.pk, status=JobStatus.DONE).exists():
                job_finish(job)


def job_for(user: User | AnonymousUser, job_id: uuid.UUID | str) -> Job:
    """The job, if ``user`` started it or holds its permission in its organisation; else
    ``NotFound`` (the same answer as for a job that does not exist)."""
    try:
        job = Job.objects.select_related("organisation").get(pk=job_id)
    except (Job.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("No such job.")) from None
    if not user.is_authenticated:
        raise NotFound(_("No such job."))
    if job.owner_id == user.pk or permissions.has_perm(user, Perm(job.perm), job.organisation):
        return job
    raise NotFound(_("No such job."))


def jobs_purge(*, now: datetime | None = None) -> int:
    """Delete jobs (and their result files) whose time is up; returns how many."""
    moment = now or timezone.now()
    deleted, _per_model = Job.objects.filter(expires_at__lte=moment).delete()
    return deleted
