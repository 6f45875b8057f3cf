"""Wrong answer codes are limited per client address: after the limit even the right code is
refused with a friendly message until the window has passed; other clients are not
affected; nothing about the respondent (address, code, round) is stored."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from lokalsamfund.core.models import Department, LoginFailure, Organisation
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.surveys import codes, services
from lokalsamfund.surveys.models import SurveyRound

LIMIT = 3
ADDRESS = "198.51.100.23"


@pytest.fixture(autouse=True)
def small_limit(settings: object) -> None:
    settings.ANSWER_CODE_FAILURE_LIMIT = LIMIT  # type: ignore[attr-defined]
    settings.ANSWER_CODE_FAILURE_WINDOW_SECONDS = 600  # type: ignore[attr-defined]


@pytest.fixture
def survey_round(
    make_round: Callable[..., SurveyRound], org: Organisation, dept_a: Department
) -> SurveyRound:
    return make_round(org, [dept_a], slug="koder")


@pytest.fixture
def code(survey_round: SurveyRound, dept_a: Department) -> str:
    [new] = services.codes_generate(
        actor=SYSTEM, survey_round=survey_round, department=dept_a, count=1
    )
    return new


def _wrong_codes(client: Client, count: int) -> list[int]:
    return [client.post("/s/", {"code": f"ABCD-EFG{c}"}).status_code for c in "ABCDEFGH"[:count]]


def test_too_many_wrong_codes_lock_the_client_out_even_with_the_right_code(code: str) -> None:
    client = Client(REMOTE_ADDR=ADDRESS)
    assert _wrong_codes(client, LIMIT) == [400] * LIMIT
    response = client.post("/s/", {"code": code})
    assert response.status_code == 429
    page = response.content.decode()
    assert "for mange forkerte koder" in page
    assert "Vent 10 minutter" in page
    assert "Traceback" not in page
    # An older letter's QR code only fills the form: the code is sent by the same door.
    assert Client(REMOTE_ADDR=ADDRESS).get(f"/s/k/{code}/").status_code == 200
    english = client.post("/s/?sprog=en", {"code": code})
    assert "Wait 10 minutes" in english.content.decode()


def test_another_client_is_not_affected(code: str) -> None:
    _wrong_codes(Client(REMOTE_ADDR=ADDRESS), LIMIT)
    other = Client(REMOTE_ADDR="198.51.100.24")
    response = other.post("/s/", {"code": code})
    assert response.status_code == 302
    assert response["Location"] == "/s/start/"


def test_behind_a_proxy_clients_are_told_apart(code: str, settings: object) -> None:
    settings.LOKALSAMFUND_PROXY_COUNT = 1  # type: ignore[attr-defined]
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    guesser = Client(HTTP_X_FORWARDED_FOR=ADDRESS, **proxy)
    _wrong_codes(guesser, LIMIT)
    assert guesser.post("/s/", {"code": code}).status_code == 429
    resident = Client(HTTP_X_FORWARDED_FOR="198.51.100.99", **proxy)
    assert resident.post("/s/", {"code": code}).status_code == 302


def test_the_lock_ends_with_the_window(code: str) -> None:
    client = Client(REMOTE_ADDR=ADDRESS)
    _wrong_codes(client, LIMIT)
    assert client.post("/s/", {"code": code}).status_code == 429
    LoginFailure.objects.update(at=timezone.now() - timedelta(seconds=601))
    assert client.post("/s/", {"code": code}).status_code == 302


def test_malformed_input_is_not_counted(code: str) -> None:
    client = Client(REMOTE_ADDR=ADDRESS)
    for text in ("", "1234", "ABCD-EFG", "ABCD-EFGHJ", "ABCD-EFG0"):  # 0 is not in the alphabet
        assert client.post("/s/", {"code": text}).status_code == 400
    assert not LoginFailure.objects.exists()
    assert client.post("/s/", {"code": code}).status_code == 302


def test_a_right_code_does_not_reset_the_count(code: str) -> None:
    client = Client(REMOTE_ADDR=ADDRESS)
    _wrong_codes(client, LIMIT - 1)
    assert client.post("/s/", {"code": code}).status_code == 302  # not yet used: still valid
    assert _wrong_codes(client, 1) == [400]
    assert client.post("/s/", {"code": code}).status_code == 429


def test_a_used_code_counts_as_a_wrong_one(
    code: str, survey_round: SurveyRound, dept_a: Department
) -> None:
    services.response_submit(
        survey_round=survey_round,
        department=dept_a,
        channel="code",
        answers={"trust": 4},
        code=code,
    )
    client = Client(REMOTE_ADDR=ADDRESS)
    for _ in range(LIMIT):
        assert client.post("/s/", {"code": code}).status_code == 400
    assert client.post("/s/", {"code": code}).status_code == 429


def test_nothing_about_the_respondent_is_stored(code: str, survey_round: SurveyRound) -> None:
    client = Client(REMOTE_ADDR=ADDRESS)
    _wrong_codes(client, LIMIT + 2)
    rows = list(LoginFailure.objects.values())
    assert len(rows) == LIMIT  # refused attempts while locked are not stored either
    assert {field for row in rows for field in row} == {"id", "key", "at"}
    key = django_settings.LOKALSAMFUND_HASH_KEY
    wrong = {codes.normalise(f"ABCD-EFG{c}") for c in "ABC"}
    for row in rows:
        text = row["key"]
        assert ADDRESS not in text
        assert survey_round.slug not in text
        assert not any(c in text or codes.code_hash(c, key) in text for c in wrong)
