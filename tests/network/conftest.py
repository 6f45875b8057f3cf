"""Network fixtures: three other organisations that share a closed round of two departments
each (real rounds with synthetic responses, shared through the service)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.network import services
from lokalsamfund.surveys.models import SurveyRound
from tests.surveys.conftest import add_responses, make_closed_round, make_round

__all__ = ["add_responses", "make_closed_round", "make_round"]


@pytest.fixture
def sharing_orgs(
    make_organisation: Callable[..., Organisation],
    make_department: Callable[..., Department],
    make_closed_round: Callable[..., SurveyRound],
) -> list[SurveyRound]:
    """Three organisations, each sharing a round of two family departments of 100-299 homes
    (five departments would do; six give room for one to leave)."""
    rounds = []
    for i in range(3):
        organisation = make_organisation(name=f"Netværk {i}", slug=f"net-{i}")
        departments = [make_department(organisation, code) for code in ("N1", "N2")]
        survey_round = make_closed_round(
            organisation, departments, {"N1": 60, "N2": 50}, seed=10 + i, slug=f"net-runde-{i}"
        )
        services.round_share(actor=SYSTEM, survey_round=survey_round)
        rounds.append(survey_round)
    return rounds


@pytest.fixture
def own_round(
    org: Organisation, dept_a: Department, make_closed_round: Callable[..., SurveyRound]
) -> SurveyRound:
    return make_closed_round(org, [dept_a], {"A1": 60}, seed=3, slug="egen-runde")
