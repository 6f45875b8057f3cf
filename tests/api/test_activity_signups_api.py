"""/api/v1 sign-up endpoints by persona: sign up, cancel, on behalf, mine."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from lokalsamfund.activities.models import Occurrence, SignUp, SignUpStatus
from lokalsamfund.activities.services import signups as services
from lokalsamfund.core.models import Department, Role, User
from lokalsamfund.core.permissions import SYSTEM
from tests.activities.factories_signups import make_activity, make_occurrence

pytestmark = pytest.mark.django_db


@pytest.fixture
def occurrence(dept_a: Department) -> Occurrence:
    return make_occurrence(make_activity([dept_a], capacity=1))


def url(occurrence: Occurrence, tail: str = "") -> str:
    return f"/api/v1/activities/occurrences/{occurrence.pk}/signups{tail}"


def test_sign_up_then_waitlist_then_twice(
    occurrence: Occurrence, resident: User, board_member: User, api_for: Callable
) -> None:
    response = api_for(resident).post(url(occurrence), {"places": 1})
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "confirmed"
    assert body["occurrence"] == occurrence.pk
    start = datetime.fromisoformat(body["start"])
    assert start == occurrence.starts_at
    assert start.utcoffset() == timezone.localtime(occurrence.starts_at).utcoffset()  # local time
    second = api_for(board_member).post(url(occurrence), {})
    assert second.status_code == 201
    assert second.json()["waitlist_position"] == 1
    again = api_for(resident).post(url(occurrence), {})
    assert again.status_code == 409
    assert "detail" in again.json()


def test_who_may_not_sign_up(
    occurrence: Occurrence, personas: dict[str, User], api_for: Callable
) -> None:
    for name in ("neighbour", "association", "outsider", "no_role"):
        assert api_for(personas[name]).post(url(occurrence), {}).status_code == 404, name
    assert api_for(None).post(url(occurrence), {}).status_code == 401
    assert api_for(personas["resident"]).post(url(occurrence), {"places": 0}).status_code == 400
    assert not SignUp.objects.exists()


def test_closed_and_full_answers(dept_a: Department, resident: User, api_for: Callable) -> None:
    soon = make_activity(
        [dept_a], starts_at=timezone.now() + timedelta(hours=2), signup_closes_hours=3
    )
    response = api_for(resident).post(url(make_occurrence(soon)), {})
    assert response.status_code == 400
    assert "lukkede" in response.json()["detail"]
    full = make_occurrence(make_activity([dept_a], capacity=1, waitlist=False))
    services.signup_on_behalf(occurrence=full, actor=SYSTEM, name="Inger", phone="1")
    assert api_for(resident).post(url(full), {}).status_code == 409


def test_cancel_own_and_by_staff(
    occurrence: Occurrence,
    resident: User,
    board_member: User,
    personas: dict[str, User],
    api_for: Callable,
) -> None:
    mine = api_for(resident).post(url(occurrence), {}).json()
    waiting = api_for(board_member).post(url(occurrence), {}).json()
    assert api_for(personas["caretaker"]).post(url(occurrence, "/cancel")).status_code == 404
    response = api_for(resident).post(url(occurrence, "/cancel"))
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert SignUp.objects.get(pk=waiting["id"]).status == SignUpStatus.CONFIRMED
    by_id = f"/api/v1/activity-signups/{waiting['id']}/cancel"
    for name in ("resident", "neighbour", "outsider"):
        assert api_for(personas[name]).post(by_id).status_code == 404, name
    assert api_for(personas["coordinator"]).post(by_id).status_code == 200
    assert SignUp.objects.get(pk=mine["id"]).status == SignUpStatus.CANCELLED


def test_on_behalf_by_staff_only(
    occurrence: Occurrence, personas: dict[str, User], api_for: Callable
) -> None:
    payload = {"name": "Inger Hansen", "phone": "12345678"}
    for name in ("resident", "board_member", "neighbour", "outsider", "no_role"):
        response = api_for(personas[name]).post(url(occurrence, "/on-behalf"), payload)
        assert response.status_code == 404, name
    response = api_for(personas["caretaker"]).post(url(occurrence, "/on-behalf"), payload)
    assert response.status_code == 201
    assert response.json()["channel"] == "staff"
    missing = api_for(personas["caretaker"]).post(url(occurrence, "/on-behalf"), {"name": "Jens"})
    assert missing.status_code == 400


def test_mine(
    occurrence: Occurrence,
    resident: User,
    make_user: Callable[..., User],
    org: object,
    dept_a: Department,
    api_for: Callable,
) -> None:
    api_for(resident).post(url(occurrence), {})
    other = make_user(Role.RESIDENT, org, [dept_a])
    assert [
        r["occurrence"] for r in api_for(resident).get("/api/v1/activity-signups/mine").json()
    ] == [occurrence.pk]
    assert api_for(other).get("/api/v1/activity-signups/mine").json() == []
    assert Client().get("/api/v1/activity-signups/mine").status_code == 401
