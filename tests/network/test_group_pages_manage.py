"""The pages that run a project group and the development days: a contact schedules a meeting,
names a contact and deletes a document; an organiser creates a development day and adds its
programme. Those who may not are refused as the group's pages refuse and nothing is stored; a
bad value names its field once and changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lokalsamfund.core.models import Department, User
from lokalsamfund.network import groups
from lokalsamfund.network.group_models import (
    EventKind,
    GroupDocument,
    GroupMember,
    NetworkEvent,
    ProgrammeSession,
    ProjectGroup,
)

from .groups_fixtures import architect, day, document, group

__all__ = ["architect", "day", "document", "group"]

pytestmark = pytest.mark.django_db


def _date(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _meeting_data(dept: Department, **changes: str) -> dict[str, str]:
    data = {
        "title": "Planlægningsmøde",
        "department": str(dept.pk),
        "date": _date(5),
        "start_time": "17:00",
        "duration_minutes": "90",
        "place": "Fælleshuset",
        "capacity": "",
        "activity_type": "faellesspisning",
        "description": "",
    }
    return {**data, **changes}


def _day_data(dept: Department, **changes: str) -> dict[str, str]:
    data = {
        "title": "Netværkets udviklingsdag",
        "department": str(dept.pk),
        "date": _date(30),
        "start_time": "09:00",
        "duration_minutes": "360",
        "place": "Salen",
        "capacity": "80",
        "activity_type": "frivilligtraening",
        "description": "Oplæg og værksteder.",
    }
    return {**data, **changes}


def _refused(response: Any, expected: set[int]) -> bool:
    if response.status_code == 302:  # anonymous: to the login page
        return "/login" in response["Location"] or "login" in response["Location"]
    return response.status_code in expected


# --- meetings --------------------------------------------------------------------------------


def test_the_contact_schedules_a_meeting_that_appears_with_its_sign_up_link(
    group: ProjectGroup, coordinator: User, dept_a: Department, client_for: Callable[..., Client]
) -> None:
    client = client_for(coordinator)
    page = client.get(f"/netvaerk/grupper/{group.pk}/").content.decode()
    assert f"/netvaerk/grupper/{group.pk}/moeder/ny/" in page
    form_page = client.get(f"/netvaerk/grupper/{group.pk}/moeder/ny/")
    assert form_page.status_code == 200
    assert "csrfmiddlewaretoken" in form_page.content.decode()
    response = client.post(f"/netvaerk/grupper/{group.pk}/moeder/ny/", _meeting_data(dept_a))
    assert response.status_code == 302, response.content.decode()
    event = NetworkEvent.objects.get(group=group, kind=EventKind.MEETING)
    assert event.activity.title == "Planlægningsmøde"
    assert event.activity.place == "Fælleshuset"
    occurrence = event.activity.occurrences.get()
    assert timezone.localtime(occurrence.starts_at).time() == dt.time(17, 0)
    assert timezone.localdate(occurrence.starts_at).isoformat() == _date(5)
    page = client.get(f"/netvaerk/grupper/{group.pk}/").content.decode()
    assert "Planlægningsmøde" in page
    assert f"/aktiviteter/tid/{occurrence.pk}/tilmelding/" in page


def test_those_who_do_not_run_the_group_cannot_schedule_a_meeting(
    group: ProjectGroup,
    architect: User,
    outsider: User,
    coordinator: User,
    dept_a: Department,
    client_for: Callable[..., Client],
) -> None:
    groups.group_join(actor=outsider, group=group, affiliation="Anden")
    plain = outsider  # a member of the group, not a contact
    member_page = client_for(architect).get(f"/netvaerk/grupper/{group.pk}/").content.decode()
    assert "/moeder/ny/" not in member_page
    url = f"/netvaerk/grupper/{group.pk}/moeder/ny/"
    for user, expected in ((architect, {403}), (plain, {403}), (None, set())):
        client = client_for(user)
        assert _refused(client.get(url), expected)
        assert _refused(client.post(url, _meeting_data(dept_a)), expected)
    assert not NetworkEvent.objects.exists()


def test_a_coordinator_of_another_organisation_outside_the_group_gets_404(
    group: ProjectGroup, outsider: User, other_dept: Department, client_for: Callable[..., Client]
) -> None:
    client = client_for(outsider)
    url = f"/netvaerk/grupper/{group.pk}/moeder/ny/"
    assert client.get(url).status_code == 404
    assert client.post(url, _meeting_data(other_dept)).status_code == 404
    member = group.members.filter(is_contact=True).get()
    assert (
        client.post(
            f"/netvaerk/grupper/{group.pk}/kontakter/{member.pk}/", {"is_contact": "0"}
        ).status_code
        == 404
    )
    assert not NetworkEvent.objects.exists()


def test_an_invalid_meeting_form_names_the_field_once_and_stores_nothing(
    group: ProjectGroup, coordinator: User, dept_a: Department, client_for: Callable[..., Client]
) -> None:
    client = client_for(coordinator)
    url = f"/netvaerk/grupper/{group.pk}/moeder/ny/"
    response = client.post(url, _meeting_data(dept_a, duration_minutes="mange"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Indtast et heltal") == 1
    assert "Varighed i minutter" in page
    response = client.post(url, _meeting_data(dept_a, date=_date(-3)))  # the activities' rule
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not NetworkEvent.objects.exists()


# --- contacts and documents --------------------------------------------------------------------


def test_the_contact_names_a_member_contact_and_no_longer(
    group: ProjectGroup, coordinator: User, architect: User, client_for: Callable[..., Client]
) -> None:
    member = group.members.get(user=architect)
    client = client_for(coordinator)
    page = client.get(f"/netvaerk/grupper/{group.pk}/").content.decode()
    url = f"/netvaerk/grupper/{group.pk}/kontakter/{member.pk}/"
    assert url in page
    assert client.post(url, {"is_contact": "1"}).status_code == 302
    assert GroupMember.objects.get(pk=member.pk).is_contact
    # now the architect runs the group too
    assert client_for(architect).get(f"/netvaerk/grupper/{group.pk}/moeder/ny/").status_code == 200
    assert client.post(url, {"is_contact": "0"}).status_code == 302
    assert not GroupMember.objects.get(pk=member.pk).is_contact


def test_a_bad_contact_value_names_the_field_and_changes_nothing(
    group: ProjectGroup, coordinator: User, architect: User, client_for: Callable[..., Client]
) -> None:
    member = group.members.get(user=architect)
    client = client_for(coordinator)
    response = client.post(
        f"/netvaerk/grupper/{group.pk}/kontakter/{member.pk}/", {"is_contact": "måske"}, follow=True
    )
    page = response.content.decode()
    assert page.count("Kontakt: ") == 1
    assert not GroupMember.objects.get(pk=member.pk).is_contact


def test_members_who_are_not_contacts_cannot_name_contacts(
    group: ProjectGroup, coordinator: User, architect: User, client_for: Callable[..., Client]
) -> None:
    mine = group.members.get(user=coordinator)
    url = f"/netvaerk/grupper/{group.pk}/kontakter/{mine.pk}/"
    assert client_for(architect).post(url, {"is_contact": "0"}).status_code == 403
    assert _refused(client_for(None).post(url, {"is_contact": "0"}), set())
    other = group.members.get(user=architect)
    url = f"/netvaerk/grupper/{group.pk}/kontakter/{other.pk}/"
    assert client_for(architect).post(url, {"is_contact": "1"}).status_code == 403
    assert GroupMember.objects.get(pk=mine.pk).is_contact
    assert not GroupMember.objects.get(pk=other.pk).is_contact


def test_the_contact_deletes_a_document(
    document: GroupDocument, coordinator: User, client_for: Callable[..., Client]
) -> None:
    client = client_for(coordinator)
    url = f"/netvaerk/dokumenter/{document.pk}/slet/"
    assert url in client.get(f"/netvaerk/grupper/{document.group_id}/").content.decode()
    assert client.get(url).status_code == 200  # the confirmation
    assert GroupDocument.objects.filter(pk=document.pk).exists()
    assert client.post(url).status_code == 302
    assert not GroupDocument.objects.filter(pk=document.pk).exists()


def test_others_cannot_delete_a_document(
    document: GroupDocument,
    group: ProjectGroup,
    architect: User,
    outsider: User,
    client_for: Callable[..., Client],
) -> None:
    url = f"/netvaerk/dokumenter/{document.pk}/slet/"
    page = client_for(architect).get(f"/netvaerk/grupper/{group.pk}/").content.decode()
    assert url not in page
    assert client_for(architect).post(url).status_code == 403  # a member, not who added it
    assert client_for(outsider).post(url).status_code == 404  # not a member
    assert _refused(client_for(None).post(url), set())
    assert GroupDocument.objects.filter(pk=document.pk).exists()


# --- development days ------------------------------------------------------------------------


def test_an_organiser_creates_a_development_day_and_adds_a_session(
    coordinator: User, dept_a: Department, client_for: Callable[..., Client]
) -> None:
    client = client_for(coordinator)
    assert "/netvaerk/udviklingsdage/ny/" in client.get("/netvaerk/grupper/").content.decode()
    response = client.post("/netvaerk/udviklingsdage/ny/", _day_data(dept_a))
    assert response.status_code == 302, response.content.decode()
    event = NetworkEvent.objects.get(kind=EventKind.DEVELOPMENT_DAY)
    assert response["Location"] == f"/netvaerk/udviklingsdage/{event.pk}/"
    assert event.activity.organisation == dept_a.organisation
    page = client.get(f"/netvaerk/udviklingsdage/{event.pk}/").content.decode()
    assert f"/netvaerk/udviklingsdage/{event.pk}/program/" in page
    response = client.post(
        f"/netvaerk/udviklingsdage/{event.pk}/program/",
        {
            "title": "Værksted om fællesspisning",
            "date": _date(30),
            "start_time": "10:00",
            "end_time": "11:30",
            "room": "Lokale 2",
            "host": "Tegnestuen",
        },
    )
    assert response.status_code == 302
    session = event.sessions.get()
    assert session.title == "Værksted om fællesspisning"
    assert timezone.localtime(session.ends_at).time() == dt.time(11, 30)
    assert "Værksted om fællesspisning" in client.get(response["Location"]).content.decode()


def test_an_invalid_session_names_the_field_once_and_stores_nothing(
    day: NetworkEvent, admin_user: User, client_for: Callable[..., Client]
) -> None:
    before = day.sessions.count()
    response = client_for(admin_user).post(
        f"/netvaerk/udviklingsdage/{day.pk}/program/",
        {"title": "Baglæns", "date": _date(20), "start_time": "12:00", "end_time": "11:00"},
    )
    assert response.status_code == 200
    assert response.content.decode().count("Et programpunkt slutter, efter det begynder.") == 1
    assert day.sessions.count() == before


def test_an_invalid_development_day_form_stores_nothing(
    coordinator: User, dept_a: Department, other_dept: Department, client_for: Callable[..., Client]
) -> None:
    client = client_for(coordinator)
    response = client.post("/netvaerk/udviklingsdage/ny/", _day_data(other_dept))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Vælg en af de viste afdelinger.") == 1
    response = client.post("/netvaerk/udviklingsdage/ny/", _day_data(dept_a, date=""))
    assert response.content.decode().count("Dette felt er påkrævet.") == 1
    assert not NetworkEvent.objects.exists()


def test_those_who_may_not_organise_cannot_create_a_day_or_change_its_programme(
    day: NetworkEvent,
    architect: User,
    outsider: User,
    resident: User,
    dept_a: Department,
    client_for: Callable[..., Client],
) -> None:
    for user in (architect, resident, None):
        client = client_for(user)
        assert _refused(client.get("/netvaerk/udviklingsdage/ny/"), {403})
        assert _refused(client.post("/netvaerk/udviklingsdage/ny/", _day_data(dept_a)), {403})
    # the other organisation's coordinator organises in their own organisation only
    client_for(outsider).post("/netvaerk/udviklingsdage/ny/", _day_data(dept_a))
    assert NetworkEvent.objects.filter(kind=EventKind.DEVELOPMENT_DAY).count() == 1
    url = f"/netvaerk/udviklingsdage/{day.pk}/program/"
    session = {"title": "Mit oplæg", "date": _date(20), "start_time": "13:00", "end_time": "14:00"}
    for user in (architect, outsider, resident, None):
        client = client_for(user)
        if user is not None:
            page = client.get(f"/netvaerk/udviklingsdage/{day.pk}/").content.decode()
            assert url not in page
        assert _refused(client.post(url, session), {403})
    assert ProgrammeSession.objects.filter(event=day).count() == 1


def test_every_form_needs_its_csrf_token(
    group: ProjectGroup,
    document: GroupDocument,
    day: NetworkEvent,
    coordinator: User,
    admin_user: User,
    architect: User,
    dept_a: Department,
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    member = group.members.get(user=architect)
    sessions = day.sessions.count()
    for url, data in (
        (f"/netvaerk/grupper/{group.pk}/moeder/ny/", _meeting_data(dept_a)),
        (f"/netvaerk/grupper/{group.pk}/kontakter/{member.pk}/", {"is_contact": "1"}),
        (f"/netvaerk/dokumenter/{document.pk}/slet/", {}),
        ("/netvaerk/udviklingsdage/ny/", _day_data(dept_a)),
    ):
        assert client.post(url, data).status_code == 403, url
    client.force_login(admin_user)
    session = {"title": "Oplæg", "date": _date(20), "start_time": "13:00", "end_time": "14:00"}
    assert client.post(f"/netvaerk/udviklingsdage/{day.pk}/program/", session).status_code == 403
    assert NetworkEvent.objects.filter(kind=EventKind.MEETING).count() == 0
    assert NetworkEvent.objects.filter(kind=EventKind.DEVELOPMENT_DAY).count() == 1
    assert not GroupMember.objects.get(pk=member.pk).is_contact
    assert GroupDocument.objects.filter(pk=document.pk).exists()
    assert day.sessions.count() == sessions
