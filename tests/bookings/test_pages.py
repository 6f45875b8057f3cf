"""The booking pages, tried by each persona: who may, who may not, and no other org's data."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from lokalsamfund.bookings.choices import BookingStatus
from lokalsamfund.bookings.models import Booking, Facility
from lokalsamfund.bookings.services import booking_create
from lokalsamfund.core.models import Department, User

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
At = Callable[..., datetime]


@pytest.fixture
def other_facility(other_dept: Department) -> Facility:
    return Facility.objects.create(
        organisation=other_dept.organisation,
        department=other_dept,
        slug="andet-hus",
        name="Andet hus",
    )


@pytest.fixture
def party(facility: Facility, resident: User, at: At) -> Booking:
    return booking_create(
        facility=facility,
        booker=resident,
        start=at(6, 12),
        end=at(6, 18),
        title="Hemmelig fødselsdag",
        use_type="private_event",
        whole_house=True,
    )


BOOKERS = [
    "admin",
    "coordinator",
    "caretaker",
    "board_member",
    "resident",
    "neighbour",
    "association",
]


@pytest.mark.parametrize("persona", [*BOOKERS, "outsider", "no_role"])
def test_facility_list_shows_only_own_organisations_houses(
    client_for: ClientFor,
    personas: dict[str, User],
    facility: Facility,
    other_facility: Facility,
    persona: str,
) -> None:
    page = client_for(personas[persona]).get("/facilities/")
    assert page.status_code == 200
    html = page.content.decode()
    assert ("Testhuset" in html) == (persona in BOOKERS)
    assert ("Andet hus" in html) == (persona == "outsider")


def test_facility_list_is_public_for_anonymous_visitors(client: Client) -> None:
    """The public list (tests/bookings/test_public_list.py), not a login page."""
    assert client.get("/facilities/").status_code == 200


def test_public_availability_shows_busy_times_but_no_names(
    client: Client, facility: Facility, party: Booking, resident: User
) -> None:
    day = party.starts_at.date().isoformat()
    html = client.get(f"/facilities/{facility.slug}/?week={day}").content.decode()
    assert "Salen" in html
    assert "12.00" in html  # Danish clock (core.formatting)
    assert "Hemmelig" not in html
    assert resident.full_name not in html
    assert resident.email not in html


def test_rules_page_shows_sources_and_review_notice(
    client: Client, facility: Facility, costs: object
) -> None:
    html = client.get(f"/facilities/{facility.slug}/rules/").content.decode()
    assert "almenboligloven § 6, stk. 1" in html
    assert "BEK nr. 451" in html
    assert "50,00" in html  # the cost-recovery rate: 60.000 kr. / 1.200 h
    assert "juridisk rådgivning" in html or "legal advice" in html


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("coordinator", 200),
        ("caretaker", 200),
        ("board_member", 200),
        ("resident", 200),
        ("neighbour", 200),
        ("association", 200),
        ("outsider", 404),
        ("no_role", 404),
    ],
)
def test_booking_form_access(
    client_for: ClientFor, personas: dict[str, User], facility: Facility, persona: str, status: int
) -> None:
    assert (
        client_for(personas[persona]).get(f"/facilities/{facility.slug}/book/").status_code
        == status
    )


def test_resident_books_on_the_web(
    client_for: ClientFor, resident: User, facility: Facility, at: At
) -> None:
    start = at(5, 17)
    response = client_for(resident).post(
        f"/facilities/{facility.slug}/book/",
        {
            "category": "resident",
            "use_type": "community_activity",
            "title": "Fællesspisning",
            "rooms": ["Salen"],
            "date": start.date().isoformat(),
            "start_time": "17:00",
            "end_time": "21:00",
            "skip_conflicts": "on",
        },
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert response["Location"] == f"/bookings/{booking.pk}/"
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.starts_at == start


def test_web_conflict_answers_409_with_the_clash_and_saves_nothing(
    client_for: ClientFor, resident: User, facility: Facility, party: Booking
) -> None:
    day = party.starts_at.date().isoformat()
    response = client_for(resident).post(
        f"/facilities/{facility.slug}/book/",
        {
            "category": "resident",
            "use_type": "community_activity",
            "title": "Kaffe",
            "whole_house": "on",
            "date": day,
            "start_time": "13:00",
            "end_time": "15:00",
        },
    )
    assert response.status_code == 409
    assert "kl. 12.00" in response.content.decode()
    assert Booking.objects.count() == 1


def test_bad_form_input_is_a_clear_message(
    client_for: ClientFor, resident: User, facility: Facility
) -> None:
    response = client_for(resident).post(
        f"/facilities/{facility.slug}/book/", {"category": "resident", "date": "not a date"}
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("resident", 200),  # the booker
        ("coordinator", 200),
        ("admin", 200),
        ("caretaker", 200),  # books on behalf in A1
        ("board_member", 404),
        ("neighbour", 404),
        ("association", 404),
        ("outsider", 404),
        ("no_role", 404),
    ],
)
def test_booking_detail_access(
    client_for: ClientFor, personas: dict[str, User], party: Booking, persona: str, status: int
) -> None:
    assert client_for(personas[persona]).get(f"/bookings/{party.pk}/").status_code == status


def test_approve_and_reject_on_the_web(
    client_for: ClientFor,
    coordinator: User,
    neighbour: User,
    resident: User,
    facility: Facility,
    at: At,
    verified: None,
) -> None:
    first = booking_create(
        facility=facility,
        booker=neighbour,
        start=at(8, 13),
        end=at(8, 16),
        title="Byttemarked",
        use_type="community_activity",
        whole_house=True,
    )
    second = booking_create(
        facility=facility,
        booker=neighbour,
        start=at(9, 13),
        end=at(9, 16),
        title="Loppemarked",
        use_type="community_activity",
        whole_house=True,
    )
    page = client_for(coordinator).get("/bookings/requests/").content.decode()
    assert "Byttemarked" in page
    assert "Loppemarked" in page
    # A resident cannot approve, not even by posting directly.
    client_for(resident).post(f"/bookings/{first.pk}/approve/", {"scope": "this"})
    first.refresh_from_db()
    assert first.status == BookingStatus.PENDING
    client = client_for(coordinator)
    client.post(f"/bookings/{first.pk}/approve/", {"scope": "this", "next": "pending"})
    client.post(f"/bookings/{second.pk}/reject/", {"scope": "this", "reason": "Dobbeltbooket"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == BookingStatus.CONFIRMED
    assert second.status == BookingStatus.REJECTED
    assert second.rejection_reason == "Dobbeltbooket"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("coordinator", 200),
        ("resident", 404),
        ("neighbour", 404),
        ("outsider", 200),  # approves in their own organisation; sees none of ours (below)
        ("no_role", 404),
        ("board_member", 404),
    ],
)
def test_pending_list_access(
    client_for: ClientFor, personas: dict[str, User], persona: str, status: int
) -> None:
    assert client_for(personas[persona]).get("/bookings/requests/").status_code == status


def test_outsider_sees_no_requests_of_another_organisation(
    client_for: ClientFor, personas: dict[str, User], facility: Facility, at: At, verified: None
) -> None:
    booking_create(
        facility=facility,
        booker=personas["neighbour"],
        start=at(8, 13),
        end=at(8, 16),
        title="Byttemarked",
        use_type="community_activity",
        whole_house=True,
    )
    # The outsider coordinates another organisation: the list is empty for them.
    html = client_for(personas["outsider"]).get("/bookings/requests/").content.decode()
    assert "Byttemarked" not in html


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("coordinator", 200),
        ("board_member", 200),
        ("caretaker", 404),
        ("resident", 404),
        ("neighbour", 404),
        ("outsider", 404),
        ("no_role", 404),
    ],
)
def test_yearly_account_access(
    client_for: ClientFor, personas: dict[str, User], facility: Facility, persona: str, status: int
) -> None:
    assert (
        client_for(personas[persona]).get(f"/facilities/{facility.slug}/account/").status_code
        == status
    )
    year = 2026
    export = client_for(personas[persona]).get(f"/facilities/{facility.slug}/account/{year}.csv")
    assert export.status_code == status


def test_account_exports_parse(
    client_for: ClientFor, board_member: User, facility: Facility, party: Booking, costs: object
) -> None:
    year = party.starts_at.year
    client = client_for(board_member)
    text = client.get(f"/facilities/{facility.slug}/account/{year}.csv").content.decode()
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Testhuset", str(year)]
    data = {r[0]: r for r in rows[2:]}
    assert any("300.00" in r for r in rows)  # the party's fixed fee
    assert len(data) >= 3
    xlsx = client.get(f"/facilities/{facility.slug}/account/{year}.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert 300.0 in values
    pdf = client.get(f"/facilities/{facility.slug}/account/{year}.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert client.get(f"/facilities/{facility.slug}/account/{year}.exe").status_code == 404


def test_my_bookings_and_private_feed(
    client_for: ClientFor, resident: User, party: Booking
) -> None:
    client = client_for(resident)
    html = client.get("/bookings/").content.decode()
    assert "Hemmelig fødselsdag" in html
    key = resident.calendar_feed.key
    feed = Client().get(f"/bookings/feed/{key}.ics")
    assert feed.status_code == 200
    assert b"Hemmelig f" in feed.content
    client.post("/bookings/", {"reset_feed": "1"})
    assert Client().get(f"/bookings/feed/{key}.ics").status_code == 404
    assert Client().get("/bookings/feed/guess.ics").status_code == 404


def test_cancel_and_edit_on_the_web(
    client_for: ClientFor, resident: User, party: Booking, at: At
) -> None:
    client = client_for(resident)
    assert client.get(f"/bookings/{party.pk}/edit/").status_code == 200
    response = client.post(
        f"/bookings/{party.pk}/edit/",
        {
            "title": "Fest",
            "date": party.starts_at.date().isoformat(),
            "start_time": "13:00",
            "end_time": "19:00",
            "scope": "this",
        },
    )
    assert response.status_code == 302
    party.refresh_from_db()
    assert party.starts_at == at(6, 13)
    client.post(f"/bookings/{party.pk}/cancel/", {"scope": "this", "confirmed": "yes"})
    party.refresh_from_db()
    assert party.status == BookingStatus.CANCELLED


def test_budget_sent_is_recorded_and_clears_the_account_flag(
    client_for: ClientFor, resident: User, neighbour: User, facility: Facility, at: At
) -> None:
    from lokalsamfund.bookings.reports import yearly_account

    booking = booking_create(
        facility=facility,
        booker=resident,
        start=at(4, 17),
        end=at(4, 20),
        title="Fællesspisning med gæster",
        use_type="community_activity",
        whole_house=True,
        charges_participants=True,
    )
    year = booking.starts_at.astimezone(timezone.get_current_timezone()).year

    def flagged() -> bool:
        return "budget_missing" in [
            f.code for f in yearly_account(facility=facility, year=year).flags
        ]

    assert flagged()
    day = timezone.localdate().isoformat()
    # Someone else's booking: 404; a future date: refused.
    assert (
        client_for(neighbour).post(f"/bookings/{booking.pk}/budget/", {"sent_on": day}).status_code
        == 404
    )
    client = client_for(resident)
    assert "Budget" in client.get(f"/bookings/{booking.pk}/").content.decode()
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    client.post(f"/bookings/{booking.pk}/budget/", {"sent_on": future})
    booking.refresh_from_db()
    assert booking.budget_sent_on is None
    client.post(f"/bookings/{booking.pk}/budget/", {"sent_on": day})
    booking.refresh_from_db()
    assert booking.budget_sent_on == timezone.localdate()
    assert not flagged()
