"""Background jobs (core.jobs): who sees a job, its progress page and download, failures
with a translated message, purging, and a real run by the database backend's worker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from lokalsamfund.core.errors import Conflict
from lokalsamfund.core.job_models import Job, JobStatus
from lokalsamfund.core.jobs import (
    STALE_AFTER_MINUTES,
    JobStopped,
    job_finish,
    job_progress,
    job_run,
    job_start,
    jobs_fail_stale,
    jobs_purge,
)
from lokalsamfund.core.models import AuditEntry, Organisation, User
from lokalsamfund.core.permissions import Perm

KIND = "test.echo"


@task()
def echo_task(job_id: str, *, text: str) -> None:
    def work(job: Job) -> None:
        job_progress(job, 1, 2)
        job_finish(job, result=text.encode(), name="svar.txt", content_type="text/plain")

    job_run(job_id, work)


@task()
def refusing_task(job_id: str) -> None:
    def work(job: Job) -> None:
        raise Conflict("Runden er lukket.")

    job_run(job_id, work)


@task()
def crashing_task(job_id: str) -> None:
    def work(job: Job) -> None:
        raise RuntimeError("secret internals /srv/data")

    job_run(job_id, work)


def _start(user: User, org: Organisation, task_: object = echo_task, **args: object) -> Job:
    return job_start(
        actor=user,
        organisation=org,
        kind=KIND,
        perm=Perm.MANAGE_SURVEYS,
        task=task_,  # type: ignore[arg-type]
        args=args,
    )


def test_a_job_runs_and_its_owner_downloads_the_result(
    coordinator: User, org: Organisation, client_for: Callable[[User | None], Client]
) -> None:
    job = _start(coordinator, org, text="hej")
    assert job.status == JobStatus.DONE
    page = client_for(coordinator).get(reverse("job", args=[job.pk]))
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    download = reverse("job_download", args=[job.pk])
    assert download in page.content.decode()
    response = client_for(coordinator).get(download)
    assert response.status_code == 200
    assert response.content == b"hej"
    assert "svar.txt" in response["Content-Disposition"]
    assert AuditEntry.objects.filter(action="core.job_started", object_id=str(job.pk)).exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),  # the owner
        ("admin", 200),  # holds the job's permission in the organisation
        ("caretaker", 404),
        ("board_member", 404),
        ("resident", 404),
        ("outsider", 404),  # another organisation's coordinator
        ("no_role", 404),
    ],
)
def test_only_the_owner_and_the_permitted_see_a_job(
    personas: dict[str, User],
    org: Organisation,
    client_for: Callable[[User | None], Client],
    persona: str,
    status: int,
) -> None:
    job = _start(personas["coordinator"], org, text="hemmeligt")
    client = client_for(personas[persona])
    assert client.get(reverse("job", args=[job.pk])).status_code == status
    download = client.get(reverse("job_download", args=[job.pk]))
    assert download.status_code == status
    if status == 404:
        assert b"hemmeligt" not in download.content


def test_the_anonymous_visitor_is_sent_to_the_login(
    coordinator: User, org: Organisation, client_for: Callable[[User | None], Client]
) -> None:
    job = _start(coordinator, org, text="hemmeligt")
    for name in ("job", "job_download"):
        response = client_for(None).get(reverse(name, args=[job.pk]))
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_an_unknown_job_is_not_found(
    coordinator: User, client_for: Callable[[User | None], Client]
) -> None:
    url = reverse("job", args=["6f1d3c2e-0000-4000-8000-000000000000"])
    assert client_for(coordinator).get(url).status_code == 404


def test_a_running_job_polls_and_offers_a_refresh_link(
    coordinator: User,
    org: Organisation,
    client_for: Callable[[User | None], Client],
    settings: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = _start(coordinator, org, text="hej")
    job_progress(job, 3, 10)  # half-way, as a worker leaves it while it runs
    url = reverse("job", args=[job.pk])
    whole = client_for(coordinator).get(url).content.decode()
    assert '<progress max="10" value="3">' in whole
    assert f'hx-get="{url}"' in whole
    assert 'hx-trigger="every 1s"' in whole
    assert f'href="{url}"' in whole  # without JavaScript: a refresh link
    fragment = client_for(coordinator).get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert '<progress max="10" value="3">' in fragment
    assert reverse("job_download", args=[job.pk]) not in fragment
    assert client_for(coordinator).get(reverse("job_download", args=[job.pk])).status_code == 404


def test_a_finished_job_stops_polling(
    coordinator: User, org: Organisation, client_for: Callable[[User | None], Client]
) -> None:
    job = _start(coordinator, org, text="hej")
    page = client_for(coordinator).get(reverse("job", args=[job.pk])).content.decode()
    assert "hx-trigger" not in page


def test_a_refused_job_shows_the_domain_message(
    coordinator: User, org: Organisation, client_for: Callable[[User | None], Client]
) -> None:
    job = _start(coordinator, org, task_=refusing_task)
    assert job.status == JobStatus.FAILED
    assert job.result is None
    page = client_for(coordinator).get(reverse("job", args=[job.pk])).content.decode()
    assert "Runden er lukket." in page
    assert "hx-trigger" not in page


def test_a_crashing_job_shows_a_translated_message_and_no_stack_trace(
    coordinator: User, org: Organisation, client_for: Callable[[User | None], Client]
) -> None:
    job = _start(coordinator, org, task_=crashing_task)
    assert job.status == JobStatus.FAILED
    page = client_for(coordinator).get(reverse("job", args=[job.pk])).content.decode()
    assert "Arbejdet mislykkedes" in page
    assert "secret internals" not in page
    assert "Traceback" not in page


def test_a_job_needs_the_permission_to_start(resident: User, org: Organisation) -> None:
    from lokalsamfund.core.errors import Forbidden

    with pytest.raises(Forbidden):
        _start(resident, org, text="x")
    assert not Job.objects.exists()


def test_expired_jobs_are_purged(coordinator: User, org: Organisation) -> None:
    old = _start(coordinator, org, text="gammel")
    fresh = _start(coordinator, org, text="ny")
    now = timezone.now()
    Job.objects.filter(pk=old.pk).update(expires_at=now - timedelta(seconds=1))
    assert jobs_purge(now=now) == 1
    assert list(Job.objects.all()) == [fresh]


def test_results_are_kept_for_the_set_number_of_days(
    coordinator: User, org: Organisation, settings: object
) -> None:
    settings.LOKALSAMFUND_JOB_RESULT_DAYS = 2  # type: ignore[attr-defined]
    job = _start(coordinator, org, text="hej")
    assert job.finished_at is not None
    assert jobs_purge(now=job.finished_at + timedelta(days=2) - timedelta(seconds=1)) == 0
    assert jobs_purge(now=job.finished_at + timedelta(days=2)) == 1


def test_the_purge_command(coordinator: User, org: Organisation) -> None:
    job = _start(coordinator, org, text="hej")
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(days=1))
    call_command("jobs", "purge", verbosity=0)
    assert not Job.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_database_backend_and_its_worker_run_a_job(
    coordinator: User, org: Organisation, settings: object
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # type: ignore[attr-defined]
    job = _start(coordinator, org, text="fra arbejderen")
    assert job.status == JobStatus.QUEUED
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert bytes(job.result or b"") == b"fra arbejderen"


# A private job: its owner only ---------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [("coordinator", 200), ("admin", 404)])
def test_a_private_job_is_seen_by_its_owner_only(
    personas: dict[str, User],
    org: Organisation,
    client_for: Callable[[User | None], Client],
    persona: str,
    status: int,
) -> None:
    job = job_start(
        actor=personas["coordinator"],
        organisation=org,
        kind=KIND,
        perm=Perm.MANAGE_SURVEYS,
        task=echo_task,
        args={"text": "mit eget"},
        private=True,
    )
    client = client_for(personas[persona])
    assert client.get(reverse("job", args=[job.pk])).status_code == status
    assert client.get(reverse("job_download", args=[job.pk])).status_code == status


# Stale jobs: a worker that died ----------------------------------------------------------


@pytest.fixture
def running_job(coordinator: User, org: Organisation, settings: Any) -> Job:
    """A job a worker has begun (3 of 10) and then, as far as anyone can tell, left."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = _start(coordinator, org, text="hej")
    job_progress(job, 3, 10)
    return job


def test_a_running_job_without_progress_is_shown_as_stopped(
    running_job: Job,
    coordinator: User,
    client_for: Callable[[User | None], Client],
    clock: time_machine.Coordinates,
) -> None:
    url = reverse("job", args=[running_job.pk])
    clock.shift(timedelta(minutes=STALE_AFTER_MINUTES - 1))
    page = client_for(coordinator).get(url).content.decode()
    assert "hx-trigger" in page  # still running: the worker may be busy
    running_job.refresh_from_db()
    assert running_job.status == JobStatus.RUNNING
    clock.shift(timedelta(minutes=2))
    page = client_for(coordinator).get(url, HTTP_ACCEPT_LANGUAGE="da").content.decode()
    running_job.refresh_from_db()
    assert running_job.status == JobStatus.FAILED
    assert "stoppede uden at blive færdigt" in page
    assert "Start det igen" in page
    assert "hx-trigger" not in page


def test_progress_keeps_a_long_job_alive(
    running_job: Job,
    coordinator: User,
    client_for: Callable[[User | None], Client],
    clock: time_machine.Coordinates,
) -> None:
    for done in (4, 5, 6):
        clock.shift(timedelta(minutes=STALE_AFTER_MINUTES - 1))
        job_progress(running_job, done, 10)
    clock.shift(timedelta(minutes=STALE_AFTER_MINUTES - 1))
    assert client_for(coordinator).get(reverse("job", args=[running_job.pk])).status_code == 200
    running_job.refresh_from_db()
    assert running_job.status == JobStatus.RUNNING


def test_a_waiting_job_is_not_stale(
    coordinator: User, org: Organisation, settings: Any, clock: time_machine.Coordinates
) -> None:
    """Queued jobs wait for a free worker however long that takes: they are not failed."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = _start(coordinator, org, text="hej")
    clock.shift(timedelta(hours=5))
    assert jobs_fail_stale() == 0
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED


def test_the_purge_command_fails_stale_jobs(
    running_job: Job, clock: time_machine.Coordinates
) -> None:
    clock.shift(timedelta(minutes=STALE_AFTER_MINUTES + 1))
    call_command("jobs", "purge", verbosity=0)
    running_job.refresh_from_db()
    assert running_job.status == JobStatus.FAILED
    assert running_job.finished_at == timezone.now()
    assert "start it again" in running_job.message.lower() or "Start det igen" in (
        running_job.message
    )


def test_a_late_worker_finds_its_job_stopped_and_changes_nothing(
    running_job: Job, clock: time_machine.Coordinates
) -> None:
    clock.shift(timedelta(minutes=STALE_AFTER_MINUTES + 1))
    assert jobs_fail_stale() == 1
    with pytest.raises(JobStopped):
        job_progress(running_job, 7, 10)
    with pytest.raises(JobStopped):
        job_finish(running_job, result=b"for sent", name="x.txt", content_type="text/plain")
    echo_task.call(str(running_job.pk), text="for sent")  # a second run is refused, too
    running_job.refresh_from_db()
    assert running_job.status == JobStatus.FAILED
    assert running_job.result is None
