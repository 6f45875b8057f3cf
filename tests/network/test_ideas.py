"""The idea bank: who reads, who posts, search by activity type, kind of housing and text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lokalsamfund.core.audit import AuditEntry
from lokalsamfund.core.errors import DomainError, Forbidden
from lokalsamfund.core.models import Organisation, User
from lokalsamfund.network import ideas
from lokalsamfund.network.models import Idea

MAY = {"admin", "coordinator", "outsider"}  # the outsider is a coordinator elsewhere: it reads
ALL = [
    "admin",
    "coordinator",
    "caretaker",
    "board_member",
    "resident",
    "neighbour",
    "association",
    "outsider",
    "no_role",
]


@pytest.fixture
def idea(org: Organisation, coordinator: User) -> Idea:
    return ideas.idea_create(
        actor=coordinator,
        organisation=org,
        title="Fællesspisning for ældre",
        problem="Ældre beboere sidder alene.",
        tried="Fællesspisning hver torsdag.",
        activity_type="faellesspisning",
        department_kind="senior",
        cost_dkk=12000,
        reach="25 beboere",
        contact="koordinator@example.org",
    )


def test_create_is_audited_and_searchable(idea: Idea, coordinator: User) -> None:
    assert AuditEntry.objects.filter(action="network.idea_created").count() == 1
    assert list(ideas.ideas_for(coordinator, activity_type="faellesspisning")) == [idea]
    assert list(ideas.ideas_for(coordinator, department_kind="family")) == []
    assert list(ideas.ideas_for(coordinator, text="torsdag")) == [idea]
    assert list(ideas.ideas_for(coordinator, text="cykel")) == []


@pytest.mark.parametrize("persona", ["board_member", "caretaker", "resident", "no_role"])
def test_others_cannot_post_or_read(
    org: Organisation, personas: dict[str, User], persona: str
) -> None:
    with pytest.raises(Forbidden):
        ideas.idea_create(
            actor=personas[persona],
            organisation=org,
            title="x",
            problem="x",
            tried="x",
            contact="x",
        )
    with pytest.raises(Forbidden):
        ideas.ideas_for(personas[persona])


def test_outsider_cannot_post_for_another_organisation(org: Organisation, outsider: User) -> None:
    with pytest.raises(Forbidden):
        ideas.idea_create(
            actor=outsider, organisation=org, title="x", problem="x", tried="x", contact="x"
        )


def test_required_fields(org: Organisation, coordinator: User) -> None:
    with pytest.raises(DomainError):
        ideas.idea_create(
            actor=coordinator, organisation=org, title="x", problem="", tried="x", contact="x"
        )
    assert not Idea.objects.exists()


@pytest.mark.parametrize("persona", ALL)
def test_pages_and_api_by_persona(
    idea: Idea,
    personas: dict[str, User],
    client_for: Callable[[User | None], Any],
    api_for: Callable[[User | None], Any],
    persona: str,
) -> None:
    client = client_for(personas[persona])
    expected = 200 if persona in MAY else 403
    listing = client.get("/netvaerk/ideer/?type=faellesspisning&kind=senior")
    assert listing.status_code == expected
    if expected == 200:
        assert idea.title in listing.content.decode()
    assert client.get(f"/netvaerk/ideer/{idea.pk}/").status_code == expected
    assert client.get("/netvaerk/ideer/ny/").status_code == expected
    response = api_for(personas[persona]).get("/api/v1/network/ideas?activity_type=faellesspisning")
    assert response.status_code == expected
    if expected == 200:
        assert [i["title"] for i in response.json()] == [idea.title]


def test_anonymous(
    idea: Idea, client_for: Callable[[User | None], Any], api_for: Callable[[User | None], Any]
) -> None:
    for url in ("/netvaerk/ideer/", f"/netvaerk/ideer/{idea.pk}/", "/netvaerk/ideer/ny/"):
        assert client_for(None).get(url).status_code == 302
    assert api_for(None).get("/api/v1/network/ideas").status_code == 401


def test_post_on_the_page(
    coordinator: User, org: Organisation, client_for: Callable[[User | None], Any]
) -> None:
    response = client_for(coordinator).post(
        "/netvaerk/ideer/ny/",
        {
            "title": "Cykelværksted",
            "problem": "Unge keder sig.",
            "tried": "Et værksted.",
            "contact": "k@example.org",
            "activity_type": "",
            "department_kind": "youth",
        },
    )
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert (idea.organisation, idea.created_by, idea.department_kind) == (org, coordinator, "youth")
