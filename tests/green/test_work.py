"""Work days: tasks never take more than their hands, members leave, unclaimed tasks fall back
to the group's contact at the group's time (once, by ``green tidy``), the rota's swaps and
members' hours confirmed by a contact."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from lokalsamfund.core.errors import Conflict, DomainError, Forbidden
from lokalsamfund.core.models import Department, Organisation, Role, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.green import selectors_work, services, workdays
from lokalsamfund.green.models import GreenGroup, TaskSignUp, WorkDay, WorkTask

from .work_fixtures import make_work_day, task, work_day

__all__ = ["task", "work_day"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(
    make_user: Callable[..., User], org: Organisation, dept_a: Department, group: GreenGroup
) -> list[User]:
    people = [make_user(Role.RESIDENT, org, [dept_a]) for _ in range(3)]
    for person in people:
        services.member_join(actor=person, group=group)
    return people


def test_sign_up_up_to_the_hands_then_refused(task: WorkTask, members: list[User]) -> None:
    workdays.task_sign_up(actor=members[0], task=task)
    workdays.task_sign_up(actor=members[1], task=task)
    with pytest.raises(Conflict):
        workdays.task_sign_up(actor=members[2], task=task)
    task.refresh_from_db()
    assert task.signed_up_count == 2 == TaskSignUp.objects.filter(task=task).count()


def test_leave_frees_a_hand(task: WorkTask, members: list[User]) -> None:
    workdays.task_sign_up(actor=members[0], task=task)
    workdays.task_sign_up(actor=members[1], task=task)
    workdays.task_leave(actor=members[0], task=task)
    workdays.task_sign_up(actor=members[2], task=task)
    assert set(TaskSignUp.objects.filter(task=task).values_list("user", flat=True)) == {
        members[1].pk,
        members[2].pk,
    }
    with pytest.raises(DomainError):
        workdays.task_leave(actor=members[0], task=task)


def test_twice_and_non_members_are_refused(
    task: WorkTask, members: list[User], resident: User
) -> None:
    workdays.task_sign_up(actor=members[0], task=task)
    with pytest.raises(Conflict):
        workdays.task_sign_up(actor=members[0], task=task)
    with pytest.raises(Forbidden):
        workdays.task_sign_up(actor=resident, task=task)  # a resident who has not joined


def test_no_sign_up_or_leave_once_the_work_day_has_begun(
    task: WorkTask, members: list[User]
) -> None:
    workdays.task_sign_up(actor=members[0], task=task)
    later = task.work_day.occurrence.starts_at + timedelta(minutes=1)
    with pytest.raises(DomainError):
        workdays.task_sign_up(actor=members[1], task=task, now=later)
    with pytest.raises(DomainError):
        workdays.task_leave(actor=members[0], task=task, now=later)


def test_unclaimed_tasks_fall_back_at_the_groups_time_once(
    group: GreenGroup,
    task: WorkTask,
    members: list[User],
    caretaker_contact: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    workdays.fallback_hours_set(actor=caretaker_contact, group=group, hours=24)
    full = workdays.task_create(actor=SYSTEM, work_day=task.work_day, title="Kaffe", hands=1)
    workdays.task_sign_up(actor=members[0], task=full)
    starts = task.work_day.occurrence.starts_at
    before = starts - timedelta(hours=24, minutes=1)
    assert workdays.tasks_fall_back(now=before) == 0
    assert not selectors_work.tasks_of(members[0], task.work_day, now=before)[0].fallen_back
    at = starts - timedelta(hours=24)
    with django_capture_on_commit_callbacks(execute=True):
        assert workdays.tasks_fall_back(now=at) == 1
        assert workdays.tasks_fall_back(now=at + timedelta(hours=1)) == 0  # idempotent
    task.refresh_from_db()
    full.refresh_from_db()
    assert task.fallen_back_to == caretaker_contact
    assert task.fallen_back_at == at
    assert full.fallen_back_at is None
    assert [m.to for m in mail.outbox] == [[caretaker_contact.email]]
    assert task.title in mail.outbox[0].subject


def test_fallback_is_computed_on_read_before_the_command_runs(
    group: GreenGroup, task: WorkTask, members: list[User]
) -> None:
    at = task.work_day.occurrence.starts_at - timedelta(hours=workdays.DEFAULT_FALLBACK_HOURS)
    view = selectors_work.tasks_of(members[0], task.work_day, now=at)[0]
    assert view.fallen_back
    assert view.falls_back_at == at


def test_tidy_command_hands_over(task: WorkTask, caretaker_contact: User) -> None:
    out = StringIO()
    starts = task.work_day.occurrence.starts_at
    from time_machine import travel

    with travel(starts - timedelta(hours=1), tick=False):
        call_command("green", "tidy", stdout=out)
    assert "1" in out.getvalue()
    task.refresh_from_db()
    assert task.fallen_back_to == caretaker_contact


def test_fallback_goes_to_a_resident_contact_without_a_caretaker_contact(
    make_group: Callable[..., GreenGroup], dept_a: Department, board_member: User
) -> None:
    group = make_group(name="Bihaven", resident_contacts=[board_member])
    day = make_work_day(group, [dept_a], days=1)
    workdays.task_create(actor=SYSTEM, work_day=day, title="Slyng honning", hands=3)
    assert workdays.tasks_fall_back() == 1
    assert day.tasks.get().fallen_back_to == board_member


def test_fallback_time_is_checked(group: GreenGroup, caretaker_contact: User, member: User) -> None:
    with pytest.raises(DomainError):
        workdays.fallback_hours_set(actor=caretaker_contact, group=group, hours=0)
    with pytest.raises(Forbidden):
        workdays.fallback_hours_set(actor=member, group=group, hours=12)


def test_a_rota_swap_both_see(group: GreenGroup, members: list[User]) -> None:
    rota = workdays.rota_create(actor=SYSTEM, group=group, title="Vanding")
    week = timezone.localdate() + timedelta(days=10)
    turn = workdays.turn_assign(actor=SYSTEM, rota=rota, week=week, user=members[0])
    assert turn.week.weekday() == 0
    with pytest.raises(Conflict):
        workdays.turn_take(actor=members[1], turn=turn)  # not offered yet
    with pytest.raises(Forbidden):
        workdays.turn_offer(actor=members[1], turn=turn)
    workdays.turn_offer(actor=members[0], turn=turn)
    taken = workdays.turn_take(actor=members[1], turn=turn)
    assert (taken.user, taken.swapped_from, taken.offered_at) == (members[1], members[0], None)
    with pytest.raises(Conflict):
        workdays.turn_take(actor=members[2], turn=turn)
    [(_shown_rota, turns)] = selectors_work.rotas_of(group)
    assert turns[0].swapped_from == members[0]


def test_member_hours_confirmed_by_a_contact_only(
    group: GreenGroup, member: User, caretaker_contact: User, coordinator: User
) -> None:
    today = timezone.localdate()
    row = workdays.member_hours_log(
        actor=member, group=group, day=today, hours=Decimal("1.5"), what="Lugede"
    )
    with pytest.raises(Forbidden):
        workdays.member_hours_confirm(actor=member, hours=row)
    with pytest.raises(Forbidden):
        workdays.member_hours_confirm(actor=coordinator, hours=row)  # staff, not a contact
    assert selectors_work.hours_to_confirm(caretaker_contact, group) == [row]
    workdays.member_hours_confirm(actor=caretaker_contact, hours=row)
    row.refresh_from_db()
    assert row.confirmed_by == caretaker_contact
    with pytest.raises(Conflict):
        workdays.member_hours_confirm(actor=caretaker_contact, hours=row)


@pytest.mark.parametrize(
    ("days", "hours", "what"),
    [(-1, "2", "x"), (40, "2", "x"), (0, "0", "x"), (0, "25", "x"), (0, "2", " ")],
)
def test_bad_hours_are_refused_and_nothing_saved(
    group: GreenGroup, member: User, days: int, hours: str, what: str
) -> None:
    with pytest.raises(DomainError):
        workdays.member_hours_log(
            actor=member,
            group=group,
            day=timezone.localdate() - timedelta(days=days),
            hours=Decimal(hours),
            what=what,
        )
    assert not group.member_hours.exists()


def test_work_day_of_another_organisations_activity_is_refused(
    group: GreenGroup, other_dept: Department
) -> None:
    from tests.activities.factories_signups import make_activity, make_occurrence

    occurrence = make_occurrence(make_activity([other_dept]))
    with pytest.raises(DomainError):
        workdays.work_day_create(actor=SYSTEM, group=group, occurrence=occurrence)


def test_work_day_activity_shows_on_the_group(group: GreenGroup, work_day: WorkDay) -> None:
    assert work_day.occurrence.activity in group.activities.all()
