"""The CLI: renewal reminders for letting agreements and the default policy profile."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from lokalsamfund.bookings.models import Facility, LettingAgreement, PolicyProfile
from lokalsamfund.bookings.services import reminders
from lokalsamfund.core.models import AuditEntry, Department, Organisation, Role, User

pytestmark = pytest.mark.django_db


def test_renewal_reminders_go_to_coordinators_only_for_agreements_ending_soon(
    facility: Facility,
    coordinator: User,
    admin_user: User,
    resident: User,
    outsider: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
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
    with django_capture_on_commit_callbacks(execute=True):
        call_command("booking_reminders", stdout=out)
    assert "1" in out.getvalue()
    (message,) = mail.outbox
    assert "Sprogskolen" in message.subject
    assert sorted(message.to) == sorted([coordinator.email, admin_user.email])
    assert resident.email not in message.to
    assert outsider.email not in message.to


def _agreement_ending_soon(facility: Facility) -> LettingAgreement:
    today = timezone.localdate()
    return LettingAgreement.objects.create(
        facility=facility,
        counterparty="Sprogskolen",
        starts_on=today,
        ends_on=today + timedelta(days=30),
    )


def test_reminders_are_chosen_by_permission_on_the_house(
    facility: Facility,
    org: Organisation,
    dept_b: Department,
    make_user: Callable[..., User],
    coordinator: User,
    caretaker: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    """Those who approve the house's bookings are reminded: a coordinator of the house's
    department too, not one limited to another department, nor an inactive account."""
    own = make_user(Role.COORDINATOR, org, [facility.department])
    elsewhere = make_user(Role.COORDINATOR, org, [dept_b])
    gone = make_user(Role.COORDINATOR, org, is_active=False)
    _agreement_ending_soon(facility)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.letting_renewal_reminders_send(today=timezone.localdate()) == 1
    (message,) = mail.outbox
    assert sorted(message.to) == sorted([coordinator.email, own.email])
    for other in (caretaker, elsewhere, gone):
        assert other.email not in message.to


def test_an_agreement_nobody_can_be_told_about_is_not_counted(
    facility: Facility, resident: User
) -> None:
    _agreement_ending_soon(facility)
    out = io.StringIO()
    call_command("booking_reminders", stdout=out)
    assert "for 0 agreement(s)" in out.getvalue()
    assert not AuditEntry.objects.filter(action="bookings.renewal_reminder").exists()
    assert mail.outbox == []


def test_the_reminder_is_sent_only_with_its_audit_entry(
    facility: Facility,
    coordinator: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    """The audit entry is written in the reminder's transaction and the e-mail goes after
    it commits: no e-mail without its entry."""
    _agreement_ending_soon(facility)
    with (
        django_capture_on_commit_callbacks(execute=True),
        mock.patch.object(reminders, "log_action", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        reminders.letting_renewal_reminders_send(today=timezone.localdate())
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reminders.letting_renewal_reminders_send(today=timezone.localdate())
    entry = AuditEntry.objects.get(action="bookings.renewal_reminder")
    assert (entry.actor, entry.actor_label) == (None, "system")
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


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
