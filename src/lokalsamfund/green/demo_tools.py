"""Demo data of the tool shed of Engparkens Nyttehaver: a lawnmower lent to the neighbour with
the board member in its queue, a wheelbarrow the resident borrowed and has not brought back
(overdue), a hedge trimmer waiting for the caretaker's handover, and seeds to take.
Idempotent: a group that has a shed is left as it is."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from lokalsamfund.core.demo import DemoContext
from lokalsamfund.core.models import Role
from lokalsamfund.core.permissions import SYSTEM

from . import services as group_services
from .models import GreenGroup, ToolKind, ToolShed
from .toolshed import services


def load(ctx: DemoContext, group_name: str) -> None:
    group = GreenGroup.objects.filter(organisation=ctx.organisation, name=group_name).first()
    if group is None or ToolShed.objects.filter(group=group).exists():
        return
    users = ctx.users
    resident, neighbour = users[Role.RESIDENT.value], users[Role.NEIGHBOUR.value]
    board_member = users[Role.BOARD_MEMBER.value]
    for user in (resident, neighbour, board_member):
        group_services.member_join(actor=user, group=group)
    shed = services.shed_create(
        actor=SYSTEM, group=group, location="Containeren ved vaskeriet", hold_hours=48
    )
    mower = services.tool_add(
        actor=SYSTEM, shed=shed, name="Plæneklipper", loan_days=7, condition="Nyslebet kniv"
    )
    barrow = services.tool_add(actor=SYSTEM, shed=shed, name="Trillebør", loan_days=3)
    trimmer = services.tool_add(
        actor=SYSTEM,
        shed=shed,
        name="Hækkeklipper (el)",
        loan_days=2,
        needs_handover=True,
        condition="Brug beskyttelsesbriller; udleveres af viceværten",
    )
    services.tool_add(actor=SYSTEM, shed=shed, name="Spade", loan_days=7)
    services.tool_add(
        actor=SYSTEM,
        shed=shed,
        name="Solsikkefrø",
        kind=ToolKind.CONSUMABLE,
        quantity=40,
        unit="poser",
    )
    now = timezone.now()
    services.loan_create(actor=neighbour, tool=mower, now=now - timedelta(days=2))
    services.hold_join(actor=board_member, tool=mower, now=now - timedelta(days=1))
    services.loan_create(actor=resident, tool=barrow, now=now - timedelta(days=6))
    services.loan_create(actor=board_member, tool=trimmer, now=now - timedelta(hours=3))
    ctx.say(f"Tool shed: {group_name} (5 tools, one loan overdue, a queue, a handover)")
