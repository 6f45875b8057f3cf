"""Room resolution (issue 9 point 13): the booking page and the API resolve the rooms asked for
through one selector, so the same input gives the same rooms (or the same refusal)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.test import Client

from lokalsamfund.bookings import selectors
from lokalsamfund.bookings.models import Booking, BookingClaim, Facility
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import User

pytestmark = pytest.mark.django_db

At = Callable[..., datetime]
ClientFor = Callable[[User | None], Client]
ApiFor = Callable[[User | None], Any]

CASES = [
    (["Salen"], False),
    (["Salen", "Mødelokalet"], False),
    (["Salen", "Salen"], False),  # twice is once
    ([], True),
]


def _page(client: Client, facility: Facility, at: At, rooms: list[str], whole: bool) -> int:
    start = at(5, 17)
    data: dict[str, Any] = {
        "category": "resident",
        "use_type": "community_activity",
        "title": "Fællesspisning",
        "rooms": rooms,
        "date": start.date().isoformat(),
        "start_time": "17:00",
        "end_time": "20:00",
    }
    if whole:
        data["whole_house"] = "on"
    return client.post(f"/facilities/{facility.slug}/book/", data).status_code


def _api(api: Any, at: At, rooms: list[str], whole: bool) -> int:
    return api.post(
        "/api/v1/bookings",
        {
            "facility": "test-faelleshus",
            "rooms": rooms,
            "whole_house": whole,
            "use_type": "community_activity",
            "start": at(5, 17).isoformat(),
            "end": at(5, 20).isoformat(),
            "title": "Fællesspisning",
        },
    ).status_code


def _claimed() -> list[str]:
    return sorted(BookingClaim.objects.values_list("room__name", flat=True))


@pytest.mark.parametrize(("rooms", "whole"), CASES)
def test_page_and_api_claim_the_same_rooms(
    client_for: ClientFor,
    api_for: ApiFor,
    resident: User,
    facility: Facility,
    at: At,
    rooms: list[str],
    whole: bool,
) -> None:
    assert _page(client_for(resident), facility, at, rooms, whole) == 302
    by_page = _claimed()
    Booking.objects.all().delete()
    assert _api(api_for(resident), at, rooms, whole) == 201
    assert _claimed() == by_page
    resolved = selectors.rooms_for_booking(facility=facility, names=rooms, whole_house=whole)
    assert sorted(r.name for r in resolved.rooms) == by_page


@pytest.mark.parametrize(
    ("rooms", "whole"),
    [(["Køkkenet"], False), ([], False), (["Salen"], True)],
)
def test_page_and_api_refuse_the_same_input(
    client_for: ClientFor,
    api_for: ApiFor,
    resident: User,
    facility: Facility,
    at: At,
    rooms: list[str],
    whole: bool,
) -> None:
    assert _page(client_for(resident), facility, at, rooms, whole) == 400
    assert _api(api_for(resident), at, rooms, whole) == 400
    assert not Booking.objects.exists()
    with pytest.raises(DomainError):
        selectors.rooms_for_booking(facility=facility, names=rooms, whole_house=whole)
