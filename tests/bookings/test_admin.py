"""The back office for houses is scoped to the user's organisations."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from lokalsamfund.bookings.models import Facility
from lokalsamfund.core.models import Association, Department, Role, User

pytestmark = pytest.mark.django_db


def test_admin_sees_own_houses_only(
    client_for: Callable[[User | None], Client],
    admin_user: User,
    facility: Facility,
    other_dept: Department,
    make_user: Callable[..., User],
) -> None:
    Facility.objects.create(
        organisation=other_dept.organisation,
        department=other_dept,
        slug="fremmed",
        name="Fremmed hus",
    )
    html = client_for(admin_user).get("/backoffice/bookings/facility/").content.decode()
    assert "Testhuset" in html
    assert "Fremmed hus" not in html
    other_admin = make_user(Role.ORG_ADMIN, other_dept.organisation, is_staff=True)
    response = client_for(other_admin).get(f"/backoffice/bookings/facility/{facility.pk}/change/")
    assert response.status_code in (302, 404)


def test_bookings_are_read_only_in_the_back_office(
    client_for: Callable[[User | None], Client], admin_user: User, facility: Facility
) -> None:
    response = client_for(admin_user).get("/backoffice/bookings/booking/add/")
    assert response.status_code == 403


def test_letting_agreement_party_choices_are_of_own_organisation(
    client_for: Callable[[User | None], Client],
    admin_user: User,
    resident: User,
    facility: Facility,
    other_dept: Department,
    make_user: Callable[..., User],
) -> None:
    stranger = make_user(Role.RESIDENT, other_dept.organisation, [other_dept])
    Association.objects.create(organisation=other_dept.organisation, name="Fremmed forening")
    html = client_for(admin_user).get("/backoffice/bookings/lettingagreement/add/").content
    page = html.decode()
    assert resident.email in page or resident.get_full_name() in page
    assert stranger.email not in page
    assert stranger.get_full_name() not in page
    assert "Fremmed forening" not in page
