"""What a user sees of work days, tasks, the rota, members' hours and a caretaker's week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone

from lokalsamfund.core.models import User

from . import rules, workdays
from .models import GreenGroup, Material, MemberHours, Rota, RotaTurn, WorkDay, WorkTask


def visible_work_day(user: User | AnonymousUser, pk: int) -> WorkDay | None:
    """A work day whose group ``user`` may see (else None: it is not told whether it
    exists)."""
    work_day = (
        WorkDay.objects.select_related("group__organisation", "occurrence__activity")
        .filter(pk=pk)
        .first()
    )
    if work_day is None or not rules.may_see(user, work_day.group):
        return None
    return work_day


def visible_task(user: User | AnonymousUser, pk: int) -> WorkTask | None:
    task = (
        WorkTask.objects.select_related("work_day__group__organisation", "work_day__occurrence")
        .filter(pk=pk)
        .first()
    )
    if task is None or not rules.may_see(user, task.work_day.group):
        return None
    return task


@dataclass(frozen=True)
class TaskView:
    task: WorkTask
    signed_up: int
    missing: int
    mine: bool
    falls_back_at: datetime
    fallen_back: bool  # recorded by ``green tidy``, or the time has come (computed on read)


def tasks_of(
    user: User | AnonymousUser, work_day: WorkDay, *, now: datetime | None = None
) -> list[TaskView]:
    now = now or timezone.now()
    falls_back_at = workdays.fallback_at(work_day)
    mine = set()
    if user.is_authenticated:
        mine = set(work_day.tasks.filter(signups__user_id=user.pk).values_list("pk", flat=True))
    return [
        TaskView(
            task=t,
            signed_up=t.signed_up_count,
            missing=t.hands - t.signed_up_count,
            mine=t.pk in mine,
            falls_back_at=falls_back_at,
            fallen_back=t.fallen_back_at is not None
            or (t.signed_up_count < t.hands and falls_back_at <= now),
        )
        for t in work_day.tasks.select_related("leader", "fallen_back_to").prefetch_related(
            "materials"
        )
    ]


def work_days_of(group: GreenGroup, *, now: datetime | None = None) -> list[WorkDay]:
    """The group's work days that have not ended, soonest first."""
    now = now or timezone.now()
    return list(
        group.work_days.filter(occurrence__ends_at__gte=now)
        .select_related("occurrence__activity")
        .order_by("occurrence__starts_at")
    )


def rotas_of(group: GreenGroup) -> list[tuple[Rota, list[RotaTurn]]]:
    return [
        (rota, list(rota.turns.select_related("user", "swapped_from")))
        for rota in group.rotas.all()
    ]


def own_member_hours(user: User, group: GreenGroup) -> list[MemberHours]:
    return list(MemberHours.objects.filter(group=group, user=user))


def hours_to_confirm(user: User, group: GreenGroup) -> list[MemberHours]:
    """Members' hours waiting for a contact (only contacts see them; not their own)."""
    if not rules.is_contact(user, group):
        return []
    return list(
        MemberHours.objects.filter(group=group, confirmed_at__isnull=True)
        .exclude(user=user)
        .select_related("user")
    )


def week_of(today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


@dataclass(frozen=True)
class CaretakerWeek:
    monday: date
    sunday: date
    tasks: list[WorkTask]  # led by the caretaker or fallen back to them, not ended
    work_days: list[WorkDay]  # of the groups they are caretaker contact of, next 14 days
    materials: list[Material]  # of those tasks and work days


def caretaker_week(user: User, *, now: datetime | None = None) -> CaretakerWeek:
    now = now or timezone.now()
    monday, sunday = week_of(timezone.localtime(now).date())
    tasks = list(
        WorkTask.objects.filter(
            Q(leader=user) | Q(fallen_back_to=user), work_day__occurrence__ends_at__gte=now
        )
        .select_related("work_day__group", "work_day__occurrence")
        .order_by("work_day__occurrence__starts_at", "pk")
        .distinct()
    )
    work_days = list(
        WorkDay.objects.filter(
            group__caretaker_contact=user,
            occurrence__ends_at__gte=now,
            occurrence__starts_at__lte=now + timedelta(days=14),
        )
        .select_related("group", "occurrence")
        .order_by("occurrence__starts_at")
    )
    task_ids = {t.pk for t in tasks}
    materials = list(
        Material.objects.filter(Q(task_id__in=task_ids) | Q(task__work_day__in=work_days))
        .select_related("task__work_day__occurrence")
        .order_by("ordered_at", "task__work_day__occurrence__starts_at", "pk")
        .distinct()
    )
    return CaretakerWeek(
        monday=monday, sunday=sunday, tasks=tasks, work_days=work_days, materials=materials
    )
