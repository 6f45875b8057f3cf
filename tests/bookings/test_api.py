"""The bookings API: each persona against each endpoint; 201/409/400/403/404; ISO 8601."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from lokalsamfund.bookings.choices import BookingStatus
from lokalsamfund.bookings.models import Booking, Facility
from lokalsamfund.core.models import Department, User

pytestmark = pytest.mark.django_db

At = Callable[..., datetime]
ApiFor = Callable[[User | None], Any]

BOOKERS = [
    "admin",
    "coordinator",
    "caretaker",
    "board_member",
    "resident",
    "neighbour",
    "association",
]


def body(at: At, **overrides: Any) -> dict[str, Any]:
    data = {
        "facility": "test-faelleshus",
        "whole_house": True,
        "use_type": "community_activity",
        "start": at(5, 17).isoformat(),
        "end": at(5, 20).isoformat(),
        "title": "Fællesspisning",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", [*BOOKERS, "outsider", "no_role"])
def test_facilities_only_own_organisation(
    api_for: ApiFor, personas: dict[str, User], facility: Facility, persona: str
) -> None:
    response = api_for(personas[persona]).get("/api/v1/facilities")
    assert response.status_code == 200
    slugs = [f["slug"] for f in response.json()]
    assert slugs == (["test-faelleshus"] if persona in BOOKERS else [])


def test_facilities_need_a_token(api_for: ApiFor, facility: Facility) -> None:
    assert api_for(None).get("/api/v1/facilities").status_code == 401


@pytest.mark.parametrize(
    ("persona", "status"),
    [*((p, 200) for p in BOOKERS), ("outsider", 404), ("no_role", 404)],
)
def test_availability_access_and_content(
    api_for: ApiFor,
    personas: dict[str, User],
    facility: Facility,
    at: At,
    persona: str,
    status: int,
) -> None:
    api_for(personas["coordinator"]).post("/api/v1/bookings", body(at, title="Hemmeligt møde"))
    response = api_for(personas[persona]).get(
        f"/api/v1/facilities/{facility.slug}/availability",
        data={"start": at(5, 0).isoformat(), "end": at(6, 0).isoformat()},
    )
    assert response.status_code == status
    if status == 200:
        data = response.json()
        assert {b["room"] for b in data["busy"]} == {"Salen", "Mødelokalet"}
        assert datetime.fromisoformat(data["busy"][0]["start"]) == at(5, 17)
        assert "Hemmeligt" not in response.content.decode()
        assert data["busy"][0]["start"][-6] in "+-"  # an offset, not a naive time


def test_availability_bad_range_is_400(
    api_for: ApiFor, resident: User, facility: Facility, at: At
) -> None:
    api = api_for(resident)
    url = f"/api/v1/facilities/{facility.slug}/availability"
    assert (
        api.get(url, data={"start": at(6, 0).isoformat(), "end": at(5, 0).isoformat()}).status_code
        == 400
    )
    assert api.get(url, data={"start": "yesterday", "end": at(5, 0).isoformat()}).status_code == 400
    assert (
        api.get(
            url, data={"start": at(1, 0).isoformat(), "end": at(200, 0).isoformat()}
        ).status_code
        == 400
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 201),
        ("coordinator", 201),
        ("caretaker", 201),
        ("board_member", 201),
        ("resident", 201),
        ("neighbour", 201),
        ("association", 201),
        ("outsider", 404),
        ("no_role", 404),
    ],
)
def test_create_by_persona(
    api_for: ApiFor,
    personas: dict[str, User],
    facility: Facility,
    at: At,
    persona: str,
    status: int,
    verified: None,
) -> None:
    response = api_for(personas[persona]).post("/api/v1/bookings", body(at))
    assert response.status_code == status, response.content
    if status == 201:
        data = response.json()
        assert datetime.fromisoformat(data["start"]) == at(5, 17)
        assert sorted(data["rooms"]) == ["Mødelokalet", "Salen"]
        expected = "pending" if persona in ("neighbour", "association") else "confirmed"
        assert data["status"] == expected
    else:
        assert not Booking.objects.exists()


def test_create_conflict_is_409_with_the_clashing_time(
    api_for: ApiFor, resident: User, coordinator: User, facility: Facility, at: At
) -> None:
    assert (
        api_for(coordinator)
        .post("/api/v1/bookings", body(at, rooms=["Salen"], whole_house=False))
        .status_code
        == 201
    )
    response = api_for(resident).post(
        "/api/v1/bookings", body(at, start=at(5, 18).isoformat(), end=at(5, 22).isoformat())
    )
    assert response.status_code == 409
    clash = response.json()["clash"]
    assert clash["room"] == "Salen"
    assert datetime.fromisoformat(clash["start"]) == at(5, 17)
    assert datetime.fromisoformat(clash["end"]) == at(5, 20)
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"start": "2030-01-01T12:00:00", "end": "2030-01-01T14:00:00"},  # no offset
        {"start": "tomorrow"},
        {"use_type": "party"},
        {"rooms": ["Køkkenet"], "whole_house": False},
        {"whole_house": False},
        {"title": ""},
        {"category": "king"},
    ],
)
def test_create_invalid_input_is_400(
    api_for: ApiFor, resident: User, facility: Facility, at: At, overrides: dict[str, Any]
) -> None:
    response = api_for(resident).post("/api/v1/bookings", body(at, **overrides))
    assert response.status_code == 400, response.content
    assert response.json()["detail"]
    assert not Booking.objects.exists()


def test_create_not_allowed_is_403(
    api_for: ApiFor, resident: User, neighbour: User, facility: Facility, at: At, verified: None
) -> None:
    # A neighbour's own private event is not allowed by the shipped profile (a side activity).
    response = api_for(neighbour).post("/api/v1/bookings", body(at, use_type="private_event"))
    assert response.status_code == 403
    assert "kilde" in response.json()["detail"] or "source" in response.json()["detail"]
    # A resident may not book as the department.
    assert (
        api_for(resident).post("/api/v1/bookings", body(at, category="department")).status_code
        == 403
    )
    # A resident may not book on behalf of others.
    assert (
        api_for(resident)
        .post("/api/v1/bookings", body(at, on_behalf_of=neighbour.email))
        .status_code
        == 403
    )


def test_staff_books_on_behalf_by_email(
    api_for: ApiFor, caretaker: User, resident: User, facility: Facility, at: At, dept_b: Department
) -> None:
    response = api_for(caretaker).post("/api/v1/bookings", body(at, on_behalf_of=resident.email))
    assert response.status_code == 201
    assert response.json()["booker"] == resident.email
    assert (
        api_for(caretaker)
        .post(
            "/api/v1/bookings",
            body(
                at,
                on_behalf_of="nobody@example.org",
                start=at(6, 17).isoformat(),
                end=at(6, 19).isoformat(),
            ),
        )
        .status_code
        == 400
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("resident", 200),
        ("coordinator", 200),
        ("caretaker", 200),
        ("admin", 200),
        ("board_member", 404),
        ("neighbour", 404),
        ("association", 404),
        ("outsider", 404),
        ("no_role", 404),
    ],
)
def test_get_booking_by_persona(
    api_for: ApiFor,
    personas: dict[str, User],
    facility: Facility,
    at: At,
    persona: str,
    status: int,
) -> None:
    created = api_for(personas["resident"]).post("/api/v1/bookings", body(at)).json()
    response = api_for(personas[persona]).get(f"/api/v1/bookings/{created['id']}")
    assert response.status_code == status
    if status == 200:
        assert response.json()["title"] == "Fællesspisning"


def test_cancel_by_booker_and_not_by_others(
    api_for: ApiFor, resident: User, board_member: User, facility: Facility, at: At
) -> None:
    created = api_for(resident).post("/api/v1/bookings", body(at)).json()
    assert (
        api_for(board_member).post(f"/api/v1/bookings/{created['id']}/cancel", {}).status_code
        == 404
    )
    response = api_for(resident).post(f"/api/v1/bookings/{created['id']}/cancel", {})
    assert response.status_code == 200
    assert response.json()[0]["status"] == "cancelled"
    assert api_for(resident).post(f"/api/v1/bookings/{created['id']}/cancel", {}).status_code == 400


def test_approval_endpoints(
    api_for: ApiFor, personas: dict[str, User], facility: Facility, at: At, verified: None
) -> None:
    neighbour, coordinator, caretaker = (
        personas["neighbour"],
        personas["coordinator"],
        personas["caretaker"],
    )
    first = api_for(neighbour).post("/api/v1/bookings", body(at)).json()
    second = (
        api_for(neighbour)
        .post("/api/v1/bookings", body(at, start=at(6, 17).isoformat(), end=at(6, 20).isoformat()))
        .json()
    )
    pending = api_for(coordinator).get("/api/v1/bookings/pending").json()
    assert [b["id"] for b in pending] == [first["id"], second["id"]]
    assert api_for(personas["outsider"]).get("/api/v1/bookings/pending").json() == []
    assert api_for(neighbour).get("/api/v1/bookings/pending").json() == []
    # The caretaker books on behalf but does not approve: 403.
    assert api_for(caretaker).post(f"/api/v1/bookings/{first['id']}/approve", {}).status_code == 403
    assert api_for(neighbour).post(f"/api/v1/bookings/{first['id']}/approve", {}).status_code == 403
    approved = api_for(coordinator).post(f"/api/v1/bookings/{first['id']}/approve", {})
    assert approved.status_code == 200
    assert approved.json()[0]["status"] == "confirmed"
    assert (
        api_for(coordinator).post(f"/api/v1/bookings/{second['id']}/reject", {}).status_code == 400
    )
    rejected = api_for(coordinator).post(
        f"/api/v1/bookings/{second['id']}/reject", {"reason": "Lukket"}
    )
    assert rejected.json()[0]["rejection_reason"] == "Lukket"
    assert Booking.objects.get(pk=second["id"]).status == BookingStatus.REJECTED
    assert (
        api_for(personas["outsider"])
        .post(f"/api/v1/bookings/{first['id']}/approve", {})
        .status_code
        == 404
    )


def test_openapi_lists_the_booking_endpoints(api_for: ApiFor) -> None:
    paths = api_for(None).get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/facilities",
        "/api/v1/facilities/{slug}/availability",
        "/api/v1/bookings",
        "/api/v1/bookings/{booking_id}",
        "/api/v1/bookings/{booking_id}/cancel",
        "/api/v1/bookings/{booking_id}/approve",
        "/api/v1/bookings/{booking_id}/reject",
        "/api/v1/bookings/pending",
    ):
        assert path in paths


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("resident", 200),
        ("coordinator", 200),
        ("caretaker", 200),
        ("admin", 200),
        ("board_member", 404),
        ("neighbour", 404),
        ("association", 404),
        ("outsider", 404),
        ("no_role", 404),
    ],
)
def test_cancel_by_persona(
    api_for: ApiFor,
    personas: dict[str, User],
    facility: Facility,
    at: At,
    persona: str,
    status: int,
) -> None:
    created = api_for(personas["resident"]).post("/api/v1/bookings", body(at)).json()
    response = api_for(personas[persona]).post(f"/api/v1/bookings/{created['id']}/cancel", {})
    assert response.status_code == status
    expected = "cancelled" if status == 200 else "confirmed"
    assert Booking.objects.get(pk=created["id"]).status == expected


def test_pending_requests_cost_a_bounded_number_of_queries(
    api_for: ApiFor,
    personas: dict[str, User],
    facility: Facility,
    at: At,
    verified: None,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    """One query per request listed was up to 500 queries; now the list costs the same few
    queries however long it is."""
    Facility.objects.filter(pk=facility.pk).update(monthly_quota_per_household=0)
    neighbour = api_for(personas["neighbour"])
    for day in range(3, 15):
        rooms = {"rooms": ["Salen"], "whole_house": False} if day % 2 else {}
        start, end = at(day, 17).isoformat(), at(day, 20).isoformat()
        created = neighbour.post("/api/v1/bookings", body(at, start=start, end=end, **rooms))
        assert created.status_code == 201, created.json()
    coordinator = api_for(personas["coordinator"])
    with django_assert_max_num_queries(8):
        pending = coordinator.get("/api/v1/bookings/pending").json()
    assert len(pending) == 12
    assert {tuple(b["rooms"]) for b in pending} == {("Salen",), ("Mødelokalet", "Salen")}
