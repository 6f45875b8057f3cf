"""Many letters are made by a background job (core.jobs): the page shows its progress and the
PDF when done; codes and letters stay one unit of work, so a failing job leaves no code."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from lokalsamfund.core.job_models import Job, JobStatus
from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.surveys import codes, tasks
from lokalsamfund.surveys.models import AnswerCode, SurveyRound
from lokalsamfund.surveys.services import round_close
from lokalsamfund.surveys.views import staff

# A small threshold, so that the tests render few pages.
ABOVE = 2


@pytest.fixture(autouse=True)
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staff, "LETTERS_IN_BACKGROUND_ABOVE", ABOVE)


@pytest.fixture
def survey_round(
    make_round: Callable[..., SurveyRound], org: Organisation, dept_a: Department
) -> SurveyRound:
    return make_round(org, [dept_a])


def _url(survey_round: SurveyRound) -> str:
    return reverse("surveys:letters", args=[survey_round.slug])


def test_up_to_the_threshold_the_pdf_comes_at_once(
    survey_round: SurveyRound, coordinator: User, dept_a: Department, client_for: Any
) -> None:
    response = client_for(coordinator).post(
        _url(survey_round), {"department": dept_a.pk, "count": ABOVE}
    )
    assert response["Content-Type"] == "application/pdf"
    assert not Job.objects.exists()


def test_many_letters_become_a_job_with_progress_and_a_download(
    survey_round: SurveyRound,
    coordinator: User,
    dept_a: Department,
    client_for: Any,
    tmp_path: Path,
) -> None:
    count = ABOVE + 1
    client = client_for(coordinator)
    response = client.post(_url(survey_round), {"department": dept_a.pk, "count": count})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("job", args=[job.pk])
    assert (job.kind, job.owner, job.organisation) == (
        tasks.LETTERS_JOB,
        coordinator,
        survey_round.organisation,
    )
    assert job.status == JobStatus.DONE
    assert (job.done, job.total) == (count, count)
    page = client.get(response["Location"]).content.decode()
    download = reverse("job_download", args=[job.pk])
    assert download in page
    pdf = client.get(download)
    assert pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "breve.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    printed = re.findall(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}\b", text)
    hashes = set(AnswerCode.objects.filter(round=survey_round).values_list("code_hash", flat=True))
    assert len(printed) == count
    assert {codes.code_hash(c, settings.LOKALSAMFUND_HASH_KEY) for c in printed} == hashes
    # The args in the task table name ids only: no code and no resident.
    assert job.result is not None


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("resident", 403),
        ("caretaker", 403),
        # Those without a role in the organisation do not learn that the round exists.
        ("outsider", 404),
        ("no_role", 404),
        ("anonymous", 302),
    ],
)
def test_those_who_may_not_make_letters_start_no_job(
    survey_round: SurveyRound,
    personas: dict[str, User],
    dept_a: Department,
    client_for: Any,
    persona: str,
    status: int,
) -> None:
    user = None if persona == "anonymous" else personas[persona]
    response = client_for(user).post(_url(survey_round), {"department": dept_a.pk, "count": 5})
    assert response.status_code == status
    assert not Job.objects.exists()
    assert not AnswerCode.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 200), ("outsider", 404), ("resident", 404)]
)
def test_the_letters_job_is_seen_by_the_permitted_only(
    survey_round: SurveyRound,
    personas: dict[str, User],
    dept_a: Department,
    client_for: Any,
    persona: str,
    status: int,
) -> None:
    client_for(personas["coordinator"]).post(
        _url(survey_round), {"department": dept_a.pk, "count": 3}
    )
    job = Job.objects.get()
    client = client_for(personas[persona])
    assert client.get(reverse("job", args=[job.pk])).status_code == status
    assert client.get(reverse("job_download", args=[job.pk])).status_code == status


def test_a_failing_letters_job_leaves_no_codes_and_says_so(
    survey_round: SurveyRound,
    coordinator: User,
    dept_a: Department,
    client_for: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(**kwargs: Any) -> bytes:
        raise OSError("font cache at /var/cache is unreadable")

    monkeypatch.setattr(tasks, "letters_pdf", broken)
    client = client_for(coordinator)
    response = client.post(_url(survey_round), {"department": dept_a.pk, "count": 5})
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert AnswerCode.objects.filter(round=survey_round).count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "Arbejdet mislykkedes" in page
    assert "font cache" not in page
    assert reverse("job_download", args=[job.pk]) not in page


def test_a_round_closed_before_the_job_runs_fails_it_with_the_reason(
    survey_round: SurveyRound,
    coordinator: User,
    dept_a: Department,
    client_for: Any,
    settings: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client_for(coordinator).post(_url(survey_round), {"department": dept_a.pk, "count": 5})
    job = Job.objects.get()
    assert job.status == JobStatus.QUEUED
    round_close(actor=SYSTEM, survey_round=survey_round)
    tasks.letters_task.call(
        str(job.pk),
        round_id=survey_round.pk,
        department_id=dept_a.pk,
        count=5,
        base_url="http://x/",
    )
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    with translation.override("da"):
        assert job.message == gettext("The round is closed.")
    assert not AnswerCode.objects.exists()
