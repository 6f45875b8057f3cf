"""Fixtures of the project groups' tests: a group hosted by ``org`` with its coordinator as
contact, a network-only member (an architect sponsored by ``org``), a meeting in ``dept_a``,
a document and a development day with a programme. Dates from the pinned clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from lokalsamfund.core.models import Department, Organisation, Role, User
from lokalsamfund.network import events, groups
from lokalsamfund.network.group_models import (
    GroupDocument,
    GroupMember,
    NetworkEvent,
    ProjectGroup,
)

DOCUMENT_TEXT = b"Kommissorium: hemmelig plan for gruppen\n"


def at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture
def architect(make_user: Callable[..., User], org: Organisation) -> User:
    """From outside the sector, with the network-only role (sponsored by ``org``)."""
    user = make_user(Role.NETWORK_MEMBER, org)
    User.objects.filter(pk=user.pk).update(full_name="Asta Arkitekt")
    user.refresh_from_db()
    return user


@pytest.fixture
def group(coordinator: User, architect: User, org: Organisation) -> ProjectGroup:
    created = groups.group_create(
        actor=coordinator,
        host_organisation=org,
        title="Fællesskab på tværs",
        aim="Naboer med i fælleshuset.",
        activity_types=["faellesspisning"],
    )
    GroupMember.objects.create(
        group=created, user=architect, affiliation="Tegnestuen", role_in_group="arkitekt"
    )
    return groups.group_for(coordinator, created.pk)  # type: ignore[return-value]


@pytest.fixture
def meeting(group: ProjectGroup, coordinator: User, dept_a: Department) -> NetworkEvent:
    return events.meeting_create(
        actor=coordinator,
        group=group,
        department=dept_a,
        title="Gruppemøde",
        starts_at=at(7, 16),
        duration_minutes=90,
        place="Mødelokalet",
        capacity=2,
    )


@pytest.fixture
def document(group: ProjectGroup, coordinator: User) -> GroupDocument:
    return groups.document_add(
        actor=coordinator,
        group=group,
        title="Kommissorium",
        filename="plan.txt",
        data=DOCUMENT_TEXT,
    )


@pytest.fixture
def day(admin_user: User, dept_a: Department) -> NetworkEvent:
    event = events.development_day_create(
        actor=admin_user,
        department=dept_a,
        title="Udviklingsdag",
        description="Oplæg og værksteder.",
        starts_at=at(20, 9),
        duration_minutes=360,
        place="Salen",
        activity_type="frivilligtraening",
        capacity=50,
    )
    events.session_add(
        actor=admin_user,
        event=event,
        starts_at=event.activity.starts_at,
        ends_at=event.activity.starts_at + dt.timedelta(hours=1),
        title="Velkomst og oplæg",
        room="Salen",
        host="Tegnestuen",
    )
    return event
