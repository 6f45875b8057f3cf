"""One-time answer codes: only a keyed hash is stored; a code works once, also when two
submissions race; letters are a shuffled A4 PDF with one page per home."""

from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from lokalsamfund.core.errors import Conflict, DomainError
from lokalsamfund.core.models import AuditEntry, Department, Organisation, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.surveys import codes, services
from lokalsamfund.surveys.models import AnswerCode, Channel, SurveyResponse, SurveyRound

from .conftest import blank_answers


@pytest.fixture
def survey_round(
    make_round: Callable[..., SurveyRound], org: Organisation, dept_a: Department
) -> SurveyRound:
    return make_round(org, [dept_a])


def _submit(survey_round: SurveyRound, department: Department, code: str) -> None:
    services.response_submit(
        survey_round=survey_round,
        department=department,
        channel=Channel.CODE,
        answers=blank_answers(trust=4),
        code=code,
    )


def test_only_a_keyed_hash_is_stored(survey_round: SurveyRound, dept_a: Department) -> None:
    [code] = services.codes_generate(
        actor=SYSTEM, survey_round=survey_round, department=dept_a, count=1
    )
    stored = AnswerCode.objects.get()
    assert code not in stored.code_hash
    assert codes.normalise(code) not in stored.code_hash
    assert len(stored.code_hash) == 64
    assert stored.code_hash != codes.code_hash(code, "another key")


def test_a_code_works_once(survey_round: SurveyRound, dept_a: Department) -> None:
    [code] = services.codes_generate(
        actor=SYSTEM, survey_round=survey_round, department=dept_a, count=1
    )
    _submit(survey_round, dept_a, codes.formatted(code).lower())  # typed loosely: still the code
    with pytest.raises(Conflict):
        _submit(survey_round, dept_a, code)
    assert SurveyResponse.objects.count() == 1
    assert AnswerCode.objects.get().used


def test_unknown_code_stores_nothing(survey_round: SurveyRound, dept_a: Department) -> None:
    with pytest.raises(Conflict):
        _submit(survey_round, dept_a, "ABCD-EFGH")
    assert SurveyResponse.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_code_used_twice_at_the_same_time_is_accepted_once(
    make_round: Callable[..., SurveyRound], make_organisation: Callable, make_department: Callable
) -> None:
    organisation = make_organisation()
    department = make_department(organisation, "C1")
    survey_round = make_round(organisation, [department])
    [code] = services.codes_generate(
        actor=SYSTEM, survey_round=survey_round, department=department, count=1
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt() -> None:
        try:
            barrier.wait()
            _submit(survey_round, department, code)
            outcomes.append("stored")
        except DomainError:
            outcomes.append("refused")
        except Exception as exc:  # a database that refuses the second writer also counts
            outcomes.append(f"refused:{type(exc).__name__}")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(o.split(":")[0] for o in outcomes) == ["refused", "stored"]
    assert SurveyResponse.objects.filter(round=survey_round).count() == 1


def test_letters_pdf_one_page_per_home(
    survey_round: SurveyRound, coordinator: User, resident: User, dept_a: Department, tmp_path: Path
) -> None:
    url = f"/undersoegelser/{survey_round.slug}/breve/"
    client = Client()
    client.force_login(coordinator)
    response = client.post(url, {"department": dept_a.pk, "count": 3})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "breve.pdf"
    pdf.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "Pages:           3" in info.stdout
    assert "595.276 x 841.89" in info.stdout  # A4 in points
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    printed = re.findall(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}\b", text)
    assert len(printed) == 3
    assert "/s/" in text
    hashes = set(AnswerCode.objects.filter(round=survey_round).values_list("code_hash", flat=True))
    assert {codes.code_hash(c, settings.LOKALSAMFUND_HASH_KEY) for c in printed} == hashes
    client.force_login(resident)
    assert client.post(url, {"department": dept_a.pk, "count": 3}).status_code == 403


def test_a_failing_pdf_leaves_no_orphan_codes(
    survey_round: SurveyRound, coordinator: User, dept_a: Department, monkeypatch: Any
) -> None:
    """Codes and their letters are one unit of work: when the PDF cannot be made, no code is
    stored (a code without a letter could never be handed out, yet would count as sent)."""

    def broken(**kwargs: Any) -> bytes:
        raise RuntimeError("the PDF renderer failed")

    monkeypatch.setattr("lokalsamfund.surveys.views.staff.letters_pdf", broken)
    client = Client(raise_request_exception=True)
    client.force_login(coordinator)
    with pytest.raises(RuntimeError):
        client.post(
            f"/undersoegelser/{survey_round.slug}/breve/", {"department": dept_a.pk, "count": 25}
        )
    assert AnswerCode.objects.filter(round=survey_round).count() == 0
    assert not AuditEntry.objects.filter(action="survey.codes_generated").exists()
