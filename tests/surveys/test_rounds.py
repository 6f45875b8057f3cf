"""Rounds through the staff pages: create (draft), open, close (results stored), publish;
tried by the one who may and the ones who may not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lokalsamfund.core.models import AuditEntry, Department, Organisation, User
from lokalsamfund.surveys.models import RoundResults, SurveyLink, SurveyRound


def test_coordinator_runs_a_round_from_the_pages(
    coordinator: User,
    org: Organisation,
    dept_a: Department,
    dept_b: Department,
    client_for: Callable,
    add_responses: Callable[..., Any],
) -> None:
    client = client_for(coordinator)
    assert client.get("/undersoegelser/").status_code == 200
    response = client.post(
        "/undersoegelser/ny/",
        {
            "organisation": org.pk,
            "slug": "maaling-2025",
            "title": "Måling 2025",
            "departments": [dept_a.pk, dept_b.pk],
            "min_cell_size": 5,
        },
    )
    assert response.status_code == 302
    survey_round = SurveyRound.objects.get(slug="maaling-2025")
    assert survey_round.status == "draft"
    assert SurveyLink.objects.filter(round=survey_round).count() == 2
    status_url = "/undersoegelser/maaling-2025/status/"
    client.post(status_url, {"action": "open"})
    survey_round.refresh_from_db()
    assert survey_round.is_open
    page = client.get("/undersoegelser/maaling-2025/").content.decode()
    assert "/s/l/" in page  # the open links
    assert client.get("/undersoegelser/maaling-2025/resultater/").status_code == 200  # not yet
    assert not RoundResults.objects.exists()
    add_responses(survey_round, {"A1": 30, "B1": 20})
    # Closing asks first and says what happens; the close itself is a POST there.
    assert client.post(status_url, {"action": "close"})["Location"].endswith("/luk/")
    confirm = client.get("/undersoegelser/maaling-2025/luk/").content.decode()
    assert "koder" in confirm
    assert "resultaterne beregnes" in confirm
    survey_round.refresh_from_db()
    assert survey_round.is_open
    client.post("/undersoegelser/maaling-2025/luk/")
    survey_round.refresh_from_db()
    assert survey_round.is_closed
    assert RoundResults.objects.get().respondents == 50
    client.post(status_url, {"action": "publish"})
    survey_round.refresh_from_db()
    assert survey_round.summary_published
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"survey.round_created", "survey.round_opened", "survey.round_closed"} <= actions
    assert "survey.summary_published" in actions


def test_minimum_group_size_cannot_go_below_five(
    coordinator: User, org: Organisation, dept_a: Department, client_for: Callable
) -> None:
    response = client_for(coordinator).post(
        "/undersoegelser/ny/",
        {
            "organisation": org.pk,
            "slug": "lille",
            "title": "x",
            "departments": [dept_a.pk],
            "min_cell_size": 3,
        },
    )
    assert response.status_code == 200
    assert not SurveyRound.objects.filter(slug="lille").exists()


def test_who_may_manage_rounds(
    personas: dict[str, User],
    org: Organisation,
    dept_a: Department,
    client_for: Callable,
    make_round: Callable[..., SurveyRound],
) -> None:
    survey_round = make_round(org, [dept_a], slug="r1")
    for name in ("board_member", "resident", "caretaker", "neighbour", "outsider"):
        client = client_for(personas[name])
        if name != "outsider":  # a coordinator elsewhere may create rounds there, not here
            assert client.get("/undersoegelser/ny/").status_code == 403, name
        client.post("/undersoegelser/r1/status/", {"action": "close"})
        client.post("/undersoegelser/r1/luk/")
        survey_round.refresh_from_db()
        assert survey_round.is_open, name
    for name in ("neighbour", "association", "outsider", "no_role"):
        assert client_for(personas[name]).get("/undersoegelser/r1/").status_code == 404, name
    assert client_for(None).get("/undersoegelser/r1/").status_code == 302  # to the login


def test_a_bad_short_name_is_explained_once_without_the_word_slug(
    coordinator: User, client_for: Callable[..., Any], dept_a: Department
) -> None:
    response = client_for(coordinator).post(
        "/undersoegelser/ny/",
        {"slug": "måling 2025!", "title": "T", "departments": [dept_a.pk], "min_cell_size": 5},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "“slug”" not in page
    assert "&quot;slug&quot;" not in page
    assert page.count("korte navn må kun") == 1
