"""Many activation letters are made by a private background job (core.jobs); codes and PDF
are one unit of work on both paths, so a failing PDF leaves no code that no letter carries."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from lokalsamfund.core import codes
from lokalsamfund.core.job_models import Job, JobStatus
from lokalsamfund.core.models import User
from lokalsamfund.residents import tasks
from lokalsamfund.residents.models import ActivationCode, Tenancy
from lokalsamfund.residents.views import staff

ABOVE = 2  # a small threshold, so that the tests render few pages
URL = "/beboere/test-org/breve/"


@pytest.fixture(autouse=True)
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staff, "LETTERS_IN_BACKGROUND_ABOVE", ABOVE)


def _all(tenancies: list[Tenancy]) -> dict[str, list[int]]:
    return {"tenancy": [t.pk for t in tenancies]}


def test_up_to_the_threshold_the_pdf_comes_at_once(
    admin_user: User, tenancies: list[Tenancy], client_for: Callable[[User | None], Client]
) -> None:
    response = client_for(admin_user).post(URL, _all(tenancies[:ABOVE]))
    assert response["Content-Type"] == "application/pdf"
    assert not Job.objects.exists()
    assert ActivationCode.objects.count() == ABOVE


def test_many_letters_become_a_private_job_with_a_download(
    admin_user: User,
    tenancies: list[Tenancy],
    client_for: Callable[[User | None], Client],
    tmp_path: Path,
) -> None:
    client = client_for(admin_user)
    response = client.post(URL, _all(tenancies))
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("job", args=[job.pk])
    assert (job.kind, job.owner, job.private, job.status) == (
        tasks.LETTERS_JOB,
        admin_user,
        True,
        JobStatus.DONE,
    )
    assert (job.done, job.total) == (3, 3)
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
    printed = set(re.findall(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}\b", text))
    stored = set(ActivationCode.objects.values_list("code_hash", flat=True))
    assert len(printed) == 3
    assert {codes.code_hash(c, settings.LOKALSAMFUND_HASH_KEY) for c in printed} == stored


@pytest.mark.parametrize(
    "persona",
    ["coordinator", "outsider", "caretaker", "board_member", "resident", "no_role"],
)
def test_only_the_one_who_made_the_letters_sees_the_job(
    personas: dict[str, User],
    tenancies: list[Tenancy],
    client_for: Callable[[User | None], Client],
    persona: str,
) -> None:
    """The coordinator may make letters too, but does not get the admin's codes."""
    client_for(personas["admin"]).post(URL, _all(tenancies))
    job = Job.objects.get()
    client = client_for(personas[persona])
    assert client.get(reverse("job", args=[job.pk])).status_code == 404
    download = client.get(reverse("job_download", args=[job.pk]))
    assert download.status_code == 404
    assert not download.content.startswith(b"%PDF")


@pytest.mark.parametrize("persona", ["outsider", "caretaker", "resident", "no_role"])
def test_those_who_may_not_make_letters_start_no_job(
    personas: dict[str, User],
    tenancies: list[Tenancy],
    client_for: Callable[[User | None], Client],
    persona: str,
) -> None:
    assert client_for(personas[persona]).post(URL, _all(tenancies)).status_code == 403
    assert not Job.objects.exists()
    assert not ActivationCode.objects.exists()


@pytest.mark.parametrize("count", [ABOVE, ABOVE + 1])  # at once, and as a job
def test_a_failing_pdf_leaves_no_codes(
    admin_user: User,
    tenancies: list[Tenancy],
    client_for: Callable[[User | None], Client],
    monkeypatch: pytest.MonkeyPatch,
    count: int,
) -> None:
    def broken(**kwargs: Any) -> bytes:
        raise OSError("font cache at /var/cache is unreadable")

    monkeypatch.setattr(tasks, "activation_letters_pdf", broken)
    monkeypatch.setattr(staff, "activation_letters_pdf", broken)
    client = client_for(admin_user)
    if count > ABOVE:
        response = client.post(URL, _all(tenancies[:count]))
        job = Job.objects.get()
        assert job.status == JobStatus.FAILED
        page = client.get(response["Location"]).content.decode()
        assert "Arbejdet mislykkedes" in page
        assert "font cache" not in page
    else:
        with pytest.raises(OSError, match="font cache"):
            client.post(URL, _all(tenancies[:count]))
    assert not ActivationCode.objects.exists()
    assert not Tenancy.objects.filter(letter_at__isnull=False).exists()


def test_a_moved_out_tenancy_is_refused_before_a_job_starts(
    admin_user: User, tenancies: list[Tenancy], client_for: Callable[[User | None], Client]
) -> None:
    Tenancy.objects.filter(pk=tenancies[0].pk).update(moved_out="2026-01-01")
    response = client_for(admin_user).post(URL, _all(tenancies))
    assert response.status_code == 302
    assert response["Location"] == "/beboere/test-org/"
    assert not Job.objects.exists()
    assert not ActivationCode.objects.exists()
