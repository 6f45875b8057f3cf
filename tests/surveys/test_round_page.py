"""The round's page: answers counted by channel per department for those who manage the
round (so they can judge open-link answers), and the actions each persona may take."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.surveys import services
from lokalsamfund.surveys.models import Channel, SurveyRound

from .conftest import blank_answers


def _submit(survey_round: SurveyRound, department: Department, channel: str, **kw: Any) -> None:
    services.response_submit(
        survey_round=survey_round,
        department=department,
        channel=channel,
        answers=blank_answers(trust=3),
        **kw,
    )


@pytest.fixture
def answered_round(
    make_round: Callable[..., SurveyRound],
    org: Organisation,
    dept_a: Department,
    dept_b: Department,
    coordinator: User,
) -> SurveyRound:
    survey_round = make_round(org, [dept_a, dept_b], slug="kanaler")
    for code in services.codes_generate(
        actor=SYSTEM, survey_round=survey_round, department=dept_a, count=2
    ):
        _submit(survey_round, dept_a, Channel.CODE, code=code)
    for _ in range(3):
        _submit(survey_round, dept_a, Channel.LINK)
    _submit(survey_round, dept_b, Channel.LINK)
    _submit(survey_round, dept_b, Channel.PAPER, actor=coordinator)
    services.responses_import(
        actor=SYSTEM,
        survey_round=survey_round,
        data=b"department,trust\nB1,2\nB1,4\nA1,1\n",
        filename="svar.csv",
    )
    return survey_round


def _body_rows(page: str) -> dict[str, list[str]]:
    """The department table's rows: code -> the numbers of its cells."""
    table = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        found[cells[0]] = [c.split(" ")[0] for c in cells[2:] if c[:1].isdigit()]
    return found


def test_no_live_counts_per_department_or_channel_while_open(
    answered_round: SurveyRound, coordinator: User, client_for: Callable[..., Client]
) -> None:
    """Watching a department's count grow would tie an answer to a moment (and let a
    coordinator time the close after padding a group): only the round's total, once >= k."""
    page = client_for(coordinator).get("/undersoegelser/kanaler/").content.decode()
    main = page.split("<main", 1)[1]
    assert "<tfoot>" not in main
    assert "10 besvarelser indtil nu" in main  # 10 responses in all, at least k
    for label in ("Svarkode", "Papir", "Filimport"):
        assert f">{label}<" not in main
    assert "/s/l/" in page  # the open links, to hand out


def test_below_k_the_total_is_not_shown(
    make_round: Callable[..., SurveyRound],
    org: Organisation,
    dept_a: Department,
    coordinator: User,
    client_for: Callable[..., Client],
) -> None:
    survey_round = make_round(org, [dept_a], slug="faa-svar")
    for _ in range(4):
        _submit(survey_round, dept_a, Channel.LINK)
    page = client_for(coordinator).get("/undersoegelser/faa-svar/").content.decode()
    assert "Færre end 5 besvarelser" in page
    assert "4 besvarelser" not in page


def test_more_answers_than_adult_residents_is_pointed_out(
    make_round: Callable[..., SurveyRound],
    org: Organisation,
    make_department: Callable[..., Department],
    coordinator: User,
    client_for: Callable[..., Client],
) -> None:
    small = make_department(org, "S1", adult_residents=2)
    survey_round = make_round(org, [small], slug="lille-afdeling")
    url = "/undersoegelser/lille-afdeling/"
    warning = "(flere svar end de 2 voksne beboere)"
    for _ in range(2):
        _submit(survey_round, small, Channel.LINK)
    assert warning not in client_for(coordinator).get(url).content.decode()
    _submit(survey_round, small, Channel.LINK)
    assert warning in client_for(coordinator).get(url).content.decode()


def test_who_sees_counts_links_and_actions(
    answered_round: SurveyRound, personas: dict[str, User], client_for: Callable[..., Client]
) -> None:
    url = "/undersoegelser/kanaler/"
    board = client_for(personas["board_member"]).get(url)
    assert board.status_code == 200
    page = board.content.decode()
    assert "/s/l/" not in page
    assert "svar indtil nu" not in page  # no counts
    assert "status/" not in page  # no actions
    assert "/luk/" not in page
    caretaker = client_for(personas["caretaker"]).get(url).content.decode()
    assert "/papir/" in caretaker
    assert "/s/l/" not in caretaker
    assert "status/" not in caretaker
    admin = client_for(personas["admin"]).get(url).content.decode()
    assert "/luk/" in admin
    assert "/s/l/" in admin
    assert "/kommentarer/" not in admin  # free text: coordinators only
    for name in ("neighbour", "association", "outsider", "no_role"):
        assert client_for(personas[name]).get(url).status_code == 404, name
