"""Network fixtures: three other organisations that share a closed round of two departments
each (real rounds with synthetic responses, shared through the service)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from lokalsamfund.activities import figures
from lokalsamfund.activities.recurrence import ZONE
from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.network import services, shared_reach
from lokalsamfund.surveys.models import SurveyRound
from tests.activities.factories_participation import counted, make_activity
from tests.surveys.conftest import add_responses, make_closed_round, make_round

__all__ = ["add_responses", "make_closed_round", "make_round"]

TYPE = "faellesspisning"


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


def ended_months(count: int) -> list[datetime]:
    """The 10th of each of the last ``count`` months that have ended, 17:30 local time."""
    last = figures.last_ended_month()
    first = figures.months_back(last, count)
    year, month = (int(p) for p in first.split("-"))
    out = []
    for _i in range(count):
        out.append(datetime(year, month, 10, 17, 30, tzinfo=ZONE))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def dinners(organisation: Organisation, department: Department, per_dinner: int) -> None:
    activity = make_activity(organisation, [department], activity_type=TYPE)
    for i, when in enumerate(ended_months(3)):
        counted(activity, when, per_dinner + i)


@pytest.fixture
def reach_orgs(sharing_orgs: list[SurveyRound]) -> list[Organisation]:
    """The three sharing organisations, each with dinners in both departments over the last
    three ended months, sharing their participation figures."""
    found = []
    for i, survey_round in enumerate(sharing_orgs):
        organisation = survey_round.organisation
        for j, department in enumerate(
            Department.objects.filter(organisation=organisation).order_by("code")
        ):
            dinners(organisation, department, 15 + 3 * i + j)
        shared_reach.reach_share(actor=SYSTEM, organisation=organisation)
        found.append(organisation)
    return found
