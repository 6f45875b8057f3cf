"""Demo data of the calendar (engineer A's area): a lively "Det sker" for A1, A2 and B1.

A weekly fællesspisning of each department in Engparkens Fælleshus (30 places, waitlist),
a walking group, a homework café, a senior club open to neighbours, and one resident's
proposal awaiting approval. The series started a year before the demo's "now", so there are
past dates (the participation area adds their headcounts). Idempotent: an activity whose
title exists in the demo organisation is left as it is.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from lokalsamfund.bookings.models import Facility, Room
from lokalsamfund.core.demo import DemoContext
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Role

from . import demo_headcounts
from .models import Activity
from .services.activities import activity_create


def _year_ago(weekday: int, at: time) -> datetime:
    """The ``weekday`` (0 = Monday) about a year before today, at ``at`` local time."""
    day: date = timezone.localdate() - timedelta(days=364)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    return timezone.make_aware(datetime.combine(day, at))


def load(ctx: DemoContext) -> None:
    organisation = ctx.organisation
    deps = ctx.departments
    users = ctx.users
    coordinator = users[Role.COORDINATOR.value]
    caretaker = users[Role.CARETAKER.value]
    resident = users[Role.RESIDENT.value]
    house = Facility.objects.filter(slug="engparkens-faelleshus").first()
    hall = Room.objects.filter(facility=house, name="Salen").first() if house else None
    existing = set(
        Activity.objects.filter(organisation=organisation).values_list("title", flat=True)
    )

    def add(title: str, actor: Any, **kwargs: Any) -> None:
        if title in existing:
            return
        details = kwargs.pop("details", {})
        place_else = kwargs.pop("place_else", "")
        try:
            activity_create(
                actor=actor, organisation=organisation, title=title, details=details, **kwargs
            )
        except DomainError as exc:
            if kwargs.get("facility") is None:
                raise
            # The house is taken at one of the dates (other demo data): hold it elsewhere.
            kwargs.update(facility=None, rooms=(), whole_house=False, place=place_else)
            activity_create(
                actor=actor, organisation=organisation, title=title, details=details, **kwargs
            )
            ctx.say(f"Det sker: {title} is not in the common house ({exc.message})")

    dinner = {
        "signup_required": True,
        "capacity": 30,
        "waitlist": True,
        "signup_closes_hours": 24,
        "price": 35,
        "target_group": "everyone",
        "step_free": True,
    }
    in_house: dict[str, Any] = {"facility": house} if house else {"place": "Fælleshuset"}
    add(
        "Fællesspisning i Engparken",
        coordinator,
        departments=[deps["A1"]],
        activity_type="faellesspisning",
        description="Vi laver mad sammen og spiser kl. 18. Alle er velkomne; børn spiser gratis.",
        starts_at=_year_ago(2, time(17, 30)),
        duration_minutes=150,
        rrule="FREQ=WEEKLY",
        whole_house=bool(house),
        place_else="Engparken 20",
        details={**dinner, "visibility": "departments"},
        **in_house,
    )
    add(
        "Fællesspisning i Skovbrynet",
        coordinator,
        departments=[deps["A2"]],
        activity_type="faellesspisning",
        description="Mandagsmad i salen i Engparkens Fælleshus.",
        starts_at=_year_ago(0, time(17, 0)),
        duration_minutes=120,
        rrule="FREQ=WEEKLY",
        rooms=[hall] if hall else [],
        place_else="Skovbrynet 2",
        details={**dinner, "visibility": "departments"},
        **in_house,
    )
    add(
        "Fællesspisning på Havnevej",
        coordinator,
        departments=[deps["B1"]],
        activity_type="faellesspisning",
        description="Tirsdagsmad for Havnevej i salen i Engparkens Fælleshus.",
        starts_at=_year_ago(1, time(17, 0)),
        duration_minutes=105,
        rrule="FREQ=WEEKLY",
        rooms=[hall] if hall else [],
        place_else="Havnevej 14, beboerlokalet",
        details={**dinner, "visibility": "departments"},
        **in_house,
    )
    add(
        "Søndagsgåtur",
        caretaker,
        departments=[deps["A1"], deps["A2"]],
        activity_type="gaagruppe",
        description="En times gåtur i roligt tempo langs åen. Vi mødes ved legepladsen.",
        starts_at=_year_ago(6, time(10, 0)),
        duration_minutes=60,
        rrule="FREQ=WEEKLY",
        place="Legepladsen i Engparken",
        details={"visibility": "neighbours", "target_group": "adults"},
    )
    add(
        "Lektiecafé",
        coordinator,
        departments=[deps["A2"]],
        activity_type="lektiecafe",
        description="Frivillige hjælper med lektier. Medbring dine bøger; der er frugt.",
        starts_at=_year_ago(1, time(15, 0)),
        duration_minutes=120,
        rrule="FREQ=WEEKLY",
        place="Skovbrynets beboerlokale",
        details={"visibility": "departments", "target_group": "children"},
    )
    add(
        "Seniorklubben",
        coordinator,
        departments=[deps["B1"]],
        activity_type="seniorklub",
        description="Kaffe, kortspil og foredrag. Naboer fra andelsboligerne er velkomne.",
        starts_at=_year_ago(3, time(14, 0)),
        duration_minutes=120,
        rrule="FREQ=WEEKLY",
        place="Havnevej 12, stuen",
        details={
            "visibility": "neighbours",
            "target_group": "seniors",
            "step_free": True,
            "hearing_loop": True,
            "accessibility_note": "Elevator fra gården; teleslynge i salen.",
        },
    )
    start = timezone.localdate() + timedelta(days=14)
    start += timedelta(days=(4 - start.weekday()) % 7)
    add(
        "Strikkecafé",
        resident,
        departments=[deps["A1"]],
        activity_type="aabent-hus-cafe",
        description="Jeg vil gerne starte en strikkecafé om fredagen. Alle niveauer.",
        starts_at=timezone.make_aware(datetime.combine(start, time(14, 0))),
        duration_minutes=120,
        rrule="FREQ=WEEKLY;COUNT=12",
        place="Engparkens Fælleshus, mødelokalet (hvis det er ledigt)",
        details={"visibility": "departments", "target_group": "adults"},
    )
    ctx.say("Det sker: /aktiviteter/ (proposal waiting: Strikkecafé)")
    # A year of headcounts for the past dates, so the decision tool's follow-up shows planned
    # against realised.
    demo_headcounts.load(ctx)
