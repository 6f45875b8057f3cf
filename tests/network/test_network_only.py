"""A network-only member (from outside the sector) sees no organisation's data: not of the
organisation that invited them, not of any other. Every other domain's pages and API
endpoints answer them exactly as they answer someone with no role at all, and show nothing of
the organisation; the permission module gives them nothing of it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lokalsamfund.activities import permissions as activity_rules
from lokalsamfund.core import permissions
from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import Perm
from lokalsamfund.network.group_models import NetworkEvent
from tests.activities.factories_signups import make_activity, make_occurrence
from tests.bookings.conftest import facility
from tests.surveys.conftest import make_round

from .groups_fixtures import architect, day, group, meeting

__all__ = ["architect", "day", "facility", "group", "make_round", "meeting"]

pytestmark = pytest.mark.django_db

NETWORK_PERMS = {Perm.NETWORK_TAKE_PART}

PAGES = [
    "/",
    "/aktiviteter/",
    "/aktiviteter/{activity}/",
    "/aktiviteter/tid/{occurrence}/tilmelding/",
    "/aktiviteter/deltagelse/",
    "/aktiviteter/mine/",
    "/aktiviteter/forslag/",
    "/aktiviteter/ny/",
    "/aktiviteter/tilmeldinger/",
    "/undersoegelser/",
    "/undersoegelser/{round}/",
    "/beboere/",
    "/beboere/{org}/",
    "/beslutninger/",
    "/beslutninger/katalog/",
    "/beslutninger/vaerdibank/",
    "/bookings/",
    "/bookings/requests/",
    "/facilities/",
    "/facilities/{facility}/",
    "/facilities/{facility}/month/",
    "/facilities/{facility}/account/",
    "/groenne/",
    "/henvendelser/",
    "/henvendelser/statistik/",
    "/henvendelser/rettigheder/",
    "/netvaerk/",
    "/netvaerk/deling/",
    "/netvaerk/afdeling/{org}/A1/",
    "/backoffice/",
    "/backoffice/core/membership/",
    "/backoffice/core/department/",
]
API = [
    "/api/v1/me",
    "/api/v1/departments",
    "/api/v1/facilities",
    "/api/v1/facilities/{facility}/availability",
    "/api/v1/bookings",
    "/api/v1/bookings/pending",
    "/api/v1/plans",
    "/api/v1/survey-rounds",
    "/api/v1/survey-rounds/{round}/results",
    "/api/v1/activities",
    "/api/v1/activities/{activity}",
    "/api/v1/activities/occurrences",
    "/api/v1/activities/participation",
    "/api/v1/activity-signups/mine",
    "/api/v1/referrals",
    "/api/v1/network/benchmark?department=A1",
]


@pytest.fixture
def org_data(
    org: Organisation,
    dept_a: Department,
    facility: Any,
    make_round: Callable[..., Any],
    resident: User,
) -> dict[str, Any]:
    """Things of ``org`` that a resident of A1 sees (an activity of A1, its house, a round)."""
    activity = make_activity([dept_a], title="Beboernes hemmelige fællesspisning")
    occurrence = make_occurrence(activity)
    survey_round = make_round(org, [dept_a])
    return {
        "org": org.slug,
        "activity": activity.pk,
        "occurrence": occurrence.pk,
        "round": survey_round.slug,
        "facility": facility.slug,
    }


def test_permission_module_gives_a_network_only_member_nothing_of_any_organisation(
    architect: User, org: Organisation, dept_a: Department, other_org: Organisation
) -> None:
    assert permissions.organisations_for(architect).count() == 0
    assert permissions.organisation_ids_for(architect) == set()
    assert permissions.memberships_in(architect, org.pk) == []
    assert permissions.roles_in(architect, org) == set()
    for perm in Perm:
        if perm in NETWORK_PERMS:
            continue
        for target in (org, dept_a, other_org):
            assert not permissions.has_perm(architect, perm, target), (perm, target)
        assert not permissions.has_any(architect, perm), perm
        assert not permissions.departments_for(architect, perm).exists(), perm
        assert architect not in permissions.users_with(perm, org)
    assert permissions.has_any(architect, Perm.NETWORK_TAKE_PART)


def _get(client: Any, path: str) -> tuple[int, str]:
    response = client.get(path)
    return response.status_code, response.content.decode(errors="replace")


def test_every_other_domain_answers_a_network_only_member_as_someone_without_a_role(
    architect: User,
    no_role_user: User,
    resident: User,
    org: Organisation,
    dept_a: Department,
    org_data: dict[str, Any],
    client_for: Callable[..., Any],
    api_for: Callable[..., Any],
) -> None:
    secrets = [org.name, dept_a.name, "Beboernes hemmelige fællesspisning", "Testhuset"]
    # The resident does see the organisation's things (the check can fail).
    _status, seen = _get(client_for(resident), "/aktiviteter/")
    assert "Beboernes hemmelige fællesspisning" in seen
    checked = 0
    for clients, paths in (
        ((client_for(architect), client_for(no_role_user)), PAGES),
        ((api_for(architect), api_for(no_role_user)), API),
    ):
        for template in paths:
            path = template.format(**org_data)
            mine, text = _get(clients[0], path)
            theirs, public = _get(clients[1], path)
            if path in ("/", "/api/v1/me"):
                assert mine == 200
            else:
                assert mine == theirs, (path, mine, theirs)
            if path == "/api/v1/me":
                continue  # the caller's own memberships
            for secret in secrets:
                if path == "/":
                    continue  # the start page names the inviting organisation (checked below)
                # Nothing that someone without a role does not see too (the public houses).
                assert secret not in text or secret in public, (path, secret)
            checked += 1
    assert checked == len(PAGES) + len(API) - 1
    start = client_for(architect).get("/").content.decode()
    assert dept_a.name not in start
    assert "Beboernes hemmelige fællesspisning" not in start


def test_a_meeting_is_seen_and_joined_by_the_groups_members_not_by_the_hosting_residents(
    meeting: NetworkEvent,
    architect: User,
    resident: User,
    outsider: User,
    coordinator: User,
    client_for: Callable[..., Any],
) -> None:
    activity = meeting.activity
    assert activity_rules.may_view(architect, activity)
    assert activity_rules.may_view(coordinator, activity)  # organiser and approver
    assert not activity_rules.may_view(resident, activity)  # a resident of the hosting department
    assert not activity_rules.may_view(outsider, activity)  # takes part, not a member
    assert "Gruppemøde" not in client_for(resident).get("/aktiviteter/").content.decode()
    assert "Gruppemøde" in client_for(architect).get("/aktiviteter/").content.decode()


def test_a_development_day_is_seen_by_everyone_in_the_network_only(
    day: NetworkEvent, architect: User, outsider: User, resident: User, caretaker: User
) -> None:
    assert activity_rules.may_view(architect, day.activity)
    assert activity_rules.may_view(outsider, day.activity)
    assert not activity_rules.may_view(resident, day.activity)
    from django.contrib.auth.models import AnonymousUser

    assert not activity_rules.may_view(AnonymousUser(), day.activity)
