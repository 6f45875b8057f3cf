"""Meetings and development days: the activities' own sign-up (capacity, waitlist, e-mail),
who may schedule them, and the development day's page with its programme for every persona."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from lokalsamfund.activities.models import SignUpStatus
from lokalsamfund.core.errors import DomainError, Forbidden
from lokalsamfund.core.models import Department, User
from lokalsamfund.network import events, groups
from lokalsamfund.network.group_models import NetworkEvent, ProjectGroup

from .groups_fixtures import architect, at, day, group, meeting

__all__ = ["architect", "day", "group", "meeting"]

pytestmark = pytest.mark.django_db

TAKE_PART = {"admin", "coordinator", "outsider", "architect"}


def test_members_sign_up_for_a_meeting_with_capacity_waitlist_and_e_mail(
    meeting: NetworkEvent,
    group: ProjectGroup,
    architect: User,
    outsider: User,
    coordinator: User,
    resident: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    occurrence = meeting.activity.occurrences.get()
    with pytest.raises(Forbidden):  # not a member
        events.sign_up(actor=outsider, occurrence=occurrence)
    with pytest.raises(Forbidden):  # a resident of the hosting department
        events.sign_up(actor=resident, occurrence=occurrence)
    groups.group_join(actor=outsider, group=group, affiliation="Anden")
    with django_capture_on_commit_callbacks(execute=True):
        first = events.sign_up(actor=architect, occurrence=occurrence).signup
        second = events.sign_up(actor=outsider, occurrence=occurrence).signup
        third = events.sign_up(actor=coordinator, occurrence=occurrence).signup
    assert first.status == SignUpStatus.CONFIRMED
    assert second.status == SignUpStatus.CONFIRMED
    assert third.status == SignUpStatus.WAITLISTED  # capacity 2
    assert third.waitlist_position == 1
    assert architect.email in [m.to[0] for m in mail.outbox]


def test_the_meeting_page_of_the_activities_signs_a_member_up(
    meeting: NetworkEvent, architect: User, client_for: Callable[..., Any]
) -> None:
    occurrence = meeting.activity.occurrences.get()
    client = client_for(architect)
    page = client.get(f"/netvaerk/grupper/{meeting.group_id}/").content.decode()
    assert f"/aktiviteter/tid/{occurrence.pk}/tilmelding/" in page
    assert client.get(f"/aktiviteter/tid/{occurrence.pk}/tilmelding/").status_code == 200
    client.post(f"/aktiviteter/tid/{occurrence.pk}/tilmeld/", {"places": "1"})
    assert occurrence.signups.get().user == architect


def test_only_contacts_who_may_publish_in_the_department_schedule_meetings(
    group: ProjectGroup,
    architect: User,
    outsider: User,
    coordinator: User,
    dept_a: Department,
    other_dept: Department,
) -> None:
    kwargs: dict[str, Any] = {
        "title": "Møde",
        "starts_at": at(3, 10),
        "duration_minutes": 60,
        "place": "Salen",
    }
    with pytest.raises(Forbidden):  # a member, not a contact
        events.meeting_create(actor=architect, group=group, department=dept_a, **kwargs)
    groups.group_join(actor=outsider, group=group, affiliation="Anden")
    member = group.members.get(user=outsider)
    groups.contact_set(actor=coordinator, member=member, is_contact=True)
    with pytest.raises(Forbidden):  # a contact, but not in the hosting organisation
        events.meeting_create(actor=outsider, group=group, department=dept_a, **kwargs)
    with pytest.raises(Forbidden):  # the coordinator cannot host in another organisation
        events.meeting_create(actor=coordinator, group=group, department=other_dept, **kwargs)
    with pytest.raises(DomainError):  # the activities' own checks: a time that has passed
        events.meeting_create(
            actor=coordinator,
            group=group,
            department=dept_a,
            **{**kwargs, "starts_at": at(-3, 10)},
        )
    assert not NetworkEvent.objects.exists()
    event = events.meeting_create(actor=coordinator, group=group, department=dept_a, **kwargs)
    assert event.activity.visibility == "departments"
    assert event.activity.signup_required


def test_development_day_page_for_every_persona(
    day: NetworkEvent,
    personas: dict[str, User],
    architect: User,
    client_for: Callable[..., Any],
) -> None:
    for name, user in {**personas, "architect": architect}.items():
        response = client_for(user).get(f"/netvaerk/udviklingsdage/{day.pk}/")
        if name not in TAKE_PART:
            assert response.status_code == 403, name
            continue
        assert response.status_code == 200, name
        text = response.content.decode()
        assert "Velkomst og oplæg" in text
        assert "Tegnestuen" in text
        occurrence = day.activity.occurrences.get()
        assert f"/aktiviteter/tid/{occurrence.pk}/tilmelding/" in text
    assert client_for(personas["outsider"]).get("/netvaerk/udviklingsdage/9999/").status_code == 404
    occurrence = day.activity.occurrences.get()
    assert events.sign_up(actor=architect, occurrence=occurrence).signup.status == "confirmed"
    with pytest.raises(Forbidden):
        events.sign_up(actor=personas["resident"], occurrence=occurrence)


def test_programme_sessions_are_checked_and_kept_by_organisers(
    day: NetworkEvent, admin_user: User, architect: User, meeting: NetworkEvent
) -> None:
    start = day.activity.starts_at
    with pytest.raises(DomainError):
        events.session_add(
            actor=admin_user, event=day, starts_at=start, ends_at=start, title="Tomt"
        )
    with pytest.raises(Forbidden):
        events.session_add(
            actor=architect,
            event=day,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            title="Mit oplæg",
        )
    with pytest.raises(DomainError):
        events.session_add(
            actor=admin_user,
            event=meeting,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            title="Ikke en udviklingsdag",
        )
    assert day.sessions.count() == 1
