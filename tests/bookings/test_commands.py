"""The CLI: renewal reminders for letting agreements and the default policy profile."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from lokalsamfund.bookings.models import Facility, LettingAgreement, PolicyProfile
from lokalsamfund.core.models import Organisation, User

pytestmark = pytest.mark.django_db


def test_renewal_reminders_go_to_coordinators_only_for_agreements_ending_soon(
    facility: Facility, coordinator: User, admin_user: User, resident: User, outsider: User
) -> None:
    today = timezone.localdate()
    LettingAgreement.objects.create(
        facility=facility,
        counterparty="Sprogskolen",
        starts_on=today,
        ends_on=today + timedelta(days=30),
    )
    LettingAgreement.objects.create(
        facility=facility,
        counterparty="Koret",
        starts_on=today,
        ends_on=today + timedelta(days=300),
    )
    out = io.StringIO()
    call_command("booking_reminders", stdout=out)
    assert "1" in out.getvalue()
    (message,) = mail.outbox
    assert "Sprogskolen" in message.subject
    assert sorted(message.to) == sorted([coordinator.email, admin_user.email])
    assert resident.email not in message.to
    assert outsider.email not in message.to


def test_policy_command_installs_the_shipped_profile_once(org: Organisation) -> None:
    out = io.StringIO()
    call_command("booking_policy", "--organisation", org.slug, stdout=out)
    call_command("booking_policy", "--organisation", org.slug, stdout=io.StringIO())
    profile = PolicyProfile.objects.get(organisation=org)
    assert profile.is_organisation_default
    assert profile.rules.count() == 15
    assert profile.reviewed_on is None
    assert "to be reviewed" in out.getvalue()
    assert "§ 6" in out.getvalue()


def test_policy_command_unknown_organisation_exits_non_zero() -> None:
    with pytest.raises(CommandError):
        call_command("booking_policy", "--organisation", "nope", stdout=io.StringIO())
