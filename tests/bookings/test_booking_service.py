"""The booking service: rooms and the whole house, rules of times, window, quota, approval."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from lokalsamfund.bookings.choices import BookingStatus
from lokalsamfund.bookings.models import Booking, Facility, FixedSlot, Room
from lokalsamfund.bookings.services import (
    booking_approve,
    booking_cancel,
    booking_create,
    booking_reject,
    booking_series_create,
    booking_update,
)
from lokalsamfund.core.errors import Conflict, DomainError, Forbidden
from lokalsamfund.core.models import AuditEntry, Department, Membership, Role, User

pytestmark = pytest.mark.django_db

At = Callable[..., datetime]


def book(
    facility: Facility, user: User, start: datetime, end: datetime, **kwargs: object
) -> Booking:
    kwargs.setdefault("title", "Fødselsdag")
    kwargs.setdefault("use_type", "private_event")
    if "rooms" not in kwargs and "whole_house" not in kwargs:
        kwargs["whole_house"] = True
    return booking_create(facility=facility, booker=user, start=start, end=end, **kwargs)  # type: ignore[arg-type]


def test_resident_books_private_event_confirmed_with_fixed_fee(
    facility: Facility,
    resident: User,
    at: At,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(facility, resident, at(3, 12), at(3, 18))
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.category == "resident"
    assert booking.price_rule == "fixed"
    assert str(booking.price) == "300.00"
    assert booking.claims.filter(active=True).count() == 2  # the whole house claims both rooms
    assert AuditEntry.objects.filter(action="bookings.create", object_id=str(booking.pk)).exists()
    (message,) = mail.outbox
    assert message.to == [resident.email]
    assert "300" in message.body


def test_whole_house_blocks_rooms_and_a_room_blocks_the_whole_house(
    facility: Facility, resident: User, coordinator: User, hall: Room, meeting_room: Room, at: At
) -> None:
    book(facility, coordinator, at(5, 10), at(5, 12), rooms=[hall], use_type="community_activity")
    with pytest.raises(Conflict) as caught:
        book(facility, resident, at(5, 11), at(5, 14))
    clash = caught.value.details["clash"]
    assert clash["room"] == "Salen"
    assert datetime.fromisoformat(clash["start"]) == at(5, 10)
    assert datetime.fromisoformat(clash["end"]) == at(5, 12)
    # The other room is free at the same time; touching intervals do not overlap.
    book(
        facility,
        coordinator,
        at(5, 10),
        at(5, 12),
        rooms=[meeting_room],
        use_type="community_activity",
    )
    book(facility, resident, at(5, 12), at(5, 15))
    with pytest.raises(Conflict):
        book(
            facility,
            coordinator,
            at(5, 14),
            at(5, 16),
            rooms=[meeting_room],
            use_type="community_activity",
        )


def test_cancelled_and_rejected_bookings_free_their_rooms(
    facility: Facility, resident: User, neighbour: User, coordinator: User, at: At, verified: None
) -> None:
    first = book(facility, resident, at(4, 12), at(4, 18))
    booking_cancel(booking=first, actor=resident)
    request = book(facility, neighbour, at(4, 12), at(4, 18), use_type="community_activity")
    assert request.status == BookingStatus.PENDING
    with pytest.raises(Conflict):  # a pending request blocks the time too
        book(facility, resident, at(4, 13), at(4, 14))
    booking_reject(booking=request, actor=coordinator, reason="Huset er lukket for maling")
    request.refresh_from_db()
    assert request.status == BookingStatus.REJECTED
    assert request.rejection_reason == "Huset er lukket for maling"
    book(facility, resident, at(4, 13), at(4, 14))


def test_rejection_needs_a_reason_and_an_approver(
    facility: Facility,
    neighbour: User,
    board_member: User,
    coordinator: User,
    at: At,
    verified: None,
) -> None:
    request = book(facility, neighbour, at(6, 17), at(6, 21), use_type="community_activity")
    with pytest.raises(DomainError):
        booking_reject(booking=request, actor=coordinator, reason="  ")
    with pytest.raises(Forbidden):
        booking_approve(booking=request, actor=board_member)
    booking_approve(booking=request, actor=coordinator)
    request.refresh_from_db()
    assert request.status == BookingStatus.CONFIRMED
    assert request.decided_by == coordinator


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ((3, 5), (3, 8), "åbent"),  # before opening
        ((3, 12), (3, 12, 30), "mindst"),  # too short
        ((3, 12), (3, 11), "efter"),  # end before start
    ],
)
def test_times_outside_the_rules_are_refused(
    facility: Facility,
    resident: User,
    at: At,
    start: tuple[int, ...],
    end: tuple[int, ...],
    message: str,
) -> None:
    with pytest.raises(DomainError) as caught:
        book(facility, resident, at(*start), at(*end))
    assert message in caught.value.message
    assert not Booking.objects.exists()


def test_naive_times_are_refused(facility: Facility, resident: User) -> None:
    with pytest.raises(DomainError):
        book(facility, resident, datetime(2030, 1, 1, 12), datetime(2030, 1, 1, 14))  # noqa: DTZ001


def test_booking_window_per_category(facility: Facility, resident: User, at: At) -> None:
    with pytest.raises(DomainError) as caught:
        book(facility, resident, at(91, 12), at(91, 14))
    assert "90" in caught.value.message
    with pytest.raises(DomainError):
        book(facility, resident, at(-1, 12), at(-1, 14))
    book(facility, resident, at(89, 12), at(89, 14))


def test_monthly_quota_per_household(facility: Facility, resident: User) -> None:
    today = timezone.localdate()
    first = (today.replace(day=28) + timedelta(days=4)).replace(day=1)  # next month

    def day(n: int, hour: int) -> datetime:
        return timezone.make_aware(datetime.combine(first + timedelta(days=n), time(hour)))

    book(facility, resident, day(0, 12), day(0, 14))
    book(facility, resident, day(1, 12), day(1, 14))
    with pytest.raises(DomainError) as caught:
        book(facility, resident, day(2, 12), day(2, 14))
    assert "2" in caught.value.message


def test_fixed_slots_for_parties(facility: Facility, resident: User, at: At) -> None:
    FixedSlot.objects.create(
        facility=facility,
        use_type="private_event",
        label="Fest",
        starts_at=time(10),
        duration_hours=26,
    )
    with pytest.raises(DomainError) as caught:
        book(facility, resident, at(8, 12), at(8, 18))
    assert "Fest" in caught.value.message
    booking = book(facility, resident, at(8, 10), at(9, 12))
    assert booking.status == BookingStatus.CONFIRMED
    # Community activities are not bound to the party slots.
    book(facility, resident, at(10, 17), at(10, 19), use_type="community_activity")


def test_staff_books_on_behalf_and_others_may_not(
    facility: Facility, caretaker: User, resident: User, neighbour: User, at: At
) -> None:
    booking = book(facility, caretaker, at(7, 12), at(7, 16), on_behalf_of=resident)
    assert booking.booker == resident
    assert booking.created_by == caretaker
    assert booking.category == "resident"
    with pytest.raises(Forbidden):
        book(
            facility,
            neighbour,
            at(8, 12),
            at(8, 16),
            on_behalf_of=resident,
            use_type="community_activity",
        )


def test_outsider_and_no_role_user_cannot_book(
    facility: Facility, outsider: User, no_role_user: User, at: At
) -> None:
    for user in (outsider, no_role_user):
        with pytest.raises(Forbidden):
            book(facility, user, at(7, 12), at(7, 16), use_type="community_activity")
    assert not Booking.objects.exists()


def test_unverified_neighbour_must_confirm_email_first(
    facility: Facility, neighbour: User, at: At
) -> None:
    with pytest.raises(Forbidden) as caught:
        book(facility, neighbour, at(7, 12), at(7, 16), use_type="community_activity")
    assert "e-mail" in caught.value.message.lower()


def test_resident_of_another_department_books_as_such(
    facility: Facility,
    make_user: Callable[..., User],
    org: object,
    dept_b: Department,
    at: At,
    costs: object,
) -> None:
    other = make_user(Role.RESIDENT, org, [dept_b])
    booking = book(facility, other, at(7, 12), at(7, 16))
    assert booking.category == "resident_other_department"
    assert booking.status == BookingStatus.PENDING
    assert booking.department == dept_b
    # 4 hours at cost recovery: (24000+18000+9000+4000+5000) / 1200 = 50.00 kr./h
    assert booking.price_rule == "cost_recovery"
    assert str(booking.price) == "200.00"
    assert booking.price_basis["rate"] == "50.00"


def test_cost_recovery_without_costs_is_a_clear_error(
    facility: Facility, make_user: Callable[..., User], org: object, dept_b: Department, at: At
) -> None:
    other = make_user(Role.RESIDENT, org, [dept_b])
    with pytest.raises(DomainError) as caught:
        book(facility, other, at(7, 12), at(7, 16))
    assert "udgifter" in caught.value.message


def test_booker_cancels_until_deadline_staff_after(
    facility: Facility, resident: User, coordinator: User, at: At
) -> None:
    booking = book(facility, resident, at(1, 20), at(1, 23))  # within 48 hours
    with pytest.raises(DomainError) as caught:
        booking_cancel(booking=booking, actor=resident)
    assert "Fristen" in caught.value.message
    booking_cancel(booking=booking, actor=coordinator)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert not booking.claims.filter(active=True).exists()


def test_someone_else_cannot_cancel(
    facility: Facility,
    resident: User,
    make_user: Callable[..., User],
    org: object,
    dept_a: Department,
    at: At,
) -> None:
    booking = book(facility, resident, at(5, 12), at(5, 14))
    stranger = make_user(Role.RESIDENT, org, [dept_a])
    with pytest.raises(Forbidden):
        booking_cancel(booking=booking, actor=stranger)


def test_weekly_series_skips_conflicts(
    facility: Facility,
    association_contact: User,
    resident: User,
    coordinator: User,
    at: At,
    verified: None,
) -> None:
    blocker = book(facility, resident, at(14, 18), at(14, 20))
    result = booking_series_create(
        facility=facility,
        booker=association_contact,
        start=at(7, 19),
        end=at(7, 21),
        until=(at(7, 19) + timedelta(weeks=3)).date(),
        title="Grøn aften",
        use_type="community_activity",
        whole_house=True,
    )
    assert len(result.created) == 3
    assert len(result.skipped) == 1
    assert result.skipped[0][0] == at(14, 19)
    assert all(b.status == BookingStatus.PENDING for b in result.created)
    assert blocker.claims.filter(active=True).count() == 2
    booking_approve(booking=result.created[0], actor=coordinator, scope="following")
    assert Booking.objects.filter(series=result.series, status=BookingStatus.CONFIRMED).count() == 3


def test_series_without_skip_creates_nothing_on_conflict(
    facility: Facility, coordinator: User, resident: User, at: At
) -> None:
    book(facility, resident, at(14, 18), at(14, 20))
    with pytest.raises(Conflict):
        booking_series_create(
            facility=facility,
            booker=coordinator,
            start=at(7, 19),
            end=at(7, 21),
            until=(at(7, 19) + timedelta(weeks=3)).date(),
            title="Bestyrelsesmøde",
            use_type="community_activity",
            whole_house=True,
            skip_conflicts=False,
        )
    assert Booking.objects.count() == 1


def test_edit_one_occurrence_or_this_and_following(
    facility: Facility, coordinator: User, at: At
) -> None:
    result = booking_series_create(
        facility=facility,
        booker=coordinator,
        start=at(7, 19),
        end=at(7, 21),
        until=(at(7, 19) + timedelta(weeks=3)).date(),
        title="Strikkeklub",
        use_type="community_activity",
        whole_house=True,
    )
    first, second, third, fourth = result.created
    booking_update(booking=first, actor=coordinator, start=at(7, 17), end=at(7, 18))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.starts_at, first.ends_at) == (at(7, 17), at(7, 18))
    assert second.starts_at == at(14, 19)
    changed = booking_update(
        booking=third, actor=coordinator, start=at(21, 18), end=at(21, 21), scope="following"
    )
    assert [b.pk for b in changed] == [third.pk, fourth.pk]
    fourth.refresh_from_db()
    assert (fourth.starts_at, fourth.ends_at) == (at(28, 18), at(28, 21))
    second.refresh_from_db()
    assert second.starts_at == at(14, 19)


def test_edit_into_a_clash_changes_nothing(
    facility: Facility, resident: User, coordinator: User, at: At
) -> None:
    other = book(facility, coordinator, at(9, 10), at(9, 12), use_type="community_activity")
    mine = book(facility, resident, at(9, 14), at(9, 16))
    with pytest.raises(Conflict):
        booking_update(booking=mine, actor=resident, start=at(9, 11), end=at(9, 13))
    mine.refresh_from_db()
    assert mine.starts_at == at(9, 14)
    assert mine.claims.filter(active=True).count() == 2
    assert other.claims.filter(active=True).count() == 2


def test_memberships_give_categories(
    facility: Facility,
    board_member: User,
    coordinator: User,
    neighbour: User,
    association_contact: User,
) -> None:
    from lokalsamfund.bookings.selectors import categories_for

    assert [o.category for o in categories_for(board_member, facility)] == [
        "resident",
        "department",
    ]
    assert [o.category for o in categories_for(coordinator, facility)] == ["department"]
    assert [o.category for o in categories_for(neighbour, facility)] == ["neighbour"]
    assert [o.category for o in categories_for(association_contact, facility)] == ["association"]
    assert Membership.objects.filter(user=neighbour).first() is not None
