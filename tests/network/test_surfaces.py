"""The network's pages, the survey results panel and the API, tried by every persona."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lokalsamfund.core.models import Department, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.network import services
from lokalsamfund.network.models import DepartmentProfile, SharedRound
from lokalsamfund.surveys.models import SurveyRound

INDEX = "/netvaerk/"
DEPARTMENT = "/netvaerk/afdeling/test-org/A1/"
SHARING = "/netvaerk/deling/"
API = "/api/v1/network/benchmark?department=A1&organisation=test-org"

MAY_VIEW = {"admin", "coordinator", "board_member"}
MAY_SHARE = {"admin", "coordinator"}


@pytest.fixture
def network(sharing_orgs: list[SurveyRound], own_round: SurveyRound) -> SurveyRound:
    return own_round


@pytest.mark.parametrize(
    "persona",
    [
        "admin",
        "coordinator",
        "caretaker",
        "board_member",
        "resident",
        "neighbour",
        "association",
        "outsider",
        "no_role",
    ],
)
def test_pages_by_persona(
    network: SurveyRound,
    personas: dict[str, User],
    client_for: Callable[[User | None], Any],
    persona: str,
) -> None:
    client = client_for(personas[persona])
    page = client.get(DEPARTMENT)
    # Without a role in the organisation, its department answers as one that does not exist.
    refused = 404 if persona in ("outsider", "no_role") else 403
    assert page.status_code == (200 if persona in MAY_VIEW else refused)
    if persona in MAY_VIEW:
        assert 'data-indicator="severe_loneliness_share"' in page.content.decode()
        assert 'data-scope="similar"' in page.content.decode()
    index = client.get(INDEX)
    if persona in MAY_VIEW:
        assert index.status_code == 200
        assert DEPARTMENT in index.content.decode()
    elif persona == "outsider":  # a coordinator elsewhere: its own departments, not ours
        assert index.status_code == 200
        assert DEPARTMENT not in index.content.decode()
    else:
        assert index.status_code == 403
    sharing = client.get(SHARING)
    if persona == "outsider":  # shares its own organisation's rounds, never ours
        assert sharing.status_code == 200
        assert network.slug not in sharing.content.decode()
    else:
        assert sharing.status_code == (200 if persona in MAY_SHARE else 403)


def test_anonymous_is_sent_to_login(
    network: SurveyRound, client_for: Callable[[User | None], Any]
) -> None:
    client = client_for(None)
    for url in (INDEX, DEPARTMENT, SHARING):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response["Location"]
    response = client.post(f"{SHARING}{network.slug}/", {"action": "share"})
    assert response.status_code == 302
    assert "/login" in response["Location"]
    assert not SharedRound.objects.filter(survey_round=network).exists()


@pytest.mark.parametrize("persona", ["board_member", "caretaker", "resident", "outsider"])
def test_only_sharers_share_and_stop_on_the_page(
    network: SurveyRound,
    personas: dict[str, User],
    client_for: Callable[[User | None], Any],
    persona: str,
) -> None:
    client = client_for(personas[persona])
    # Another organisation's round answers as one that does not exist.
    refused = 404 if persona == "outsider" else 403
    assert client.post(f"{SHARING}{network.slug}/", {"action": "share"}).status_code == refused
    assert not SharedRound.objects.filter(survey_round=network).exists()
    services.round_share(actor=SYSTEM, survey_round=network)
    assert client.post(f"{SHARING}{network.slug}/", {"action": "stop"}).status_code == refused
    assert SharedRound.objects.filter(survey_round=network).exists()


def test_coordinator_shares_and_stops(
    network: SurveyRound, coordinator: User, client_for: Callable[[User | None], Any]
) -> None:
    client = client_for(coordinator)
    assert network.slug in client.get(SHARING).content.decode()
    client.post(f"{SHARING}{network.slug}/", {"action": "share"})
    assert SharedRound.objects.filter(survey_round=network).exists()
    client.post(f"{SHARING}{network.slug}/", {"action": "stop"})
    assert not SharedRound.objects.filter(survey_round=network).exists()


def test_profile_form(
    network: SurveyRound,
    dept_a: Department,
    personas: dict[str, User],
    client_for: Callable[[User | None], Any],
) -> None:
    data = {"kind": "senior", "region": "syddanmark"}
    assert client_for(personas["board_member"]).post(DEPARTMENT, data).status_code == 403
    assert client_for(personas["outsider"]).post(DEPARTMENT, data).status_code == 404
    assert not DepartmentProfile.objects.exists()
    response = client_for(personas["coordinator"]).post(DEPARTMENT, data)
    assert response.status_code == 302
    assert DepartmentProfile.objects.get(department=dept_a).kind == "senior"
    # A senior department has no senior departments like it in the network: not shown.
    page = client_for(personas["coordinator"]).get(DEPARTMENT).content.decode()
    assert 'data-scope="similar"><span class="suppressed">' in page


def test_stopped_share_disappears_from_pages_and_api(
    network: SurveyRound,
    sharing_orgs: list[SurveyRound],
    coordinator: User,
    client_for: Callable[[User | None], Any],
    api_for: Callable[[User | None], Any],
) -> None:
    body = api_for(coordinator).get(API).json()
    assert body["similar"]["severe_loneliness_share"]["shown"]
    services.round_unshare(actor=SYSTEM, survey_round=sharing_orgs[0])
    body = api_for(coordinator).get(API).json()
    assert not body["similar"]["severe_loneliness_share"]["shown"]
    assert body["similar"]["severe_loneliness_share"]["value"] is None
    page = client_for(coordinator).get(DEPARTMENT).content.decode()
    assert "departments, 3 organisations" not in page
    assert "afdelinger, 3 organisationer" not in page


@pytest.mark.parametrize(
    "persona",
    [
        "admin",
        "coordinator",
        "caretaker",
        "board_member",
        "resident",
        "neighbour",
        "association",
        "outsider",
        "no_role",
    ],
)
def test_api_by_persona(
    network: SurveyRound,
    personas: dict[str, User],
    api_for: Callable[[User | None], Any],
    persona: str,
) -> None:
    response = api_for(personas[persona]).get(API)
    if persona in MAY_VIEW:
        assert response.status_code == 200
        body = response.json()
        assert body["department"] == "A1"
        pooled = body["similar"]["severe_loneliness_share"]
        assert pooled["shown"]
        assert pooled["organisations"] == 3
    elif persona in {"outsider", "no_role"}:
        assert response.status_code == 404  # not their organisation
    else:
        assert response.status_code == 403


def test_api_without_token(network: SurveyRound, api_for: Callable[[User | None], Any]) -> None:
    assert api_for(None).get(API).status_code == 401


def test_survey_results_page_offers_the_benchmark(
    network: SurveyRound,
    personas: dict[str, User],
    client_for: Callable[[User | None], Any],
) -> None:
    url = f"/undersoegelser/{network.slug}/resultater/A1/"
    for persona in ("coordinator", "board_member"):
        page = client_for(personas[persona]).get(url)
        assert page.status_code == 200, url
        assert "network-panel" in page.content.decode()
