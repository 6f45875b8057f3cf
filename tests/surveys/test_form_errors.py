"""Every survey staff form, posted invalid: each error is shown once, in Danish, and never
says "slug" (tests/form_errors.py)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.surveys import services
from lokalsamfund.surveys.models import SurveyRound
from tests.form_errors import assert_errors_once

ClientFor = Callable[[User | None], Any]
# What a browser posts for an empty form (``request.POST or None`` treats {} as unbound).
EMPTY = {"csrfmiddlewaretoken": "x"}


@pytest.fixture
def open_round(
    make_round: Callable[..., SurveyRound], org: Organisation, dept_a: Department
) -> SurveyRound:
    return make_round(org, [dept_a], slug="r1")


@pytest.mark.parametrize(
    "data",
    [
        EMPTY,
        {"slug": "måling 2025!", "title": "T", "min_cell_size": 5},
        {"slug": "ok", "title": "T", "min_cell_size": 2, "opens_on": "10-06-2026"},
    ],
)
def test_round_create(
    data: dict[str, Any], coordinator: User, dept_a: Department, client_for: ClientFor
) -> None:
    posted = {**data, "departments": [dept_a.pk]} if data is not EMPTY else data
    response = client_for(coordinator).post("/undersoegelser/ny/", posted)
    assert response.status_code == 200
    assert_errors_once(response)


def test_round_create_taken_short_name(
    open_round: SurveyRound,
    coordinator: User,
    org: Organisation,
    dept_a: Department,
    client_for: ClientFor,
) -> None:
    response = client_for(coordinator).post(
        "/undersoegelser/ny/",
        {
            "organisation": org.pk,
            "slug": "r1",
            "title": "T",
            "departments": [dept_a.pk],
            "min_cell_size": 5,
        },
    )
    [error] = assert_errors_once(response)
    assert "r1" in error


def test_paper_entry(
    open_round: SurveyRound, coordinator: User, dept_a: Department, client_for: ClientFor
) -> None:
    client = client_for(coordinator)
    assert_errors_once(client.post("/undersoegelser/r1/papir/", EMPTY))
    assert_errors_once(
        client.post("/undersoegelser/r1/papir/", {"department": dept_a.pk, "trust": "9"})
    )


def test_import(open_round: SurveyRound, coordinator: User, client_for: ClientFor) -> None:
    client = client_for(coordinator)
    assert_errors_once(client.post("/undersoegelser/r1/import/", EMPTY))
    bad = io.BytesIO(b"department,trust\nA1,9\nZ9,1\n")
    bad.name = "svar.csv"
    assert_errors_once(client.post("/undersoegelser/r1/import/", {"file": bad}))
    services.round_close(actor=SYSTEM, survey_round=open_round)
    good = io.BytesIO(b"department,trust\nA1,3\n")
    good.name = "svar.csv"
    assert_errors_once(client.post("/undersoegelser/r1/import/", {"file": good}))


def test_close_and_letters(
    make_round: Callable[..., SurveyRound],
    org: Organisation,
    dept_a: Department,
    coordinator: User,
    client_for: ClientFor,
) -> None:
    make_round(org, [dept_a], slug="kladde", open_now=False)
    client = client_for(coordinator)
    assert_errors_once(client.post("/undersoegelser/kladde/luk/", follow=True))
    assert_errors_once(client.post("/undersoegelser/kladde/breve/", {"count": "x"}, follow=True))
