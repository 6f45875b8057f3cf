"""A resident or board-member membership must name departments: saved without them it used
to cover the whole organisation silently."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from lokalsamfund.core import permissions
from lokalsamfund.core.models import Department, Membership, Organisation, Role, User
from lokalsamfund.core.permissions import Perm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.BOARD_MEMBER])
def test_a_department_role_without_departments_covers_nothing(
    make_user: Callable[..., User], org: Organisation, dept_a: Department, role: str
) -> None:
    user = make_user(role, org)  # written without departments, as a bulk import could
    assert not permissions.has_perm(user, Perm.VIEW_ORGANISATION, org)
    assert not permissions.has_perm(user, Perm.BOOK_FACILITY, dept_a)
    assert not permissions.departments_for(user, Perm.BOOK_FACILITY).exists()


def test_staff_without_departments_still_cover_the_organisation(
    caretaker: User, make_user: Callable[..., User], org: Organisation, dept_b: Department
) -> None:
    whole = make_user(Role.CARETAKER, org)
    assert permissions.has_perm(whole, Perm.BOOK_ON_BEHALF, dept_b)


def test_the_model_check_names_the_field(org: Organisation, dept_a: Department) -> None:
    with pytest.raises(ValidationError) as caught:
        Membership.check_departments(Role.RESIDENT, [])
    assert "departments" in caught.value.message_dict
    Membership.check_departments(Role.RESIDENT, [dept_a])
    Membership.check_departments(Role.CARETAKER, [])


def test_back_office_form_requires_departments_for_residents(
    client_for: Callable[[User | None], Client],
    admin_user: User,
    org: Organisation,
    coordinator: User,
    dept_a: Department,
) -> None:
    client = client_for(admin_user)
    data = {"user": coordinator.pk, "organisation": org.pk, "role": Role.RESIDENT, "home": ""}
    response = client.post("/backoffice/core/membership/add/", data)
    assert response.status_code == 200
    assert not Membership.objects.filter(user=coordinator, role=Role.RESIDENT).exists()
    response = client.post("/backoffice/core/membership/add/", {**data, "departments": [dept_a.pk]})
    assert response.status_code == 302
    membership = Membership.objects.get(user=coordinator, role=Role.RESIDENT)
    assert list(membership.departments.all()) == [dept_a]
