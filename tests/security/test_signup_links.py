"""The e-mail links of sign-ups without an account, replayed and late (third attack): a link
used twice changes nothing the second time, an older link stops when a newer one is sent, and
a confirmation link stops when its sign-up is past ``UNCONFIRMED_HOURS``, whether or not the
daily tidy has deleted it yet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lokalsamfund.activities.models import Occurrence, SignUp, SignUpStatus
from lokalsamfund.activities.services.signup_links import UNCONFIRMED_HOURS
from lokalsamfund.core.models import AuditEntry, Department, User

from ..activities.factories_signups import mail_at_once, make_activity, make_occurrence  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_at_once")]


@pytest.fixture
def public(dept_a: Department) -> Occurrence:
    activity = make_activity(
        [dept_a], visibility="public", capacity=1, starts_at=timezone.now() + timedelta(days=5)
    )
    return make_occurrence(activity)


def _sign_up(occurrence: Occurrence, email: str) -> str:
    Client().post(
        reverse("activities:signup", args=[occurrence.pk]), {"name": "Ida", "email": email}
    )
    return _last_link()


def _last_link(index: int = 1) -> str:
    return mail.outbox[-1].body.split("http://localhost:8000")[index].split()[0]


def _confirm(link: str) -> int:
    return Client().post(link, {"confirmed": "yes"}).status_code


def test_a_confirmation_link_used_twice_changes_nothing_the_second_time(
    public: Occurrence,
) -> None:
    link = _sign_up(public, "ida@example.org")
    assert _confirm(link) == 200
    sent, logged = len(mail.outbox), AuditEntry.objects.count()
    assert _confirm(link) == 200
    assert (len(mail.outbox), AuditEntry.objects.count()) == (sent, logged)
    assert SignUp.objects.get().status == SignUpStatus.CONFIRMED


def test_an_older_link_stops_when_a_newer_one_is_sent(public: Occurrence) -> None:
    first = _sign_up(public, "ida@example.org")
    second = _sign_up(public, "ida@example.org")
    assert first != second
    assert _confirm(first) == 400
    assert SignUp.objects.get().status == SignUpStatus.UNCONFIRMED
    assert _confirm(second) == 200


def test_a_cancel_link_replayed_does_not_move_the_waitlist_twice(
    public: Occurrence, client_for: Callable[[User | None], Client], resident: User
) -> None:
    _confirm(_sign_up(public, "ida@example.org"))
    cancel = _last_link(-1)
    assert "/afmeld/" in cancel
    waiting = client_for(resident)
    waiting.post(reverse("activities:signup", args=[public.pk]), {"places": "1"})
    assert Client().post(cancel, {"confirmed": "yes"}).status_code == 200
    assert SignUp.objects.get(user=resident).status == SignUpStatus.CONFIRMED
    logged = AuditEntry.objects.count()
    assert Client().post(cancel, {"confirmed": "yes"}).status_code == 400
    assert AuditEntry.objects.count() == logged
    assert SignUp.objects.get(user=resident).status == SignUpStatus.CONFIRMED


def test_a_confirmation_link_past_its_hours_is_refused_before_the_tidy_runs(
    public: Occurrence, clock: time_machine.Coordinates
) -> None:
    link = _sign_up(public, "ida@example.org")
    clock.shift(timedelta(hours=UNCONFIRMED_HOURS, minutes=1))
    assert _confirm(link) == 400
    assert SignUp.objects.get().status == SignUpStatus.UNCONFIRMED
    assert Client().get(link).status_code == 400


def test_a_confirmation_link_within_its_hours_works(
    public: Occurrence, clock: time_machine.Coordinates
) -> None:
    link = _sign_up(public, "ida@example.org")
    clock.shift(timedelta(hours=UNCONFIRMED_HOURS - 1))
    assert _confirm(link) == 200
    assert SignUp.objects.get().status == SignUpStatus.CONFIRMED


def test_a_cancel_link_after_the_start_is_refused(
    public: Occurrence, clock: time_machine.Coordinates
) -> None:
    _confirm(_sign_up(public, "ida@example.org"))
    cancel = _last_link(-1)
    clock.shift(public.starts_at - timezone.now() + timedelta(minutes=1))
    assert Client().post(cancel, {"confirmed": "yes"}).status_code == 400
    assert SignUp.objects.get().status == SignUpStatus.CONFIRMED


def test_signing_up_again_late_gives_a_link_that_works(
    public: Occurrence, clock: time_machine.Coordinates
) -> None:
    first = _sign_up(public, "ida@example.org")
    clock.shift(timedelta(hours=UNCONFIRMED_HOURS + 1))
    second = _sign_up(public, "ida@example.org")
    assert _confirm(first) == 400
    assert _confirm(second) == 200
    assert SignUp.objects.get().status == SignUpStatus.CONFIRMED
