"""A large import file is read and stored by a background job (core.jobs): the job page shows
its progress, then the count, or the same line-and-column problems as the upload page, with
nothing stored. The file waits in the job's row (never in the task's arguments) and is
cleared when the job ends. A small file is still imported at once."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lokalsamfund.core import jobs
from lokalsamfund.core.job_models import Job, JobStatus
from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.surveys import importing, services, tasks
from lokalsamfund.surveys.models import SurveyComment, SurveyResponse, SurveyRound
from lokalsamfund.surveys.views import staff

ABOVE = 200  # bytes: a small threshold, so that the tests' files are small

GOOD = "department,trust,comment\n" + "A1,3,\nB1,2,fint\n" * 20 + "A1,4,\n"
BAD = "department,trust\nA1,3\nA1,9\nZ9,2\n" + "A1,1\n" * 40


@pytest.fixture(autouse=True)
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staff, "IMPORT_IN_BACKGROUND_ABOVE_BYTES", ABOVE)


@pytest.fixture
def open_round(
    make_round: Callable[..., SurveyRound],
    org: Organisation,
    dept_a: Department,
    dept_b: Department,
) -> SurveyRound:
    return make_round(org, [dept_a, dept_b])


def _post(client: Client, survey_round: SurveyRound, text: str, name: str = "svar.csv") -> Any:
    upload = io.BytesIO(text.encode())
    upload.name = name
    return client.post(
        reverse("surveys:import", args=[survey_round.slug]),
        {"file": upload},
        HTTP_ACCEPT_LANGUAGE="da",
    )


def test_a_small_file_is_imported_at_once(
    open_round: SurveyRound, coordinator: User, client_for: Callable[[User | None], Client]
) -> None:
    small = "department,trust\nA1,3\nB1,2\n"
    assert len(small) <= ABOVE
    response = _post(client_for(coordinator), open_round, small)
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:round", args=[open_round.slug])
    assert SurveyResponse.objects.count() == 2
    assert not Job.objects.exists()


def test_a_large_file_becomes_a_job_with_progress_and_the_count(
    open_round: SurveyRound,
    coordinator: User,
    client_for: Callable[[User | None], Client],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert len(GOOD) > ABOVE
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 5)
    monkeypatch.setattr(services.imports, "BATCH_SIZE", 10)
    seen: list[tuple[int, int]] = []
    real = jobs.job_progress

    def spy(job: Job, done: int, total: int, **kwargs: Any) -> None:
        seen.append((done, total))
        real(job, done, total, **kwargs)

    monkeypatch.setattr(tasks, "job_progress", spy)
    client = client_for(coordinator)
    response = _post(client, open_round, GOOD)
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("job", args=[job.pk])
    assert (job.kind, job.owner, job.status) == (tasks.IMPORT_JOB, coordinator, JobStatus.DONE)
    assert SurveyResponse.objects.filter(round=open_round).count() == 41
    assert SurveyComment.objects.filter(round=open_round).count() == 20
    # Reading (total not yet known), checking (first half), storing (second half), the end.
    assert (10, 0) in seen  # 10 lines read
    assert (10, 82) in seen  # 10 of 41 rows checked
    assert (41 + 10, 82) in seen  # stored in batches of 10
    assert seen[-1] == (82, 82)
    assert (job.done, job.total) == (82, 82)
    assert job.upload is None  # the file is not kept
    assert job.upload_name == ""
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "41 besvarelser er importeret" in page
    assert reverse("job_download", args=[job.pk]) not in page  # no file to fetch


def test_a_rejected_large_file_lists_lines_and_columns_and_stores_nothing(
    open_round: SurveyRound, coordinator: User, client_for: Callable[[User | None], Client]
) -> None:
    assert len(BAD) > ABOVE
    client = client_for(coordinator)
    response = _post(client, open_round, BAD)
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert SurveyResponse.objects.count() == 0
    assert job.upload is None
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "Filen blev afvist; intet blev gemt" in page
    assert "linje 3, kolonne trust: &#x27;9&#x27; er ikke gyldig" in page
    assert "linje 4, kolonne department: &#x27;Z9&#x27; er ikke gyldig" in page
    assert "hx-trigger" not in page


def test_the_file_is_kept_in_the_job_not_in_the_task_arguments(
    open_round: SurveyRound,
    coordinator: User,
    client_for: Callable[[User | None], Client],
    settings: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    _post(client_for(coordinator), open_round, GOOD)
    job = Job.objects.get()
    assert job.status == JobStatus.QUEUED
    assert bytes(job.upload or b"") == GOOD.encode()
    assert job.upload_name == "svar.csv"
    [queued] = default_task_backend.results  # type: ignore[attr-defined]
    assert queued.kwargs == {"round_id": open_round.pk, "ignore": []}
    assert "B1,2,fint" not in repr(queued.args) + repr(queued.kwargs)
    # The worker runs it later; the file is then cleared.
    tasks.responses_import_task.call(*queued.args, **queued.kwargs)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.upload is None
    assert SurveyResponse.objects.count() == 41


def test_a_round_closed_before_the_job_runs_fails_it_and_stores_nothing(
    open_round: SurveyRound,
    coordinator: User,
    client_for: Callable[[User | None], Client],
    settings: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    _post(client_for(coordinator), open_round, GOOD)
    job = Job.objects.get()
    services.round_close(actor=SYSTEM, survey_round=open_round)
    tasks.responses_import_task.call(str(job.pk), round_id=open_round.pk, ignore=[])
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "open" in job.message.lower() or "åben" in job.message.lower()
    assert SurveyResponse.objects.count() == 0


def test_a_closed_round_starts_no_job(
    open_round: SurveyRound, coordinator: User, client_for: Callable[[User | None], Client]
) -> None:
    services.round_close(actor=SYSTEM, survey_round=open_round)
    response = _post(client_for(coordinator), open_round, GOOD)
    assert response.status_code == 400
    assert not Job.objects.exists()


def test_a_job_stopped_before_its_import_commits_keeps_nothing(
    open_round: SurveyRound,
    coordinator: User,
    client_for: Callable[[User | None], Client],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worker was taken for dead (stale) while it stored the rows: the last progress
    report, inside the transaction, finds the job failed and the import is undone."""
    real = jobs.job_progress

    def taken_for_dead(job: Job, done: int, total: int, **kwargs: Any) -> None:
        if total and done == total:
            Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, message="stale")
        real(job, done, total, **kwargs)

    monkeypatch.setattr(tasks, "job_progress", taken_for_dead)
    _post(client_for(coordinator), open_round, GOOD)
    job = Job.objects.get()
    # (Here the stale marking is undone with the import: it ran in the import's own
    # transaction; a real one comes from another process and stays.)
    assert job.status != JobStatus.DONE
    assert SurveyResponse.objects.count() == 0
    assert SurveyComment.objects.count() == 0


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("outsider", 404), ("resident", 404), ("board_member", 404)],
)
def test_the_import_job_is_seen_by_the_permitted_only(
    open_round: SurveyRound,
    personas: dict[str, User],
    client_for: Callable[[User | None], Client],
    persona: str,
    status: int,
) -> None:
    _post(client_for(personas["coordinator"]), open_round, BAD)
    job = Job.objects.get()
    page = client_for(personas[persona]).get(reverse("job", args=[job.pk]))
    assert page.status_code == status
    if status == 404:
        assert b"Z9" not in page.content


@pytest.mark.parametrize(
    ("persona", "status"),
    [("resident", 403), ("board_member", 403), ("outsider", 404), ("anonymous", 302)],
)
def test_those_who_may_not_import_start_no_job(
    open_round: SurveyRound,
    personas: dict[str, User],
    client_for: Callable[[User | None], Client],
    persona: str,
    status: int,
) -> None:
    user = None if persona == "anonymous" else personas[persona]
    assert _post(client_for(user), open_round, GOOD).status_code == status
    assert not Job.objects.exists()
    assert SurveyResponse.objects.count() == 0
