"""Demo data of work days and driften's hours: a work day of Engparkens Nyttehaver in three
weeks with tasks led by the demo caretaker (the resident has signed up for one), materials to
order, a watering rota for the summer holiday with a swap offered, a member's hours waiting for
confirmation, and six months of driften's hours in A1 and A2. Idempotent: nothing is made when
the garden already has a work day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from lokalsamfund.activities.services.activities import activity_create
from lokalsamfund.core.demo import DemoContext
from lokalsamfund.core.models import Role
from lokalsamfund.core.permissions import SYSTEM

from . import driften, services, workdays
from .models import DriftenHours, GreenGroup


def load(ctx: DemoContext, garden_name: str) -> None:
    garden = GreenGroup.objects.filter(organisation=ctx.organisation, name=garden_name).first()
    if garden is None or garden.work_days.exists():
        return
    caretaker = ctx.users[Role.CARETAKER.value]
    resident = ctx.users[Role.RESIDENT.value]
    neighbour = ctx.users[Role.NEIGHBOUR.value]
    today = timezone.localdate()
    saturday = today + timedelta(days=21 + (5 - today.weekday()) % 7)
    starts = timezone.make_aware(datetime.combine(saturday, time(10, 0)))
    activity = activity_create(
        actor=ctx.users[Role.COORDINATOR.value],
        organisation=ctx.organisation,
        departments=[ctx.departments["A1"], ctx.departments["A2"]],
        activity_type="havefaellesskab",
        title="Arbejdsdag i nyttehaven",
        starts_at=starts,
        duration_minutes=180,
        place="Plænen bag blok 3",
        description="Vi gør bedene klar, vander og tømmer komposten. Kaffe og boller kl. 11.",
    )
    occurrence = activity.occurrences.order_by("starts_at").first()
    if occurrence is None:
        return
    workdays.fallback_hours_set(actor=SYSTEM, group=garden, hours=72)
    work_day = workdays.work_day_create(actor=SYSTEM, group=garden, occurrence=occurrence)
    beds = workdays.task_create(
        actor=SYSTEM,
        work_day=work_day,
        title="Læg bedene an",
        hands=4,
        tools="Spader, river, trillebør",
        leader=caretaker,
        materials=["Muld, 2 m³", "Kantsten, 20 stk."],
    )
    workdays.task_create(
        actor=SYSTEM,
        work_day=work_day,
        title="Tøm komposten",
        hands=2,
        tools="Greb, trillebør",
        leader=caretaker,
        materials=["Affaldssække til haveaffald"],
    )
    workdays.task_create(
        actor=SYSTEM, work_day=work_day, title="Kaffe og boller", hands=1, tools="Termokander"
    )
    workdays.task_sign_up(actor=resident, task=beds)
    if not garden.members.filter(user=neighbour).exists():
        services.member_join(actor=neighbour, group=garden)
    workdays.task_sign_up(actor=neighbour, task=beds)
    rota = workdays.rota_create(actor=SYSTEM, group=garden, title="Vanding i sommerferien")
    first_monday = saturday + timedelta(days=2)
    turns = [
        workdays.turn_assign(
            actor=SYSTEM,
            rota=rota,
            week=first_monday + timedelta(weeks=n),
            user=(resident, neighbour)[n % 2],
        )
        for n in range(4)
    ]
    workdays.turn_offer(actor=neighbour, turn=turns[1])
    workdays.member_hours_log(
        actor=resident,
        group=garden,
        day=today - timedelta(days=2),
        hours=Decimal("1.5"),
        what="Lugede fællesbedet ved vaskeriet",
        today=today,
    )
    _driften_months(ctx, today)
    ctx.say("Green work day with tasks, a watering rota and six months of driften's hours")


def _driften_months(ctx: DemoContext, today: date) -> None:
    """Six ended months of driften's hours in A1 and A2 (made directly: the service takes only
    the last month, as a caretaker records them)."""
    caretaker = ctx.users[Role.CARETAKER.value]
    rows = []
    month = today.replace(day=1)
    for back in range(1, 7):
        month = (month - timedelta(days=1)).replace(day=1)
        for code, hours, what in (
            ("A1", Decimal(6 + back), "Græsslåning og bede"),
            ("A2", Decimal(3 + back % 3), "Kompost og beskæring"),
        ):
            for day in (3, 17):
                rows.append(
                    DriftenHours(
                        organisation=ctx.organisation,
                        department=ctx.departments[code],
                        caretaker=caretaker,
                        day=month.replace(day=day),
                        hours=hours / 2,
                        what=what,
                    )
                )
    DriftenHours.objects.bulk_create(rows)
    driften.hours_record(
        actor=caretaker,
        department=ctx.departments["A1"],
        day=today,
        hours=Decimal(2),
        what="Vanding af nye træer",
        today=today,
    )
