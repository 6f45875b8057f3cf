"""The public list of common houses (/facilities/ for anonymous visitors): the houses that
neighbours and associations may book, with what they may book and how to register; nothing
private (no bookers, no bookings, no closed or residents-only houses)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from django.test import Client

from lokalsamfund.bookings.models import Booking, Facility, PolicyRule
from lokalsamfund.bookings.services import booking_create, policy_profile_install_default
from lokalsamfund.core.models import Department, Organisation, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def party(facility: Facility, resident: User, at: Callable[..., datetime]) -> Booking:
    return booking_create(
        facility=facility,
        booker=resident,
        start=at(6, 12),
        end=at(6, 18),
        title="Hemmelig fødselsdag",
        use_type="private_event",
        whole_house=True,
    )


@pytest.fixture
def other_house(other_dept: Department) -> Facility:
    return Facility.objects.create(
        organisation=other_dept.organisation,
        department=other_dept,
        slug="andet-hus",
        name="Andet hus",
        address="Andenvej 2",
    )


def test_anonymous_sees_the_open_houses_and_how_to_register(
    client: Client, facility: Facility, other_house: Facility
) -> None:
    facility.address = "Ærtebjergvej 1"
    facility.save()
    page = client.get("/facilities/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("Testhuset", "Ærtebjergvej 1", "Salen", "Mødelokalet", "Andet hus"):
        assert text in html
    assert f"/facilities/{facility.slug}/register/" in html  # how to register
    assert f"/facilities/{facility.slug}/rules/" in html
    # What neighbours and associations may book under the shipped rules (Danish labels).
    assert "fællesskabsaktivitet" in html.lower()
    assert "privat arrangement" not in html.lower()


def test_anonymous_sees_no_booker_and_no_booking(
    client: Client, facility: Facility, party: Booking, resident: User
) -> None:
    html = client.get("/facilities/").content.decode()
    assert "Testhuset" in html
    assert "Hemmelig" not in html
    assert resident.full_name not in html
    assert resident.email not in html
    assert f"/facilities/{facility.slug}/book/" not in html
    assert "/account/" not in html  # the yearly account is for staff


def test_a_closed_house_is_not_listed(client: Client, facility: Facility) -> None:
    Facility.objects.filter(pk=facility.pk).update(is_active=False)
    assert "Testhuset" not in client.get("/facilities/").content.decode()


def test_a_house_only_for_residents_is_not_listed(
    client: Client, org: Organisation, admin_user: User, facility: Facility
) -> None:
    profile = policy_profile_install_default(organisation=org, actor=admin_user)
    PolicyRule.objects.filter(profile=profile, category__in=["neighbour", "association"]).update(
        allowed=False
    )
    profile.touch(profile.pk)
    html = client.get("/facilities/").content.decode()
    assert "Testhuset" not in html
    assert "Endnu er intet fælleshus åbent" in html


def test_logged_in_users_still_see_their_organisations_houses(
    client_for: Callable[[User | None], Client],
    resident: User,
    facility: Facility,
    other_house: Facility,
) -> None:
    html = client_for(resident).get("/facilities/").content.decode()
    assert "Testhuset" in html
    assert "Andet hus" not in html
