"""The calendar's services: recurrence across daylight saving, COUNT/UNTIL, moved and cancelled
dates, bad rules, proposals, pause/end, extension, and the fælleshus claimed once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from lokalsamfund.activities.models import (
    Activity,
    ActivitySettings,
    Occurrence,
    SignUp,
    SignUpStatus,
)
from lokalsamfund.activities.recurrence import ZONE
from lokalsamfund.activities.services import activities as svc
from lokalsamfund.bookings.models import Booking, BookingClaim, Facility
from lokalsamfund.bookings.services import booking_create
from lokalsamfund.core.audit import action_label
from lokalsamfund.core.errors import Conflict, DomainError, Forbidden
from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import SYSTEM

from .conftest import local

# Scenarios on given dates (e.g. a season of weekly dinners from 11 June 2026): the default moment.
pytestmark = [pytest.mark.django_db, pytest.mark.scenario_moment]


def _local_starts(activity: Activity) -> list[tuple[str, str]]:
    return [
        (
            o.starts_at.astimezone(ZONE).date().isoformat(),
            o.starts_at.astimezone(ZONE).strftime("%H:%M"),
        )
        for o in activity.occurrences.order_by("starts_at")
    ]


def test_weekly_thursday_stays_1730_across_both_daylight_saving_changes(
    make_activity: Callable[..., Activity],
) -> None:
    # From the pinned now (June 2026) weekly until April 2027: the autumn change (25 October
    # 2026) and the spring change (28 March 2027) both lie inside.
    activity = make_activity(rrule="FREQ=WEEKLY;BYDAY=TH;UNTIL=20270415T235959Z")
    starts = _local_starts(activity)
    assert {clock for _, clock in starts} == {"17:30"}
    days = [day for day, _ in starts]
    assert "2026-10-22" in days
    assert "2026-10-29" in days
    assert "2027-03-25" in days
    assert "2027-04-01" in days
    offsets = {o.starts_at.astimezone(ZONE).utcoffset() for o in activity.occurrences.all()}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}
    for occurrence in activity.occurrences.all():
        assert occurrence.ends_at - occurrence.starts_at == timedelta(hours=2)


def test_count_and_until(make_activity: Callable[..., Activity]) -> None:
    assert make_activity(rrule="FREQ=WEEKLY;COUNT=4").occurrences.count() == 4
    until = make_activity(rrule="FREQ=DAILY;UNTIL=20260614T235959Z")
    assert [d for d, _ in _local_starts(until)] == [
        "2026-06-11",
        "2026-06-12",
        "2026-06-13",
        "2026-06-14",
    ]
    one_off = make_activity(rrule="")
    assert one_off.occurrences.count() == 1


def test_open_ended_series_is_stored_to_the_horizon_and_extended_idempotently(
    make_activity: Callable[..., Activity], clock: Any
) -> None:
    activity = make_activity(rrule="FREQ=WEEKLY")
    first = activity.occurrences.count()
    assert 55 <= first <= 60  # 400 days of Thursdays
    assert svc.occurrences_extend().created == 0  # nothing due yet
    clock.move_to(timezone.now() + timedelta(days=30))
    result = svc.occurrences_extend()
    assert result.created in (4, 5)
    again = svc.occurrences_extend()
    assert again.created == 0
    assert activity.occurrences.count() == first + result.created


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=SOMETIMES", "kan ikke læses"),
        ("BYDAY=TH", "kan ikke læses"),
        ("DTSTART=20260101T000000;FREQ=WEEKLY", "kan ikke læses"),
        ("FREQ=WEEKLY;UNTIL=20200101T000000Z", "ingen dato"),
    ],
)
def test_bad_rules_are_refused_with_a_message(
    make_activity: Callable[..., Activity], rule: str, words: str
) -> None:
    with pytest.raises(DomainError) as caught:
        make_activity(rrule=rule)
    assert words in caught.value.message
    assert not Activity.objects.exists()


def test_a_series_whose_dates_have_all_passed_is_refused(
    make_activity: Callable[..., Activity],
) -> None:
    with pytest.raises(DomainError, match="overstået"):
        make_activity(starts_at=local(2026, 1, 8, 17, 30), rrule="FREQ=WEEKLY;COUNT=3")


def test_unknown_type_department_of_another_organisation_and_place_are_refused(
    make_activity: Callable[..., Activity], other_dept: Department
) -> None:
    with pytest.raises(DomainError, match="Ukendt aktivitetstype"):
        make_activity(activity_type="no-such-type")
    with pytest.raises(DomainError, match="hører ikke til"):
        make_activity(departments=[other_dept])
    with pytest.raises(DomainError, match="hvor"):
        make_activity(place="")
    assert not Activity.objects.exists()


def test_resident_proposes_and_caretaker_publishes(
    make_activity: Callable[..., Activity], resident: User, caretaker: User
) -> None:
    proposal = make_activity(actor=resident, title="Strikkeklub")
    assert proposal.status == "proposed"
    assert proposal.proposed_by == resident
    assert not proposal.organisers.exists()
    published = make_activity(actor=caretaker)
    assert published.status == "published"
    assert list(published.organisers.all()) == [caretaker]


def test_neighbour_proposes_and_outsider_may_not_create(
    make_activity: Callable[..., Activity], neighbour: User, outsider: User
) -> None:
    assert make_activity(actor=neighbour).status == "proposed"
    with pytest.raises(Forbidden):
        make_activity(actor=outsider)


def test_proposal_flow(
    make_activity: Callable[..., Activity],
    resident: User,
    coordinator: User,
    board_member: User,
    org: Organisation,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    proposal = make_activity(actor=resident, title="Strikkeklub")
    with pytest.raises(Forbidden):
        svc.activity_approve(activity=proposal, actor=board_member)  # setting off
    with pytest.raises(DomainError, match="begrundelse"):
        svc.activity_request_changes(activity=proposal, actor=coordinator, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        svc.activity_request_changes(
            activity=proposal, actor=coordinator, reason="Hvilken dag passer bedst?"
        )
    proposal.refresh_from_db()
    assert proposal.status == "changes_requested"
    assert mail.outbox[-1].to == [resident.email]
    assert "Hvilken dag" in mail.outbox[-1].body
    result = svc.activity_update(
        activity=proposal, actor=resident, changes={"title": "Strikkeklub om tirsdagen"}
    )
    assert result.activity.status == "proposed"
    ActivitySettings.objects.create(organisation=org, board_may_approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        svc.activity_approve(activity=proposal, actor=board_member)
    proposal.refresh_from_db()
    assert proposal.status == "published"
    assert resident in proposal.organisers.all()
    assert "approved" in mail.outbox[-1].subject or "godkendt" in mail.outbox[-1].subject
    with pytest.raises(DomainError):
        svc.activity_decline(activity=proposal, actor=coordinator, reason="For sent")
    assert action_label("activities.approve") != "activities.approve"


def test_decline_needs_reason_and_resident_cannot_decide(
    make_activity: Callable[..., Activity], resident: User, coordinator: User
) -> None:
    proposal = make_activity(actor=resident)
    with pytest.raises(Forbidden):
        svc.activity_decline(activity=proposal, actor=resident, reason="nej")
    svc.activity_decline(activity=proposal, actor=coordinator, reason="Huset er lukket")
    proposal.refresh_from_db()
    assert proposal.status == "declined"
    assert proposal.decision_note == "Huset er lukket"


def test_cancel_move_and_note_one_date(
    make_activity: Callable[..., Activity],
    coordinator: User,
    caretaker: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    activity = make_activity()
    first, second = list(activity.occurrences.order_by("starts_at")[:2])
    SignUp.objects.create(
        occurrence=first, email="deltager@example.org", name="D", status=SignUpStatus.CONFIRMED
    )
    with pytest.raises(Forbidden):
        svc.occurrence_cancel(occurrence=first, actor=caretaker)  # not an organiser
    with django_capture_on_commit_callbacks(execute=True):
        svc.occurrence_cancel(occurrence=first, actor=coordinator, reason="Kokken er syg")
    first.refresh_from_db()
    assert (first.status, first.changed, first.note) == ("cancelled", True, "Kokken er syg")
    assert mail.outbox[-1].to == ["deltager@example.org"]
    moved = svc.occurrence_move(
        occurrence=second, actor=coordinator, start=second.starts_at + timedelta(days=1)
    )
    assert moved.recurrence_id == second.recurrence_id
    assert moved.starts_at == second.starts_at + timedelta(days=1)
    assert moved.ends_at - moved.starts_at == timedelta(hours=2)
    svc.occurrence_change(occurrence=moved, actor=coordinator, note="Vi laver syrisk mad")
    moved.refresh_from_db()
    assert moved.note == "Vi laver syrisk mad"
    with pytest.raises(DomainError):
        svc.occurrence_move(
            occurrence=moved, actor=coordinator, start=timezone.now() - timedelta(hours=1)
        )


def test_time_change_keeps_dates_with_signups_and_says_so(
    make_activity: Callable[..., Activity], coordinator: User
) -> None:
    activity = make_activity()
    third = activity.occurrences.order_by("starts_at")[2]
    SignUp.objects.create(
        occurrence=third, email="a@example.org", name="A", status=SignUpStatus.CONFIRMED
    )
    result = svc.activity_update(
        activity=activity,
        actor=coordinator,
        changes={"starts_at": local(2026, 6, 11, 18, 0)},
    )
    third.refresh_from_db()
    assert third.starts_at.astimezone(ZONE).strftime("%H:%M") == "17:30"  # not moved
    assert any("signed up" in m or "tilmeldt" in m for m in result.messages)
    times = {
        o.starts_at.astimezone(ZONE).strftime("%H:%M")
        for o in activity.occurrences.exclude(pk=third.pk)
    }
    assert times == {"18:00"}
    assert activity.occurrences.count() == 11  # ten new ones and the kept one


def test_pause_resume_end(
    make_activity: Callable[..., Activity],
    coordinator: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    activity = make_activity(rrule="FREQ=WEEKLY")
    total = activity.occurrences.count()
    first = activity.occurrences.order_by("starts_at").first()
    assert first is not None
    SignUp.objects.create(
        occurrence=first, email="b@example.org", name="B", status=SignUpStatus.CONFIRMED
    )
    with django_capture_on_commit_callbacks(execute=True):
        svc.activity_pause(activity=activity, actor=coordinator, reason="Sommerferie")
    first.refresh_from_db()
    assert first.status == "cancelled"
    assert activity.occurrences.count() == 1
    assert mail.outbox[-1].to == ["b@example.org"]
    svc.activity_resume(activity=activity, actor=coordinator)
    assert activity.occurrences.count() == total
    first.refresh_from_db()
    assert first.status == "cancelled"  # stays cancelled
    svc.activity_end(activity=activity, actor=coordinator)
    activity.refresh_from_db()
    assert activity.status == "ended"
    assert svc.occurrences_extend().created == 0


# --- the fælleshus --------------------------------------------------------------------------


def _in_house(make_activity: Callable[..., Activity], house: Facility, **kwargs: Any) -> Activity:
    kwargs.setdefault("facility", house)
    kwargs.setdefault("whole_house", True)
    return make_activity(**kwargs)


def test_activity_in_the_house_books_every_future_date(
    make_activity: Callable[..., Activity], house: Facility
) -> None:
    activity = _in_house(make_activity, house)
    bookings = Booking.objects.filter(activity_occurrence__activity=activity)
    assert bookings.count() == 10
    assert {(b.use_type, b.category, b.status, b.source) for b in bookings} == {
        ("community_activity", "department", "confirmed", "activity")
    }


def test_clash_is_refused_with_its_time_and_nothing_saved(
    make_activity: Callable[..., Activity], house: Facility, coordinator: User
) -> None:
    hall = house.rooms.get(name="Salen")
    taken = local(2026, 7, 2, 18, 0)  # the fourth Thursday
    booking_create(
        facility=house,
        booker=coordinator,
        start=taken,
        end=taken + timedelta(hours=3),
        title="Fest",
        use_type="community_activity",
        rooms=[hall],
        notify=False,
    )
    before = (Booking.objects.count(), BookingClaim.objects.count())
    with pytest.raises(Conflict) as caught:
        _in_house(make_activity, house)
    assert caught.value.details["clash"]["room"] == "Salen"
    assert caught.value.details["clash"]["start"].startswith("2026-07-02T18:00")
    assert not Activity.objects.exists()
    assert not Occurrence.objects.exists()
    assert (Booking.objects.count(), BookingClaim.objects.count()) == before


def test_move_moves_and_cancel_releases_the_booking(
    make_activity: Callable[..., Activity], house: Facility, coordinator: User
) -> None:
    activity = _in_house(make_activity, house)
    first, second = list(activity.occurrences.order_by("starts_at")[:2])
    svc.occurrence_move(
        occurrence=first, actor=coordinator, start=first.starts_at + timedelta(hours=1)
    )
    first.refresh_from_db()
    assert first.booking is not None
    assert first.booking.starts_at == first.starts_at
    assert {c.starts_at for c in first.booking.claims.all()} == {first.starts_at}
    booking = second.booking
    svc.occurrence_cancel(occurrence=second, actor=coordinator)
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert not BookingClaim.objects.filter(booking=booking, active=True).exists()


def test_resident_organiser_moves_a_date_in_the_house(
    make_activity: Callable[..., Activity],
    house: Facility,
    resident: User,
    coordinator: User,
) -> None:
    proposal = _in_house(make_activity, house, actor=resident)
    assert not Booking.objects.exists()  # a proposal books nothing
    svc.activity_approve(activity=proposal, actor=coordinator)
    first = proposal.occurrences.order_by("starts_at").first()
    assert first is not None
    assert first.booking is not None
    assert first.booking.booker == coordinator
    svc.occurrence_move(occurrence=first, actor=resident, start=first.starts_at + timedelta(days=1))
    first.refresh_from_db()
    assert first.booking.starts_at == first.starts_at
    svc.occurrence_cancel(occurrence=first, actor=resident)
    first.refresh_from_db()
    assert first.booking is None


def test_approval_with_a_clash_leaves_the_proposal(
    make_activity: Callable[..., Activity], house: Facility, resident: User, coordinator: User
) -> None:
    proposal = _in_house(make_activity, house, actor=resident)
    taken = local(2026, 6, 18, 17, 0)
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
    with pytest.raises(Conflict):
        svc.activity_approve(activity=proposal, actor=coordinator)
    proposal.refresh_from_db()
    assert proposal.status == "proposed"
    assert Booking.objects.count() == 1


def test_pause_releases_bookings(
    make_activity: Callable[..., Activity], house: Facility, coordinator: User
) -> None:
    activity = _in_house(make_activity, house)
    svc.activity_pause(activity=activity, actor=coordinator)
    assert not BookingClaim.objects.filter(active=True).exists()
    svc.activity_resume(activity=activity, actor=coordinator)
    assert BookingClaim.objects.filter(active=True).count() == 20  # two rooms each


def test_extension_books_and_reports_a_taken_date(
    make_activity: Callable[..., Activity], house: Facility, coordinator: User, clock: Any
) -> None:
    activity = _in_house(make_activity, house, rrule="FREQ=WEEKLY")
    unbooked = activity.occurrences.filter(booking__isnull=True)
    assert unbooked.count() >= 4  # beyond the booking horizon
    later = unbooked.order_by("starts_at").first()
    assert later is not None
    clock.move_to(timezone.now() + timedelta(days=10))
    booking_create(
        facility=house,
        booker=coordinator,
        start=later.starts_at,
        end=later.ends_at,
        title="Andet",
        use_type="community_activity",
        whole_house=True,
        notify=False,
    )
    clock.move_to(timezone.now() + timedelta(days=20))
    result = svc.occurrences_extend()
    assert result.booked >= 1
    assert len(result.refused) == 1
    later.refresh_from_db()
    assert later.status == "cancelled"
    assert svc.occurrences_extend().booked == 0


def test_system_actor_is_not_accepted_as_creator(
    make_activity: Callable[..., Activity],
) -> None:
    with pytest.raises(Forbidden):
        make_activity(actor=SYSTEM)


def test_extend_command_is_idempotent(make_activity: Callable[..., Activity], clock: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    make_activity(rrule="FREQ=WEEKLY")
    clock.move_to(timezone.now() + timedelta(days=14))
    out = StringIO()
    call_command("activities", "extend", stdout=out)
    assert "dates stored: 0" not in out.getvalue()
    out = StringIO()
    call_command("activities", "extend", stdout=out)
    assert "dates stored: 0" in out.getvalue()


def test_demo_calendar_is_lively_and_idempotent() -> None:
    from lokalsamfund.core.demo import load_demo

    load_demo()
    activities = Activity.objects.filter(organisation__slug="eksempel")
    titles = set(activities.values_list("title", flat=True))
    assert {"Fællesspisning i Engparken", "Søndagsgåtur", "Lektiecafé", "Seniorklubben"} <= titles
    assert activities.get(title="Strikkecafé").status == "proposed"
    dinner = activities.get(title="Fællesspisning i Engparken")
    assert dinner.capacity == 30
    assert dinner.waitlist
    assert dinner.facility is not None
    assert dinner.occurrences.filter(starts_at__lt=timezone.now()).count() >= 50
    assert dinner.occurrences.filter(booking__isnull=False).count() >= 50
    count = Occurrence.objects.count()
    load_demo()
    assert Occurrence.objects.count() == count
