"""Headcounts (who may record, when, what) and names reduced to counts after the occurrence."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from lokalsamfund.activities.models import Headcount, Occurrence, SignUp
from lokalsamfund.activities.services.participation import headcount_record, names_reduce
from lokalsamfund.core.errors import DomainError, Forbidden
from lokalsamfund.core.models import AuditEntry, Department, Organisation, Role, User
from lokalsamfund.core.permissions import SYSTEM

from .factories_participation import make_activity, make_occurrence

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages are matched in English (the language is otherwise the last one used)."""
    with translation.override("en"):
        yield


@pytest.fixture
def organiser(make_user: Callable[..., User], org: Organisation, dept_a: Department) -> User:
    return make_user(Role.RESIDENT, org, [dept_a])


@pytest.fixture
def held(org: Organisation, dept_a: Department, organiser: User) -> Occurrence:
    activity = make_activity(org, [dept_a], organisers=[organiser])
    return make_occurrence(activity, timezone.now() - timedelta(days=1))


def test_organiser_records_a_headcount_without_names(held: Occurrence, organiser: User) -> None:
    h = headcount_record(
        actor=organiser, occurrence=held, total=23, children=5, adults=10, seniors=8, new_faces=2
    )
    assert (h.total, h.children, h.adults, h.seniors, h.new_faces) == (23, 5, 10, 8, 2)
    assert h.recorded_by == organiser
    entry = AuditEntry.objects.get(action="activities.headcount")
    assert entry.data == {"total": 23}


def test_correcting_a_headcount_is_audited(held: Occurrence, organiser: User) -> None:
    headcount_record(actor=organiser, occurrence=held, total=23)
    headcount_record(actor=organiser, occurrence=held, total=25, new_faces=1)
    assert Headcount.objects.get(occurrence=held).total == 25
    entry = AuditEntry.objects.get(action="activities.headcount_correct")
    assert entry.data["before"]["total"] == 23
    assert entry.data["after"]["total"] == 25
    # The same figures again change nothing and log nothing.
    headcount_record(actor=organiser, occurrence=held, total=25, new_faces=1)
    assert AuditEntry.objects.filter(action__startswith="activities.headcount").count() == 2


@pytest.mark.parametrize("persona", ["admin", "coordinator"])
def test_staff_who_manage_may_record(
    held: Occurrence, personas: dict[str, User], persona: str
) -> None:
    assert headcount_record(actor=personas[persona], occurrence=held, total=4).total == 4


@pytest.mark.parametrize(
    "persona", ["caretaker", "board_member", "resident", "neighbour", "outsider", "no_role"]
)
def test_others_may_not_record(held: Occurrence, personas: dict[str, User], persona: str) -> None:
    with pytest.raises(Forbidden):
        headcount_record(actor=personas[persona], occurrence=held, total=4)
    assert not Headcount.objects.exists()


def test_not_before_the_occurrence_has_started(
    org: Organisation, dept_a: Department, organiser: User
) -> None:
    activity = make_activity(org, [dept_a], organisers=[organiser])
    later = make_occurrence(activity, timezone.now() + timedelta(minutes=5))
    with pytest.raises(DomainError, match="started"):
        headcount_record(actor=organiser, occurrence=later, total=4)
    started = make_occurrence(activity, timezone.now() - timedelta(minutes=5))
    assert headcount_record(actor=organiser, occurrence=started, total=4).total == 4


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        ({"total": 10, "children": 5, "adults": 4, "seniors": 2}, "exceed the total"),
        ({"total": 10, "new_faces": 11}, "cannot exceed"),
        ({"total": -1}, "negative"),
        ({"total": 100_000}, "more than"),
    ],
)
def test_figures_are_checked(
    held: Occurrence, organiser: User, figures: dict[str, int], message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        headcount_record(actor=organiser, occurrence=held, **figures)


def test_cancelled_occurrence_has_nothing_to_count(held: Occurrence, organiser: User) -> None:
    Occurrence.objects.filter(pk=held.pk).update(status="cancelled")
    held.refresh_from_db()
    with pytest.raises(DomainError, match="cancelled"):
        headcount_record(actor=organiser, occurrence=held, total=3)


def _sign_up(occurrence: Occurrence, user: User, status: str, position: int | None = None) -> None:
    SignUp.objects.create(
        occurrence=occurrence, user=user, status=status, waitlist_position=position, places=1
    )


def test_names_are_reduced_to_counts_after_the_occurrence_and_not_before(
    org: Organisation, dept_a: Department, make_user: Callable[..., User]
) -> None:
    activity = make_activity(org, [dept_a], capacity=2)
    now = timezone.now()
    ended = make_occurrence(activity, now - timedelta(hours=3), minutes=120)
    running = make_occurrence(activity, now - timedelta(minutes=30), minutes=120)
    coming = make_occurrence(activity, now + timedelta(days=2))
    people = [make_user() for _ in range(4)]
    for occurrence in (ended, running, coming):
        _sign_up(occurrence, people[0], "confirmed")
        _sign_up(occurrence, people[1], "confirmed")
        _sign_up(occurrence, people[2], "waitlisted", 1)
        _sign_up(occurrence, people[3], "cancelled")

    assert names_reduce(now=now) == 1
    ended.refresh_from_db()
    assert (ended.signed_up_count, ended.waitlist_count) == (2, 1)
    assert ended.names_deleted_at == now
    assert not SignUp.objects.filter(occurrence=ended).exists()
    assert SignUp.objects.filter(occurrence=running).count() == 4
    assert SignUp.objects.filter(occurrence=coming).count() == 4
    assert AuditEntry.objects.filter(action="activities.names_reduce").count() == 1
    # Idempotent; and once the next one has ended, it is reduced too.
    assert names_reduce(now=now) == 0
    assert names_reduce(now=now + timedelta(hours=2)) == 1
    assert not SignUp.objects.filter(occurrence=running).exists()


def test_tidy_command_reduces_names(
    org: Organisation, dept_a: Department, make_user: Callable[..., User]
) -> None:
    activity = make_activity(org, [dept_a])
    ended = make_occurrence(activity, timezone.now() - timedelta(days=1))
    _sign_up(ended, make_user(), "confirmed")
    out = StringIO()
    call_command("activities", "tidy", stdout=out)
    assert "1" in out.getvalue()
    assert not SignUp.objects.exists()
    ended.refresh_from_db()
    assert ended.signed_up_count == 1


def test_system_records_for_the_demo(held: Occurrence) -> None:
    assert headcount_record(actor=SYSTEM, occurrence=held, total=9).recorded_by is None
