"""The page of a background job: a progress bar that htmx refreshes, and its download."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .errors import NotFound
from .job_models import Job
from .jobs import job_for

# Seconds between two looks at the progress (htmx polls; without JavaScript a refresh link).
POLL_SECONDS = 1


def _job(request: HttpRequest, job_id: uuid.UUID) -> Job:
    try:
        return job_for(request.user, job_id)
    except NotFound as exc:
        raise Http404 from exc


@login_required
@require_GET
def job_status(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """The whole page, or (for htmx) only the progress fragment."""
    job = _job(request, job_id)
    template = "core/job_progress.html" if request.headers.get("HX-Request") else "core/job.html"
    response = render(request, template, {"job": job, "poll_seconds": POLL_SECONDS})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def job_download(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = _job(request, job_id)
    if not job.has_result or job.result is None:
        raise Http404
    response = HttpResponse(bytes(job.result), content_type=job.result_content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.result_name}"'
    response["Cache-Control"] = "no-store"
    return response
