"""Every persona against every page of the green groups."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from lokalsamfund.core.models import User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.green import services
from lokalsamfund.green.models import (
    ApplicationStatus,
    GreenGroup,
    GroupMember,
    PlotApplication,
    Season,
)

ClientFor = Callable[[User | None], Client]


# Scenarios on given dates (e.g. a season of weekly dinners from 11 June 2026): the default moment.
pytestmark = pytest.mark.scenario_moment


@pytest.fixture
def season(group: GreenGroup) -> Season:
    return services.season_open(actor=SYSTEM, group=group, year=2026)


@pytest.fixture
def cast(
    personas: dict[str, User], member: User, caretaker_contact: User
) -> dict[str, User | None]:
    return {
        "member": member,
        "resident": personas["resident"],  # of the department, not a member
        "neighbour": personas["neighbour"],
        "association": personas["association"],
        "caretaker_contact": caretaker_contact,
        "coordinator": personas["coordinator"],
        "admin": personas["admin"],
        "outsider": personas["outsider"],
        "no_role": personas["no_role"],
        "anonymous": None,
    }


# Status codes of GET pages on the closed group (302: to the login, or back to the group).
EXPECTED = {
    #                  list  group alloc apply my_place
    "member": (200, 200, 404, 200, 302),
    "resident": (200, 200, 404, 302, 302),
    "neighbour": (200, 404, 404, 404, 404),
    "association": (200, 404, 404, 404, 404),
    "caretaker_contact": (200, 200, 200, 302, 302),
    "coordinator": (200, 200, 200, 302, 302),
    "admin": (200, 200, 200, 302, 302),
    "outsider": (200, 404, 404, 404, 404),
    "no_role": (200, 404, 404, 404, 404),
    "anonymous": (302, 302, 302, 302, 302),
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_pages_by_persona(
    who: str, cast: dict[str, User | None], group: GreenGroup, season: Season, client_for: ClientFor
) -> None:
    client = client_for(cast[who])
    urls = [
        reverse("green:groups"),
        reverse("green:group", args=[group.pk]),
        reverse("green:allocation", args=[group.pk]),
        reverse("green:apply", args=[group.pk]),
        reverse("green:my_place", args=[group.pk]),
    ]
    codes = tuple(client.get(url).status_code for url in urls)
    assert codes == EXPECTED[who]
    listed = client.get(urls[0])
    if who != "anonymous":
        assert (group.name in listed.content.decode()) == (codes[1] == 200)
    if who == "anonymous":
        assert client.get(urls[1])["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["member", "caretaker_contact", "coordinator", "resident"])
def test_member_names_for_contacts_and_staff_only(
    who: str, cast: dict[str, User | None], group: GreenGroup, client_for: ClientFor
) -> None:
    page = client_for(cast[who]).get(reverse("green:group", args=[group.pk])).content.decode()
    member = cast["member"]
    assert member is not None
    assert (member.full_name in page) == (who in ("caretaker_contact", "coordinator"))
    assert "<dd>1</dd>" in page  # the count, for everyone


@pytest.mark.parametrize(
    ("who", "joins"),
    [("resident", True), ("neighbour", False), ("outsider", False), ("anonymous", False)],
)
def test_join_closed_group(
    who: str, joins: bool, cast: dict[str, User | None], group: GreenGroup, client_for: ClientFor
) -> None:
    response = client_for(cast[who]).post(reverse("green:join", args=[group.pk]))
    assert response.status_code == (302 if who in ("resident", "anonymous") else 404)
    user = cast[who]
    if user is not None:
        assert GroupMember.objects.filter(group=group, user=user).exists() == joins


def test_neighbour_joins_open_group_and_leaves(
    lottery_group: GreenGroup, neighbour: User, client_for: ClientFor
) -> None:
    client = client_for(neighbour)
    assert client.get(reverse("green:group", args=[lottery_group.pk])).status_code == 200
    response = client.post(reverse("green:join", args=[lottery_group.pk]), follow=True)
    assert "Velkommen i Lodhaven." in response.content.decode()
    assert GroupMember.objects.filter(group=lottery_group, user=neighbour).exists()
    client.post(reverse("green:leave", args=[lottery_group.pk]))
    assert not GroupMember.objects.filter(group=lottery_group, user=neighbour).exists()
    # Only POST changes anything.
    assert client.get(reverse("green:join", args=[lottery_group.pk])).status_code == 405


def test_apply_and_see_place_then_offer_and_accept(
    group: GreenGroup, season: Season, member: User, caretaker_contact: User, client_for: ClientFor
) -> None:
    client = client_for(member)
    response = client.post(reverse("green:apply", args=[group.pk]), {"own_garden": ""}, follow=True)
    page = response.content.decode()
    assert "Vi har modtaget din ansøgning." in page
    assert "Du er nr. 1 af 1 på ventelisten." in page
    contact = client_for(caretaker_contact)
    response = contact.post(
        reverse("green:allocation", args=[group.pk]), {"action": "offer"}, follow=True
    )
    assert "Bed Bed 1 er tilbudt ansøgning nr. 1." in response.content.decode()
    page = client.get(reverse("green:my_place", args=[group.pk])).content.decode()
    assert "Tag imod bedet" in page
    client.post(reverse("green:my_place", args=[group.pk]), {"answer": "accept"})
    assert PlotApplication.objects.get(user=member).status == ApplicationStatus.ALLOCATED
    # A member cannot run the allocation.
    assert (
        client.post(reverse("green:allocation", args=[group.pk]), {"action": "offer"}).status_code
        == 404
    )


def test_contact_opens_season(
    group: GreenGroup, caretaker_contact: User, client_for: ClientFor
) -> None:
    client = client_for(caretaker_contact)
    response = client.post(
        reverse("green:allocation", args=[group.pk]),
        {"action": "season", "year": "2026"},
        follow=True,
    )
    assert "Sæsonen er åben for ansøgninger." in response.content.decode()
    assert Season.objects.filter(group=group, year=2026).exists()
    response = client.post(
        reverse("green:allocation", args=[group.pk]),
        {"action": "season", "year": "2026"},
        follow=True,
    )
    assert "Sæsonen 2026 er allerede åbnet." in response.content.decode()


def test_lottery_through_the_pages(
    lottery_group: GreenGroup,
    lottery_season: Season,
    neighbour: User,
    caretaker_contact: User,
    client_for: ClientFor,
) -> None:
    services.member_join(actor=neighbour, group=lottery_group)
    client = client_for(neighbour)
    client.post(reverse("green:apply", args=[lottery_group.pk]), {"own_garden": "on"})
    page = client.get(reverse("green:my_place", args=[lottery_group.pk])).content.decode()
    assert "Der er ikke trukket lod endnu." in page
    contact = client_for(caretaker_contact)
    response = contact.post(
        reverse("green:allocation", args=[lottery_group.pk]), {"action": "lottery"}, follow=True
    )
    assert "Der kan trækkes lod, når ansøgningsfristen er udløbet." in response.content.decode()
    with time_machine.travel(datetime(2026, 6, 21, 10, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))):
        response = contact.post(
            reverse("green:allocation", args=[lottery_group.pk]), {"action": "lottery"}, follow=True
        )
        assert "Der er trukket lod." in response.content.decode()
        lottery_season.refresh_from_db()
        page = client.get(reverse("green:my_place", args=[lottery_group.pk])).content.decode()
    assert f"frøet {lottery_season.seed}" in page
    assert "Tag imod bedet" not in page  # the lottery allocates at once
    assert "Sig nej til bedet" in page
