"""Property-based API tests: schemathesis generates requests from our OpenAPI schema.

Every operation is called as a coordinator of an organisation with real data (``api_world``:
a fælleshus with rooms, pending requests, a closed survey round with results, a saved plan).
No request may cause a server error, every status must be documented, and every response must
match its documented schema. Generated input is mostly refused (random ids, dates in the past),
so each write operation and each operation with a path parameter is also called with cases
built at run time from that data (dates relative to the pinned clock), and must succeed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from cryptography.fernet import Fernet
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from lokalsamfund.bookings.models import Facility, Room
from lokalsamfund.core.models import Department, Membership, Organisation, Role, User
from lokalsamfund.core.tokens import token_create
from lokalsamfund.decisions.models import Plan
from lokalsamfund.surveys.models import SurveyRound
from lokalsamfund.wellbeing.services.referrals import referral_create
from tests.activities.factories_participation import make_activity, make_occurrence
from tests.bookings.conftest import at, verified  # noqa: F401 - fixtures used below
from tests.green.tools_api_cases import green_tools_cases
from tests.surveys.conftest import add_responses, make_closed_round, make_round  # noqa: F401

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
FACILITY = "engparkens-faelleshus"  # the request schemas' example (and the demo's house)


@dataclass
class World:
    coordinator: User
    token: str
    round: SurveyRound
    plan: Plan
    pending: list[int]
    caretaker_token: str
    social_worker_token: str
    social_worker_email: str
    referrals: list[str]
    activity: int
    department: int
    occurrence: int = 0  # held yesterday, for a headcount


@pytest.fixture
def _keep_test_connection(api_world: World) -> Iterator[None]:
    """As Django's test client does: keep the test's database connection across requests
    (after the world is built: the test client reconnects the signals after each request)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_world(
    org: Organisation,
    dept_a: Department,
    coordinator: User,
    neighbour: User,
    verified: None,  # noqa: F811
    at: Callable[..., datetime],  # noqa: F811
    make_closed_round: Callable[..., SurveyRound],  # noqa: F811
    api_for: Callable[[User | None], Any],
    make_user: Callable[..., User],
    settings: Any,
) -> World:
    """The coordinator's organisation: a house with two rooms (the default policy: residents
    book, neighbours' requests await approval), three pending requests, a closed round of A1
    with stored results, and a saved plan computed from it."""
    house = Facility.objects.create(
        organisation=org,
        department=dept_a,
        slug=FACILITY,
        name="Engparkens Fælleshus",
        opens_at=time(7, 0),
        closes_at=time(0, 0),
        min_duration_minutes=60,
        max_duration_minutes=17 * 60,
        monthly_quota_per_household=10,
    )
    Room.objects.create(facility=house, name="Salen", capacity=80)
    Room.objects.create(facility=house, name="Mødelokalet", capacity=16)
    pending = []
    for day in (3, 4, 5):
        response = api_for(neighbour).post(
            "/api/v1/bookings",
            {
                "facility": FACILITY,
                "rooms": ["Mødelokalet"],
                "use_type": "community_activity",
                "start": at(day, 17).isoformat(),
                "end": at(day, 20).isoformat(),
                "title": "Naboernes strikkeklub",
            },
        )
        assert response.status_code == 201, response.content
        assert response.json()["status"] == "pending"
        pending.append(response.json()["id"])
    survey_round = make_closed_round(org, [dept_a], {"A1": 60}, slug="runde-api", seed=3)
    created = api_for(coordinator).post(
        "/api/v1/plans",
        {"department": "A1", "round": survey_round.slug, "budget_dkk": 150000, "draws": 200},
    )
    assert created.status_code == 201, created.content
    activity = make_activity(org, [dept_a], title="Fællesspisning")
    occurrence = make_occurrence(activity, timezone.now() - timedelta(days=1))
    # Referrals (wellbeing): a caretaker's, handled by the organisation's social worker (its
    # steps' texts are sealed with the field key).
    settings.LOKALSAMFUND_FIELD_KEYS = [Fernet.generate_key().decode()]
    caretaker = make_user(Role.CARETAKER, org, [dept_a])
    social_worker = make_user(Role.SOCIAL_WORKER, org)
    referrals = [
        referral_create(
            actor=caretaker, department=dept_a, observations=["post"], urgency="soon"
        ).reference
        for _ in range(4)
    ]
    activity = api_for(coordinator).post(
        "/api/v1/activities",
        {
            "organisation": org.slug,
            "departments": ["A1"],
            "activity_type": "gaagruppe",
            "title": "Gåtur",
            "starts_at": at(2, 10).isoformat(),
            "duration_minutes": 60,
            "rrule": "FREQ=WEEKLY;COUNT=4",
            "place": "Gården",
        },
    )
    assert activity.status_code == 201, activity.content
    return World(
        coordinator=coordinator,
        token=token_create(user=coordinator),
        round=survey_round,
        plan=Plan.objects.get(pk=created.json()["id"]),
        pending=pending,
        occurrence=occurrence.pk,
        caretaker_token=token_create(user=caretaker),
        social_worker_token=token_create(user=social_worker),
        social_worker_email=social_worker.email,
        referrals=referrals,
        activity=activity.json()["id"],
        department=dept_a.pk,
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("_keep_test_connection")
@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_never_fails_and_matches_its_schema(case: Any, api_world: World) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {api_world.token}"}, checks=CHECKS)


def _success_cases(world: World, when: Callable[..., datetime]) -> dict[str, list[dict[str, Any]]]:
    """Per operation, requests that must succeed on ``world`` (built now: dates from the clock)."""
    booking = {"path_parameters": {"booking_id": world.pending[0]}}
    social_worker = {"headers": {"Authorization": f"Bearer {world.social_worker_token}"}}

    def referral(n: int, **kwargs: Any) -> dict[str, Any]:
        return {**social_worker, "path_parameters": {"reference": world.referrals[n]}, **kwargs}

    return {
        "POST /api/v1/referrals": [
            {
                "headers": {"Authorization": f"Bearer {world.caretaker_token}"},
                "body": {"department": "A1", "observations": ["not_seen"], "urgency": "soon"},
            }
        ],
        "GET /api/v1/referrals/{reference}": [referral(0)],
        "POST /api/v1/referrals/{reference}/take": [referral(0)],
        "POST /api/v1/referrals/{reference}/steps": [
            referral(1, body={"kind": "note", "text": "Ringede"})
        ],
        "POST /api/v1/referrals/{reference}/reassign": [
            referral(2, body={"to": "nobody@example.org"}),  # 400: no such social worker
            referral(2, body={"to": world.social_worker_email}),
        ],
        "POST /api/v1/referrals/{reference}/close": [referral(3, body={"outcome": "no_action"})],
        "POST /api/v1/bookings": [
            {
                "body": {
                    "facility": FACILITY,
                    "rooms": ["Salen"],
                    "use_type": "community_activity",
                    "start": when(10, 17).isoformat(),
                    "end": when(10, 21).isoformat(),
                    "title": "Fællesspisning",
                }
            }
        ],
        "GET /api/v1/bookings/{booking_id}": [booking],
        "POST /api/v1/bookings/{booking_id}/approve": [{**booking, "body": {}}],
        "POST /api/v1/bookings/{booking_id}/reject": [
            {
                "path_parameters": {"booking_id": world.pending[1]},
                "body": {"reason": "Huset er lukket for maling."},
            }
        ],
        "POST /api/v1/bookings/{booking_id}/cancel": [
            {"path_parameters": {"booking_id": world.pending[2]}, "body": {"scope": "this"}},
        ],
        "GET /api/v1/facilities/{slug}/availability": [
            {
                "path_parameters": {"slug": FACILITY},
                "query": {"start": when(0, 0).isoformat(), "end": when(14, 0).isoformat()},
            }
        ],
        "GET /api/v1/survey-rounds/{slug}/results": [
            {"path_parameters": {"slug": world.round.slug}}
        ],
        "POST /api/v1/plans": [
            {"body": {"department": "A1", "round": world.round.slug, "budget_dkk": 90000}},
            {"body": {"department": "A1", "budget_dkk": 0, "draws": 100, "save": False}},
        ],
        "GET /api/v1/plans/{plan_id}": [{"path_parameters": {"plan_id": world.plan.pk}}],
        "POST /api/v1/activities": [
            {
                "body": {
                    "organisation": world.coordinator.memberships.get().organisation.slug,
                    "departments": ["A1"],
                    "activity_type": "faellesspisning",
                    "title": "Fællesspisning",
                    "starts_at": when(8, 17).isoformat(),
                    "duration_minutes": 150,
                    "rrule": "FREQ=WEEKLY;COUNT=3",
                    "facility": FACILITY,
                    "whole_house": True,
                }
            }
        ],
        "GET /api/v1/activities/occurrences": [
            {
                "query": {
                    "department": world.department,
                    "start": when(0, 0).isoformat(),
                    "end": when(30, 0).isoformat(),
                }
            }
        ],
        "GET /api/v1/activities/{activity_id}": [
            {"path_parameters": {"activity_id": world.activity}}
        ],
        "PATCH /api/v1/activities/{activity_id}": [
            {
                "path_parameters": {"activity_id": world.activity},
                "body": {"title": "Gåtur i skoven"},
            }
        ],
        "GET /api/v1/network/benchmark": [{"query": {"department": "A1"}}],
        "POST /api/v1/activities/occurrences/{occurrence_id}/headcount": [
            {
                "path_parameters": {"occurrence_id": world.occurrence},
                "body": {"total": 23, "new_faces": 2},
            }
        ],
        **_signup_cases(world),
        **_green_cases(world),
        **green_tools_cases(world.coordinator),
        **_green_work_cases(world, when),
        **_network_group_cases(world, when),
    }


def _green_cases(world: World) -> dict[str, list[dict[str, Any]]]:
    """Green groups (api/green.py): the coordinator is a member of two groups of A1 with a
    season open; in the first they have applied, in the second not yet."""
    from lokalsamfund.core.permissions import SYSTEM
    from lokalsamfund.green import services as green

    department = Department.objects.get(
        code="A1", organisation__memberships__user=world.coordinator
    )
    applied, fresh = (
        green.group_create(
            actor=SYSTEM,
            organisation=department.organisation,
            departments=[department],
            name=name,
            kind="garden",
        )
        for name in ("Nyttehaven", "Bedene")
    )
    year = timezone.localdate().year
    for group in (applied, fresh):
        green.plot_create(actor=SYSTEM, group=group, label="Bed 1", size_m2=Decimal(6))
        green.member_join(actor=world.coordinator, group=group)
        green.season_open(actor=SYSTEM, group=group, year=year)
    green.apply(actor=world.coordinator, season=applied.seasons.get(), own_garden=False)
    base = "/api/v1/green/groups/{group_id}"
    on = {"path_parameters": {"group_id": applied.pk}}
    return {
        f"GET {base}": [on],
        f"GET {base}/plots": [on],
        f"GET {base}/applications/mine": [on],
        f"POST {base}/applications": [
            {"path_parameters": {"group_id": fresh.pk}, "body": {"own_garden": False}}
        ],
        f"GET {base}/seasons/{{year}}/allocation": [
            {"path_parameters": {"group_id": applied.pk, "year": year}}
        ],
    }


def _green_work_cases(world: World, when: Callable[..., datetime]) -> dict[str, Any]:
    """Work days and hours (api/green_work.py): a garden of A1 whose caretaker contact is the
    coordinator, a work day in a week with two tasks (the coordinator is signed up for the
    second), a member's hours for the coordinator to confirm; driften's hours are the world's
    caretaker's."""
    from lokalsamfund.core.permissions import SYSTEM
    from lokalsamfund.green import services as green
    from lokalsamfund.green import workdays

    department = Department.objects.get(
        code="A1", organisation__memberships__user=world.coordinator
    )
    organisation = department.organisation
    group = green.group_create(
        actor=SYSTEM,
        organisation=organisation,
        departments=[department],
        name="Arbejdshaven",
        kind="garden",
        caretaker_contact=world.coordinator,
    )
    member = User.objects.create_user("arbejdshaven@example.org", "x" * 20, full_name="Hanne")
    Membership.objects.create(
        user=member, organisation=organisation, role=Role.RESIDENT
    ).departments.set([department])
    for user in (world.coordinator, member):
        green.member_join(actor=user, group=group)
    activity = make_activity(
        organisation, [department], activity_type="havefaellesskab", title="Arbejdsdag"
    )
    work_day = workdays.work_day_create(
        actor=SYSTEM, group=group, occurrence=make_occurrence(activity, when(7, 10))
    )
    to_join, to_leave = (
        workdays.task_create(actor=SYSTEM, work_day=work_day, title=title, hands=3)
        for title in ("Luge bedene", "Vende komposten")
    )
    workdays.task_sign_up(actor=world.coordinator, task=to_leave)
    today = timezone.localdate()
    hours = workdays.member_hours_log(
        actor=member, group=group, day=today, hours=Decimal(2), what="Vandede"
    )
    caretaker = {"headers": {"Authorization": f"Bearer {world.caretaker_token}"}}
    on_group = {"path_parameters": {"group_id": group.pk}}
    return {
        "GET /api/v1/green/work-days/{work_day_id}/tasks": [
            {"path_parameters": {"work_day_id": work_day.pk}}
        ],
        "POST /api/v1/green/tasks/{task_id}/signup": [{"path_parameters": {"task_id": to_join.pk}}],
        "POST /api/v1/green/tasks/{task_id}/leave": [{"path_parameters": {"task_id": to_leave.pk}}],
        "POST /api/v1/green/groups/{group_id}/hours": [
            {**on_group, "body": {"day": today.isoformat(), "hours": "1.5", "what": "Klippede"}}
        ],
        "GET /api/v1/green/groups/{group_id}/hours": [on_group],
        "POST /api/v1/green/hours/{hours_id}/confirm": [
            {"path_parameters": {"hours_id": hours.pk}}
        ],
        "POST /api/v1/green/driften-hours": [
            {
                **caretaker,
                "body": {
                    "department": "A1",
                    "day": today.isoformat(),
                    "hours": "2.5",
                    "what": "Kørte flis",
                },
            }
        ],
        "GET /api/v1/green/driften-hours": [caretaker],
        "GET /api/v1/green/driften-hours/monthly": [
            {
                "query": {
                    "start": (today - timedelta(days=365)).isoformat(),
                    "end": today.isoformat(),
                }
            }
        ],
    }


def _signup_cases(world: World) -> dict[str, list[dict[str, Any]]]:
    """Sign-up operations (api/activity_signups.py) on occurrences made here."""
    from lokalsamfund.activities.services import signups
    from tests.activities.factories_signups import make_activity, make_occurrence

    department = Department.objects.get(
        code="A1", organisation__memberships__user=world.coordinator
    )
    activity = make_activity([department], capacity=5)
    free, own, others = (
        make_occurrence(activity, activity.starts_at + timedelta(days=7 * i)) for i in range(3)
    )
    signups.signup_create(occurrence=own, actor=world.coordinator)
    theirs = signups.signup_on_behalf(
        occurrence=others, actor=world.coordinator, name="Inger", phone="12345678"
    ).signup
    base = "/api/v1/activities/occurrences/{occurrence_id}/signups"
    return {
        f"POST {base}": [{"path_parameters": {"occurrence_id": free.pk}, "body": {"places": 1}}],
        f"POST {base}/on-behalf": [
            {
                "path_parameters": {"occurrence_id": free.pk},
                "body": {"name": "Jens", "phone": "87654321"},
            }
        ],
        f"POST {base}/cancel": [{"path_parameters": {"occurrence_id": own.pk}}],
        "POST /api/v1/activity-signups/{signup_id}/cancel": [
            {"path_parameters": {"signup_id": theirs.pk}}
        ],
    }


@pytest.mark.django_db
@pytest.mark.usefixtures("_keep_test_connection")
def test_every_write_and_path_operation_succeeds_on_real_data(
    api_world: World,
    at: Callable[..., datetime],  # noqa: F811
) -> None:
    cases = _success_cases(api_world, at)
    headers = {"Authorization": f"Bearer {api_world.token}"}
    statuses: dict[str, list[int]] = {}
    must_succeed = set()
    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        if operation.method.upper() in WRITE_METHODS or "{" in operation.path:
            must_succeed.add(label)
        for kwargs in cases.get(label, [{}]):
            kwargs = dict(kwargs)
            as_whom = kwargs.pop("headers", headers)
            response = operation.Case(**kwargs).call_and_validate(headers=as_whom, checks=CHECKS)
            statuses.setdefault(label, []).append(response.status_code)
    assert must_succeed <= set(cases), "give every write or path operation a success case"
    failed = {
        label: codes
        for label, codes in statuses.items()
        if label in must_succeed and not any(200 <= c < 300 for c in codes)
    }
    assert not failed, failed
    expected_refusals = {"POST /api/v1/referrals/{reference}/reassign": [400]}
    assert all(
        all(200 <= c < 300 for c in codes if c not in expected_refusals.get(label, []))
        for label, codes in statuses.items()
    ), statuses


@pytest.mark.django_db
def test_a_seed_the_database_cannot_store_is_refused_with_400(
    api_world: World, api_for: Callable[[User | None], Any]
) -> None:
    """Found by the run on PostgreSQL: seed 2**31 passed validation and the save gave a 500."""
    plans = Plan.objects.count()
    response = api_for(api_world.coordinator).post(
        "/api/v1/plans", {"department": "A1", "budget_dkk": 1000, "draws": 100, "seed": 2**31}
    )
    assert response.status_code == 400, response.content
    assert "seed" in response.json()["detail"]
    assert Plan.objects.count() == plans


def _network_group_cases(world: World, when: Callable[..., datetime]) -> dict[str, Any]:
    """Project groups and a development day (api/network_groups.py) made here: one group the
    caller joins, one they leave (another member is its contact)."""
    from lokalsamfund.network import events, groups

    department = Department.objects.get(
        code="A1", organisation__memberships__user=world.coordinator
    )
    other = User.objects.create_user("netvaerk-kontakt@example.org", "x", full_name="Kontakt")
    Membership.objects.create(
        user=other, organisation=department.organisation, role=Role.COORDINATOR
    )
    to_join, to_leave = (
        groups.group_create(
            actor=other, host_organisation=department.organisation, title=title, aim="Et mål"
        )
        for title in ("Gruppe at melde sig ind i", "Gruppe at melde sig ud af")
    )
    groups.group_join(actor=world.coordinator, group=to_leave, affiliation="Eksempel")
    day = events.development_day_create(
        actor=world.coordinator,
        department=department,
        title="Udviklingsdag",
        description="",
        starts_at=when(12, 9),
        duration_minutes=300,
        place="Salen",
        activity_type="frivilligtraening",
    )
    base = "/api/v1/network/groups/{group_id}"
    return {
        f"GET {base}": [{"path_parameters": {"group_id": to_leave.pk}}],
        f"POST {base}/join": [{"path_parameters": {"group_id": to_join.pk}, "body": {}}],
        f"POST {base}/leave": [{"path_parameters": {"group_id": to_leave.pk}}],
        "GET /api/v1/network/development-days/{day_id}": [{"path_parameters": {"day_id": day.pk}}],
    }
