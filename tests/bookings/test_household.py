"""The monthly quota per household: people with the same home in the organisation share it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from lokalsamfund.bookings.choices import BookingStatus
from lokalsamfund.bookings.models import Booking, Facility
from lokalsamfund.bookings.services import booking_cancel, booking_create, booking_update
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import (
    Department,
    Membership,
    NeighbourHousing,
    Organisation,
    Role,
    User,
    normalise_home,
)

pytestmark = pytest.mark.django_db

MakeUser = Callable[..., User]


def next_month(n: int, hour: int = 12) -> datetime:
    """Day ``n`` (0-based) of the next month that begins at least four days from today, at
    ``hour``, local time: inside every booking window, and every cancellation deadline (72
    hours at most) still ahead."""
    today = timezone.localdate()
    first = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    if first - today < timedelta(days=4):
        first = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return timezone.make_aware(datetime.combine(first + timedelta(days=n), time(hour)))


def book(facility: Facility, person: User, n: int, use_type: str = "private_event") -> Booking:
    return booking_create(
        facility=facility,
        booker=person,
        start=next_month(n),
        end=next_month(n, 14),
        title="Fødselsdag" if use_type == "private_event" else "Reparationscafé",
        use_type=use_type,
        whole_house=True,
    )


def resident_at(make_user: MakeUser, org: Organisation, dept: Department, home: str) -> User:
    user = make_user(Role.RESIDENT, org, [dept])
    Membership.objects.filter(user=user).update(home=normalise_home(home))
    return User.objects.get(pk=user.pk)


def test_people_of_one_home_share_the_quota(
    facility: Facility, org: Organisation, dept_a: Department, make_user: MakeUser
) -> None:
    assert facility.monthly_quota_per_household == 2
    bo = resident_at(make_user, org, dept_a, "Engparken 12, 1. th.")
    birte = resident_at(make_user, org, dept_a, "engparken 12 ,  1. TH.")  # the same home
    other = resident_at(make_user, org, dept_a, "Engparken 14, st.")
    book(facility, bo, 0)
    book(facility, birte, 1)
    with pytest.raises(DomainError) as caught:
        book(facility, bo, 2)
    assert "household" in caught.value.message or "husstand" in caught.value.message
    with pytest.raises(DomainError):
        book(facility, birte, 3)
    book(facility, other, 4)  # another home has its own quota
    # A cancelled booking frees the household's place.
    booking_cancel(booking=Booking.objects.get(booker=birte), actor=birte, scope="this")
    assert book(facility, bo, 5).status == BookingStatus.CONFIRMED


def test_without_a_home_a_person_is_a_household_of_their_own(
    facility: Facility, org: Organisation, dept_a: Department, make_user: MakeUser
) -> None:
    first, second = (make_user(Role.RESIDENT, org, [dept_a]) for _ in range(2))
    for n in range(2):
        book(facility, first, n)
        book(facility, second, 10 + n)
    with pytest.raises(DomainError) as caught:
        book(facility, first, 20)
    assert "household" not in caught.value.message
    assert "husstand" not in caught.value.message


def test_the_same_home_in_another_organisation_does_not_count(
    facility: Facility,
    org: Organisation,
    other_org: Organisation,
    dept_a: Department,
    make_user: MakeUser,
) -> None:
    bo = resident_at(make_user, org, dept_a, "Engparken 12, 1. th.")
    lodger = resident_at(make_user, org, dept_a, "Engparken 40")
    Membership.objects.create(
        user=lodger, organisation=other_org, role=Role.RESIDENT, home="Engparken 12, 1. th."
    )
    book(facility, lodger, 0)
    book(facility, lodger, 1)
    book(facility, bo, 2)
    book(facility, bo, 3)  # the lodger's bookings are not the household's
    with pytest.raises(DomainError):
        book(facility, bo, 4)


def test_neighbours_registering_from_one_address_share_the_quota(
    facility: Facility,
    neighbour_housing: NeighbourHousing,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    people = []
    for n, address in enumerate(["Lærkehøj 12", " lærkehøj  12 "]):
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            response = client.post(
                f"/facilities/{facility.slug}/register/",
                {
                    "kind": "neighbour",
                    "full_name": f"Nabo {n}",
                    "email": f"nabo{n}@example.org",
                    "password": "en-god-adgangskode-2026",
                    "neighbour_housing": str(neighbour_housing.pk),
                    "home": address,
                },
            )
        assert response.status_code == 302
        user = User.objects.get(email=f"nabo{n}@example.org")
        user.email_verified = True
        user.save()
        people.append(user)
    assert Membership.objects.get(user=people[1]).home == "lærkehøj 12"
    book(facility, people[0], 0, "community_activity")
    book(facility, people[1], 1, "community_activity")
    with pytest.raises(DomainError):
        book(facility, people[0], 2, "community_activity")


@given(st.text(alphabet=" ,.abcÆØÅæøå12", max_size=30))
def test_normalising_a_home_is_stable(text: str) -> None:
    once = normalise_home(text)
    assert normalise_home(once) == once
    assert "  " not in once
    assert once == once.strip()


def test_case_is_ignored_beyond_ascii(
    facility: Facility, org: Organisation, dept_a: Department, make_user: MakeUser
) -> None:
    first = resident_at(make_user, org, dept_a, "Ærtebjerg 3, st.")
    second = resident_at(make_user, org, dept_a, "ÆRTEBJERG 3, ST.")
    book(facility, first, 0)
    book(facility, first, 1)
    with pytest.raises(DomainError):
        book(facility, second, 2)


def test_moving_a_booking_into_a_full_month_is_refused(
    facility: Facility,
    org: Organisation,
    dept_a: Department,
    make_user: MakeUser,
    coordinator: User,
    clock: time_machine.Coordinates,
) -> None:
    """Staff move it (the booker's own deadline for changes may have passed); the household's
    quota holds all the same."""
    # A booking this month needs a day left in it: the 10th of this month, whatever today is.
    clock.move_to(
        timezone.make_aware(datetime.combine(timezone.localdate(), time(10))).replace(day=10)
    )
    person = resident_at(make_user, org, dept_a, "Engparken 12, 1. th.")
    book(facility, person, 0)
    book(facility, person, 1)
    this_month = timezone.localdate() + timedelta(days=1)
    early = booking_create(
        facility=facility,
        booker=person,
        start=timezone.make_aware(datetime.combine(this_month, time(12))),
        end=timezone.make_aware(datetime.combine(this_month, time(14))),
        title="Fødselsdag",
        use_type="private_event",
        whole_house=True,
    )
    with pytest.raises(DomainError) as caught:
        booking_update(booking=early, actor=coordinator, start=next_month(5), end=next_month(5, 14))
    assert "household" in caught.value.message or "husstand" in caught.value.message
    early.refresh_from_db()
    assert early.starts_at < next_month(0)  # unchanged
    # Within next month's quota a move is fine once a place is free.
    second = Booking.objects.get(booker=person, starts_at=next_month(1))
    booking_cancel(booking=second, actor=coordinator)
    moved = booking_update(
        booking=early, actor=coordinator, start=next_month(5), end=next_month(5, 14)
    )
    assert moved[0].starts_at == next_month(5)


def test_bulk_writes_keep_the_home_key(
    org: Organisation, dept_a: Department, make_user: MakeUser
) -> None:
    person = make_user(Role.RESIDENT, org, [dept_a])
    membership = Membership.objects.get(user=person)
    membership.home = "  Ærtebjerg 3 , st. "
    Membership.objects.bulk_update([membership], ["home"])
    assert Membership.objects.filter(home_key="ærtebjerg 3, st.").count() == 1
    Membership.objects.filter(pk=membership.pk).update(home="Engparken 12")
    assert Membership.objects.get(pk=membership.pk).home_key == "engparken 12"
