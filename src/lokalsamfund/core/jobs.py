"""Background jobs: long work (many letters, large imports and exports) run by a worker, with
progress on the page and a download when done.

One mechanism for every domain. A view calls ``job_start`` with a django-tasks task; the task
receives the job's id as its first argument and wraps its work in ``job_run``, which calls
``job_progress`` as it goes, then ``job_finish`` with the result bytes, or ``job_fail`` with a
translated message (a ``DomainError``'s message; any other exception becomes a generic message
and its stack trace goes only to the server log). Only the owner, and others with the job's
permission in its organisation, see it (``job_for``: anyone else gets ``NotFound``); a private
job (e.g. an export of what its owner may see) only its owner. A job may carry the file it
works on (``upload``: an import), kept in the job's row, never in the task's arguments, and
cleared when the job ends. Results are kept ``LOKALSAMFUND_JOB_RESULT_DAYS`` and then deleted
by ``jobs_purge``.

A worker that dies (killed, out of memory, the machine restarted) leaves its job "running".
A running job with no progress for ``STALE_AFTER_MINUTES`` is failed with a message that
says so (``jobs_fail_stale``: when the job is read, and by ``lokalsamfund jobs purge``); a
late worker then finds its job stopped (``JobStopped``) and stores nothing more, since every
progress report and the end are conditional on the job still running.
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

# A running job whose worker has reported nothing for this long is taken as dead (a PDF of
# 5,000 letters reports every 100 letters; the slowest step, printing it, takes minutes).
STALE_AFTER_MINUTES = 30
_UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING)


class JobStopped(Exception):
    """The job was failed (stale) or deleted while its worker still ran: stop, store nothing."""


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
    private: bool = False,
    upload: bytes | None = None,
    upload_name: str = "",
    target: Any = None,
    now: datetime | None = None,
) -> Job:
    """Record a job and enqueue ``task(job_id, **args)`` (``args``: JSON values only, never
    personal data: they are stored in the task table; a file goes in ``upload``). The actor
    must hold ``perm`` on ``target`` (the organisation unless given, e.g. a department) now;
    the task checks again when it runs. A ``private`` job is seen by its owner only."""
    permissions.require(actor, perm, organisation if target is None else target)
    moment = now or timezone.now()
    with transaction.atomic():
        job = Job.objects.create(
            owner=actor,
            organisation=organisation,
            kind=kind,
            perm=str(perm),
            language=translation.get_language() or settings.LANGUAGE_CODE,
            total=total,
            private=private,
            upload=upload,
            upload_name=upload_name[:200],
            created_at=moment,
            updated_at=moment,
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


def job_progress(job: Job, done: int, total: int, *, now: datetime | None = None) -> None:
    """Record how far the job is (the task calls this as it goes; it is also the worker's sign
    of life). Raises ``JobStopped`` if the job was failed as stale or deleted meanwhile: inside
    a transaction, that undoes the work (the update also holds the job's row until commit)."""
    job.done, job.total = max(0, done), max(0, total)
    job.updated_at = now or timezone.now()
    updated = Job.objects.filter(pk=job.pk, status__in=_UNFINISHED).update(
        status=JobStatus.RUNNING, done=job.done, total=job.total, updated_at=job.updated_at
    )
    if updated != 1:
        raise JobStopped(str(job.pk))
    job.status = JobStatus.RUNNING


def _end(job: Job, **fields: Any) -> None:
    """Save the job's end, unless it has ended already (failed as stale): ``JobStopped``."""
    fields |= {"upload": None, "upload_name": "", "updated_at": fields["finished_at"]}
    updated = Job.objects.filter(pk=job.pk, status__in=_UNFINISHED).update(**fields)
    if updated != 1:
        raise JobStopped(str(job.pk))
    for name, value in fields.items():
        setattr(job, name, value)


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
    total = max(job.total, job.done)
    _end(
        job,
        status=JobStatus.DONE,
        finished_at=moment,
        expires_at=_expiry(moment),
        result=result,
        result_name=name,
        result_content_type=content_type,
        message=message,
        done=total,
        total=total,
    )


def job_fail(
    job: Job, *, message: str, problems: list[str] | None = None, now: datetime | None = None
) -> None:
    """Mark the job failed with a translated message (and a list of problems, e.g. an
    import's rows); no result is kept."""
    moment = now or timezone.now()
    _end(
        job,
        status=JobStatus.FAILED,
        finished_at=moment,
        expires_at=_expiry(moment),
        message=message,
        problems=problems or [],
        result=None,
        result_name="",
        result_content_type="",
    )


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
        try:
            job_progress(job, job.done, job.total)
            try:
                work(job)
            except DomainError as exc:
                job_fail(job, message=exc.message, problems=list(exc.details.get("problems", [])))
            except JobStopped:
                raise
            except Exception:
                logger.exception("job %s (%s) failed", job.pk, job.kind)
                job_fail(job, message=_("The work failed; nothing was saved. Please try again."))
            else:
                if not Job.objects.filter(pk=job.pk, status=JobStatus.DONE).exists():
                    job_finish(job)
        except JobStopped:
            logger.warning("job %s (%s) was stopped while its worker ran", job.pk, job.kind)


def job_for(user: User | AnonymousUser, job_id: uuid.UUID | str) -> Job:
    """The job, if ``user`` started it or holds its permission in its organisation; else
    ``NotFound`` (the same answer as for a job that does not exist)."""
    try:
        job = Job.objects.select_related("organisation").get(pk=job_id)
    except (Job.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("No such job.")) from None
    if not user.is_authenticated:
        raise NotFound(_("No such job."))
    if job.owner_id == user.pk or (
        not job.private and permissions.has_perm(user, Perm(job.perm), job.organisation)
    ):
        if job.status == JobStatus.RUNNING and jobs_fail_stale(job_id=job.pk):
            job.refresh_from_db()
        return job
    raise NotFound(_("No such job."))


def jobs_fail_stale(*, job_id: uuid.UUID | None = None, now: datetime | None = None) -> int:
    """Fail running jobs whose worker has shown no sign of life for ``STALE_AFTER_MINUTES``
    (all such jobs, or the one ``job_id``), in the language of the one who started each, with
    a message that says to start it again; returns how many."""
    moment = now or timezone.now()
    stale = Job.objects.filter(
        status=JobStatus.RUNNING, updated_at__lt=moment - timedelta(minutes=STALE_AFTER_MINUTES)
    )
    if job_id is not None:
        stale = stale.filter(pk=job_id)
    failed = 0
    for job in stale:
        with translation.override(job.language):
            message = _(
                "The work stopped without finishing (the background worker stopped). Start it "
                "again."
            )
        try:
            job_fail(job, message=message, now=moment)
        except JobStopped:
            continue  # it ended meanwhile
        logger.warning("job %s (%s) stopped without finishing", job.pk, job.kind)
        failed += 1
    return failed


def jobs_purge(*, now: datetime | None = None) -> int:
    """Fail stale jobs, then delete jobs (and their result files) whose time is up; returns
    how many were deleted."""
    moment = now or timezone.now()
    jobs_fail_stale(now=moment)
    deleted, _per_model = Job.objects.filter(expires_at__lte=moment).delete()
    return deleted
