"""The pages to plan a group's work: a new work day (a coming date of one of the group's
activities), a task of a work day, a rota with turns and the fallback hours. The group's
contact plans through them; a member, a resident who has not joined, another organisation's
coordinator and an anonymous visitor get 404 (or the login) and nothing is stored; a refused
value is shown once and stores nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from lokalsamfund.activities.models import Occurrence
from lokalsamfund.core.models import Department, Organisation, Role, User
from lokalsamfund.green import services
from lokalsamfund.green.models import (
    GreenGroup,
    GroupWorkSettings,
    Material,
    Rota,
    RotaTurn,
    WorkDay,
    WorkTask,
)
from tests.activities.factories_signups import make_activity, make_occurrence

from .work_fixtures import work_day

__all__ = ["work_day"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def coming(group: GreenGroup, dept_a: Department) -> Occurrence:
    """A coming date of an activity linked to the group, not a work day yet."""
    activity = make_activity(
        [dept_a],
        title="Forårsdag i haven",
        activity_type="havefaellesskab",
        signup_required=False,
        starts_at=timezone.now() + timedelta(days=12),
    )
    group.activities.add(activity)
    return make_occurrence(activity)


def _stored() -> tuple[int, ...]:
    return (
        WorkDay.objects.count(),
        WorkTask.objects.count(),
        Material.objects.count(),
        Rota.objects.count(),
        RotaTurn.objects.count(),
        GroupWorkSettings.objects.count(),
    )


def test_the_contact_plans_a_work_day_a_task_and_a_rota(
    client_for: Callable[..., Client],
    group: GreenGroup,
    caretaker_contact: User,
    member: User,
    coming: Occurrence,
) -> None:
    client = client_for(caretaker_contact)
    page = client.get(f"/groenne/{group.pk}/arbejde/").content.decode()
    assert f'action="/groenne/{group.pk}/arbejde/ny-arbejdsdag/"' in page
    assert coming.activity.title in page

    response = client.post(f"/groenne/{group.pk}/arbejde/ny-arbejdsdag/", {"occurrence": coming.pk})
    day = WorkDay.objects.get()
    assert (day.group, day.occurrence) == (group, coming)
    assert response["Location"] == f"/groenne/arbejdsdag/{day.pk}/"
    # The date is a work day now: it is no longer offered.
    page = client.get(f"/groenne/{group.pk}/arbejde/").content.decode()
    assert f'value="{coming.pk}"' not in page

    page = client.get(f"/groenne/arbejdsdag/{day.pk}/").content.decode()
    assert f'action="/groenne/arbejdsdag/{day.pk}/ny-opgave/"' in page
    response = client.post(
        f"/groenne/arbejdsdag/{day.pk}/ny-opgave/",
        {
            "title": "Beskær buskene",
            "hands": "3",
            "tools": "Hækkesakse",
            "leader": member.pk,
            "materials": "Barkflis\n\n  Kompost  \n",
        },
    )
    assert response.status_code == 302
    task = WorkTask.objects.get()
    assert (task.work_day, task.title, task.hands, task.tools, task.leader) == (
        day,
        "Beskær buskene",
        3,
        "Hækkesakse",
        member,
    )
    assert sorted(task.materials.values_list("name", flat=True)) == ["Barkflis", "Kompost"]
    assert "Beskær buskene" in client.get(f"/groenne/arbejdsdag/{day.pk}/").content.decode()

    today = timezone.localdate()
    response = client.post(
        f"/groenne/{group.pk}/arbejde/ny-vagtplan/",
        {
            "title": "Vanding i ferien",
            "first_week": (today + timedelta(days=7)).isoformat(),
            "last_week": (today + timedelta(days=21)).isoformat(),
            "members": [member.pk],
        },
    )
    assert response.status_code == 302
    rota = Rota.objects.get()
    assert (rota.group, rota.title) == (group, "Vanding i ferien")
    weeks = list(rota.turns.order_by("week").values_list("week", "user"))
    first_monday = today + timedelta(days=7) - timedelta(days=(today + timedelta(days=7)).weekday())
    assert weeks == [(first_monday + timedelta(weeks=n), member.pk) for n in range(3)]

    later = today + timedelta(days=42)
    response = client.post(
        f"/groenne/vagtplan/{rota.pk}/ny-tur/", {"week": later.isoformat(), "user": member.pk}
    )
    assert response.status_code == 302
    turn = rota.turns.get(week=later - timedelta(days=later.weekday()))
    assert turn.user == member

    response = client.post(f"/groenne/{group.pk}/arbejde/frist/", {"fallback_hours": "12"})
    assert response.status_code == 302
    assert GroupWorkSettings.objects.get(group=group).fallback_hours == 12
    page = client.get(f"/groenne/{group.pk}/arbejde/").content.decode()
    assert 'name="fallback_hours" value="12"' in page


def test_without_dates_the_contact_is_sent_to_create_an_activity(
    client_for: Callable[..., Client], group: GreenGroup, caretaker_contact: User
) -> None:
    page = client_for(caretaker_contact).get(f"/groenne/{group.pk}/arbejde/").content.decode()
    assert 'href="/aktiviteter/ny/"' in page
    assert f'href="/groenne/{group.pk}/aktiviteter/"' in page
    assert f'action="/groenne/{group.pk}/arbejde/ny-arbejdsdag/"' not in page


@pytest.mark.parametrize("who", ["member", "resident", "outsider", "anonymous"])
def test_who_does_not_run_the_group_gets_404_and_nothing_is_stored(
    who: str,
    client_for: Callable[..., Client],
    personas: dict[str, User],
    member: User,
    group: GreenGroup,
    coming: Occurrence,
    work_day: WorkDay,
) -> None:
    user = {"member": member, "anonymous": None}.get(who, personas.get(who))
    rota = Rota.objects.create(group=group, title="Vanding")
    before = _stored()
    client = client_for(user)
    week = (timezone.localdate() + timedelta(days=7)).isoformat()
    posts: list[tuple[str, dict[str, Any]]] = [
        (f"/groenne/{group.pk}/arbejde/ny-arbejdsdag/", {"occurrence": coming.pk}),
        (
            f"/groenne/arbejdsdag/{work_day.pk}/ny-opgave/",
            {"title": "Luk", "hands": "1", "materials": "Muld"},
        ),
        (
            f"/groenne/{group.pk}/arbejde/ny-vagtplan/",
            {"title": "Vagt", "first_week": week, "last_week": week, "members": [member.pk]},
        ),
        (f"/groenne/vagtplan/{rota.pk}/ny-tur/", {"week": week, "user": member.pk}),
        (f"/groenne/{group.pk}/arbejde/frist/", {"fallback_hours": "5"}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        if user is None:
            assert response.status_code == 302, url
            assert "login" in response["Location"], url
        else:
            assert response.status_code == 404, url
    assert _stored() == before
    if who == "member":
        page = client.get(f"/groenne/{group.pk}/arbejde/").content.decode()
        assert "ny-arbejdsdag" not in page
        assert "ny-vagtplan" not in page
        assert "ny-opgave" not in client.get(f"/groenne/arbejdsdag/{work_day.pk}/").content.decode()


def test_a_post_without_the_csrf_token_is_refused(
    group: GreenGroup, caretaker_contact: User, coming: Occurrence
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(caretaker_contact)
    response = client.post(f"/groenne/{group.pk}/arbejde/ny-arbejdsdag/", {"occurrence": coming.pk})
    assert response.status_code == 403
    assert not WorkDay.objects.exists()


def _shown_once(response: Any, message: str) -> None:
    assert response.status_code == 200
    assert response.content.decode().count(escape(message)) == 1, message


def test_an_invalid_form_shows_its_error_once_and_stores_nothing(
    client_for: Callable[..., Client],
    group: GreenGroup,
    caretaker_contact: User,
    member: User,
    work_day: WorkDay,
    outsider: User,
    other_dept: Department,
) -> None:
    client = client_for(caretaker_contact)
    before = _stored()

    response = client.post(
        f"/groenne/arbejdsdag/{work_day.pk}/ny-opgave/",
        {"title": "Luk", "hands": "0", "materials": "Muld"},
    )
    [error] = response.context["task_form"].errors["hands"]
    _shown_once(response, error)

    # A leader who is neither the caretaker contact nor a member is not a choice.
    response = client.post(
        f"/groenne/arbejdsdag/{work_day.pk}/ny-opgave/",
        {"title": "Luk", "hands": "1", "leader": outsider.pk},
    )
    [error] = response.context["task_form"].errors["leader"]
    _shown_once(response, error)

    today = timezone.localdate()
    response = client.post(
        f"/groenne/{group.pk}/arbejde/ny-vagtplan/",
        {
            "title": "Vanding",
            "first_week": (today + timedelta(days=21)).isoformat(),
            "last_week": (today + timedelta(days=7)).isoformat(),
            "members": [member.pk],
        },
    )
    [error] = response.context["rota_form"].errors["last_week"]
    _shown_once(response, error)

    response = client.post(f"/groenne/{group.pk}/arbejde/frist/", {"fallback_hours": "0"})
    [error] = response.context["fallback_form"].errors["fallback_hours"]
    _shown_once(response, error)

    # Another organisation's date is not a choice.
    foreign = make_activity([other_dept], starts_at=timezone.now() + timedelta(days=5))
    response = client.post(
        f"/groenne/{group.pk}/arbejde/ny-arbejdsdag/",
        {"occurrence": make_occurrence(foreign).pk},
    )
    [error] = response.context["work_day_form"].errors["occurrence"]
    _shown_once(response, error)

    assert _stored() == before


def test_a_turn_in_a_taken_week_is_refused_once(
    client_for: Callable[..., Client], group: GreenGroup, caretaker_contact: User, member: User
) -> None:
    client = client_for(caretaker_contact)
    rota = Rota.objects.create(group=group, title="Vanding")
    week = timezone.localdate() + timedelta(days=7)
    data = {"week": week.isoformat(), "user": member.pk}
    assert client.post(f"/groenne/vagtplan/{rota.pk}/ny-tur/", data).status_code == 302
    response = client.post(f"/groenne/vagtplan/{rota.pk}/ny-tur/", data)
    [error] = response.context["rota_rows"][0][2].non_field_errors()
    _shown_once(response, error)
    assert rota.turns.count() == 1


def test_the_ticked_members_take_the_weeks_in_turn(
    client_for: Callable[..., Client],
    make_user: Callable[..., User],
    org: Organisation,
    dept_a: Department,
    group: GreenGroup,
    caretaker_contact: User,
) -> None:
    people = []
    for name in ["Birte Holm", "Anders Lund"]:
        person = make_user(Role.RESIDENT, org, [dept_a])
        person.full_name = name
        person.save(update_fields=["full_name"])
        services.member_join(actor=person, group=group)
        people.append(person)
    birte, anders = people
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    response = client_for(caretaker_contact).post(
        f"/groenne/{group.pk}/arbejde/ny-vagtplan/",
        {
            "title": "Kompost",
            "first_week": (monday + timedelta(weeks=1, days=3)).isoformat(),
            "last_week": (monday + timedelta(weeks=3, days=6)).isoformat(),
            "members": [birte.pk, anders.pk],
        },
    )
    assert response.status_code == 302
    turns = list(Rota.objects.get().turns.order_by("week").values_list("week", "user"))
    # In order of name: Anders first, then Birte, then Anders again.
    assert turns == [
        (monday + timedelta(weeks=1), anders.pk),
        (monday + timedelta(weeks=2), birte.pk),
        (monday + timedelta(weeks=3), anders.pk),
    ]
