"""/api/v1 endpoints of green work days and driften's hours: a work day's tasks (list, sign
up, leave), members' hours (log, list own, confirm), driften's own hours (record, list) and
driften's hours per department and month (the aggregate the decision tool reads).

Thin: the work day, task or group must be visible to the caller (404 otherwise, so another
organisation cannot tell whether it exists); the services in ``green.workdays`` and
``green.driften`` decide. One caretaker's hours are listed only to that caretaker.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department, User
from lokalsamfund.core.permissions import Perm
from lokalsamfund.green import driften, selectors, selectors_work, workdays
from lokalsamfund.green.models import DriftenHours, GreenGroup, MemberHours

router = Router(tags=["green"])


class ErrorOut(Schema):
    detail: str


ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class TaskOut(Schema):
    id: int
    work_day: int
    title: str
    hands: int
    signed_up: int
    tools: str
    leader: str | None
    mine: bool
    falls_back_at: datetime
    fallen_back: bool


class HoursIn(Schema):
    day: date
    hours: Decimal = Field(gt=0, le=24)
    what: str = Field(min_length=1, max_length=300)


class MemberHoursOut(Schema):
    id: int
    group: int
    day: date
    hours: Decimal
    what: str
    confirmed: bool


class DriftenHoursIn(HoursIn):
    department: str = Field(min_length=1, max_length=20, examples=["A1"])


class DriftenHoursOut(Schema):
    id: int
    department: str
    day: date
    hours: Decimal
    what: str


class MonthlyOut(Schema):
    department: str
    month: str
    hours: Decimal


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by the bearer authentication
    return user


def _task_out(view: selectors_work.TaskView) -> TaskOut:
    t = view.task
    return TaskOut(
        id=t.pk,
        work_day=t.work_day_id,
        title=t.title,
        hands=t.hands,
        signed_up=view.signed_up,
        tools=t.tools,
        leader=(t.leader.full_name or t.leader.email) if t.leader else None,
        mine=view.mine,
        falls_back_at=timezone.localtime(view.falls_back_at),
        fallen_back=view.fallen_back,
    )


def _task_view(request: HttpRequest, task_id: int) -> selectors_work.TaskView:
    task = selectors_work.visible_task(request.user, task_id)
    if task is None:
        raise Http404
    return next(
        v for v in selectors_work.tasks_of(request.user, task.work_day) if v.task.pk == task.pk
    )


@router.get(
    "/green/work-days/{work_day_id}/tasks",
    response={200: list[TaskOut], 400: ErrorOut, 404: ErrorOut},
    summary="A work day's tasks with their hands and sign-ups",
)
def tasks_list(request: HttpRequest, work_day_id: int) -> list[TaskOut]:
    work_day = selectors_work.visible_work_day(request.user, work_day_id)
    if work_day is None:
        raise Http404
    return [_task_out(v) for v in selectors_work.tasks_of(request.user, work_day)]


@router.post(
    "/green/tasks/{task_id}/signup",
    response={201: TaskOut, **ERRORS},
    summary="Sign up for a task (members; never more than its hands)",
)
def task_sign_up(request: HttpRequest, task_id: int) -> Status:
    view = _task_view(request, task_id)
    workdays.task_sign_up(actor=_user(request), task=view.task)
    return Status(201, _task_out(_task_view(request, task_id)))


@router.post(
    "/green/tasks/{task_id}/leave",
    response={200: TaskOut, **ERRORS},
    summary="Leave a task one signed up for",
)
def task_leave(request: HttpRequest, task_id: int) -> TaskOut:
    view = _task_view(request, task_id)
    workdays.task_leave(actor=_user(request), task=view.task)
    return _task_out(_task_view(request, task_id))


def _member_hours_out(row: MemberHours) -> MemberHoursOut:
    return MemberHoursOut(
        id=row.pk,
        group=row.group_id,
        day=row.day,
        hours=row.hours,
        what=row.what,
        confirmed=row.confirmed_at is not None,
    )


def _group(request: HttpRequest, group_id: int) -> GreenGroup:
    group = selectors.visible_group(request.user, group_id)
    if group is None:
        raise Http404
    return group


@router.post(
    "/green/groups/{group_id}/hours",
    response={201: MemberHoursOut, **ERRORS},
    summary="Log one's own hours of unplanned work (members; a contact confirms)",
)
def member_hours_log(request: HttpRequest, group_id: int, payload: HoursIn) -> Status:
    group = _group(request, group_id)
    row = workdays.member_hours_log(
        actor=_user(request), group=group, day=payload.day, hours=payload.hours, what=payload.what
    )
    return Status(201, _member_hours_out(row))


@router.get(
    "/green/groups/{group_id}/hours",
    response={200: list[MemberHoursOut], 400: ErrorOut, 404: ErrorOut},
    summary="One's own logged hours in a group",
)
def member_hours_own(request: HttpRequest, group_id: int) -> list[MemberHoursOut]:
    group = _group(request, group_id)
    return [_member_hours_out(r) for r in selectors_work.own_member_hours(_user(request), group)]


@router.post(
    "/green/hours/{hours_id}/confirm",
    response={200: MemberHoursOut, **ERRORS},
    summary="Confirm a member's hours (the group's contacts)",
)
def member_hours_confirm(request: HttpRequest, hours_id: int) -> MemberHoursOut:
    row = MemberHours.objects.select_related("group").filter(pk=hours_id).first()
    if row is None or selectors.visible_group(request.user, row.group_id) is None:
        raise Http404
    return _member_hours_out(workdays.member_hours_confirm(actor=_user(request), hours=row))


def _driften_out(row: DriftenHours) -> DriftenHoursOut:
    return DriftenHoursOut(
        id=row.pk, department=row.department.code, day=row.day, hours=row.hours, what=row.what
    )


@router.post(
    "/green/driften-hours",
    response={201: DriftenHoursOut, **ERRORS},
    summary="Record one's own hours on green work (caretakers)",
)
def driften_hours_record(request: HttpRequest, payload: DriftenHoursIn) -> Status:
    department = (
        permissions.departments_for(request.user, Perm.LOG_DRIFTEN_HOURS)
        .filter(code=payload.department)
        .first()
    )
    if department is None:
        raise Http404
    row = driften.hours_record(
        actor=_user(request),
        department=department,
        day=payload.day,
        hours=payload.hours,
        what=payload.what,
    )
    return Status(201, _driften_out(row))


@router.get(
    "/green/driften-hours",
    response={200: list[DriftenHoursOut]},
    summary="One's own hours on green work (the last month and a day)",
)
def driften_hours_own(request: HttpRequest) -> list[DriftenHoursOut]:
    today = timezone.localdate()
    return [
        _driften_out(r)
        for r in driften.own_hours(_user(request), start=today - timedelta(days=31), end=today)
    ]


@router.get(
    "/green/driften-hours/monthly",
    response={200: list[MonthlyOut], 400: ErrorOut},
    summary="Driften's hours per department and month (whoever may read the department's plans)",
)
def driften_hours_monthly(request: HttpRequest, start: date, end: date) -> list[MonthlyOut]:
    if start > end or (end - start).days > 5 * 366:
        raise DomainError(
            _("start–end: %(start)s to %(end)s is not a period of at most five years.")
            % {"start": start.isoformat(), "end": end.isoformat()},
            details={"field": "start"},
        )
    departments: dict[int, Department] = {
        d.pk: d for d in permissions.departments_for(request.user, Perm.VIEW_PLANS)
    }
    figures = driften.monthly_hours(department_ids=list(departments), start=start, end=end)
    return [
        MonthlyOut(department=departments[dept_id].code, month=month, hours=hours)
        for (dept_id, month), hours in sorted(figures.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]
