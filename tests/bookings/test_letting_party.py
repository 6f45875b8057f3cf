"""Letting agreements (issue 9 point 10): only the agreement's own party may use it (service
check and form choices), and the approver sees which agreement a request uses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.test import Client

from lokalsamfund.bookings.models import Booking, Facility, LettingAgreement
from lokalsamfund.bookings.services import booking_create
from lokalsamfund.core.errors import Forbidden
from lokalsamfund.core.models import Association, User

pytestmark = pytest.mark.django_db

At = Callable[..., datetime]
ClientFor = Callable[[User | None], Client]


@pytest.fixture
def agreements(
    facility: Facility, association: Association, neighbour: User
) -> dict[str, LettingAgreement]:
    return {
        "association": LettingAgreement.objects.create(
            facility=facility, counterparty="Foreningens kursus", association=association
        ),
        "neighbour": LettingAgreement.objects.create(
            facility=facility, counterparty="Naboens værksted", person=neighbour
        ),
        "nobody": LettingAgreement.objects.create(facility=facility, counterparty="Ingen part"),
    }


def _letting(
    booker: User, facility: Facility, at: At, agreement: LettingAgreement, **kw: Any
) -> Booking:
    return booking_create(
        facility=facility,
        booker=booker,
        use_type="external_letting",
        agreement=agreement,
        start=at(20, 10),
        end=at(20, 14),
        title="Udlejning",
        whole_house=True,
        **kw,
    )


def test_a_neighbour_cannot_use_an_associations_agreement(
    facility: Facility,
    neighbour: User,
    at: At,
    verified: None,
    agreements: dict[str, LettingAgreement],
) -> None:
    with pytest.raises(Forbidden) as caught:
        _letting(neighbour, facility, at, agreements["association"])
    assert "Foreningens kursus" in caught.value.message
    with pytest.raises(Forbidden):
        _letting(neighbour, facility, at, agreements["nobody"])
    assert not Booking.objects.exists()
    assert (
        _letting(neighbour, facility, at, agreements["neighbour"]).agreement
        == agreements["neighbour"]
    )


def test_an_association_cannot_use_a_neighbours_agreement(
    facility: Facility,
    association_contact: User,
    at: At,
    verified: None,
    agreements: dict[str, LettingAgreement],
) -> None:
    with pytest.raises(Forbidden):
        _letting(association_contact, facility, at, agreements["neighbour"])
    assert not Booking.objects.exists()
    _letting(association_contact, facility, at, agreements["association"])


def test_staff_on_behalf_use_the_partys_agreement_only(
    facility: Facility,
    coordinator: User,
    neighbour: User,
    at: At,
    agreements: dict[str, LettingAgreement],
) -> None:
    with pytest.raises(Forbidden):
        _letting(coordinator, facility, at, agreements["association"], on_behalf_of=neighbour)
    booking = _letting(coordinator, facility, at, agreements["neighbour"], on_behalf_of=neighbour)
    assert booking.booker == neighbour


def _choices(html: str, agreements: dict[str, LettingAgreement]) -> set[str]:
    return {k for k, a in agreements.items() if a.counterparty in html}


def test_the_form_offers_only_the_bookers_own_agreements(
    client_for: ClientFor,
    facility: Facility,
    neighbour: User,
    association_contact: User,
    resident: User,
    coordinator: User,
    verified: None,
    agreements: dict[str, LettingAgreement],
) -> None:
    url = f"/facilities/{facility.slug}/book/"
    assert _choices(client_for(neighbour).get(url).content.decode(), agreements) == {"neighbour"}
    html = client_for(association_contact).get(url).content.decode()
    assert _choices(html, agreements) == {"association"}
    assert _choices(client_for(resident).get(url).content.decode(), agreements) == set()
    html = client_for(coordinator).get(url).content.decode()
    assert _choices(html, agreements) == {"association", "neighbour"}


def test_posting_another_partys_agreement_is_refused_and_saves_nothing(
    client_for: ClientFor,
    facility: Facility,
    neighbour: User,
    at: At,
    verified: None,
    agreements: dict[str, LettingAgreement],
) -> None:
    start = at(20, 10)
    response = client_for(neighbour).post(
        f"/facilities/{facility.slug}/book/",
        {
            "category": "neighbour",
            "use_type": "external_letting",
            "title": "Kursus",
            "whole_house": "on",
            "agreement": str(agreements["association"].pk),
            "date": start.date().isoformat(),
            "start_time": "10:00",
            "end_time": "14:00",
        },
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Booking.objects.exists()


def test_the_approver_sees_which_agreement_a_request_uses(
    client_for: ClientFor,
    facility: Facility,
    association_contact: User,
    coordinator: User,
    at: At,
    verified: None,
    agreements: dict[str, LettingAgreement],
) -> None:
    booking = _letting(association_contact, facility, at, agreements["association"])
    html = client_for(coordinator).get("/bookings/requests/").content.decode()
    assert "Foreningens kursus" in html
    detail = client_for(coordinator).get(f"/bookings/{booking.pk}/").content.decode()
    assert "Foreningens kursus" in detail
