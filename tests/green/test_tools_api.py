"""Every persona against every endpoint of the tool shed's API (/api/v1/green/...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lokalsamfund.core.models import User
from lokalsamfund.green.models import GreenGroup, Hold, Loan, LoanStatus, Tool
from lokalsamfund.green.toolshed import services

from .tools_fixtures import *  # noqa: F403

ApiFor = Callable[[User | None], Any]
API = "/api/v1/green"


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
        "caretaker": personas["caretaker"],
        "coordinator": personas["coordinator"],
        "admin": personas["admin"],
        "outsider": personas["outsider"],
        "no_role": personas["no_role"],
        "anonymous": None,
    }


HIDDEN = {"neighbour", "association", "outsider", "no_role"}  # the closed garden: 404
RUNS = {"caretaker_contact", "caretaker", "coordinator", "admin"}


@pytest.mark.parametrize(
    "who",
    [
        "member",
        "resident",
        "neighbour",
        "association",
        "caretaker_contact",
        "caretaker",
        "coordinator",
        "admin",
        "outsider",
        "no_role",
        "anonymous",
    ],
)
def test_endpoints_by_persona(
    who: str,
    cast: dict[str, User | None],
    group: GreenGroup,
    barrow: Tool,
    trimmer: Tool,
    seeds: Tool,
    members: list[User],
    api_for: ApiFor,
) -> None:
    user = cast[who]
    api = api_for(user)
    if user is None:
        for path in (f"/groups/{group.pk}/tools", "/loans/mine", "/holds/mine"):
            assert api.get(API + path).status_code == 401
        assert api.post(f"{API}/tools/{barrow.pk}/loans").status_code == 401
        return
    # The list.
    response = api.get(f"{API}/groups/{group.pk}/tools")
    if who in HIDDEN:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert {t["name"] for t in response.json()} == {"Trillebør", "Hækkeklipper", "Frø"}
    # Borrow: members only (others 403 where they see the group, 404 where they do not).
    response = api.post(f"{API}/tools/{barrow.pk}/loans")
    expected = 201 if who == "member" else 404 if who in HIDDEN else 403
    assert response.status_code == expected, response.json()
    # Take seeds: the same.
    response = api.post(f"{API}/tools/{seeds.pk}/take", {"quantity": 1})
    assert response.status_code == (200 if who == "member" else expected)
    # Someone else's loan: the borrower and who runs the shed find it, others do not.
    other = services.loan_create(actor=members[0], tool=trimmer)
    response = api.post(f"{API}/loans/{other.pk}/handover")
    assert response.status_code == (200 if who in RUNS else 404), response.json()
    response = api.post(f"{API}/loans/{other.pk}/renew")
    assert response.status_code == (403 if who in RUNS else 404)
    response = api.post(f"{API}/loans/{other.pk}/return", {})
    assert response.status_code == (200 if who in RUNS else 404)
    assert Loan.objects.get(pk=other.pk).status == (
        LoanStatus.RETURNED if who in RUNS else LoanStatus.AWAITING_HANDOVER
    )
    # Mine: everyone with a token, only their own.
    mine = api.get(f"{API}/loans/mine").json()
    assert [loan["tool_name"] for loan in mine] == (["Trillebør"] if who == "member" else [])
    assert api.get(f"{API}/holds/mine").json() == []


def test_queue_and_leave_by_api(
    barrow: Tool, member: User, members: list[User], personas: dict[str, User], api_for: ApiFor
) -> None:
    services.loan_create(actor=member, tool=barrow)
    api = api_for(members[0])
    response = api.post(f"{API}/tools/{barrow.pk}/holds")
    assert response.status_code == 201
    hold = response.json()
    assert hold["place"] == 1
    assert api.post(f"{API}/tools/{barrow.pk}/holds").status_code == 409  # twice
    assert api.get(f"{API}/holds/mine").json()[0]["id"] == hold["id"]
    # Another member, the resident and another organisation cannot remove it.
    for user in (members[1], personas["resident"], personas["outsider"]):
        assert api_for(user).post(f"{API}/holds/{hold['id']}/cancel").status_code == 404
    assert api.post(f"{API}/holds/{hold['id']}/cancel").json()["status"] == "cancelled"
    assert not Hold.objects.filter(status="waiting").exists()


def test_api_answers_the_rules(
    barrow: Tool, trimmer: Tool, seeds: Tool, member: User, members: list[User], api_for: ApiFor
) -> None:
    api = api_for(member)
    loan = api.post(f"{API}/tools/{barrow.pk}/loans").json()
    assert loan["status"] == "out"
    assert api_for(members[0]).post(f"{API}/tools/{barrow.pk}/loans").status_code == 409
    Loan.objects.filter(pk=loan["id"]).update(due_on="2000-01-01")
    response = api.post(f"{API}/tools/{trimmer.pk}/loans")
    assert response.status_code == 400
    assert "Trillebør" in response.json()["detail"]
    assert api.post(f"{API}/tools/{seeds.pk}/take", {"quantity": 0}).status_code == 400
    assert api.post(f"{API}/tools/{seeds.pk}/take", {"quantity": 11}).status_code == 409
    assert api.post(f"{API}/tools/999999/loans").status_code == 404
    returned = api.post(f"{API}/loans/{loan['id']}/return", {"condition": "ignored"})
    assert returned.json()["status"] == "returned"
    barrow.refresh_from_db()
    assert barrow.condition == ""  # only who runs the shed notes the condition
