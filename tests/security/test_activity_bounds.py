"""Numbers and rules beyond what an activity can hold: refused with a message, never a 500 and
never a worker busy for minutes (third attack)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from lokalsamfund.activities.models import Activity
from lokalsamfund.core.models import Department, User

pytestmark = pytest.mark.django_db


def _body(**kwargs: Any) -> dict[str, Any]:
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    body = {
        "organisation": "test-org",
        "departments": ["A1"],
        "activity_type": "gaagruppe",
        "title": "Morgengåtur",
        "starts_at": start.isoformat(),
        "duration_minutes": 60,
        "place": "Ved p-pladsen",
        "visibility": "public",
        "signup_required": True,
        "capacity": 10,
    }
    body.update(kwargs)
    return body


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MINUTELY",  # a worker walked 576,000 minutes (over 30 s) before refusing
        "FREQ=SECONDLY;COUNT=100000",
        "FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30",  # no date at all, found after 29 s
        "FREQ=HOURLY;UNTIL=20311201T000000Z",
        "FREQ=DAILY;BYHOUR=8,9,10,11,12,13,14,15,16;BYMINUTE=0,10,20,30,40,50",
    ],
)
def test_a_rule_of_hours_minutes_or_seconds_is_refused_at_once(
    api_for: Callable[..., Any], resident: User, dept_a: Department, rule: str
) -> None:
    began = time.monotonic()
    response = api_for(resident).post("/api/v1/activities", _body(rrule=rule))
    assert response.status_code == 400, response.json()
    assert "Gentagelsesreglen" in response.json()["detail"]
    assert time.monotonic() - began < 8  # before: 22 to over 30 seconds
    assert not Activity.objects.exists()


def test_a_daily_rule_still_works(
    api_for: Callable[..., Any], coordinator: User, dept_a: Department
) -> None:
    response = api_for(coordinator).post("/api/v1/activities", _body(rrule="FREQ=DAILY;COUNT=3"))
    assert response.status_code == 201, response.json()
    assert len(response.json()["occurrences"]) == 3


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("capacity", 2**63, "pladser"),  # beyond int64: a 500 from the database driver
        ("capacity", 2**31, "pladser"),  # beyond PostgreSQL's integer
        ("signup_closes_hours", 10**12, "Tilmeldingen lukker"),  # the page was a 500 ever after
        ("signup_closes_hours", 2**31, "Tilmeldingen lukker"),
        ("starts_at", "9999-12-31T10:00:00+01:00", "fem år"),  # date overflow: a 500
    ],
)
def test_numbers_and_dates_beyond_the_columns_are_refused(
    api_for: Callable[..., Any],
    coordinator: User,
    dept_a: Department,
    field: str,
    value: Any,
    words: str,
) -> None:
    response = api_for(coordinator).post("/api/v1/activities", _body(**{field: value}))
    assert response.status_code == 400, response.content
    assert words in response.json()["detail"]
    assert not Activity.objects.exists()


def test_the_largest_allowed_numbers_make_a_page_that_opens(
    api_for: Callable[..., Any], coordinator: User, dept_a: Department, client: Any
) -> None:
    response = api_for(coordinator).post(
        "/api/v1/activities", _body(capacity=10_000, signup_closes_hours=366 * 24)
    )
    assert response.status_code == 201, response.json()
    page = client.get(f"/aktiviteter/{response.json()['id']}/")
    assert page.status_code == 200
