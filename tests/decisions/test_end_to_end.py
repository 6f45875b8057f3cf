"""End to end on the demo: the closed round ``eksempel-2024`` and the demo's bookings, planned
for A1 through the CLI and the API, checked against what the survey and booking domains say
themselves (their selectors), never against figures recomputed here."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from lokalsamfund.bookings import selectors as booking_selectors
from lokalsamfund.bookings.models import Facility
from lokalsamfund.core import formatting
from lokalsamfund.core.demo import DemoContext, load_demo
from lokalsamfund.core.models import Role, User
from lokalsamfund.decisions.models import Plan
from lokalsamfund.decisions.rendering import render_report_fragment
from lokalsamfund.surveys import selectors as survey_selectors

pytestmark = pytest.mark.django_db

ROUND = "eksempel-2024"
CLI = ["--department", "A1", "--round", ROUND, "--budget", "150000", "--format", "json"]
API_BODY = {"department": "A1", "round": ROUND, "budget_dkk": 150000}


@pytest.fixture
def demo() -> DemoContext:
    return load_demo()


def _stored_group(code: str) -> dict[str, Any]:
    """The department's group of the round's stored results (the results contract)."""
    survey_round = survey_selectors.round_by_slug(ROUND)
    view = survey_selectors.round_view(survey_round, departments={code}, include_breakdowns=False)
    assert view is not None
    groups = [g for g in view.contract()["groups"] if g["department"] == code]
    assert len(groups) == 1
    return groups[0]


def _figure(group: dict[str, Any], indicator: str) -> dict[str, Any]:
    figure = group["indicators"][indicator]
    return {k: figure[k] for k in ("value", "ci_low", "ci_high", "denominator")}


def _plan_by_cli(capsysbinary: pytest.CaptureFixture[bytes]) -> dict[str, Any]:
    capsysbinary.readouterr()
    call_command("plan", *CLI)
    data: dict[str, Any] = json.loads(capsysbinary.readouterr().out)
    return data


def test_the_why_is_the_survey_and_the_free_hours_are_the_bookings(
    demo: DemoContext, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    data = _plan_by_cli(capsysbinary)
    a1 = demo.departments["A1"]
    group = _stored_group("A1")
    why = data["why"]
    assert (data["department"], data["round"], data["evidence"]["kind"]) == ("A1", ROUND, "survey")
    assert data["evidence"]["respondents"] == group["n"]
    assert why["adult_residents"] == a1.adult_residents
    assert why["severe_loneliness_share"] == _figure(group, "severe_loneliness_share")
    shown_barriers = {
        name.removesuffix("_share"): _figure(group, name)
        for name, figure in group["indicators"].items()
        if name.startswith("barrier_") and not figure.get("suppressed")
    }
    assert shown_barriers, "the demo round shows A1's barriers"
    assert {
        b["code"]: {k: b[k] for k in ("value", "ci_low", "ci_high", "denominator")}
        for b in why["barriers"]
    } == shown_barriers
    top = [b["code"] for b in why["top_barriers"]]
    ranked = sorted(
        (c for c in shown_barriers if c != "barrier_no_need"),
        key=lambda c: (-shown_barriers[c]["value"], c),
    )
    assert top == ranked[:3]
    benchmark = survey_selectors.benchmark_for(a1.organisation, "severe_loneliness_share")
    assert benchmark is not None
    assert why["benchmark"] == {
        "value": benchmark.value,
        "year": benchmark.year,
        "source": benchmark.source,
    }

    # Free fælleshus hours: the booking domain's figure for A1's houses over the plan's year.
    resources = data["resources"]
    assert resources["facility_hours_source"] == "bookings"
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, time.min))
    end = start + timedelta(days=365)
    houses = list(Facility.objects.filter(department=a1))
    assert houses, "the booking demo gives A1 a fælleshus"
    free = sum(booking_selectors.free_hours(facility=f, start=start, end=end) for f in houses)
    assert resources["facility_hours"] == round(free, 1)
    assert resources["facility_hours_period"]["start"] == today.isoformat()
    opening = sum(
        booking_selectors.free_hours(facility=f, start=end, end=end + timedelta(days=365))
        for f in houses
    )
    assert free < opening, "the demo's bookings take hours from the coming year"
    usage = booking_selectors.facility_usage(facility=houses[0], start=start, end=end)
    coming = data["facility_usage"]["houses"][0]["next_12_months"]
    assert coming["booked_hours"] == round(usage.booked_hours, 1) > 0
    assert coming["community_share"] == usage.community_share
    assert coming["cross_ownership_share"] == usage.cross_ownership_share > 0
    assert coming["distinct_user_groups"] == usage.distinct_user_groups


def test_cli_and_api_give_the_same_plan(
    demo: DemoContext,
    capsysbinary: pytest.CaptureFixture[bytes],
    api_for: Callable[..., Any],
) -> None:
    from_cli = _plan_by_cli(capsysbinary)
    coordinator = demo.users[Role.COORDINATOR.value]
    response = api_for(coordinator).post("/api/v1/plans", {**API_BODY, "save": False})
    assert response.status_code == 200, response.content
    assert response.json()["plan"] == from_cli


def test_who_sees_the_plans_of_the_demo(
    demo: DemoContext,
    api_for: Callable[..., Any],
    client_for: Callable[..., Any],
    make_user: Callable[..., User],
    other_org: Any,
) -> None:
    coordinator = demo.users[Role.COORDINATOR.value]
    board = demo.users[Role.BOARD_MEMBER.value]  # board of A1
    outsider = make_user(Role.COORDINATOR, other_org)
    created = api_for(coordinator).post("/api/v1/plans", {**API_BODY, "title": "Bestyrelsesmøde"})
    assert created.status_code == 201, created.content
    a1_plan = Plan.objects.get(pk=created.json()["id"])
    b1_plan = Plan.objects.filter(department=demo.departments["B1"]).first()
    assert b1_plan is not None, "the demo saves a plan for B1"

    listed = {p["id"]: p["department"] for p in api_for(board).get("/api/v1/plans").json()}
    assert a1_plan.pk in listed
    assert set(listed.values()) == {"A1"}
    assert api_for(board).get(f"/api/v1/plans/{a1_plan.pk}").json()["round"] == ROUND
    assert api_for(board).get(f"/api/v1/plans/{b1_plan.pk}").status_code == 404
    assert client_for(board).get(f"/beslutninger/planer/{a1_plan.pk}/").status_code == 200
    assert client_for(board).get(f"/beslutninger/planer/{b1_plan.pk}/").status_code == 404
    assert api_for(board).post("/api/v1/plans", API_BODY).status_code == 403

    assert api_for(outsider).get("/api/v1/plans").json() == []
    assert api_for(outsider).get(f"/api/v1/plans/{a1_plan.pk}").status_code == 404
    assert client_for(outsider).get(f"/beslutninger/planer/{a1_plan.pk}/").status_code == 404
    assert api_for(outsider).post("/api/v1/plans", API_BODY).status_code == 404
    page = client_for(outsider).get("/beslutninger/").content.decode()
    assert "Bestyrelsesmøde" not in page
    assert "Demoplan" not in page


def test_the_report_shows_the_common_house_from_the_bookings(
    demo: DemoContext, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    data = _plan_by_cli(capsysbinary)
    house = data["facility_usage"]["houses"][0]
    html = render_report_fragment(data)
    assert house["name"] in html
    coming = house["next_12_months"]
    assert formatting.share(coming["community_share"]) in html
    assert formatting.share(coming["cross_ownership_share"]) in html
