"""Every survey page and API endpoint, tried by every persona: the ones who may, and the ones
who may not (403/404, or the login for the anonymous), and never another organisation's
rounds. Each row is a rule of docs/surveys.md ("who sees what")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.surveys import services
from lokalsamfund.surveys.models import SurveyRound

PERSONAS = (
    "admin",
    "coordinator",
    "caretaker",
    "board_member",
    "resident",
    "neighbour",
    "association",
    "outsider",
    "no_role",
    "anonymous",
)
LOGIN = 302  # an anonymous visitor is sent to the login page


def _row(*statuses: int) -> dict[str, int]:
    return dict(zip(PERSONAS, statuses, strict=True))


# (method, path, data): status per persona. "aaben" is an open round, "lukket" a closed one
# with a published summary; both over A1 and B1, where the department-bound personas
# (caretaker, board member, resident) belong to A1.
PAGES: list[tuple[str, str, dict[str, Any], dict[str, int]]] = [
    # A coordinator elsewhere (outsider) may create rounds, in its own organisation only.
    ("get", "/undersoegelser/ny/", {}, _row(200, 200, 403, 403, 403, 403, 403, 200, 403, LOGIN)),
    ("get", "/undersoegelser/aaben/", {}, _row(200, 200, 200, 200, 200, 404, 404, 404, 404, LOGIN)),
    # Opening an open round is refused with a message (302 back to the round), changes nothing.
    (
        "post",
        "/undersoegelser/aaben/status/",
        {"action": "open"},
        _row(302, 302, 403, 403, 403, 404, 404, 404, 404, LOGIN),
    ),
    # An incomplete letters form: back to the round with a message, for those who may.
    (
        "post",
        "/undersoegelser/aaben/breve/",
        {},
        _row(302, 302, 403, 403, 403, 404, 404, 404, 404, LOGIN),
    ),
    # Closing asks first; the page is for those who manage the round.
    (
        "get",
        "/undersoegelser/aaben/luk/",
        {},
        _row(200, 200, 403, 403, 403, 404, 404, 404, 404, LOGIN),
    ),
    # Switching an open link (here: on, as it is) and its QR code: the round's managers.
    (
        "post",
        "/undersoegelser/aaben/links/A1/",
        {"active": "1"},
        _row(302, 302, 403, 403, 403, 404, 404, 404, 404, LOGIN),
    ),
    (
        "get",
        "/undersoegelser/aaben/links/A1/qr.svg",
        {},
        _row(200, 200, 403, 403, 403, 404, 404, 404, 404, LOGIN),
    ),
    (
        "get",
        "/undersoegelser/aaben/papir/",
        {},
        _row(200, 200, 200, 403, 403, 404, 404, 404, 404, LOGIN),
    ),
    (
        "get",
        "/undersoegelser/aaben/import/",
        {},
        _row(200, 200, 403, 403, 403, 404, 404, 404, 404, LOGIN),
    ),
    (
        "get",
        "/undersoegelser/lukket/resultater/",
        {},
        _row(200, 200, 403, 200, 403, 404, 404, 404, 404, LOGIN),
    ),
    (
        "get",
        "/undersoegelser/lukket/resultater/A1/",
        {},
        _row(200, 200, 403, 200, 403, 404, 404, 404, 404, LOGIN),
    ),
    (
        "get",
        "/undersoegelser/lukket/resultater/B1/",
        {},
        _row(200, 200, 403, 403, 403, 404, 404, 404, 404, LOGIN),
    ),
    (
        "get",
        "/undersoegelser/lukket/opsummering/A1/",
        {},
        _row(200, 200, 403, 200, 200, 404, 404, 404, 404, LOGIN),
    ),
    (
        "get",
        "/undersoegelser/lukket/opsummering/B1/",
        {},
        _row(200, 200, 403, 403, 403, 404, 404, 404, 404, LOGIN),
    ),
    (
        "get",
        "/undersoegelser/lukket/resultater.xlsx",
        {},
        _row(200, 200, 403, 200, 403, 404, 404, 404, 404, LOGIN),
    ),
    # Free text: the organisation's coordinators only (not even its administrator).
    (
        "get",
        "/undersoegelser/lukket/kommentarer/",
        {},
        _row(403, 200, 403, 403, 403, 404, 404, 404, 404, LOGIN),
    ),
    (
        "post",
        "/undersoegelser/lukket/kommentarer/",
        {"comment": "x"},
        _row(403, 404, 403, 403, 403, 404, 404, 404, 404, LOGIN),
    ),
]

API = [
    (
        "/api/v1/survey-rounds/lukket/results",
        _row(200, 200, 403, 200, 403, 404, 404, 404, 404, 401),
    ),
    # Not closed: no results for anyone.
    (
        "/api/v1/survey-rounds/aaben/results",
        _row(404, 404, 404, 404, 404, 404, 404, 404, 404, 401),
    ),
]


@pytest.fixture
def rounds(
    make_round: Callable[..., SurveyRound],
    make_closed_round: Callable[..., SurveyRound],
    org: Organisation,
    dept_a: Department,
    dept_b: Department,
) -> tuple[SurveyRound, SurveyRound]:
    closed = make_closed_round(
        org, [dept_a, dept_b], {"A1": 30, "B1": 20}, slug="lukket", published=True
    )
    return make_round(org, [dept_a, dept_b], slug="aaben"), closed


def _user(personas: dict[str, User], name: str) -> User | None:
    return None if name == "anonymous" else personas[name]


@pytest.mark.parametrize(("method", "path", "data", "expected"), PAGES, ids=[p[1] for p in PAGES])
def test_pages(
    rounds: tuple[SurveyRound, SurveyRound],
    personas: dict[str, User],
    client_for: Callable[..., Client],
    method: str,
    path: str,
    data: dict[str, Any],
    expected: dict[str, int],
) -> None:
    found = {
        name: getattr(client_for(_user(personas, name)), method)(path, data).status_code
        for name in PERSONAS
    }
    assert found == expected
    assert SurveyRound.objects.get(slug="aaben").is_open  # nothing was changed


@pytest.mark.parametrize(("path", "expected"), API, ids=[a[0] for a in API])
def test_api_results(
    rounds: tuple[SurveyRound, SurveyRound],
    personas: dict[str, User],
    api_for: Callable[..., Any],
    path: str,
    expected: dict[str, int],
) -> None:
    found = {name: api_for(_user(personas, name)).get(path).status_code for name in PERSONAS}
    assert found == expected


def test_api_round_list_shows_only_the_callers_organisations(
    rounds: tuple[SurveyRound, SurveyRound],
    make_round: Callable[..., SurveyRound],
    personas: dict[str, User],
    other_dept: Department,
    api_for: Callable[..., Any],
) -> None:
    make_round(other_dept.organisation, [other_dept], slug="andensteds")
    seen = {
        name: sorted(r["slug"] for r in api_for(personas[name]).get("/api/v1/survey-rounds").json())
        for name in PERSONAS
        if name != "anonymous"
    }
    ours = ["aaben", "lukket"]
    assert seen == {
        "admin": ours,
        "coordinator": ours,
        "caretaker": ours,
        "board_member": ours,
        "resident": ours,
        "neighbour": [],
        "association": [],
        "outsider": ["andensteds"],
        "no_role": [],
    }
    closed = next(
        r
        for r in api_for(personas["coordinator"]).get("/api/v1/survey-rounds").json()
        if r["slug"] == "lukket"
    )
    assert closed["results_available"] is True
    assert closed["departments"] == ["A1", "B1"]
    assert api_for(None).get("/api/v1/survey-rounds").status_code == 401


def test_round_list_shows_only_the_users_organisations(
    rounds: tuple[SurveyRound, SurveyRound],
    make_round: Callable[..., SurveyRound],
    personas: dict[str, User],
    other_dept: Department,
    client_for: Callable[..., Client],
) -> None:
    make_round(other_dept.organisation, [other_dept], slug="andensteds")
    for name in PERSONAS:
        response = client_for(_user(personas, name)).get("/undersoegelser/")
        if name == "anonymous":
            assert response.status_code == LOGIN
            continue
        page = response.content.decode()
        sees_ours = name in {"admin", "coordinator", "caretaker", "board_member", "resident"}
        assert ("/undersoegelser/lukket/" in page) == sees_ours, name
        assert ("/undersoegelser/andensteds/" in page) == (name == "outsider"), name


def test_the_public_form_needs_no_login_and_knows_no_one(
    rounds: tuple[SurveyRound, SurveyRound],
    dept_a: Department,
    personas: dict[str, User],
    client_for: Callable[..., Client],
) -> None:
    open_round, closed = rounds
    [code] = services.codes_generate(
        actor=SYSTEM, survey_round=open_round, department=dept_a, count=1
    )
    for name in ("anonymous", "coordinator", "outsider"):
        client = client_for(_user(personas, name))
        assert client.get("/s/").status_code == 200
        # Without a draft, every step leads back to the start.
        for path in ("/s/start/", "/s/trin/1/", "/s/oversigt/"):
            assert client.get(path)["Location"] == "/s/", (name, path)
        assert client.get(f"/s/k/{code}/").status_code == 200  # an older letter's QR code
        assert client.post("/s/", {"code": code})["Location"] == "/s/start/"
        assert client.get("/s/start/").status_code == 200
    link = open_round.links.get(department=dept_a)
    assert Client().get(f"/s/l/{link.token}/")["Location"] == "/s/start/"
    assert Client().get("/s/l/findes-ikke/").status_code == 404
    assert Client().get(f"/s/l/{closed.links.get(department=dept_a).token}/").status_code == 410
    link.active = False
    link.save()
    assert Client().get(f"/s/l/{link.token}/").status_code == 404


SLUG_PAGES = [
    ("get", "/undersoegelser/{}/"),
    ("get", "/undersoegelser/{}/luk/"),
    ("post", "/undersoegelser/{}/links/A1/"),
    ("get", "/undersoegelser/{}/links/A1/qr.svg"),
    ("post", "/undersoegelser/{}/status/"),
    ("post", "/undersoegelser/{}/breve/"),
    ("get", "/undersoegelser/{}/papir/"),
    ("get", "/undersoegelser/{}/import/"),
    ("get", "/undersoegelser/{}/resultater/"),
    ("get", "/undersoegelser/{}/resultater/A1/"),
    ("get", "/undersoegelser/{}/opsummering/A1/"),
    ("get", "/undersoegelser/{}/resultater.xlsx"),
    ("get", "/undersoegelser/{}/kommentarer/"),
]


@pytest.mark.parametrize(("method", "path"), SLUG_PAGES, ids=[p[1] for p in SLUG_PAGES])
def test_another_organisations_round_looks_like_a_missing_one(
    rounds: tuple[SurveyRound, SurveyRound],
    make_round: Callable[..., SurveyRound],
    make_closed_round: Callable[..., SurveyRound],
    other_dept: Department,
    personas: dict[str, User],
    client_for: Callable[..., Client],
    method: str,
    path: str,
) -> None:
    """403 for an existing and 404 for a missing slug would tell anyone which rounds exist."""
    other = other_dept.organisation
    make_round(other, [other_dept], slug="fremmed-aaben", title="Hemmelig titel")
    make_closed_round(other, [other_dept], {other_dept.code: 20}, slug="fremmed-lukket")
    for name in ("coordinator", "board_member", "resident", "no_role"):
        client = client_for(personas[name])
        for slug in ("fremmed-aaben", "fremmed-lukket", "findes-ikke"):
            response = getattr(client, method)(path.format(slug), {})
            assert response.status_code == 404, (name, slug)
            assert "Hemmelig titel" not in response.content.decode()
