"""Who booked what, for the key handover: a day and a week list per house, with a print view
and a PDF, for the staff of that organisation and department only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

import pytest
from django.test import Client

from lokalsamfund.bookings.models import Booking, Facility
from lokalsamfund.bookings.services import booking_create
from lokalsamfund.core.models import Membership, User

pytestmark = pytest.mark.django_db

At = Callable[..., datetime]
ClientFor = Callable[[User | None], Client]


@pytest.fixture
def party(facility: Facility, resident: User, coordinator: User, at: At) -> Booking:
    Membership.objects.filter(user=resident).update(home="Engparken 7, 2. th.")
    facility.key_handover_note = "Nøglen hentes hos varmemesteren kl. 9."
    facility.opens_at = facility.closes_at = time(0)  # open around the clock
    facility.save()
    return booking_create(
        facility=facility,
        booker=coordinator,
        on_behalf_of=resident,
        start=at(3, 20),
        end=at(4, 2),  # across midnight
        title="Fødselsdag",
        use_type="private_event",
        rooms=[facility.rooms.get(name="Salen")],
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("caretaker", 200),
        ("coordinator", 200),
        ("admin", 200),
        ("board_member", 404),
        ("resident", 404),
        ("neighbour", 404),
        ("association", 404),
        ("outsider", 404),
        ("no_role", 404),
    ],
)
def test_handover_list_access(
    client_for: ClientFor,
    personas: dict[str, User],
    facility: Facility,
    party: Booking,
    persona: str,
    status: int,
) -> None:
    client = client_for(personas[persona])
    day = party.starts_at.astimezone().date().isoformat()
    for url in (
        f"/facilities/{facility.slug}/handover/?day={day}",
        f"/facilities/{facility.slug}/handover/?day={day}&span=week&view=print",
        f"/facilities/{facility.slug}/handover.pdf?day={day}",
    ):
        response = client.get(url)
        assert response.status_code == status, url
        if status != 200:
            assert b"Engparken 7" not in response.content


def test_handover_list_needs_login(client: Client, facility: Facility) -> None:
    response = client.get(f"/facilities/{facility.slug}/handover/")
    assert response.status_code == 302
    assert client.get(f"/facilities/{facility.slug}/handover.pdf").status_code == 302


def test_the_day_list_names_who_contact_room_times_and_key_notes(
    client_for: ClientFor, caretaker: User, resident: User, facility: Facility, party: Booking
) -> None:
    client = client_for(caretaker)
    start = party.starts_at.astimezone()
    html = client.get(
        f"/facilities/{facility.slug}/handover/?day={start.date().isoformat()}"
    ).content.decode()
    assert resident.get_full_name() in html
    assert resident.email in html
    assert "Engparken 7, 2. th." in html
    assert "Salen" in html
    assert "kl. 20.00" in html
    assert "kl. 02.00" in html
    assert "varmemesteren" in html
    assert '<style media="print">' in html
    # The next day lists it too (the key comes back then); the day after does not.
    following = (start + timedelta(days=1)).date().isoformat()
    assert (
        "Fødselsdag"
        in client.get(f"/facilities/{facility.slug}/handover/?day={following}").content.decode()
    )
    later = (start + timedelta(days=2)).date().isoformat()
    assert (
        "Fødselsdag"
        not in client.get(f"/facilities/{facility.slug}/handover/?day={later}").content.decode()
    )


def test_the_week_list_print_view_and_pdf(
    client_for: ClientFor, coordinator: User, facility: Facility, party: Booking
) -> None:
    client = client_for(coordinator)
    day = party.starts_at.astimezone().date().isoformat()
    week = client.get(f"/facilities/{facility.slug}/handover/?day={day}&span=week")
    assert week.content.decode().count('class="handover-day"') == 7
    assert "Fødselsdag" in week.content.decode()
    printed = client.get(f"/facilities/{facility.slug}/handover/?day={day}&span=week&view=print")
    assert "@page" in printed.content.decode()
    assert "site-header" not in printed.content.decode()
    pdf = client.get(f"/facilities/{facility.slug}/handover.pdf?day={day}&span=week")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_bad_day_falls_back_to_today(
    client_for: ClientFor, coordinator: User, facility: Facility
) -> None:
    response = client_for(coordinator).get(f"/facilities/{facility.slug}/handover/?day=nonsense")
    assert response.status_code == 200
