"""Driften's hours: recorded by the caretaker, changed only by them in the week they recorded
them, summed per department and month, and fed into the decision tool (the planning page's
reference and the follow-up's realised hours)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from lokalsamfund.core.errors import DomainError, Forbidden
from lokalsamfund.core.models import Department, Organisation, Role, User
from lokalsamfund.decisions import services as plan_services
from lokalsamfund.decisions.followup import realised_driften_for
from lokalsamfund.decisions.planning import PlanRequest, compute_plan
from lokalsamfund.green import driften
from lokalsamfund.green.models import DriftenHours
from tests.decisions.conftest import evidence_for, make_evidence

__all__ = ["evidence_for"]

pytestmark = pytest.mark.django_db


def _months_back(today: date, n: int) -> date:
    d = today.replace(day=1)
    for _ in range(n):
        d = (d - timedelta(days=1)).replace(day=1)
    return d.replace(day=10)


def _put(caretaker: User, department: Department, day: date, hours: str) -> DriftenHours:
    return DriftenHours.objects.create(
        organisation=department.organisation,
        department=department,
        caretaker=caretaker,
        day=day,
        hours=Decimal(hours),
        what="Bede",
    )


def test_record_change_and_delete_in_the_same_week_only(
    caretaker: User, dept_a: Department, coordinator: User
) -> None:
    today = timezone.localdate()
    row = driften.hours_record(
        actor=caretaker, department=dept_a, day=today, hours=Decimal("1.25"), what="Vanding"
    )
    assert row.hours == Decimal("1.3")
    driften.hours_change(actor=caretaker, row=row, day=today, hours=Decimal(2), what="Vanding")
    with pytest.raises(Forbidden):
        driften.hours_change(actor=coordinator, row=row, day=today, hours=Decimal(3), what="x")
    next_week = today + timedelta(days=7)
    with pytest.raises(DomainError):
        driften.hours_change(
            actor=caretaker, row=row, day=today, hours=Decimal(3), what="x", today=next_week
        )
    with pytest.raises(DomainError):
        driften.hours_delete(actor=caretaker, row=row, today=next_week)
    row.refresh_from_db()
    assert row.hours == Decimal(2)
    driften.hours_delete(actor=caretaker, row=row)
    assert not DriftenHours.objects.exists()


def test_only_who_may_log_records(
    resident: User, coordinator: User, caretaker: User, dept_a: Department, other_dept: Department
) -> None:
    today = timezone.localdate()
    for actor, department in ((resident, dept_a), (coordinator, dept_a), (caretaker, other_dept)):
        with pytest.raises(Forbidden):
            driften.hours_record(
                actor=actor, department=department, day=today, hours=Decimal(1), what="x"
            )
    assert not DriftenHours.objects.exists()


def test_per_person_hours_only_to_themselves_and_who_manages_driften(
    caretaker: User,
    admin_user: User,
    coordinator: User,
    dept_a: Department,
    make_user: Callable[..., User],
    org: Organisation,
) -> None:
    colleague = make_user(Role.CARETAKER, org, [dept_a])
    assert driften.may_see_person_hours(caretaker, caretaker, dept_a)
    assert driften.may_see_person_hours(admin_user, caretaker, dept_a)
    assert not driften.may_see_person_hours(coordinator, caretaker, dept_a)
    assert not driften.may_see_person_hours(colleague, caretaker, dept_a)


def test_monthly_sums_per_department(
    caretaker: User, dept_a: Department, dept_b: Department
) -> None:
    today = timezone.localdate()
    m1, m2 = _months_back(today, 1), _months_back(today, 2)
    _put(caretaker, dept_a, m1, "2")
    _put(caretaker, dept_a, m1 + timedelta(days=1), "1.5")
    _put(caretaker, dept_a, m2, "4")
    _put(caretaker, dept_b, m1, "1")
    figures = driften.monthly_hours(department_ids=[dept_a.pk], start=m2.replace(day=1), end=today)
    assert figures == {
        (dept_a.pk, m1.strftime("%Y-%m")): Decimal("3.5"),
        (dept_a.pk, m2.strftime("%Y-%m")): Decimal("4"),
    }


def test_realised_driften_counts_the_twelve_ended_months(
    caretaker: User, dept_a: Department, dept_b: Department
) -> None:
    today = timezone.localdate()
    _put(caretaker, dept_a, _months_back(today, 1), "3")
    _put(caretaker, dept_a, _months_back(today, 12), "2")
    _put(caretaker, dept_a, _months_back(today, 13), "20")  # too old
    _put(caretaker, dept_a, today.replace(day=1), "20")  # this month has not ended
    _put(caretaker, dept_b, _months_back(today, 1), "7")  # another department
    assert realised_driften_for(department=dept_a).hours == 5.0


def test_planning_and_followup_show_recorded_driften_hours(
    caretaker: User,
    coordinator: User,
    dept_a: Department,
    evidence_for: Callable[..., Any],
    client_for: Callable[..., Any],
) -> None:
    evidence_for(A1=make_evidence("A1"))
    for n in (2, 3, 4):
        _put(caretaker, dept_a, _months_back(timezone.localdate(), n), "12.5")
    computed = compute_plan(
        department=dept_a, request=PlanRequest(budget_dkk=60_000, draws=300), language="da"
    )
    assert computed.driften_recorded is not None
    assert computed.driften_recorded.hours == 37.5
    page = client_for(coordinator).get(
        "/beslutninger/ny/",
        {
            "department": dept_a.pk,
            "budget_dkk": 60000,
            "coordinator_hours": 200,
            "driften_hours": 50,
            "seed": 1,
            "draws": 300,
        },
    )
    html = page.content.decode()
    shown = html[html.index('id="driften-recorded"') :].split("</p>")[0]
    assert "37,5" in shown
    plan = plan_services.plan_create(
        actor=coordinator,
        department=dept_a,
        request=PlanRequest(budget_dkk=60_000, draws=300),
        title="Plan A",
    )
    detail = client_for(coordinator).get(f"/beslutninger/planer/{plan.pk}/")
    assert detail.status_code == 200
    d = detail.context["followup"]["driften"]
    assert d["realised"] == 37.5
    assert d["recorded"]
    assert d["available"] == 50.0
    html = detail.content.decode()
    followup = html[html.index('id="driften-followup"') :].split("</dl>")[0]
    assert "37,5" in followup
