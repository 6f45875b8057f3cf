"""The day-before reminder: what, when, where and how to cancel; once per occurrence;
``--dry-run`` sends nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from lokalsamfund.activities.models import Occurrence
from lokalsamfund.activities.services import signups as services
from lokalsamfund.core.models import AuditEntry, Department, Role, User

from .factories_signups import mail_at_once, make_activity, make_occurrence  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_at_once")]


def tomorrow_at(hour: int) -> datetime:
    return timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=1), time(hour, 0))
    )


def run(*args: str) -> str:
    out = StringIO()
    call_command("activities", "remind", *args, stdout=out)
    return out.getvalue()


def test_remind_once_to_confirmed_participants_of_tomorrow(
    dept_a: Department, make_user: Callable[..., User], org: object
) -> None:
    activity = make_activity([dept_a], visibility="public", capacity=2, starts_at=tomorrow_at(17))
    tomorrow = make_occurrence(activity)
    later = make_occurrence(activity, tomorrow_at(17) + timedelta(days=1))
    cancelled = make_occurrence(activity, tomorrow_at(12), status="cancelled")
    people = [make_user(Role.RESIDENT, org, [dept_a]) for _ in range(2)]
    for person in people:
        services.signup_create(occurrence=tomorrow, actor=person)
    waiting = services.signup_create(
        occurrence=tomorrow, actor=make_user(Role.RESIDENT, org, [dept_a])
    )
    assert waiting.signup.status == "waitlisted"
    services.signup_create(occurrence=later, actor=people[0])
    mail.outbox.clear()

    assert "would remind 2" in run("--dry-run")
    assert mail.outbox == []
    assert Occurrence.objects.get(pk=tomorrow.pk).reminded_at is None

    output = run()
    assert "reminded 2" in output
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    body = mail.outbox[0].body
    assert "Fællesspisning" in body
    assert "17.00" in body  # Danish time
    assert "Fælleshuset, Engparken 1" in body
    assert "/aktiviteter/tilmeldinger/" in body  # how to cancel
    assert Occurrence.objects.get(pk=tomorrow.pk).reminded_at == timezone.now()
    assert Occurrence.objects.get(pk=later.pk).reminded_at is None
    assert Occurrence.objects.get(pk=cancelled.pk).reminded_at is None
    assert AuditEntry.objects.filter(action="activities.remind").count() == 1

    mail.outbox.clear()
    assert "0 occurrence(s)" in run()
    assert mail.outbox == []


def test_remind_within_hours(dept_a: Department, resident: User) -> None:
    occurrence = make_occurrence(
        make_activity([dept_a], starts_at=timezone.now() + timedelta(hours=3))
    )
    services.signup_create(occurrence=occurrence, actor=resident)
    assert "0 occurrence(s)" in run("--hours", "2")
    assert "reminded 1" in run("--hours", "4")
    with pytest.raises(CommandError):
        run("--hours", "0")


def test_reminder_without_an_account_carries_a_cancel_link_in_her_language(
    dept_a: Department,
) -> None:
    activity = make_activity([dept_a], visibility="public", starts_at=tomorrow_at(10))
    occurrence = make_occurrence(activity)
    result = services.signup_create(
        occurrence=occurrence,
        actor=AnonymousUser(),
        name="Ida",
        email="ida@example.org",
        language="en",
    )
    services.signup_confirm(token=result.token)
    mail.outbox.clear()
    run()
    (message,) = mail.outbox
    assert message.subject.startswith("Reminder")
    assert "10:00" in message.body  # English time
    token = message.body.split("/afmeld/")[1].split("/")[0]
    services.signup_cancel_by_token(token=token)
    assert occurrence.signups.get().status == "cancelled"


def test_danish_by_default(dept_a: Department, resident: User) -> None:
    occurrence = make_occurrence(make_activity([dept_a], starts_at=tomorrow_at(10)))
    services.signup_create(occurrence=occurrence, actor=resident)
    assert mail.outbox[-1].subject == "Du er tilmeldt: Fællesspisning"
    assert "Hvor: Fælleshuset, Engparken 1" in mail.outbox[-1].body
