"""Fixtures of the booking tests: a house of department A1 with two rooms, and times."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from lokalsamfund.bookings.models import Facility, FacilityCosts, Room
from lokalsamfund.core.models import Department, Organisation, User


@pytest.fixture
def facility(org: Organisation, dept_a: Department) -> Facility:
    house = Facility.objects.create(
        organisation=org,
        department=dept_a,
        slug="test-faelleshus",
        name="Testhuset",
        opens_at=time(7, 0),
        closes_at=time(0, 0),
        min_duration_minutes=60,
        max_duration_minutes=17 * 60,
        monthly_quota_per_household=2,
    )
    Room.objects.create(facility=house, name="Salen", capacity=80)
    Room.objects.create(facility=house, name="Mødelokalet", capacity=16)
    return house


@pytest.fixture
def hall(facility: Facility) -> Room:
    return facility.rooms.get(name="Salen")


@pytest.fixture
def meeting_room(facility: Facility) -> Room:
    return facility.rooms.get(name="Mødelokalet")


@pytest.fixture
def costs(facility: Facility) -> FacilityCosts:
    year = timezone.localdate().year
    for y in (year, year + 1):
        FacilityCosts.objects.create(
            facility=facility,
            year=y,
            utilities=Decimal("24000"),
            cleaning=Decimal("18000"),
            maintenance=Decimal("9000"),
            insurance=Decimal("4000"),
            administration=Decimal("5000"),
            expected_hours=Decimal("1200"),
        )
    return facility.costs.get(year=year)


@pytest.fixture
def at() -> Callable[..., datetime]:
    """``at(days, hour, minute=0)``: local time ``days`` from today (Europe/Copenhagen)."""

    def make(days: int, hour: int, minute: int = 0) -> datetime:
        day = timezone.localdate() + timedelta(days=days)
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    return make


@pytest.fixture
def verified(neighbour: User, association_contact: User) -> None:
    """The neighbour and the association contact have confirmed their e-mail addresses."""
    User.objects.filter(pk__in=[neighbour.pk, association_contact.pk]).update(email_verified=True)
    neighbour.refresh_from_db()
    association_contact.refresh_from_db()


def local_date(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)
