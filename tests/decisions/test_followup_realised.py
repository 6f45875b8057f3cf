"""Realised reach from the activities' headcounts (decisions/followup.py) and the plan page's
follow-up: planned against realised, stated as attendances, through disclosure control."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.decisions import services
from lokalsamfund.decisions.catalogue import catalogue_for
from lokalsamfund.decisions.followup import RealisedReach, realised_reach_for
from lokalsamfund.decisions.planning import PlanRequest, realised_people
from tests.activities.factories_participation import at, counted, make_activity

from .conftest import make_evidence

# Scenarios on given dates (e.g. a season of weekly dinners from 11 June 2026): the default moment.
pytestmark = [pytest.mark.django_db, pytest.mark.scenario_moment]


def test_realised_reach_sums_headcounts_of_the_last_twelve_ended_months(
    org: Organisation, dept_a: Department, dept_b: Department
) -> None:
    meal = make_activity(org, [dept_a], activity_type="faellesspisning")
    club = make_activity(org, [dept_a], activity_type="seniorklub")
    other = make_activity(org, [dept_b], activity_type="faellesspisning")
    for month in range(1, 6):  # January to May 2026: 2 dinners a month
        counted(meal, at(2026, month, 5), 30)
        counted(meal, at(2026, month, 19), 20)
        counted(club, at(2026, month, 7), 12)
        counted(other, at(2026, month, 7), 40)
    counted(meal, at(2025, 5, 20), 99)  # before the period
    counted(meal, at(2026, 6, 3), 99)  # this month has not ended
    counted(club, at(2026, 3, 21), 1)  # March: 13 for the club (shown)

    got = realised_reach_for(department=dept_a)
    assert set(got) == {"faellesspisning", "seniorklub"}
    dinner = got["faellesspisning"]
    assert (dinner.participants, dinner.sessions) == (250, 10)
    assert dinner.attendances == 250
    assert dinner.per_session == 25
    assert (dinner.period_start, dinner.period_end) == (date(2025, 6, 1), date(2026, 5, 31))
    assert dinner.source == "headcounts"
    assert dinner.months_suppressed == 0
    assert (got["seniorklub"].participants, got["seniorklub"].sessions) == (61, 6)


def test_realised_reach_leaves_out_hidden_months(org: Organisation, dept_a: Department) -> None:
    meal = make_activity(org, [dept_a], activity_type="faellesspisning")
    club = make_activity(org, [dept_a], activity_type="seniorklub")
    counted(meal, at(2026, 4, 5), 30)
    counted(club, at(2026, 4, 7), 3)  # below k: hidden, and the dinner with it
    counted(meal, at(2026, 5, 5), 30)
    counted(club, at(2026, 5, 7), 12)
    got = realised_reach_for(department=dept_a)
    assert got["seniorklub"].participants == 12
    assert got["seniorklub"].months_suppressed == 1
    assert got["faellesspisning"].participants == 30
    assert got["faellesspisning"].months_suppressed == 1


def test_no_headcounts_no_realised_reach(dept_a: Department) -> None:
    assert realised_reach_for(department=dept_a) == {}


def test_next_plan_converts_attendances_to_people_at_the_catalogues_ratio(
    org: Organisation,
) -> None:
    row = next(a for a in catalogue_for(org) if a.slug == "faellesspisning")
    catalogue_attendances = row.sessions_per_year * row.participants_per_session
    reach = RealisedReach(
        "faellesspisning", catalogue_attendances * 2, 48, date(2025, 6, 1), date(2026, 5, 31), "x"
    )
    assert realised_people(row, reach) == pytest.approx(row.participants * 2)
    assert realised_people(row, None) is None


def test_plan_page_shows_planned_against_realised(
    client_for: Callable[..., Any],
    coordinator: User,
    board_member: User,
    org: Organisation,
    dept_a: Department,
    evidence_for: Callable[..., Any],
) -> None:
    evidence_for(A1=make_evidence("A1"))
    plan = services.plan_create(
        actor=coordinator,
        department=dept_a,
        request=PlanRequest(budget_dkk=60_000, draws=300),
        title="Plan A",
    )
    portfolio = json.loads(plan.result_json)["portfolio"]
    assert portfolio
    page = client_for(board_member).get(f"/beslutninger/planer/{plan.pk}/")
    assert "Ikke registreret endnu".lower() in page.content.decode().lower()

    slug = portfolio[0]["activity"]
    activity = make_activity(org, [dept_a], activity_type=slug)
    for month in range(1, 6):
        counted(activity, at(2026, month, 8), 17)
    page = client_for(board_member).get(f"/beslutninger/planer/{plan.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    row = html[html.index(f'data-activity="{slug}"') :].split("</tr>")[0]
    assert '<td class="num">5</td>' in row  # sessions held
    assert '<td class="num">85</td>' in row  # attendances
    assert "fremmøder, ikke forskellige personer" in html
    reach = page.context["followup"]["reach"][0]
    assert (reach["realised"], reach["realised_sessions"]) == (85, 5)
    assert reach["planned_attendances"] > 0
