"""/api/v1/network/groups and /network/development-days, tried by every persona."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lokalsamfund.core.models import User
from lokalsamfund.network import groups
from lokalsamfund.network.group_models import GroupDocument, NetworkEvent, ProjectGroup

from .groups_fixtures import architect, day, document, group, meeting

__all__ = ["architect", "day", "document", "group", "meeting"]

pytestmark = pytest.mark.django_db

TAKE_PART = {"admin", "coordinator", "outsider", "architect"}
MEMBERS = {"coordinator", "architect"}


@pytest.fixture
def everyone(personas: dict[str, User], architect: User) -> dict[str, User]:
    return {**personas, "architect": architect}


def test_groups_list_and_mine_for_every_persona(
    everyone: dict[str, User], group: ProjectGroup, api_for: Callable[..., Any]
) -> None:
    for name, user in everyone.items():
        api = api_for(user)
        every = api.get("/api/v1/network/groups")
        mine = api.get("/api/v1/network/groups?mine=true")
        if name not in TAKE_PART:
            assert every.status_code == 403, name
            assert mine.status_code == 403, name
            continue
        assert every.status_code == 200, name
        assert [g["title"] for g in every.json()] == [group.title]
        assert every.json()[0]["members"] is None  # the list is a summary
        assert [g["id"] for g in mine.json()] == ([group.pk] if name in MEMBERS else []), name
    assert api_for(None).get("/api/v1/network/groups").status_code == 401


def test_group_detail_shows_members_meetings_and_documents_to_members_only(
    everyone: dict[str, User],
    group: ProjectGroup,
    meeting: NetworkEvent,
    document: GroupDocument,
    api_for: Callable[..., Any],
) -> None:
    for name, user in everyone.items():
        response = api_for(user).get(f"/api/v1/network/groups/{group.pk}")
        if name not in TAKE_PART:
            assert response.status_code == 403, name
            continue
        body = response.json()
        assert body["member_count"] == 2
        if name in MEMBERS:
            assert {m["name"] for m in body["members"]} >= {"Asta Arkitekt"}
            assert body["meetings"][0]["title"] == "Gruppemøde"
            assert body["meetings"][0]["occurrences"]
            assert body["documents"][0]["title"] == "Kommissorium"
        else:
            assert body["members"] is None, name
            assert body["meetings"] is None, name
            assert body["documents"] is None, name
    assert api_for(everyone["outsider"]).get("/api/v1/network/groups/9999").status_code == 404


def test_join_and_leave_by_the_api(
    everyone: dict[str, User], group: ProjectGroup, api_for: Callable[..., Any]
) -> None:
    for name, user in everyone.items():
        api = api_for(user)
        joined = api.post(f"/api/v1/network/groups/{group.pk}/join", {"affiliation": "Et sted"})
        if name not in TAKE_PART:
            assert joined.status_code == 403, name
            assert not groups.is_member(user, group)
            continue
        if name in MEMBERS:
            assert joined.status_code == 409, name
            continue
        assert joined.status_code == 200, name
        assert joined.json()["member"] is True
        assert joined.json()["members"] is not None
        left = api.post(f"/api/v1/network/groups/{group.pk}/leave")
        assert left.status_code == 200, name
        assert left.json()["member"] is False
    # The only contact cannot leave.
    assert (
        api_for(everyone["coordinator"])
        .post(f"/api/v1/network/groups/{group.pk}/leave")
        .status_code
        == 409
    )


def test_development_days_for_every_persona(
    everyone: dict[str, User], day: NetworkEvent, api_for: Callable[..., Any]
) -> None:
    for name, user in everyone.items():
        api = api_for(user)
        listed = api.get("/api/v1/network/development-days")
        one = api.get(f"/api/v1/network/development-days/{day.pk}")
        if name not in TAKE_PART:
            assert listed.status_code == 403, name
            assert one.status_code == 403, name
            continue
        assert [d["id"] for d in listed.json()] == [day.pk]
        assert one.json()["programme"][0]["title"] == "Velkomst og oplæg"
        assert one.json()["programme"][0]["room"] == "Salen"
        occurrence_id = one.json()["occurrences"][0]["occurrence_id"]
        signed = api.post(f"/api/v1/activities/occurrences/{occurrence_id}/signups", {"places": 1})
        assert signed.status_code == 201, (name, signed.content)
