"""Driften's share: the hours caretakers spend on green work, recorded in a few taps, and the
figures per department and month that the decision tool reads.

Privacy: the sum per department and month is about the department's green work, not about a
resident; one caretaker's hours are about that employee. So per-person hours are shown only to
the caretaker themselves and to whoever holds ``green.view_driften_hours`` (the organisation's
administrators, who manage driften); the aggregates to whoever may read the department's plans
(``decisions.view``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.audit import log_action
from lokalsamfund.core.errors import DomainError, Forbidden
from lokalsamfund.core.models import Department, User
from lokalsamfund.core.permissions import Actor, Perm

from .models import DriftenHours
from .workdays import _check_hours

TENTH = Decimal("0.1")


def _same_week(a: date, b: date) -> bool:
    return a.isocalendar()[:2] == b.isocalendar()[:2]


def _tenths(hours: Decimal) -> Decimal:
    return Decimal(hours).quantize(TENTH, rounding=ROUND_HALF_UP)


def hours_record(
    *,
    actor: Actor,
    department: Department,
    day: date,
    hours: Decimal,
    what: str,
    today: date | None = None,
) -> DriftenHours:
    """A caretaker records their hours on green work in ``department`` on ``day`` (up to a
    month back; at most 24 hours)."""
    permissions.require(actor, Perm.LOG_DRIFTEN_HOURS, department)
    if not isinstance(actor, User):
        raise Forbidden(_("Only a caretaker records their own hours."))
    today = today or timezone.localdate()
    hours = _tenths(hours)
    _check_hours(day=day, hours=hours, what=what, today=today)
    with transaction.atomic():
        row = DriftenHours.objects.create(
            organisation=department.organisation,
            department=department,
            caretaker=actor,
            day=day,
            hours=hours,
            what=what.strip(),
            created_at=timezone.now(),
        )
        log_action(
            actor=actor,
            action="green.driften_hours_record",
            organisation=department.organisation,
            obj=row,
            data={"department": department.code, "hours": str(hours)},
        )
    return row


def _require_own_this_week(actor: Actor, row: DriftenHours, today: date) -> User:
    if not isinstance(actor, User) or row.caretaker_id != actor.pk:
        raise Forbidden(_("Only the caretaker who recorded these hours may change them."))
    if not _same_week(timezone.localtime(row.created_at).date(), today):
        raise DomainError(_("Hours can be changed only in the week they were recorded."))
    return actor


def hours_change(
    *,
    actor: Actor,
    row: DriftenHours,
    day: date,
    hours: Decimal,
    what: str,
    today: date | None = None,
) -> DriftenHours:
    """The caretaker changes their own entry, in the week they recorded it."""
    today = today or timezone.localdate()
    _require_own_this_week(actor, row, today)
    permissions.require(actor, Perm.LOG_DRIFTEN_HOURS, row.department)
    hours = _tenths(hours)
    _check_hours(day=day, hours=hours, what=what, today=today)
    with transaction.atomic():
        row.day, row.hours, row.what = day, hours, what.strip()
        row.save(update_fields=["day", "hours", "what"])
        log_action(
            actor=actor,
            action="green.driften_hours_change",
            organisation=row.organisation,
            obj=row,
            data={"hours": str(hours)},
        )
    return row


def hours_delete(*, actor: Actor, row: DriftenHours, today: date | None = None) -> None:
    today = today or timezone.localdate()
    _require_own_this_week(actor, row, today)
    with transaction.atomic():
        log_action(
            actor=actor,
            action="green.driften_hours_delete",
            organisation=row.organisation,
            obj=row,
        )
        row.delete()


# Selectors


def own_hours(user: User, *, start: date, end: date) -> list[DriftenHours]:
    """The caretaker's own entries from ``start`` to ``end`` (inclusive), newest first."""
    return list(
        DriftenHours.objects.filter(caretaker=user, day__gte=start, day__lte=end).select_related(
            "department"
        )
    )


def may_see_person_hours(viewer: User, caretaker: User, department: Department) -> bool:
    return viewer.pk == caretaker.pk or permissions.has_perm(
        viewer, Perm.VIEW_DRIFTEN_HOURS, department
    )


def month_start(day: date) -> date:
    return day.replace(day=1)


def monthly_hours(
    *, department_ids: list[int], start: date, end: date
) -> dict[tuple[int, str], Decimal]:
    """Hours of driften per (department id, "YYYY-MM") from ``start`` to ``end`` inclusive."""
    rows = (
        DriftenHours.objects.filter(department_id__in=department_ids, day__gte=start, day__lte=end)
        .annotate(month=TruncMonth("day"))
        .values("department_id", "month")
        .annotate(total=Sum("hours"))
    )
    out: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for r in rows:
        month = r["month"]
        key = month.strftime("%Y-%m") if month else ""
        out[(r["department_id"], key)] += Decimal(r["total"] or 0)
    return {key: _tenths(value) for key, value in out.items()}


def last_twelve_months(today: date) -> tuple[date, date]:
    """The twelve ended months before ``today``'s month: (first day, last day)."""
    end = month_start(today) - timedelta(days=1)
    start = date(end.year - 1, end.month, 1) + timedelta(days=32)
    return month_start(start), end


def recorded_hours_year(*, department: Department, now: datetime | None = None) -> Decimal:
    """Driften's recorded hours on green work in ``department`` over the last twelve ended
    months (what the decision tool shows next to, and proposes for, its driften constraint)."""
    today = timezone.localtime(now).date() if now else timezone.localdate()
    start, end = last_twelve_months(today)
    total = DriftenHours.objects.filter(
        department=department, day__gte=start, day__lte=end
    ).aggregate(total=Sum("hours"))["total"]
    return Decimal(total or 0)
