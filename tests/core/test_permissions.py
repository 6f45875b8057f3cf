from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import Forbidden
from lokalsamfund.core.models import AuditEntry, Department, Organisation, Role, User
from lokalsamfund.core.permissions import ROLE_PERMISSIONS, Perm

pytestmark = pytest.mark.django_db


def test_limited_membership_grants_only_its_departments(
    board_member: User, dept_a: Department, dept_b: Department, org: Organisation
) -> None:
    assert permissions.has_perm(board_member, Perm.VIEW_SURVEY_RESULTS, dept_a)
    assert not permissions.has_perm(board_member, Perm.VIEW_SURVEY_RESULTS, dept_b)
    # An organisation-wide check needs an unlimited membership.
    assert not permissions.has_perm(board_member, Perm.VIEW_SURVEY_RESULTS, org)


def test_unlimited_staff_membership_covers_every_department(
    coordinator: User, dept_a: Department, dept_b: Department, org: Organisation
) -> None:
    for target in (org, dept_a, dept_b):
        assert permissions.has_perm(coordinator, Perm.MANAGE_SURVEYS, target)


def test_other_organisation_is_never_visible(
    outsider: User, org: Organisation, dept_a: Department, other_dept: Department
) -> None:
    for perm in Perm:
        assert not permissions.has_perm(outsider, perm, org)
        assert not permissions.has_perm(outsider, perm, dept_a)
    assert list(permissions.departments_for(outsider, Perm.VIEW_ORGANISATION)) == [other_dept]


def test_role_table_holds_what_privacy_rules_require() -> None:
    # privacy.md: free text only for coordinators; referrals handled by social workers only.
    holders_of_free_text = {
        role for role, perms in ROLE_PERMISSIONS.items() if Perm.VIEW_FREE_TEXT in perms
    }
    assert holders_of_free_text == {"coordinator"}
    handlers = {r for r, perms in ROLE_PERMISSIONS.items() if Perm.HANDLE_REFERRALS in perms}
    assert handlers == {"social_worker"}
    referrers = {r for r, perms in ROLE_PERMISSIONS.items() if Perm.CREATE_REFERRAL in perms}
    assert referrers == {"caretaker"}
    rights = {r for r, perms in ROLE_PERMISSIONS.items() if Perm.REFERRAL_RIGHTS in perms}
    assert rights == {"data_protection"}


def test_departments_for_respects_limits(
    caretaker: User, board_member: User, dept_a: Department, dept_b: Department
) -> None:
    assert list(permissions.departments_for(caretaker, Perm.CREATE_REFERRAL)) == [dept_a]
    assert list(permissions.departments_for(board_member, Perm.CREATE_REFERRAL)) == []


def test_inactive_and_anonymous_users_have_nothing(coordinator: User, org: Organisation) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.has_perm(AnonymousUser(), Perm.VIEW_ORGANISATION, org)
    coordinator.is_active = False
    assert not permissions.has_perm(coordinator, Perm.VIEW_ORGANISATION, org)


def test_objects_belonging_to_a_department_are_checked_by_it(
    board_member: User, dept_a: Department, dept_b: Department
) -> None:
    class Thing:
        def __init__(self, department: Department) -> None:
            self.department = department

    assert permissions.has_perm(board_member, Perm.VIEW_PLANS, Thing(dept_a))
    assert not permissions.has_perm(board_member, Perm.VIEW_PLANS, Thing(dept_b))


def test_permissions_page_names_every_permission() -> None:
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "permissions.md").read_text()
    for perm in Perm:
        assert f"`{perm.value}`" in page, perm.value


# --- one require: SYSTEM may do everything, None nothing, users what has_perm grants -------------


@pytest.mark.parametrize("perm", list(Perm))
def test_require_means_the_same_for_every_permission(
    perm: Perm, org: Organisation, dept_a: Department, personas: dict[str, User]
) -> None:
    for target in (org, dept_a):
        permissions.require(permissions.SYSTEM, perm, target)
        with pytest.raises(Forbidden) as refused:
            permissions.require(None, perm, target)
        assert refused.value.status_code == 403
        assert isinstance(refused.value, PermissionDenied)  # views without a catch: 403
        for user in personas.values():
            if permissions.has_perm(user, perm, target):
                permissions.require(user, perm, target)
            else:
                with pytest.raises(Forbidden):
                    permissions.require(user, perm, target)


def test_a_missing_actor_is_forbidden_in_every_domain(
    org: Organisation, dept_a: Department
) -> None:
    """Surveys let a missing actor through and the decision tool refused it: now both refuse,
    and nothing is written."""
    from lokalsamfund.decisions import services as decisions
    from lokalsamfund.surveys import services as surveys

    with pytest.raises(Forbidden):
        surveys.round_create(
            actor=None,  # type: ignore[arg-type]
            organisation=org,
            slug="uden-aktoer",
            title="",
            departments=[dept_a],
        )
    with pytest.raises(Forbidden):
        decisions.parameter_reset(actor=None, organisation=org, key="x")  # type: ignore[arg-type]
    assert not AuditEntry.objects.exists()
    created = surveys.round_create(
        actor=permissions.SYSTEM, organisation=org, slug="system", title="", departments=[dept_a]
    )
    entry = AuditEntry.objects.get(action="survey.round_created")
    assert (entry.actor, entry.actor_label, entry.object_id) == (None, "system", str(created.pk))


def test_users_with_agrees_with_has_perm(
    org: Organisation,
    dept_a: Department,
    dept_b: Department,
    other_dept: Department,
    personas: dict[str, User],
    make_user: Any,
) -> None:
    personas["gone"] = make_user(Role.COORDINATOR, org, is_active=False)
    personas["b_only"] = make_user(Role.COORDINATOR, org, [dept_b])
    for perm in Perm:
        for target in (org, dept_a, dept_b, other_dept):
            expected = {u.pk for u in personas.values() if permissions.has_perm(u, perm, target)}
            found = set(permissions.users_with(perm, target).values_list("pk", flat=True))
            assert found == expected, (perm, target)


def test_staff_roles_come_from_the_permission_module() -> None:
    from lokalsamfund.core import selectors

    assert selectors.STAFF_ROLES is permissions.STAFF_ROLES
