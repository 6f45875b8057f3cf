"""/api/v1/activities: the department's dates, an activity, create and change; persona by
persona, with JSON errors 400/403/404/409."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from lokalsamfund.activities.models import Activity
from lokalsamfund.bookings.models import Facility
from lokalsamfund.bookings.services import booking_create
from lokalsamfund.core.models import Department, Role, User

from .conftest import local

# Scenarios on given dates (e.g. a season of weekly dinners from 11 June 2026): the default moment.
pytestmark = [pytest.mark.django_db, pytest.mark.scenario_moment]


@pytest.fixture
def walk(make_activity: Callable[..., Activity], caretaker: User) -> Activity:
    return make_activity(actor=caretaker, title="Gåtur", visibility="departments")


def _period(dept: Department, days: int = 30) -> str:
    start = local(2026, 6, 10, 0, 0)
    end = start + timedelta(days=days)
    return (
        f"/api/v1/activities/occurrences?department={dept.pk}"
        f"&start={start.isoformat().replace('+', '%2B')}&end={end.isoformat().replace('+', '%2B')}"
    )


LIST = {
    "caretaker": 5,
    "coordinator": 5,
    "board_member": 5,
    "resident": 5,
    "neighbour": 0,
    "outsider": 0,
    "no_role": 0,
}


@pytest.mark.parametrize("who", sorted(LIST))
def test_list_of_a_department(
    walk: Activity,
    personas: dict[str, User],
    api_for: Callable[..., Any],
    dept_a: Department,
    who: str,
) -> None:
    response = api_for(personas[who]).get(_period(dept_a))
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == LIST[who]
    if rows:
        assert rows[0]["start"].startswith("2026-06-11T17:30:00+02:00")
        assert rows[0]["title"] == "Gåtur"


def test_list_errors(
    walk: Activity, api_for: Callable[..., Any], resident: User, dept_a: Department
) -> None:
    client = api_for(resident)
    assert client.get(_period(dept_a, days=120)).status_code == 400
    assert "93" in client.get(_period(dept_a, days=120)).json()["detail"]
    assert (
        client.get(
            "/api/v1/activities/occurrences?department=999999&start=2026-06-10T00:00:00%2B02:00&end=2026-06-11T00:00:00%2B02:00"
        ).status_code
        == 404
    )
    assert api_for(None).get(_period(dept_a)).status_code == 401


DETAIL = {"caretaker": 200, "coordinator": 200, "resident": 200, "neighbour": 404, "outsider": 404}


@pytest.mark.parametrize("who", sorted(DETAIL))
def test_activity_detail(
    walk: Activity, personas: dict[str, User], api_for: Callable[..., Any], who: str
) -> None:
    response = api_for(personas[who]).get(f"/api/v1/activities/{walk.pk}")
    assert response.status_code == DETAIL[who]
    if DETAIL[who] == 200:
        data = response.json()
        assert data["title"] == "Gåtur"
        assert len(data["occurrences"]) == 10
    else:
        assert "detail" in response.json()


def _body(**kwargs: Any) -> dict[str, Any]:
    body = {
        "organisation": "test-org",
        "departments": ["A1"],
        "activity_type": "gaagruppe",
        "title": "Morgengåtur",
        "starts_at": "2026-06-15T09:00:00+02:00",
        "duration_minutes": 60,
        "rrule": "FREQ=WEEKLY;COUNT=6",
        "place": "Ved p-pladsen",
        "visibility": "neighbours",
    }
    body.update(kwargs)
    return body


CREATE = {
    "coordinator": (201, "published"),
    "caretaker": (201, "published"),
    "resident": (201, "proposed"),
    "neighbour": (201, "proposed"),
    "outsider": (403, None),
    "no_role": (403, None),
}


@pytest.mark.parametrize("who", sorted(CREATE))
def test_create(
    personas: dict[str, User], api_for: Callable[..., Any], dept_a: Department, who: str
) -> None:
    response = api_for(personas[who]).post("/api/v1/activities", _body())
    status, state = CREATE[who]
    assert response.status_code == status, response.json()
    if status == 201:
        assert response.json()["status"] == state
        assert len(response.json()["occurrences"]) == 6
    else:
        assert not Activity.objects.exists()


def test_create_errors(
    api_for: Callable[..., Any], coordinator: User, dept_a: Department, house: Facility
) -> None:
    client = api_for(coordinator)
    assert client.post("/api/v1/activities", _body(rrule="FREQ=NEVER")).status_code == 400
    assert client.post("/api/v1/activities", _body(organisation="nope")).status_code == 404
    assert client.post("/api/v1/activities", _body(departments=["Z9"])).status_code == 400
    assert client.post("/api/v1/activities", _body(visibility="secret")).status_code == 400
    taken = local(2026, 6, 22, 9, 0)
    booking_create(
        facility=house,
        booker=coordinator,
        start=taken,
        end=taken + timedelta(hours=2),
        title="Møde",
        use_type="community_activity",
        whole_house=True,
        notify=False,
    )
    response = client.post(
        "/api/v1/activities", _body(facility=house.slug, whole_house=True, place="")
    )
    assert response.status_code == 409
    assert response.json()["clash"]["start"].startswith("2026-06-22T09:00")
    assert not Activity.objects.exists()


PATCH = {
    "caretaker": 200,  # the organiser
    "coordinator": 200,
    "other_caretaker": 403,
    "resident": 403,
    "neighbour": 404,
    "outsider": 404,
}


@pytest.mark.parametrize("who", sorted(PATCH))
def test_patch(
    walk: Activity,
    personas: dict[str, User],
    api_for: Callable[..., Any],
    make_user: Callable[..., User],
    dept_a: Department,
    who: str,
) -> None:
    users = {**personas, "other_caretaker": make_user(Role.CARETAKER, walk.organisation, [dept_a])}
    response = api_for(users[who]).patch(
        f"/api/v1/activities/{walk.pk}", {"title": "Gåtur i skoven", "duration_minutes": 90}
    )
    assert response.status_code == PATCH[who], response.json()
    walk.refresh_from_db()
    assert (walk.title == "Gåtur i skoven") is (PATCH[who] == 200)
    if PATCH[who] == 200:
        data = response.json()
        assert data["messages"]
        first = data["occurrences"][0]
        assert first["end"].startswith("2026-06-11T19:00")
