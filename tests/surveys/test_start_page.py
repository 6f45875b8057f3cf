"""A logged-in resident's start page links to the open survey round of their department: the
department's open link, or the code page when the round is answered with letter codes. No
link for another department's or organisation's round, a closed or draft round, or staff."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from lokalsamfund.core import start_page
from lokalsamfund.core.models import Department, Organisation, Role, User
from lokalsamfund.surveys.models import SurveyLink, SurveyRound

ClientFor = Callable[[User | None], Client]


def _home(client_for: ClientFor, user: User) -> str:
    response = client_for(user).get("/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def open_round(
    make_round: Callable[..., SurveyRound], org: Organisation, dept_a: Department
) -> SurveyRound:
    return make_round(org, [dept_a], title="Fællesskabsmålingen 2026")


def test_resident_sees_the_open_link_of_their_department(
    open_round: SurveyRound, resident: User, client_for: ClientFor
) -> None:
    html = _home(client_for, resident)
    link = SurveyLink.objects.get(round=open_round)
    assert "Fællesskabsmålingen 2026" in html
    assert f'href="/s/l/{link.token}/"' in html


def test_board_member_lives_there_too(
    open_round: SurveyRound, board_member: User, client_for: ClientFor
) -> None:
    assert "/s/l/" in _home(client_for, board_member)


def test_a_round_without_an_open_link_says_to_use_the_code(
    open_round: SurveyRound, resident: User, client_for: ClientFor
) -> None:
    SurveyLink.objects.filter(round=open_round).update(active=False)
    html = _home(client_for, resident)
    assert "Fællesskabsmålingen 2026" in html
    assert "/s/l/" not in html
    assert 'href="/s/"' in html
    assert "koden fra dit brev" in html.lower()


def test_no_item_without_an_open_round(
    make_round: Callable[..., SurveyRound],
    org: Organisation,
    dept_a: Department,
    resident: User,
    client_for: ClientFor,
) -> None:
    make_round(org, [dept_a], title="Kladde", open_now=False)
    html = _home(client_for, resident)
    assert "Kladde" not in html
    assert "/s/l/" not in html


def test_no_item_for_a_round_of_another_department(
    make_round: Callable[..., SurveyRound],
    org: Organisation,
    dept_b: Department,
    resident: User,
    client_for: ClientFor,
) -> None:
    make_round(org, [dept_b], title="B-runden")
    html = _home(client_for, resident)
    assert "B-runden" not in html
    assert "/s/l/" not in html


def test_no_item_for_a_round_of_another_organisation(
    make_round: Callable[..., SurveyRound],
    other_org: Organisation,
    other_dept: Department,
    resident: User,
    client_for: ClientFor,
) -> None:
    make_round(other_org, [other_dept], title="Fremmed runde")
    assert "Fremmed runde" not in _home(client_for, resident)


def test_a_resident_of_the_other_organisation_sees_only_theirs(
    make_round: Callable[..., SurveyRound],
    make_user: Callable[..., User],
    open_round: SurveyRound,
    other_org: Organisation,
    other_dept: Department,
    client_for: ClientFor,
) -> None:
    theirs = make_round(other_org, [other_dept], title="Fremmed runde")
    other_resident = make_user(Role.RESIDENT, other_org, [other_dept])
    html = _home(client_for, other_resident)
    assert "Fremmed runde" in html
    assert SurveyLink.objects.get(round=theirs).token in html
    assert "Fællesskabsmålingen 2026" not in html


@pytest.mark.parametrize("persona", ["admin", "coordinator", "caretaker", "neighbour", "no_role"])
def test_staff_and_others_get_no_survey_item(
    open_round: SurveyRound, personas: dict[str, User], persona: str, client_for: ClientFor
) -> None:
    html = _home(client_for, personas[persona])
    assert "Fællesskabsmålingen 2026" not in html
    assert "/s/l/" not in html


def test_surveys_registered_its_start_page_item() -> None:
    from lokalsamfund.surveys.start_page import open_round_items

    assert any(provider is open_round_items for _, provider in start_page._providers)
