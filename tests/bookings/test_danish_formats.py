"""Danish money and dates on every booking page, e-mail and PDF, through core.formatting:
"1.800,00 kr." and "lørdag 2. januar 2027"."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client

import lokalsamfund.bookings
from lokalsamfund.bookings.models import Facility, LettingAgreement
from lokalsamfund.bookings.services import booking_approve, booking_create
from lokalsamfund.core.models import Association, User

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
CPH = ZoneInfo("Europe/Copenhagen")
TEMPLATES = Path(lokalsamfund.bookings.__file__).parent / "templates" / "bookings"


def test_no_booking_template_formats_money_or_dates_by_hand() -> None:
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        assert "floatformat" not in text, template.name
        assert not re.search(r"\}\}\s*kr\.", text), template.name
        assert not re.search(r'\|date:"[^"]*[jHi]', text), template.name  # day or time


def test_a_letting_reads_in_danish_on_page_mail_and_account(
    client_for: ClientFor,
    facility: Facility,
    association: Association,
    association_contact: User,
    coordinator: User,
    verified: None,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    with time_machine.travel(datetime(2026, 12, 20, 10, tzinfo=CPH), tick=False):
        agreement = LettingAgreement.objects.create(
            facility=facility,
            counterparty="Foreningens kursus",
            association=association,
            decision_date=date(2026, 11, 1),
            decision_reference="Referat pkt. 4",
            starts_on=date(2026, 12, 1),
            ends_on=date(2027, 11, 30),
            company_name="Udlejning ApS",
            market_rent_per_hour=Decimal("450"),
            market_rent_documentation="Tre tilbud",
        )
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
            booking = booking_create(
                facility=facility,
                booker=association_contact,
                start=datetime(2027, 1, 2, 10, tzinfo=CPH),
                end=datetime(2027, 1, 2, 14, tzinfo=CPH),
                title="Kursus",
                use_type="external_letting",
                agreement=agreement,
                whole_house=True,
            )
        receipt = next(m for m in mail.outbox if association_contact.email in m.to)
        assert "lørdag 2. januar 2027 kl. 10.00–14.00" in receipt.body
        assert "1.800,00\u00a0kr." in receipt.body
        detail = client_for(association_contact).get(f"/bookings/{booking.pk}/").content.decode()
        assert "lørdag 2. januar 2027 kl. 10.00–14.00" in detail
        assert "1.800,00\u00a0kr." in detail
        assert "450,00\u00a0kr." in detail
        requests = client_for(coordinator).get("/bookings/requests/").content.decode()
        assert "lørdag 2. januar 2027" in requests
        booking_approve(booking=booking, actor=coordinator)
        account = client_for(coordinator).get(f"/facilities/{facility.slug}/account/?year=2027")
        assert "1.800,00\u00a0kr." in account.content.decode()


def test_errors_name_times_in_danish(
    client_for: ClientFor, facility: Facility, resident: User
) -> None:
    with time_machine.travel(datetime(2026, 12, 20, 10, tzinfo=CPH), tick=False):
        booking_create(
            facility=facility,
            booker=resident,
            start=datetime(2027, 1, 2, 12, tzinfo=CPH),
            end=datetime(2027, 1, 2, 18, tzinfo=CPH),
            title="Fest",
            use_type="private_event",
            whole_house=True,
        )
        response = client_for(resident).post(
            f"/facilities/{facility.slug}/book/",
            {
                "category": "resident",
                "use_type": "community_activity",
                "title": "Kaffe",
                "rooms": ["Salen"],
                "date": "2027-01-02",
                "start_time": "13:00",
                "end_time": "15:00",
            },
        )
        assert response.status_code == 409
        assert "lørdag 2. januar 2027 kl. 12.00" in response.content.decode()
