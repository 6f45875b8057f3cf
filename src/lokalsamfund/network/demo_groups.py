"""Demo of the project groups: a group across the demo organisations with a network-only member
from outside the sector (the architect ``arkitekt@eksempel.dk``), a meeting with sign-up and a
document, and a development day with a programme. Idempotent; dates from the clock."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lokalsamfund.core.demo import DEMO_PASSWORD, DemoContext
from lokalsamfund.core.models import Membership, Organisation, Role, User

from . import events, groups
from .group_models import EventKind, GroupMember, NetworkEvent, ProjectGroup
from .models import Idea

GROUP_TITLE = "Fællesskab på tværs af hegnet"
DAY_TITLE = "Udviklingsdag: fællesskaber i almene boligområder"
NORD_COORDINATOR = ("koordinator@nordeksempel.dk", "Nina Nordkoordinator")
KOMMISSORIUM = (
    "Kommissorium for projektgruppen\n\n"
    "Vi vil afprøve fællesspisning og åbne fælleshuse sammen med naboer fra andels- og "
    "ejerboliger. Gruppen mødes hver anden måned og deler erfaringer og tegninger.\n"
).encode()


def _at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _nord_coordinator() -> User:
    email, name = NORD_COORDINATOR
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name, email_verified=True)
    nord = Organisation.objects.get(slug="eksempel-nord")
    Membership.objects.get_or_create(user=user, organisation=nord, role=Role.COORDINATOR)
    return user


def load(ctx: DemoContext) -> None:
    coordinator = ctx.users["coordinator"]
    architect = ctx.users["network_member"]
    group = ProjectGroup.objects.filter(title=GROUP_TITLE).first()
    if group is None:
        group = groups.group_create(
            actor=coordinator,
            host_organisation=ctx.organisation,
            title=GROUP_TITLE,
            aim=(
                "Hvordan får vi naboer fra andels- og ejerboliger med i fælleshusets "
                "fællesskaber? Gruppen afprøver fællesspisning og åbent hus sammen."
            ),
            ideas=list(Idea.objects.filter(title="Fællesspisning med madklub")),
            activity_types=["faellesspisning", "aabent-hus-cafe"],
            affiliation=ctx.organisation.name,
        )
        nord = _nord_coordinator()
        groups.group_join(
            actor=nord,
            group=group,
            affiliation="Boligforeningen Nordeksempel",
            role_in_group="boligsocial koordinator",
        )
        GroupMember.objects.create(
            group=group,
            user=architect,
            affiliation="Tegnestuen Lys & Rum (arkitekt)",
            role_in_group="arkitekt",
        )
        groups.document_add(
            actor=coordinator,
            group=group,
            title="Kommissorium",
            filename="kommissorium.txt",
            data=KOMMISSORIUM,
        )
    if not group.events.exists():
        meeting = events.meeting_create(
            actor=coordinator,
            group=group,
            department=ctx.departments["A1"],
            title=f"Møde i projektgruppen: {GROUP_TITLE}",
            starts_at=_at(14, 16),
            duration_minutes=120,
            place="Engparkens fælleshus, mødelokalet",
            capacity=12,
        )
        occurrence = meeting.activity.occurrences.first()
        if occurrence is not None:
            events.sign_up(actor=architect, occurrence=occurrence)
    if not NetworkEvent.objects.filter(kind=EventKind.DEVELOPMENT_DAY).exists():
        day = events.development_day_create(
            actor=ctx.users["org_admin"],
            department=ctx.departments["A1"],
            title=DAY_TITLE,
            description=(
                "En dag for boligorganisationer, foreninger, arkitekter, bygherrer og kommunen: "
                "oplæg, værksteder og nye projektgrupper."
            ),
            starts_at=_at(30, 9),
            duration_minutes=7 * 60,
            place="Engparkens fælleshus",
            activity_type="frivilligtraening",
            capacity=80,
        )
        start = day.activity.starts_at
        programme = [
            (0, 30, "Velkomst og kaffe", "Salen", "Anne Administrator"),
            (30, 90, "Oplæg: fællesskaber på tværs af ejerformer", "Salen", "Tegnestuen Lys & Rum"),
            (120, 90, "Værksteder: 13 projektidéer", "Mødelokale 1 og 2", "Projektgrupperne"),
            (240, 60, "Frokost og netværk", "Salen", ""),
            (300, 90, "Nye projektgrupper dannes", "Salen", "Karim Koordinator"),
        ]
        for offset, minutes, title, room, host in programme:
            begins = start + dt.timedelta(minutes=offset)
            events.session_add(
                actor=ctx.users["org_admin"],
                event=day,
                starts_at=begins,
                ends_at=begins + dt.timedelta(minutes=minutes),
                title=title,
                room=room,
                host=host,
            )
    ctx.say(
        f"Network: project group '{GROUP_TITLE}' with a network-only member "
        f"({architect.email}), a meeting and a development day."
    )
