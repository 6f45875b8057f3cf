"""Demo data of the green groups: Engparkens Nyttehaver (A1 and A2, open to neighbours) with
twelve plots, a lottery with a quarter reserved for new members, this season open for
applications (the resident, the neighbour and the board member of the resident's household
have applied), and the composting group of A1. Idempotent: a group whose name exists in the
demo organisation is left as it is."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from lokalsamfund.core.demo import DemoContext
from lokalsamfund.core.models import Role
from lokalsamfund.core.permissions import SYSTEM

from . import demo_work, services
from .models import AllocationRule, DeclineRule, GreenGroup, GroupKind

GARDEN = "Engparkens Nyttehaver"
COMPOST = "Kompostlauget i Engparken"


def load(ctx: DemoContext) -> None:
    organisation = ctx.organisation
    users = ctx.users
    existing = set(
        GreenGroup.objects.filter(organisation=organisation).values_list("name", flat=True)
    )
    if GARDEN not in existing:
        garden = services.group_create(
            actor=SYSTEM,
            organisation=organisation,
            departments=[ctx.departments["A1"], ctx.departments["A2"]],
            name=GARDEN,
            kind=GroupKind.GARDEN,
            open_to_neighbours=True,
            plan=(
                "Tolv bede på plænen bag blok 3. Vi sår i april, holder arbejdsdag første "
                "lørdag i måneden og deler værktøjet i containeren ved vaskeriet."
            ),
            caretaker_contact=users[Role.CARETAKER.value],
            resident_contacts=[users[Role.BOARD_MEMBER.value]],
            allocation_rule=AllocationRule.LOTTERY,
            decline_rule=DeclineRule.BOTTOM,
            reserved_percent=25,
        )
        for n in range(1, 13):
            services.plot_create(
                actor=SYSTEM,
                group=garden,
                label=f"Bed {n}",
                size_m2=Decimal("6.0") if n <= 8 else Decimal("12.0"),
                location="Plænen bag blok 3" if n <= 8 else "Ved vaskeriet",
            )
        season = services.season_open(
            actor=SYSTEM,
            group=garden,
            year=timezone.localdate().year,
            deadline=timezone.localdate() + timedelta(days=30),
        )
        for role, own_garden in ((Role.RESIDENT, False), (Role.NEIGHBOUR, True)):
            user = users[role.value]
            services.member_join(actor=user, group=garden)
            services.apply(actor=user, season=season, own_garden=own_garden)
        ctx.say(f"Green group: {GARDEN} (12 plots, lottery open)")
    if COMPOST not in existing:
        services.group_create(
            actor=SYSTEM,
            organisation=organisation,
            departments=[ctx.departments["A1"]],
            name=COMPOST,
            kind=GroupKind.COMPOST,
            plan="Kompostbeholderne ved blok 5 vendes hver anden uge.",
            caretaker_contact=users[Role.CARETAKER.value],
        )
        ctx.say(f"Green group: {COMPOST}")
    demo_work.load(ctx, GARDEN)
