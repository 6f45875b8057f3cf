"""The results export of a large round (more departments than
``EXPORT_IN_BACKGROUND_ABOVE_DEPARTMENTS``) is made by a private background job: the export
address explains and offers a button, the button starts the job, and only the one who started
it may see the job and fetch the file (not a colleague, not another organisation)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lokalsamfund.core.job_models import Job, JobStatus
from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.surveys import tasks
from lokalsamfund.surveys.models import SurveyRound

XLSX = tasks.XLSX_TYPE


@pytest.fixture(autouse=True)
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks, "EXPORT_IN_BACKGROUND_ABOVE_DEPARTMENTS", 1)


@pytest.fixture
def large_round(
    make_closed_round: Callable[..., SurveyRound],
    org: Organisation,
    dept_a: Department,
    dept_b: Department,
) -> SurveyRound:
    return make_closed_round(org, [dept_a, dept_b], {"A1": 30, "B1": 30})


def _url(survey_round: SurveyRound) -> str:
    return reverse("surveys:export_xlsx", args=[survey_round.slug])


def test_a_small_round_is_exported_at_once(
    make_closed_round: Callable[..., SurveyRound],
    org: Organisation,
    dept_a: Department,
    coordinator: User,
    client_for: Callable[[User | None], Client],
) -> None:
    small = make_closed_round(org, [dept_a], {"A1": 30})
    response = client_for(coordinator).get(_url(small))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert not Job.objects.exists()


def test_a_large_round_asks_then_makes_the_file_in_a_private_job(
    large_round: SurveyRound, coordinator: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(coordinator)
    asked = client.get(_url(large_round), HTTP_ACCEPT_LANGUAGE="da")
    assert asked.status_code == 200
    assert 'method="post"' in asked.content.decode()
    assert "2 afdelinger" in asked.content.decode()
    assert not Job.objects.exists()  # a GET starts nothing
    response = client.post(_url(large_round))
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("job", args=[job.pk])
    assert (job.kind, job.owner, job.private, job.status) == (
        tasks.EXPORT_JOB,
        coordinator,
        True,
        JobStatus.DONE,
    )
    page = client.get(response["Location"]).content.decode()
    download = reverse("job_download", args=[job.pk])
    assert download in page
    fetched = client.get(download)
    assert fetched.status_code == 200
    assert fetched["Content-Type"] == XLSX
    assert f"resultater-{large_round.slug}.xlsx" in fetched["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(fetched.content), read_only=True).worksheets[0]
    departments = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert {"A1", "B1"} <= departments
    assert job.total == job.done > 0


@pytest.mark.parametrize(
    "persona",
    [
        "admin",  # a colleague who may see the same results: still not the owner's file
        "board_member",
        "caretaker",
        "resident",
        "outsider",  # another organisation's coordinator
        "no_role",
    ],
)
def test_only_the_one_who_started_the_export_sees_it(
    large_round: SurveyRound,
    personas: dict[str, User],
    client_for: Callable[[User | None], Client],
    persona: str,
) -> None:
    client_for(personas["coordinator"]).post(_url(large_round))
    job = Job.objects.get()
    client = client_for(personas[persona])
    assert client.get(reverse("job", args=[job.pk])).status_code == 404
    download = client.get(reverse("job_download", args=[job.pk]))
    assert download.status_code == 404
    assert not download.content.startswith(b"PK")


def test_anonymous_is_sent_to_the_login(
    large_round: SurveyRound, coordinator: User, client_for: Callable[[User | None], Client]
) -> None:
    client_for(coordinator).post(_url(large_round))
    job = Job.objects.get()
    for name in ("job", "job_download"):
        assert client_for(None).get(reverse(name, args=[job.pk])).status_code == 302


@pytest.mark.parametrize(
    ("persona", "status"),
    [("resident", 403), ("caretaker", 403), ("outsider", 404), ("no_role", 404)],
)
def test_those_who_may_not_see_results_start_no_export(
    large_round: SurveyRound,
    personas: dict[str, User],
    client_for: Callable[[User | None], Client],
    persona: str,
    status: int,
) -> None:
    client = client_for(personas[persona])
    assert client.get(_url(large_round)).status_code == status
    assert client.post(_url(large_round)).status_code == status
    assert not Job.objects.exists()


def test_the_export_job_reads_the_owners_rights_when_it_runs(
    large_round: SurveyRound,
    coordinator: User,
    client_for: Callable[[User | None], Client],
    settings: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client_for(coordinator).post(_url(large_round))
    job = Job.objects.get()
    coordinator.memberships.all().delete()  # the coordinator left before the worker ran
    tasks.results_export_task.call(str(job.pk), round_id=large_round.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.result is None
