"""List pages and endpoints read a bounded number of queries however many departments,
rounds or comments there are (no query per row)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.surveys.models import SurveyComment, SurveyRound

DEPARTMENTS = 25


@pytest.fixture
def big_round(
    make_round: Callable[..., SurveyRound],
    make_closed_round: Callable[..., SurveyRound],
    org: Organisation,
    make_department: Callable[..., Department],
) -> SurveyRound:
    departments = [make_department(org, f"D{i:02}") for i in range(DEPARTMENTS)]
    sizes = {d.code: 8 + i % 5 for i, d in enumerate(departments)}
    survey_round = make_closed_round(org, departments, sizes, slug="stor", published=True)
    SurveyComment.objects.bulk_create(
        SurveyComment(round=survey_round, department=d, text=f"Kommentar {d.code}")
        for d in departments
    )
    for number in range(8):
        make_round(org, departments[number : number + 4], slug=f"ekstra-{number}")
    return survey_round


@pytest.mark.parametrize(
    ("path", "most"),
    [
        ("/undersoegelser/", 7),
        ("/undersoegelser/stor/", 10),
        ("/undersoegelser/stor/resultater/", 10),
        # + 3 for the network's "departments like yours" panel (its profile, the pool, the
        # department's own shared figure): a fixed number, whatever the network holds.
        ("/undersoegelser/stor/resultater/D03/", 13),
        ("/undersoegelser/stor/opsummering/D03/", 7),
        ("/undersoegelser/stor/resultater.xlsx", 9),
        ("/undersoegelser/stor/kommentarer/", 6),
    ],
)
def test_pages(
    big_round: SurveyRound,
    coordinator: User,
    client_for: Callable[..., Client],
    django_assert_max_num_queries: Callable[..., Any],
    path: str,
    most: int,
) -> None:
    client = client_for(coordinator)
    with django_assert_max_num_queries(most):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    ("path", "most"),
    [("/api/v1/survey-rounds", 6), ("/api/v1/survey-rounds/stor/results", 10)],
)
def test_api(
    big_round: SurveyRound,
    coordinator: User,
    api_for: Callable[..., Any],
    django_assert_max_num_queries: Callable[..., Any],
    path: str,
    most: int,
) -> None:
    api = api_for(coordinator)
    with django_assert_max_num_queries(most):
        assert api.get(path).status_code == 200
