"""A weekly series is one request: the approver sees every date with its state and approves
all, or some and declines the rest with a reason; approvers get an e-mail for new requests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from lokalsamfund.bookings.choices import BookingStatus
from lokalsamfund.bookings.models import Booking, BookingSeries, Facility
from lokalsamfund.bookings.services import (
    booking_create,
    booking_series_create,
    booking_series_decide,
)
from lokalsamfund.core.errors import DomainError, Forbidden
from lokalsamfund.core.models import User

pytestmark = pytest.mark.django_db

At = Callable[..., datetime]
ClientFor = Callable[[User | None], Client]


@pytest.fixture
def series(
    facility: Facility, association_contact: User, coordinator: User, at: At, verified: None
) -> BookingSeries:
    # Week 3 is taken before the request: the series skips it.
    booking_create(
        facility=facility,
        booker=coordinator,
        start=at(15, 18),
        end=at(15, 21),
        title="Bestyrelsesmøde",
        use_type="community_activity",
        whole_house=True,
    )
    result = booking_series_create(
        facility=facility,
        booker=association_contact,
        start=at(1, 19),
        end=at(1, 21),
        until=(at(1, 0) + timedelta(weeks=3)).date(),
        title="Haveklub",
        use_type="community_activity",
        rooms=[facility.rooms.get(name="Salen")],
        skip_conflicts=True,
    )
    return result.series


def test_the_series_page_shows_each_date_and_its_state(
    client_for: ClientFor, coordinator: User, series: BookingSeries
) -> None:
    html = client_for(coordinator).get(f"/bookings/series/{series.pk}/").content.decode()
    assert html.count('name="approve"') == 3
    assert "optaget af en anden booking" in html
    listing = client_for(coordinator).get("/bookings/requests/").content.decode()
    assert f"/bookings/series/{series.pk}/" in listing
    assert "3 datoer venter" in listing


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("admin", 200),
        ("caretaker", 404),
        ("board_member", 404),
        ("resident", 404),
        ("association", 404),
        ("outsider", 404),
        ("no_role", 404),
    ],
)
def test_series_page_access(
    client_for: ClientFor,
    personas: dict[str, User],
    series: BookingSeries,
    persona: str,
    status: int,
) -> None:
    client = client_for(personas[persona])
    assert client.get(f"/bookings/series/{series.pk}/").status_code == status
    ids = list(Booking.objects.filter(series=series).values_list("pk", flat=True))
    response = client.post(f"/bookings/series/{series.pk}/", {"approve": [str(i) for i in ids]})
    assert response.status_code == (302 if status == 200 else 404)
    expected = BookingStatus.CONFIRMED if status == 200 else BookingStatus.PENDING
    assert set(Booking.objects.filter(series=series).values_list("status", flat=True)) == {expected}


def test_anonymous_is_sent_to_login(client: Client, series: BookingSeries) -> None:
    assert client.get(f"/bookings/series/{series.pk}/").status_code == 302


def test_approve_some_and_decline_the_rest_with_a_reason(
    client_for: ClientFor,
    coordinator: User,
    association_contact: User,
    series: BookingSeries,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    dates = list(Booking.objects.filter(series=series).order_by("starts_at"))
    client = client_for(coordinator)
    url = f"/bookings/series/{series.pk}/"
    # Declining without a reason: a clear message, nothing changes.
    response = client.post(url, {"approve": [str(dates[0].pk)]})
    assert response.status_code == 400
    assert "begrundelse" in response.content.decode()
    assert {b.status for b in Booking.objects.filter(series=series)} == {BookingStatus.PENDING}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"approve": [str(dates[0].pk)], "reason": "Salen males"})
    assert response.status_code == 302
    statuses = dict(Booking.objects.filter(series=series).values_list("pk", "status"))
    assert statuses[dates[0].pk] == BookingStatus.CONFIRMED
    assert {statuses[b.pk] for b in dates[1:]} == {BookingStatus.REJECTED}
    assert set(
        Booking.objects.filter(series=series, status=BookingStatus.REJECTED).values_list(
            "rejection_reason", flat=True
        )
    ) == {"Salen males"}
    # The rejected dates are free again.
    assert not dates[1].claims.filter(active=True).exists()
    assert all(m.to == [association_contact.email] for m in mail.outbox)
    assert len(mail.outbox) == 2  # one for the approved, one for the declined


def test_the_service_refuses_foreign_ids_and_non_approvers(
    series: BookingSeries, coordinator: User, caretaker: User, facility: Facility
) -> None:
    other = Booking.objects.exclude(series=series).get()
    with pytest.raises(DomainError):
        booking_series_decide(series=series, actor=coordinator, approve=[other.pk])
    with pytest.raises(Forbidden):
        booking_series_decide(series=series, actor=caretaker, approve=[])
    assert {b.status for b in Booking.objects.filter(series=series)} == {BookingStatus.PENDING}


def test_approvers_get_one_danish_email_per_new_request_without_names(
    facility: Facility,
    neighbour: User,
    coordinator: User,
    admin_user: User,
    caretaker: User,
    outsider: User,
    at: At,
    verified: None,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        booking_create(
            facility=facility,
            booker=neighbour,
            start=at(5, 10),
            end=at(5, 12),
            title="Reparationscafé hos Hansen",
            use_type="community_activity",
            whole_house=True,
        )
    to_approvers = [m for m in mail.outbox if neighbour.email not in m.to]
    assert len(to_approvers) == 1
    message = to_approvers[0]
    assert sorted(message.to) == sorted([coordinator.email, admin_user.email])
    assert "Nyt bookingønske" in message.subject
    assert "Nabo" in message.body
    assert "kl. 10.00" in message.body
    assert "Hansen" not in message.body + message.subject
    assert neighbour.get_full_name() not in message.body
    assert neighbour.email not in message.body


def test_a_series_request_sends_approvers_one_email(
    facility: Facility,
    association_contact: User,
    coordinator: User,
    at: At,
    verified: None,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        booking_series_create(
            facility=facility,
            booker=association_contact,
            start=at(3, 19),
            end=at(3, 21),
            until=(at(3, 0) + timedelta(weeks=2)).date(),
            title="Strikkeklub",
            use_type="community_activity",
            whole_house=True,
        )
    to_approvers = [m for m in mail.outbox if coordinator.email in m.to]
    assert len(to_approvers) == 1
    assert "3 datoer" in to_approvers[0].body
