"""The per-process cache of memberships: a changed role or department applies to the next
request, however it was changed (save, delete, m2m, bulk writes, cascades)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lokalsamfund.core import permissions
from lokalsamfund.core.models import Department, Membership, Organisation, Role, User
from lokalsamfund.core.permissions import Perm

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    """The user as the next request loads it (session or token)."""
    return User.objects.get(pk=user.pk)


def may(user: User, perm: Perm, target: Any) -> bool:
    return permissions.has_perm(fresh(user), perm, target)


def test_a_second_request_reads_no_memberships(resident: User, dept_a: Department) -> None:
    assert may(resident, Perm.BOOK_FACILITY, dept_a)
    user = fresh(resident)
    with CaptureQueriesContext(connection) as ctx:
        assert permissions.has_perm(user, Perm.BOOK_FACILITY, dept_a)
    assert not ctx.captured_queries


def test_a_new_membership_applies_to_the_next_request(
    resident: User, org: Organisation, dept_a: Department
) -> None:
    assert not may(resident, Perm.APPROVE_BOOKINGS, dept_a)
    Membership.objects.create(user=resident, organisation=org, role=Role.COORDINATOR)
    assert may(resident, Perm.APPROVE_BOOKINGS, dept_a)
    # The object the membership was created with knows too.
    assert permissions.has_perm(resident, Perm.APPROVE_BOOKINGS, dept_a)


def test_a_deleted_membership_applies_to_the_next_request(
    coordinator: User, dept_a: Department
) -> None:
    assert may(coordinator, Perm.APPROVE_BOOKINGS, dept_a)
    Membership.objects.get(user=coordinator).delete()
    assert not may(coordinator, Perm.APPROVE_BOOKINGS, dept_a)


def test_queryset_delete_update_and_bulk_create_apply(
    caretaker: User, org: Organisation, dept_a: Department
) -> None:
    assert may(caretaker, Perm.VIEW_ORGANISATION, dept_a)
    Membership.objects.filter(user=caretaker).update(role=Role.NEIGHBOUR)
    assert not may(caretaker, Perm.VIEW_ORGANISATION, dept_a)
    Membership.objects.filter(user=caretaker).delete()
    assert not may(caretaker, Perm.BOOK_FACILITY, dept_a)
    Membership.objects.bulk_create(
        [Membership(user=caretaker, organisation=org, role=Role.ORG_ADMIN)]
    )
    assert may(caretaker, Perm.VIEW_ORGANISATION, org)
    membership = Membership.objects.get(user=caretaker)
    membership.role = Role.NEIGHBOUR
    Membership.objects.bulk_update([membership], ["role"])
    assert not may(caretaker, Perm.VIEW_ORGANISATION, org)


def test_departments_of_a_membership_apply(
    caretaker: User, dept_a: Department, dept_b: Department
) -> None:
    membership = Membership.objects.get(user=caretaker)
    assert may(caretaker, Perm.BOOK_ON_BEHALF, dept_a)
    assert not may(caretaker, Perm.BOOK_ON_BEHALF, dept_b)
    Membership.objects.get(pk=membership.pk).departments.add(dept_b)
    assert may(caretaker, Perm.BOOK_ON_BEHALF, dept_b)
    Membership.objects.get(pk=membership.pk).departments.remove(dept_b)
    assert not may(caretaker, Perm.BOOK_ON_BEHALF, dept_b)
    # From the department's side, too.
    dept_b.memberships.add(membership)
    assert may(caretaker, Perm.BOOK_ON_BEHALF, dept_b)
    dept_b.memberships.clear()
    assert not may(caretaker, Perm.BOOK_ON_BEHALF, dept_b)
    dept_b.memberships.add(membership)
    dept_b.memberships.remove(membership)
    assert not may(caretaker, Perm.BOOK_ON_BEHALF, dept_b)


def test_a_deleted_department_renews_its_members_access(
    caretaker: User, dept_a: Department
) -> None:
    before = fresh(caretaker).access_revision
    dept_a.delete()
    assert fresh(caretaker).access_revision != before


def test_a_deleted_organisation_takes_its_roles(
    make_organisation: Callable[..., Organisation], make_user: Callable[..., User]
) -> None:
    other = make_organisation(name="Kortvarig", slug="kortvarig")
    user = make_user(Role.ORG_ADMIN, other)
    assert permissions.organisation_ids_for(fresh(user)) == {other.pk}
    other.delete()
    assert permissions.organisation_ids_for(fresh(user)) == set()


def test_api_token_loses_access_with_its_role(
    api_for: Callable[[User | None], Any], resident: User
) -> None:
    api = api_for(resident)
    assert [d["code"] for d in api.get("/api/v1/departments").json()] == ["A1"]
    assert api.get("/api/v1/departments").json()  # the cached memberships, still true
    Membership.objects.filter(user=resident).delete()
    assert api.get("/api/v1/departments").json() == []


def test_saving_a_user_read_before_a_revocation_does_not_bring_it_back(
    coordinator: User, dept_a: Department
) -> None:
    assert may(coordinator, Perm.APPROVE_BOOKINGS, dept_a)
    profile_form_user = fresh(coordinator)  # e.g. a profile edit, read before the revocation
    Membership.objects.get(user=coordinator).delete()
    profile_form_user.full_name = "Nyt Navn"
    profile_form_user.save()
    assert not may(coordinator, Perm.APPROVE_BOOKINGS, dept_a)


def test_a_change_that_rolls_back_is_not_cached(
    resident: User, dept_a: Department, rolled_back: Callable[[Callable[[], object]], None]
) -> None:
    user = fresh(resident)
    permissions.forget_cached_memberships(user)

    def promote() -> None:
        Membership.objects.filter(user=user).update(role=Role.COORDINATOR)
        assert permissions.has_perm(user, Perm.APPROVE_BOOKINGS, dept_a)

    rolled_back(promote)
    assert not may(resident, Perm.APPROVE_BOOKINGS, dept_a)


@pytest.mark.parametrize("link", ["neighbour_housing", "association"])
def test_a_deleted_housing_or_association_renews_its_members_access(
    request: pytest.FixtureRequest, link: str
) -> None:
    person = request.getfixturevalue(
        "neighbour" if link == "neighbour_housing" else "association_contact"
    )
    target = getattr(Membership.objects.get(user=person), link)
    assert target is not None
    before = fresh(person)
    assert permissions.memberships_in(before, target.organisation_id)
    target.delete()
    (membership,) = permissions.memberships_in(fresh(person), target.organisation_id)
    assert getattr(membership, f"{link}_id") is None


def test_a_membership_limited_to_a_deleted_department_goes_with_it(
    caretaker: User, board_member: User, org: Organisation, dept_a: Department, dept_b: Department
) -> None:
    """An empty department list means the whole organisation: a caretaker of department A
    alone must not become a caretaker of every department when A is deleted."""
    Membership.objects.get(user=board_member).departments.add(dept_b)
    dept_a.delete()
    assert not Membership.objects.filter(user=caretaker).exists()
    assert not may(caretaker, Perm.BOOK_ON_BEHALF, dept_b)
    # A membership with other departments keeps them.
    assert list(Membership.objects.get(user=board_member).departments.all()) == [dept_b]
    assert may(board_member, Perm.BOOK_FACILITY, dept_b)


def test_bulk_update_moving_a_membership_renews_both_users(
    resident: User, board_member: User, dept_a: Department
) -> None:
    assert may(resident, Perm.BOOK_FACILITY, dept_a)
    assert may(board_member, Perm.BOOK_FACILITY, dept_a)  # cached for both users
    membership = Membership.objects.get(user=resident)
    Membership.objects.filter(user=board_member).delete()
    membership.user = board_member
    Membership.objects.bulk_update([membership], ["user"])
    assert not may(resident, Perm.BOOK_FACILITY, dept_a)
    assert may(board_member, Perm.BOOK_FACILITY, dept_a)
