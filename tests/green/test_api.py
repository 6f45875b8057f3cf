"""Every persona against the green groups' API: groups, plots, applying, one's own
application, and a season's allocation (tickets for members, names for who runs it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from lokalsamfund.core.models import User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.green import services
from lokalsamfund.green.models import GreenGroup, PlotApplication, Season

pytestmark = pytest.mark.scenario_moment

ApiFor = Callable[[User | None], Any]


@pytest.fixture
def season(group: GreenGroup) -> Season:
    return services.season_open(actor=SYSTEM, group=group, year=2026)


@pytest.fixture
def cast(
    personas: dict[str, User], member: User, caretaker_contact: User
) -> dict[str, User | None]:
    return {
        "member": member,
        "resident": personas["resident"],
        "neighbour": personas["neighbour"],
        "association": personas["association"],
        "caretaker_contact": caretaker_contact,
        "coordinator": personas["coordinator"],
        "admin": personas["admin"],
        "outsider": personas["outsider"],
        "no_role": personas["no_role"],
        "anonymous": None,
    }


#           list-has-group detail plots mine allocation
EXPECTED = {
    "member": (True, 200, 200, 200, 200),
    "resident": (True, 200, 200, 404, 404),
    "neighbour": (False, 404, 404, 404, 404),
    "association": (False, 404, 404, 404, 404),
    "caretaker_contact": (True, 200, 200, 404, 200),
    "coordinator": (True, 200, 200, 404, 200),
    "admin": (True, 200, 200, 404, 200),
    "outsider": (False, 404, 404, 404, 404),
    "no_role": (False, 404, 404, 404, 404),
    "anonymous": (None, 401, 401, 401, 401),
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_endpoints_by_persona(
    who: str,
    cast: dict[str, User | None],
    group: GreenGroup,
    season: Season,
    member: User,
    api_for: ApiFor,
) -> None:
    services.apply(actor=member, season=season, own_garden=False)
    services.offer_next(actor=SYSTEM, season=season)
    api = api_for(cast[who])
    base = f"/api/v1/green/groups/{group.pk}"
    listed = api.get("/api/v1/green/groups")
    expected = EXPECTED[who]
    if expected[0] is None:
        assert listed.status_code == 401
    else:
        assert (group.pk in [g["id"] for g in listed.json()]) == expected[0]
    codes = tuple(
        api.get(url).status_code
        for url in (
            base,
            f"{base}/plots",
            f"{base}/applications/mine",
            f"{base}/seasons/2026/allocation",
        )
    )
    assert codes == expected[1:]
    if codes[3] == 200:
        body = api.get(f"{base}/seasons/2026/allocation").json()
        assert [a["ticket"] for a in body["allocation"]] == [1]
        names = [a["name"] for a in body["allocation"]]
        runs = who in ("caretaker_contact", "coordinator", "admin")
        assert names == ([member.full_name] if runs else [None])


def test_apply_and_mine(
    lottery_group: GreenGroup, lottery_season: Season, neighbour: User, api_for: ApiFor
) -> None:
    api = api_for(neighbour)
    base = f"/api/v1/green/groups/{lottery_group.pk}"
    response = api.post(f"{base}/applications", {"own_garden": True})
    assert response.status_code == 403
    assert response.json()["detail"] == "Meld dig ind i fællesskabet, før du søger om et bed."
    services.member_join(actor=neighbour, group=lottery_group)
    response = api.post(f"{base}/applications", {"own_garden": True})
    assert response.status_code == 201
    assert response.json()["status"] == "waiting"
    application = PlotApplication.objects.get(user=neighbour)
    assert application.own_garden
    assert api.post(f"{base}/applications", {}).status_code == 409
    mine = api.get(f"{base}/applications/mine").json()
    assert mine["ticket"] == application.ticket
    assert mine["seed"] is None
    detail = api.get(base).json()
    assert detail["deadline"] == date(2026, 6, 20).isoformat()
    assert detail["is_member"] is True
    assert api.post(f"{base}/applications", {"own_garden": "maybe"}).status_code == 400


def test_another_organisations_group_is_404_even_to_apply(
    group: GreenGroup, season: Season, outsider: User, api_for: ApiFor
) -> None:
    response = api_for(outsider).post(f"/api/v1/green/groups/{group.pk}/applications", {})
    assert response.status_code == 404
    assert not PlotApplication.objects.exists()
