"""Demo data of the booking domain: the fælleshus of A1 with two rooms, its costs, the
organisation's policy profile, a letting agreement, and bookings of every category over the
coming months (an association's weekly series, a pending external letting)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from lokalsamfund.core.demo import DEMO_PASSWORD, DemoContext
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Membership, Role, User
from lokalsamfund.core.permissions import SYSTEM

from .choices import BookingSource
from .models import Booking, Facility, FacilityCosts, FixedSlot, LettingAgreement, Room
from .services import (
    booking_approve,
    booking_create,
    booking_series_create,
    policy_profile_install_default,
)

OTHER_RESIDENT = ("beboer.a2@eksempel.dk", "Sara Skovbrynet")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _next(weekday: int, after: date, weeks: int = 0) -> date:
    """The first ``weekday`` (0 = Monday) after ``after``, plus ``weeks`` weeks."""
    days = (weekday - after.weekday()) % 7 or 7
    return after + timedelta(days=days, weeks=weeks)


def load(ctx: DemoContext) -> None:
    facility, _ = Facility.objects.get_or_create(
        slug="engparkens-faelleshus",
        defaults={
            "organisation": ctx.organisation,
            "department": ctx.departments["A1"],
            "name": "Engparkens Fælleshus",
            "address": "Engparken 20, 5000 Odense C",
            "description": "Fælleshus med sal og mødelokale.",
            "deposit_note": "Depositum 500 kr. ved fester; betales tilbage efter rengøring.",
            "key_handover_note": "Nøglen hentes hos viceværten fredag kl. 12-13.",
            "cleaning_checklist": "Gulve fejet og vasket\nKøkken og ovn rengjort\n"
            "Affald i containeren\nBorde og stole på plads",
        },
    )
    hall, _ = Room.objects.get_or_create(facility=facility, name="Salen", defaults={"capacity": 80})
    Room.objects.get_or_create(facility=facility, name="Mødelokalet", defaults={"capacity": 16})
    FixedSlot.objects.get_or_create(
        facility=facility,
        use_type="private_event",
        label="Fest",
        defaults={"starts_at": time(10, 0), "duration_hours": 26},
    )
    year = timezone.localdate().year
    for y in (year, year + 1):
        FacilityCosts.objects.get_or_create(
            facility=facility,
            year=y,
            defaults={
                "utilities": Decimal("24000"),
                "cleaning": Decimal("18000"),
                "maintenance": Decimal("9000"),
                "insurance": Decimal("4000"),
                "administration": Decimal("5000"),
                "expected_hours": Decimal("1200"),
            },
        )
    policy_profile_install_default(organisation=ctx.organisation, actor=SYSTEM)
    today = timezone.localdate()
    complete, _ = LettingAgreement.objects.get_or_create(
        facility=facility,
        counterparty="Grønne Naboer Odense: kurser",
        defaults={
            "association": ctx.association,
            "decision_date": today - timedelta(days=60),
            "decision_reference": "Afdelingsmøde A1, referat pkt. 6",
            "starts_on": today - timedelta(days=30),
            "ends_on": today - timedelta(days=30) + timedelta(days=365 * 2),
            "company_name": "Boligselskabet Eksempel Udlejning ApS",
            "company_cvr": "23456789",
            "market_rent_per_hour": Decimal("350"),
            "market_rent_documentation": "Tre tilbud på lokaleleje i Odense C, "
            "gennemsnit 350 kr./t.",
        },
    )
    pending_letting, _ = LettingAgreement.objects.get_or_create(
        facility=facility,
        counterparty="Grønne Naboer Odense: plantemarked",
        defaults={
            "association": ctx.association,
            "starts_on": today,
            "ends_on": today + timedelta(days=365),
            "company_name": "Boligselskabet Eksempel Udlejning ApS",
            "market_rent_per_hour": Decimal("300"),
        },
    )
    other = User.objects.filter(email=OTHER_RESIDENT[0]).first()
    if other is None:
        other = User.objects.create_user(
            OTHER_RESIDENT[0], DEMO_PASSWORD, full_name=OTHER_RESIDENT[1], email_verified=True
        )
    membership, _ = Membership.objects.get_or_create(
        user=other, organisation=ctx.organisation, role=Role.RESIDENT
    )
    membership.departments.set([ctx.departments["A2"]])
    ctx.say(f"Fælleshus: {facility.name} (/facilities/{facility.slug}/)")
    if Booking.objects.filter(facility=facility).exists():
        return
    users = ctx.users
    coordinator = users[Role.COORDINATOR.value]
    resident = users[Role.RESIDENT.value]
    board = users[Role.BOARD_MEMBER.value]
    neighbour = users[Role.NEIGHBOUR.value]
    association = users[Role.ASSOCIATION.value]
    demo = BookingSource.DEMO

    def book(**kwargs: object) -> Booking | None:
        kwargs.setdefault("facility", facility)
        kwargs.setdefault("source", demo)
        kwargs.setdefault("notify", False)
        try:
            return booking_create(**kwargs)  # type: ignore[arg-type]
        except DomainError:
            return None  # e.g. a date taken by another demo booking

    # Residents: a birthday party (fixed slot) and a community dinner.
    sat = _next(5, today, weeks=1)
    book(
        booker=resident,
        start=_at(sat, 10),
        end=_at(sat + timedelta(days=1), 12),
        title="Ida fylder 40",
        use_type="private_event",
        whole_house=True,
    )
    book(
        booker=resident,
        start=_at(_next(3, today, weeks=2), 17),
        end=_at(_next(3, today, weeks=2), 21),
        title="Fællesspisning i Engparken",
        use_type="community_activity",
        whole_house=True,
    )
    # The department itself: board meetings in the meeting room.
    for n in range(3):
        day = _next(0, today, weeks=n * 4)
        book(
            booker=board,
            category="department",
            start=_at(day, 19),
            end=_at(day, 21),
            title="Afdelingsbestyrelsesmøde",
            use_type="community_activity",
            rooms=[Room.objects.get(facility=facility, name="Mødelokalet")],
        )
    # A resident of another department (A2), booked by the coordinator on her behalf.
    book(
        booker=coordinator,
        on_behalf_of=other,
        start=_at(_next(4, today, weeks=3), 10),
        end=_at(_next(4, today, weeks=3) + timedelta(days=1), 12),
        title="Familiefest",
        use_type="private_event",
        rooms=[hall],
    )
    # A neighbour from the andelsboligforening: an open repair café, approved.
    repair = book(
        booker=neighbour,
        start=_at(_next(6, today, weeks=1), 13),
        end=_at(_next(6, today, weeks=1), 16),
        title="Reparationscafé for naboer og beboere",
        use_type="community_activity",
        whole_house=True,
    )
    if repair is not None:
        booking_approve(booking=repair, actor=coordinator, notify=False)
    # And a pending request from the same neighbour.
    book(
        booker=neighbour,
        start=_at(_next(6, today, weeks=5), 13),
        end=_at(_next(6, today, weeks=5), 16),
        title="Byttemarked",
        use_type="community_activity",
        whole_house=True,
    )
    # The association's weekly Tuesday evening for ten weeks: approved as a series.
    tuesday = _next(1, today)
    try:
        series = booking_series_create(
            facility=facility,
            booker=association,
            start=_at(tuesday, 19),
            end=_at(tuesday, 21, 30),
            until=tuesday + timedelta(weeks=9),
            title="Grønne Naboer: haveklub",
            use_type="community_activity",
            rooms=[hall],
            source=demo,
            notify=False,
        )
        booking_approve(
            booking=series.created[0], actor=coordinator, scope="following", notify=False
        )
    except DomainError:
        pass
    # External letting through the side-activity company: a course under a complete
    # agreement (confirmed), and a plant market whose agreement lacks the afdelingsmøde
    # decision and the rent documentation (pending).
    book(
        booker=coordinator,
        on_behalf_of=association,
        category="association",
        start=_at(_next(3, today, weeks=6), 9),
        end=_at(_next(3, today, weeks=6), 12),
        title="Kursus i kompostering (udlejning)",
        use_type="external_letting",
        agreement=complete,
        rooms=[Room.objects.get(facility=facility, name="Mødelokalet")],
    )
    book(
        booker=association,
        start=_at(_next(5, today, weeks=4), 10),
        end=_at(_next(5, today, weeks=4), 16),
        title="Plantemarked (udlejning)",
        use_type="external_letting",
        agreement=pending_letting,
        whole_house=True,
    )
