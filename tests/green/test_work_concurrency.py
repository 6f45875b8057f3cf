"""Never more sign-ups than hands: real threads with their own connections sign up for the
same task at the same moment (SQLite: IMMEDIATE transactions; PostgreSQL: the task's row
lock), and the fallback run twice at once hands a task over once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connections

from lokalsamfund.core.errors import Conflict
from lokalsamfund.core.models import Department, Organisation, Role, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.green import services, workdays
from lokalsamfund.green.models import GreenGroup, TaskSignUp, WorkTask

from .work_fixtures import make_work_day

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6


def race(work: Callable[[int], object], threads: int = THREADS) -> list[object]:
    barrier = threading.Barrier(threads)
    outcomes: list[object] = [None] * threads

    def run(i: int) -> None:
        try:
            barrier.wait()
            outcomes[i] = work(i)
        except Exception as exc:  # the outcome is the point of the test
            outcomes[i] = exc
        finally:
            connections.close_all()

    pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=60)
    return outcomes


def test_concurrent_sign_ups_never_exceed_the_hands(
    group: GreenGroup, dept_a: Department, make_user: Callable[..., User], org: Organisation
) -> None:
    people = [make_user(Role.RESIDENT, org, [dept_a]) for _ in range(THREADS)]
    for person in people:
        services.member_join(actor=person, group=group)
    task = workdays.task_create(
        actor=SYSTEM, work_day=make_work_day(group, [dept_a]), title="Tøm komposten", hands=2
    )
    outcomes = race(lambda i: workdays.task_sign_up(actor=people[i], task=task))
    assert sum(isinstance(o, TaskSignUp) for o in outcomes) == 2, outcomes
    assert sum(isinstance(o, Conflict) for o in outcomes) == THREADS - 2, outcomes
    task.refresh_from_db()
    assert task.signed_up_count == 2 == TaskSignUp.objects.filter(task=task).count()


def test_concurrent_fallback_runs_hand_over_once(group: GreenGroup, dept_a: Department) -> None:
    day = make_work_day(group, [dept_a], days=1)
    task = workdays.task_create(actor=SYSTEM, work_day=day, title="Vand bedene", hands=3)
    now = day.occurrence.starts_at - timedelta(hours=1)
    outcomes = race(lambda i: workdays.tasks_fall_back(now=now), threads=3)
    assert sorted(o for o in outcomes if isinstance(o, int)) == [0, 0, 1], outcomes
    assert WorkTask.objects.get(pk=task.pk).fallen_back_at == now
