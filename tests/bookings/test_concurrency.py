"""Never two bookings at once: real threads with their own database connections, on SQLite
(IMMEDIATE transactions) and PostgreSQL (exclusion constraint)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, time, timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from lokalsamfund.bookings.models import Booking, BookingClaim, Facility, Room
from lokalsamfund.bookings.services import booking_create, checks
from lokalsamfund.core.errors import Conflict, DomainError
from lokalsamfund.core.models import Membership, User

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def overlapping_claims() -> int:
    """Pairs of active claims of one room that overlap, counted by the database itself."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COUNT(*) FROM bookings_bookingclaim a
            JOIN bookings_bookingclaim b
              ON a.room_id = b.room_id AND a.id < b.id
             AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
            WHERE a.active AND b.active
            """
        )
        return int(cursor.fetchone()[0])


def race(work: Callable[[int], object]) -> list[object]:
    """Run ``work(i)`` in THREADS threads released at the same moment; return the outcomes."""
    barrier = threading.Barrier(THREADS)
    outcomes: list[object] = [None] * THREADS

    def run(i: int) -> None:
        try:
            barrier.wait()
            outcomes[i] = work(i)
        except Exception as exc:  # the outcome is the point of the test
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def test_concurrent_requests_for_one_slot_give_one_booking(
    facility: Facility, coordinator: User, hall: Room, at: Callable[..., datetime]
) -> None:
    def work(i: int) -> object:
        # Every thread wants an overlapping time; half the whole house, half the hall.
        return booking_create(
            facility=facility,
            booker=coordinator,
            start=at(10, 12 + i % 3),
            end=at(10, 16 + i % 2),
            title=f"Møde {i}",
            use_type="community_activity",
            whole_house=i % 2 == 0,
            rooms=[] if i % 2 == 0 else [hall],
        )

    outcomes = race(work)
    booked = [o for o in outcomes if isinstance(o, Booking)]
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(booked) == 1, outcomes
    assert len(conflicts) == THREADS - 1, outcomes
    assert all("clash" in c.details for c in conflicts)
    assert overlapping_claims() == 0
    assert Booking.objects.count() == 1


def test_concurrent_disjoint_requests_all_succeed(
    facility: Facility, coordinator: User, at: Callable[..., datetime]
) -> None:
    def work(i: int) -> object:
        return booking_create(
            facility=facility,
            booker=coordinator,
            start=at(10 + i, 12),
            end=at(10 + i, 14),
            title=f"Møde {i}",
            use_type="community_activity",
            whole_house=True,
        )

    outcomes = race(work)
    assert all(isinstance(o, Booking) for o in outcomes), outcomes
    assert overlapping_claims() == 0


@pytest.mark.parametrize("household", ["one person", "two people of one home"])
def test_concurrent_requests_cannot_exceed_the_monthly_quota(
    facility: Facility, resident: User, board_member: User, household: str
) -> None:
    """The quota (2 a month for the test house) holds when a household books several free
    slots of one month at the same moment: it is checked again under the house's lock."""
    first_of_next_month = (timezone.localdate().replace(day=28) + timedelta(days=4)).replace(day=1)
    people = [resident]
    if household != "one person":
        Membership.objects.filter(user__in=[resident, board_member]).update(home="Engparken 12")
        people = [User.objects.get(pk=resident.pk), User.objects.get(pk=board_member.pk)]

    def work(i: int) -> object:
        day = first_of_next_month + timedelta(days=i)
        return booking_create(
            facility=facility,
            booker=people[i % len(people)],
            category="resident",
            start=timezone.make_aware(datetime.combine(day, time(12))),
            end=timezone.make_aware(datetime.combine(day, time(14))),
            title=f"Kaffe {i}",
            use_type="community_activity",
            whole_house=True,
        )

    outcomes = race(work)
    booked = [o for o in outcomes if isinstance(o, Booking)]
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    assert facility.monthly_quota_per_household == 2
    assert len(booked) == 2, outcomes
    assert len(refused) == THREADS - 2, outcomes
    assert Booking.objects.filter(booker__in=people).count() == 2


ONLY_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's"
)


@ONLY_POSTGRESQL
def test_exclusion_constraint_holds_without_the_code_checks(
    facility: Facility,
    coordinator: User,
    monkeypatch: pytest.MonkeyPatch,
    at: Callable[..., datetime],
) -> None:
    """With the code's clash checks blinded, the database alone refuses the overlaps, and
    the losers still get a Conflict naming the clashing time (looked up after rollback)."""
    real_first_clash = checks.first_clash
    calls: dict[int, int] = {}

    def blind_first_clash(rooms: list[Room], start: datetime, end: datetime) -> object:
        ident = threading.get_ident()
        calls[ident] = calls.get(ident, 0) + 1
        if calls[ident] == 1:
            return None  # the early check sees nothing
        return real_first_clash(rooms, start, end)

    monkeypatch.setattr(checks, "first_clash", blind_first_clash)

    def work(i: int) -> object:
        return booking_create(
            facility=facility,
            booker=coordinator,
            start=at(12, 12),
            end=at(12, 15),
            title=f"Møde {i}",
            use_type="community_activity",
            whole_house=True,
        )

    outcomes = race(work)
    assert sum(isinstance(o, Booking) for o in outcomes) == 1, outcomes
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(conflicts) == THREADS - 1, outcomes
    assert datetime.fromisoformat(conflicts[0].details["clash"]["start"]) == at(12, 12)
    assert overlapping_claims() == 0


@ONLY_POSTGRESQL
def test_database_refuses_an_overlapping_claim_directly(
    facility: Facility, coordinator: User, hall: Room, at: Callable[..., datetime]
) -> None:
    booking = booking_create(
        facility=facility,
        booker=coordinator,
        start=at(12, 12),
        end=at(12, 15),
        title="Møde",
        use_type="community_activity",
        rooms=[hall],
    )
    other = Booking.objects.create(
        facility=facility,
        booker=coordinator,
        created_by=coordinator,
        category="department",
        use_type="community_activity",
        title="Snyd",
        starts_at=at(12, 14),
        ends_at=at(12, 16),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingClaim.objects.create(
            booking=other, room=hall, starts_at=at(12, 14), ends_at=at(12, 16)
        )
    # An inactive (cancelled) claim may overlap.
    BookingClaim.objects.create(
        booking=other, room=hall, starts_at=at(12, 14), ends_at=at(12, 16), active=False
    )
    assert booking.claims.count() == 1
