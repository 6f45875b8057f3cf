"""Staff book on behalf of a resident from the booking page (issue 10 point 6, item 1): the
resident is chosen by name and home among the department's residents; the quota is theirs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from lokalsamfund.bookings.models import Booking, Facility
from lokalsamfund.bookings.services import booking_create
from lokalsamfund.core.models import Department, Membership, Role, User

pytestmark = pytest.mark.django_db

At = Callable[..., datetime]
ClientFor = Callable[[User | None], Client]
CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def homed_resident(resident: User) -> User:
    Membership.objects.filter(user=resident).update(home="Engparken 12, st. tv.")
    return resident


def _post(client: Client, facility: Facility, at: At, days: int, **extra: Any) -> Any:
    start = at(days, 17)
    data = {
        "category": "department",
        "use_type": "private_event",
        "title": "Fødselsdag",
        "rooms": ["Salen"],
        "date": start.date().isoformat(),
        "start_time": "17:00",
        "end_time": "21:00",
    }
    data.update(extra)
    return client.post(f"/facilities/{facility.slug}/book/", data)


@pytest.mark.parametrize("persona", ["caretaker", "coordinator"])
def test_staff_choose_the_resident_by_name_and_home(
    client_for: ClientFor,
    personas: dict[str, User],
    homed_resident: User,
    facility: Facility,
    at: At,
    persona: str,
) -> None:
    client = client_for(personas[persona])
    html = client.get(f"/facilities/{facility.slug}/book/").content.decode()
    assert f"{homed_resident.get_full_name()}, Engparken 12, st. tv." in html
    response = _post(client, facility, at, 5, on_behalf_of=str(homed_resident.pk))
    assert response.status_code == 302, response.content.decode()
    booking = Booking.objects.get()
    assert booking.booker == homed_resident
    assert booking.created_by == personas[persona]
    assert booking.category == "resident"


def test_residents_of_other_departments_and_organisations_are_not_offered(
    client_for: ClientFor,
    coordinator: User,
    resident: User,
    make_user: Callable[..., User],
    dept_b: Department,
    other_dept: Department,
    facility: Facility,
    at: At,
) -> None:
    elsewhere = make_user(Role.RESIDENT, dept_b.organisation, [dept_b])
    foreign = make_user(Role.RESIDENT, other_dept.organisation, [other_dept])
    User.objects.filter(pk=elsewhere.pk).update(full_name="Bo i B")
    User.objects.filter(pk=foreign.pk).update(full_name="Fremmed")
    client = client_for(coordinator)
    html = client.get(f"/facilities/{facility.slug}/book/").content.decode()
    assert resident.get_full_name() in html
    assert "Bo i B" not in html
    assert "Fremmed" not in html
    for person in (elsewhere, foreign):
        response = _post(client, facility, at, 5, on_behalf_of=str(person.pk))
        assert response.status_code == 400
        assert 'role="alert"' in response.content.decode()
    assert not Booking.objects.exists()


def test_the_household_quota_is_the_residents(
    client_for: ClientFor, caretaker: User, resident: User, facility: Facility, at: At
) -> None:
    with time_machine.travel(datetime(2027, 3, 3, 9, tzinfo=CPH), tick=False):
        for days in (1, 2):
            booking_create(
                facility=facility,
                booker=resident,
                start=at(days, 10),
                end=at(days, 12),
                title="Egen",
                use_type="community_activity",
                rooms=[facility.rooms.get(name="Salen")],
            )
        client = client_for(caretaker)
        response = _post(client, facility, at, 3, on_behalf_of=str(resident.pk))
        assert response.status_code == 400
        assert "2" in response.content.decode()
        assert Booking.objects.count() == 2
        # The caretaker's own quota is not the limit: a booking for another resident works.


def test_a_resident_gets_no_on_behalf_choice_and_cannot_post_one(
    client_for: ClientFor, resident: User, board_member: User, facility: Facility, at: At
) -> None:
    client = client_for(resident)
    html = client.get(f"/facilities/{facility.slug}/book/").content.decode()
    assert 'name="on_behalf_of"' not in html
    response = _post(
        client,
        facility,
        at,
        5,
        category="resident",
        use_type="community_activity",
        on_behalf_of=str(board_member.pk),
    )
    # The field does not exist for residents: the booking is their own.
    assert response.status_code == 302
    assert Booking.objects.get().booker == resident


def test_another_organisations_staff_cannot_open_the_form(
    client_for: ClientFor, outsider: User, resident: User, facility: Facility, at: At
) -> None:
    client = client_for(outsider)
    assert client.get(f"/facilities/{facility.slug}/book/").status_code == 404
    response = _post(client, facility, at, 5, on_behalf_of=str(resident.pk))
    assert response.status_code == 404
    assert not Booking.objects.exists()
    assert Client().get(f"/facilities/{facility.slug}/book/").status_code == 302
