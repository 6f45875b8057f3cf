"""Retention: at a pinned clock, exactly the closed referrals whose period has ended are
deleted, per organisation; their audit entries become counts; open referrals untouched for
long are flagged to the social workers; the command prints counts, never whom."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from lokalsamfund.core.audit import log_action
from lokalsamfund.core.models import AuditEntry, Department, Organisation, Role, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.wellbeing.models import (
    Referral,
    ReferralErasure,
    ReferralEvent,
    ReferralStatus,
    ReferralTally,
    WellbeingSettings,
)
from lokalsamfund.wellbeing.services.retention import retention_run
from tests.wellbeing.factories_rights import make_referral, rights_keys  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rights_keys")]

CLOSED = ReferralStatus.CLOSED


@pytest.fixture
def social_worker(make_user: Callable[..., User], org: Organisation) -> User:
    return make_user(Role.SOCIAL_WORKER, org)


def _run(*args: str) -> str:
    out = StringIO()
    call_command("retention", "run", *args, stdout=out)
    return out.getvalue()


def test_deletes_exactly_what_is_due_per_organisation(
    org: Organisation,
    dept_a: Department,
    other_org: Organisation,
    other_dept: Department,
    caretaker: User,
    social_worker: User,
) -> None:
    now = timezone.now()
    WellbeingSettings.objects.create(organisation=other_org, retention_days=30)
    # org: default 90 days.
    due = make_referral(
        department=dept_a,
        name="Due Person",
        status=CLOSED,
        closed_at=now - timedelta(days=90),
        notes=["visited"],
    )
    almost = make_referral(
        department=dept_a, status=CLOSED, closed_at=now - timedelta(days=90) + timedelta(minutes=1)
    )
    open_old = make_referral(department=dept_a, created_at=now - timedelta(days=400))
    # other_org: 30 days.
    other_due = make_referral(
        department=other_dept, status=CLOSED, closed_at=now - timedelta(days=31)
    )
    other_kept = make_referral(
        department=other_dept, status=CLOSED, closed_at=now - timedelta(days=29)
    )
    for referral in (due, almost, other_due):
        log_action(actor=social_worker, action="wellbeing.read", organisation=org, obj=referral)
    event = ReferralEvent.objects.get(referral=due)
    log_action(actor=social_worker, action="wellbeing.note", organisation=org, obj=event)

    dry = _run("--dry-run")
    assert "test-org: would delete 1 closed referrals" in dry
    assert "other-org: would delete 1 closed referrals" in dry
    assert Referral.objects.count() == 5

    output = _run()
    remaining = set(Referral.objects.values_list("pk", flat=True))
    assert remaining == {almost.pk, open_old.pk, other_kept.pk}
    assert not ReferralEvent.objects.filter(referral_id=due.pk).exists()
    # The deleted referrals' audit entries are gone, replaced by counts; others stay.
    assert not AuditEntry.objects.filter(object_type="wellbeing.referral", object_id=str(due.pk))
    assert not AuditEntry.objects.filter(
        object_type="wellbeing.referralevent", object_id=str(event.pk)
    )
    assert AuditEntry.objects.filter(object_id=str(almost.pk), action="wellbeing.read").exists()
    summary = AuditEntry.objects.get(action="wellbeing.retention", organisation=org)
    assert summary.data == {
        "referrals": 1,
        "audit_entries": 2,
        "wellbeing.note": 1,
        "wellbeing.read": 1,
    }
    assert summary.object_repr == ""
    assert summary.actor is None
    erasures = {e.organisation_id: e for e in ReferralErasure.objects.all()}
    assert erasures[org.pk].count == 1
    assert erasures[org.pk].reason == "retention"
    assert erasures[other_org.pk].count == 1
    # Statistics outlive the referral.
    assert ReferralTally.objects.get(department=dept_a, dimension="total").count == 1
    # Counts, never whom.
    assert "test-org: deleted 1 closed referrals (retention 90 days)" in output
    assert "2 audit entries reduced to counts" in output
    assert "Deleted 2 referrals in all." in output
    for referral in (due, other_due):
        assert referral.reference not in output
    assert "Due Person" not in output

    # Idempotent: a second run at the same moment deletes nothing and logs nothing new.
    assert "Deleted 0 referrals in all." in _run()
    assert ReferralErasure.objects.count() == 2
    assert AuditEntry.objects.filter(action="wellbeing.retention").count() == 2


def test_a_minute_later_the_next_one_is_due(
    clock: time_machine.Coordinates, dept_a: Department
) -> None:
    now = timezone.now()
    almost = make_referral(
        department=dept_a, status=CLOSED, closed_at=now - timedelta(days=90) + timedelta(minutes=1)
    )
    retention_run(actor=SYSTEM, now=timezone.now())
    assert Referral.objects.filter(pk=almost.pk).exists()
    clock.shift(timedelta(minutes=1))
    retention_run(actor=SYSTEM, now=timezone.now())
    assert not Referral.objects.filter(pk=almost.pk).exists()


def test_stale_open_referrals_are_flagged_without_personal_data(
    dept_a: Department,
    dept_b: Department,
    org: Organisation,
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    now = timezone.now()
    worker_a = make_user(Role.SOCIAL_WORKER, org, [dept_a])
    worker_b = make_user(Role.SOCIAL_WORKER, org, [dept_b])
    stale = make_referral(
        department=dept_a,
        name="Stale Marker",
        free_text="stale text marker",
        last_activity_at=now - timedelta(days=14),
    )
    make_referral(department=dept_b, last_activity_at=now - timedelta(days=13))
    make_referral(
        department=dept_b,
        status=CLOSED,
        created_at=now - timedelta(days=60),
        closed_at=now - timedelta(days=20),
    )
    with django_capture_on_commit_callbacks(execute=True):
        output = _run()
    assert "1 open referrals untouched for 14+ days (flagged to 1 social workers)" in output
    assert [m.to for m in mail.outbox] == [[worker_a.email]]
    message = mail.outbox[0]
    assert "1 henvendelse har ikke været behandlet i 14 dage" in message.body
    for text in (stale.reference, "Stale Marker", "stale text marker", dept_a.name):
        assert text not in message.subject + message.body
    assert worker_b.email not in str([m.to for m in mail.outbox])
    # The flagged referral stays.
    assert Referral.objects.filter(pk=stale.pk).exists()
    entry = AuditEntry.objects.get(action="wellbeing.stale_flagged")
    assert entry.data == {"referrals": 1, "notified": 1}


def test_dry_run_sends_and_logs_nothing(
    dept_a: Department, social_worker: User, django_capture_on_commit_callbacks: Any
) -> None:
    now = timezone.now()
    make_referral(department=dept_a, last_activity_at=now - timedelta(days=30))
    make_referral(department=dept_a, status=CLOSED, closed_at=now - timedelta(days=100))
    with django_capture_on_commit_callbacks(execute=True):
        output = _run("--dry-run")
    assert "would delete 1" in output
    assert mail.outbox == []
    assert Referral.objects.count() == 2
    assert not AuditEntry.objects.filter(action__startswith="wellbeing.").exists()


def test_one_organisation_only(dept_a: Department, other_dept: Department) -> None:
    now = timezone.now()
    make_referral(department=dept_a, status=CLOSED, closed_at=now - timedelta(days=100))
    make_referral(department=other_dept, status=CLOSED, closed_at=now - timedelta(days=100))
    output = _run("--organisation", "other-org")
    assert "test-org" not in output
    assert list(Referral.objects.values_list("department", flat=True)) == [dept_a.pk]


def test_unknown_organisation_is_an_error() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No organisation"):
        _run("--organisation", "nope")
