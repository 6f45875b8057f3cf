"""Fixtures of work days (imported by the test_work* modules): a work day of the group in a
week with two tasks led by the group's caretaker contact."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lokalsamfund.core.models import Department, User
from lokalsamfund.core.permissions import SYSTEM
from lokalsamfund.green import workdays
from lokalsamfund.green.models import GreenGroup, WorkDay, WorkTask
from tests.activities.factories_signups import make_activity, make_occurrence


def make_work_day(group: GreenGroup, departments: list[Department], days: float = 7) -> WorkDay:
    activity = make_activity(
        departments,
        title="Arbejdsdag",
        activity_type="havefaellesskab",
        signup_required=False,
        starts_at=timezone.now() + timedelta(days=days),
    )
    return workdays.work_day_create(actor=SYSTEM, group=group, occurrence=make_occurrence(activity))


@pytest.fixture
def work_day(group: GreenGroup, dept_a: Department) -> WorkDay:
    return make_work_day(group, [dept_a])


@pytest.fixture
def task(work_day: WorkDay, caretaker_contact: User) -> WorkTask:
    return workdays.task_create(
        actor=SYSTEM,
        work_day=work_day,
        title="Læg bedene an",
        hands=2,
        tools="Spader",
        leader=caretaker_contact,
        materials=["Muld"],
    )
