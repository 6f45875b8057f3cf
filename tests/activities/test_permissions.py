"""Who sees, organises and decides an activity (activities/permissions.py), persona by persona."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from lokalsamfund.activities import permissions as rules
from lokalsamfund.activities.models import Activity, ActivitySettings
from lokalsamfund.activities.recurrence import ZONE
from lokalsamfund.core.models import Department, Organisation, Role, User

pytestmark = pytest.mark.django_db


def _activity(org: Organisation, dept: Department, *, visibility: str, status: str) -> Activity:
    activity = Activity.objects.create(
        organisation=org,
        activity_type="faellesspisning",
        title=f"{visibility} {status}",
        starts_at=datetime(2026, 6, 11, 17, 30, tzinfo=ZONE),
        duration_minutes=120,
        visibility=visibility,
        status=status,
    )
    activity.departments.set([dept])
    return activity


def _visible(user: object) -> set[str]:
    return set(
        Activity.objects.filter(rules.visible_q(user)).distinct().values_list("title", flat=True)
    )  # type: ignore[arg-type]


@pytest.fixture
def calendar(org: Organisation, dept_a: Department, dept_b: Department) -> dict[str, Activity]:
    rows = {}
    for visibility in ("departments", "neighbours", "public"):
        rows[visibility] = _activity(org, dept_a, visibility=visibility, status="published")
    rows["proposal"] = _activity(org, dept_a, visibility="public", status="proposed")
    rows["b"] = _activity(org, dept_b, visibility="departments", status="published")
    return rows


def test_anonymous_sees_public_published_only(calendar: dict[str, Activity]) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert _visible(AnonymousUser()) == {"public published"}


def test_resident_sees_own_department_and_open_activities(
    calendar: dict[str, Activity], resident: User
) -> None:
    assert _visible(resident) == {
        "departments published",
        "neighbours published",
        "public published",
    }
    assert not rules.may_manage(resident, calendar["departments"])


def test_neighbour_sees_what_is_open_to_neighbours(
    calendar: dict[str, Activity], neighbour: User
) -> None:
    assert _visible(neighbour) == {"neighbours published", "public published"}


def test_other_organisation_sees_only_public(
    calendar: dict[str, Activity], make_user: Callable[..., User], other_org: Organisation
) -> None:
    outsider = make_user(Role.COORDINATOR, other_org)
    assert _visible(outsider) == {"public published"}
    assert not rules.may_manage(outsider, calendar["public"])
    assert not rules.may_approve(outsider, calendar["proposal"])


def test_coordinator_sees_and_decides_everything_of_the_organisation(
    calendar: dict[str, Activity], coordinator: User
) -> None:
    assert _visible(coordinator) == {a.title for a in calendar.values()}
    assert rules.may_approve(coordinator, calendar["proposal"])


def test_proposal_seen_by_proposer_not_by_neighbours(
    calendar: dict[str, Activity],
    resident: User,
    make_user: Callable[..., User],
    org: Organisation,
    dept_a: Department,
) -> None:
    proposal = calendar["proposal"]
    other_resident = make_user(Role.RESIDENT, org, [dept_a])
    proposal.proposed_by = resident
    proposal.save()
    proposal.organisers.set([resident])
    assert "public proposed" in _visible(resident)
    assert rules.may_manage(resident, proposal)
    assert not rules.may_approve(resident, proposal)
    assert "public proposed" not in _visible(other_resident)


def test_board_decides_only_where_the_organisation_allows(
    calendar: dict[str, Activity], board_member: User, org: Organisation
) -> None:
    proposal = calendar["proposal"]
    assert not rules.may_approve(board_member, proposal)
    assert "public proposed" not in _visible(board_member)
    ActivitySettings.objects.create(organisation=org, board_may_approve=True)
    assert rules.may_approve(board_member, proposal)
    assert "public proposed" in _visible(board_member)
    assert not rules.may_approve(board_member, calendar["b"])  # not the board's department


def test_caretaker_publishes_directly_resident_proposes(
    caretaker: User, resident: User, dept_a: Department, dept_b: Department
) -> None:
    assert rules.may_publish_directly(caretaker, [dept_a])
    assert not rules.may_publish_directly(resident, [dept_a])
    assert rules.may_propose(resident, [dept_a])
    assert not rules.may_propose(resident, [dept_b])
