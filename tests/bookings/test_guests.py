"""Neighbours and associations register real accounts and confirm their e-mail address."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

import pytest
from django.core import mail
from django.test import Client

from lokalsamfund.bookings.models import Booking, Facility
from lokalsamfund.core.models import Association, Membership, NeighbourHousing, Organisation, User

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Fælleshus-2026-solsikke"


def register(client: Client, facility: Facility, **data: str) -> object:
    return client.post(f"/facilities/{facility.slug}/register/", data)


def test_neighbour_registers_confirms_and_books(
    client: Client,
    facility: Facility,
    neighbour_housing: NeighbourHousing,
    at: Callable[..., datetime],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    assert client.get(f"/facilities/{facility.slug}/register/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = register(
            client,
            facility,
            kind="neighbour",
            full_name="Naja Nabo",
            email="Naja@Example.org",
            password=GOOD_PASSWORD,
            neighbour_housing=str(neighbour_housing.pk),
        )
    assert response.status_code == 302  # type: ignore[attr-defined]
    user = User.objects.get(email="naja@example.org")
    assert not user.email_verified
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.neighbour_housing) == ("neighbour", neighbour_housing)
    # Not logged in by registering (the answer is the same for an address that has an
    # account); logged in, booking waits for the confirmation.
    assert "_auth_user_id" not in client.session
    client.force_login(user)
    payload = {
        "category": "neighbour",
        "use_type": "community_activity",
        "title": "Reparationscafé",
        "whole_house": "on",
        "date": at(6, 13).date().isoformat(),
        "start_time": "13:00",
        "end_time": "16:00",
    }
    refused = client.post(f"/facilities/{facility.slug}/book/", payload)
    assert refused.status_code == 403
    assert not Booking.objects.exists()
    (message,) = mail.outbox
    assert message.to == ["naja@example.org"]
    link = re.search(r"https?://\S+/bookings/verify/\S+/", message.body)
    assert link is not None
    path = link.group(0).split("testserver", 1)[1]
    assert Client().get(path).status_code == 200
    user.refresh_from_db()
    assert user.email_verified
    assert client.post(f"/facilities/{facility.slug}/book/", payload).status_code == 302
    assert Booking.objects.get().status == "pending"


def test_association_joining_an_existing_association_by_cvr_waits_for_confirmation(
    client: Client, facility: Facility, association: Association
) -> None:
    response = register(
        client,
        facility,
        kind="association",
        full_name="Frida Forening",
        email="frida@example.org",
        password=GOOD_PASSWORD,
        association_name="Foreningen (ny kontakt)",
        association_cvr=association.cvr,
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    # No membership until a contact of the association or the organisation confirms
    # (tests/bookings/test_association_joins.py).
    assert not Membership.objects.filter(user__email="frida@example.org").exists()
    assert Association.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"password": "123"}, "adgangskode"),
        ({"neighbour_housing": ""}, "bolig"),
        ({"kind": "association", "association_name": ""}, "navn"),
        ({"kind": "association", "association_name": "X", "association_cvr": "12"}, "8"),
    ],
)
def test_registration_errors_change_nothing(
    client: Client,
    facility: Facility,
    neighbour_housing: NeighbourHousing,
    make_user: Callable[..., User],
    data: dict[str, str],
    message: str,
) -> None:
    make_user(email="taken@example.org")
    users_before = User.objects.count()
    base = {
        "kind": "neighbour",
        "full_name": "Naja Nabo",
        "email": "naja@example.org",
        "password": GOOD_PASSWORD,
        "neighbour_housing": str(neighbour_housing.pk),
    }
    response = register(client, facility, **{**base, **data})
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert message in response.content.decode().lower() or message in response.content.decode()  # type: ignore[attr-defined]
    assert User.objects.count() == users_before


def test_neighbour_housing_of_another_organisation_is_refused(
    client: Client, facility: Facility, other_org: Organisation, other_dept: object
) -> None:
    foreign = NeighbourHousing.objects.create(
        organisation=other_org, department=other_dept, name="Fremmed", ownership_form="ejer"
    )
    response = register(
        client,
        facility,
        kind="neighbour",
        full_name="X",
        email="x@example.org",
        password=GOOD_PASSWORD,
        neighbour_housing=str(foreign.pk),
    )
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert not User.objects.filter(email="x@example.org").exists()


def test_bad_or_tampered_verification_link(client: Client) -> None:
    response = client.get("/bookings/verify/not-a-token/")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
