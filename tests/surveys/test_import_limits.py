"""The upload page with the hostile files of issue 9 point 8: each gets a short, translated
message (not a 500, not a 29 MB page), and nothing is stored: a small file at once with a
400, a large one (above ``IMPORT_IN_BACKGROUND_ABOVE_BYTES``) on its background job's page."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from lokalsamfund.core.job_models import Job, JobStatus
from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.surveys.models import SurveyResponse, SurveyRound


@pytest.fixture
def open_round(
    make_round: Callable[..., SurveyRound],
    org: Organisation,
    dept_a: Department,
    dept_b: Department,
) -> SurveyRound:
    return make_round(org, [dept_a, dept_b])


def _post(client: object, survey_round: SurveyRound, data: bytes, name: str = "svar.csv") -> object:
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(  # type: ignore[attr-defined]
        f"/undersoegelser/{survey_round.slug}/import/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="da"
    )


def test_400000_valid_rows_are_refused_at_the_row_limit(
    open_round: SurveyRound, coordinator: User, client_for: Callable
) -> None:
    data = b"department,trust\n" + b"A1,3\n" * 400_000
    client = client_for(coordinator)
    response = _post(client, open_round, data)
    job = Job.objects.get()  # 2 MB: a background job
    assert response["Location"] == f"/job/{job.pk}/"  # type: ignore[index]
    assert job.status == JobStatus.FAILED
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="da")  # type: ignore[index]
    assert "mere end 100.000 rækker" in page.content.decode()
    assert SurveyResponse.objects.count() == 0


def test_a_field_over_128_kib_is_a_message(
    open_round: SurveyRound, coordinator: User, client_for: Callable
) -> None:
    data = b"department,comment\nA1," + b"x" * (129 * 1024) + b"\n"
    response = _post(client_for(coordinator), open_round, data)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "linje 2" in response.content.decode()  # type: ignore[attr-defined]
    assert SurveyResponse.objects.count() == 0


def test_200000_unknown_columns_give_a_short_page(
    open_round: SurveyRound, coordinator: User, client_for: Callable
) -> None:
    header = ",".join(f"x{i}" for i in range(200_000)).encode()
    client = client_for(coordinator)
    response = _post(client, open_round, header + b"\nA1\n")
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="da")  # type: ignore[index]
    assert Job.objects.get().status == JobStatus.FAILED  # 1.3 MB: a background job
    assert len(page.content) < 50_000
    assert "200.000" in page.content.decode()


def test_many_bad_rows_show_50_messages_and_a_count(
    open_round: SurveyRound, coordinator: User, client_for: Callable
) -> None:
    data = b"department,trust\n" + b"Z9,3\n" * 300
    response = _post(client_for(coordinator), open_round, data)
    page = response.content.decode()  # type: ignore[attr-defined]
    assert page.count("kolonne department") == 50
    assert "250 fejl mere" in page
    assert SurveyResponse.objects.count() == 0


def test_the_upload_page_states_the_limits(
    open_round: SurveyRound, coordinator: User, client_for: Callable, settings: object
) -> None:
    settings.LOKALSAMFUND_TABLE_MAX_ROWS = 5000  # type: ignore[attr-defined]
    page = client_for(coordinator).get(
        f"/undersoegelser/{open_round.slug}/import/", HTTP_ACCEPT_LANGUAGE="da"
    )
    assert "højst fylde 20 MB og have 5.000 rækker" in page.content.decode()


def test_only_those_who_manage_surveys_may_upload(
    open_round: SurveyRound, personas: dict[str, User], client_for: Callable
) -> None:
    data = b"department,trust\n" + b"A1,3\n"
    for name in ("board_member", "caretaker", "resident"):
        assert _post(client_for(personas[name]), open_round, data).status_code == 403  # type: ignore[attr-defined]
    # Another organisation's staff do not learn that the round exists (docs/security.md).
    assert _post(client_for(personas["outsider"]), open_round, data).status_code == 404  # type: ignore[attr-defined]
    anonymous = _post(client_for(None), open_round, data)
    assert anonymous.status_code == 302  # type: ignore[attr-defined]
    assert SurveyResponse.objects.count() == 0
