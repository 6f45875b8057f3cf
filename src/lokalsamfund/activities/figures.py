"""Selectors (reads) of participation figures, for pages, the API, the CLI and exports alike.

Every figure shown to anyone but an activity's organisers comes from ``report``, which sums the
organisation's headcounts of months that have ended and puts them through disclosure control
(``reach.build_table``; k from the organisation's activity settings, never below 5). The same
cell is suppressed in every surface, whoever asks, because the table is always computed for the
whole organisation. An organiser sees their own activities' exact counts (``own_figures``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import DomainError
from lokalsamfund.core.models import Department, Organisation, User
from lokalsamfund.core.permissions import SYSTEM, Actor, Perm
from lokalsamfund.surveys.disclosure import effective_k

from . import reach
from .models import ActivitySettings, Headcount, OccurrenceStatus
from .recurrence import ZONE

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MAX_MONTHS = 60


def min_cell_size(organisation: Organisation) -> int:
    row = ActivitySettings.objects.filter(organisation=organisation).first()
    return effective_k(row.min_cell_size if row else None)


def month_of(moment: datetime) -> str:
    return f"{moment.astimezone(ZONE):%Y-%m}"


def last_ended_month(now: datetime | None = None) -> str:
    today = (now or timezone.now()).astimezone(ZONE).date()
    return month_of(datetime.combine(today.replace(day=1) - timedelta(days=1), time(12), ZONE))


def parse_month(text: str) -> str:
    if not MONTH.match(text or ""):
        raise DomainError(_("Give a month as YYYY-MM, e.g. 2026-03: %(value)s") % {"value": text})
    return text


def month_start(month: str) -> datetime:
    year, m = (int(p) for p in month.split("-"))
    return datetime(year, m, 1, tzinfo=ZONE)


def month_after(month: str) -> str:
    year, m = (int(p) for p in month.split("-"))
    return f"{year + m // 12:04d}-{m % 12 + 1:02d}"


def months_back(last: str, count: int) -> str:
    """The month ``count - 1`` months before ``last`` (so ``count`` months end with it)."""
    year, m = (int(p) for p in last.split("-"))
    index = year * 12 + m - 1 - (count - 1)
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def default_range(now: datetime | None = None) -> tuple[str, str]:
    """The last twelve months that have ended."""
    last = last_ended_month(now)
    return months_back(last, 12), last


def check_range(first: str, last: str, now: datetime | None = None) -> tuple[str, str]:
    """Validated months; figures exist only for months that have ended (like closed rounds:
    watching a month's figure grow with each headcount would show single headcounts)."""
    first, last = parse_month(first), parse_month(last)
    if first > last:
        raise DomainError(_("The first month comes after the last."))
    ended = last_ended_month(now)
    if last > ended:
        raise DomainError(
            _("Figures exist only for months that have ended (the latest is %(month)s).")
            % {"month": ended}
        )
    if len(reach.month_range(first, last)) > MAX_MONTHS:
        raise DomainError(_("Choose at most %(n)s months.") % {"n": MAX_MONTHS})
    return first, last


def headcount_rows(
    organisation: Organisation, first: str, last: str
) -> list[tuple[reach.HeadcountRow, Headcount]]:
    """The organisation's headcounts of occurrences held in the months (not cancelled)."""
    qs = (
        Headcount.objects.filter(
            occurrence__activity__organisation=organisation,
            occurrence__starts_at__gte=month_start(first),
            occurrence__starts_at__lt=month_start(month_after(last)),
        )
        .exclude(occurrence__status=OccurrenceStatus.CANCELLED)
        .select_related("occurrence__activity")
        .prefetch_related("occurrence__activity__departments")
    )
    out = []
    for h in qs:
        activity = h.occurrence.activity
        row = reach.HeadcountRow(
            activity_id=activity.pk,
            department_ids=tuple(sorted(d.pk for d in activity.departments.all())),
            activity_type=activity.activity_type,
            month=month_of(h.occurrence.starts_at),
            total=h.total,
            new_faces=h.new_faces,
        )
        out.append((row, h))
    return out


def protected_table(organisation: Organisation, first: str, last: str) -> reach.Table:
    rows = [row for row, _h in headcount_rows(organisation, first, last)]
    return reach.build_table(rows, k=min_cell_size(organisation))


def type_names(organisation: Organisation) -> dict[str, str]:
    from lokalsamfund.decisions.catalogue import catalogue_for

    language = translation.get_language() or "da"
    return {a.slug: a.name(language) for a in catalogue_for(organisation, include_inactive=True)}


def require_view(actor: Actor, organisation: Organisation, department: Department | None) -> None:
    """``activities.view_participation`` on the department, or on the whole organisation for
    its figures (board members: their departments only)."""
    permissions.require(actor, Perm.VIEW_PARTICIPATION, department or organisation)


@dataclass
class Report:
    organisation: Organisation
    department: Department | None
    first: str
    last: str
    k: int
    types: list[str]
    names: dict[str, str]
    months: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation.slug,
            "department": self.department.code if self.department else None,
            "from": self.first,
            "to": self.last,
            "min_cell_size": self.k,
            "activity_types": [{"key": t, "name": self.names.get(t, t)} for t in self.types],
            "months": self.months,
        }

    def flat_rows(self) -> list[dict[str, Any]]:
        """One row per month and activity type, and one per month for all types ("")."""
        out = []
        for month in self.months:
            out.append({"month": month["month"], "activity_type": "", **month["total"]})
            for t in self.types:
                out.append({"month": month["month"], "activity_type": t, **month["types"][t]})
        return out


def report(
    *,
    actor: Actor,
    organisation: Organisation,
    department: Department | None = None,
    first: str,
    last: str,
    now: datetime | None = None,
) -> Report:
    """Participation per month and activity type of the organisation or one department, as
    ``actor`` may see it: every cell through disclosure control."""
    if department is not None and department.organisation_id != organisation.pk:
        raise DomainError(_("The department does not belong to the organisation."))
    require_view(actor, organisation, department)
    first, last = check_range(first, last, now)
    table = protected_table(organisation, first, last)
    months = reach.month_range(first, last)
    if department is None:
        prefix: tuple[Any, ...] = (reach.ORGANISATION,)
    else:
        prefix = (reach.DEPARTMENT, department.pk)
    width = len(prefix) + 2
    keys = [key for key in table.figures if len(key) == width and key[:-2] == prefix]
    types = sorted({str(key[-1]) for key in keys})
    out = Report(
        organisation=organisation,
        department=department,
        first=first,
        last=last,
        k=table.k,
        types=[str(t) for t in types],
        names=type_names(organisation),
    )
    for m in months:
        out.months.append(
            {
                "month": m,
                "total": table.get((*prefix, m)).shown(),
                "types": {str(t): table.get((*prefix, m, t)).shown() for t in types},
            }
        )
    return out


@dataclass(frozen=True)
class OwnFigure:
    activity_id: int
    title: str
    activity_type: str
    month: str
    sessions: int
    attendances: int
    new_faces: int | None
    children: int | None
    adults: int | None
    seniors: int | None


def _add(a: int | None, b: int | None) -> int | None:
    if b is None:
        return a
    return (a or 0) + b


def own_figures(
    *, user: User | Any, organisation: Organisation, first: str, last: str
) -> list[OwnFigure]:
    """Exact counts per month of the activities ``user`` organises (no disclosure control:
    the organiser counted them). Months up to now, the current one included."""
    if user is SYSTEM or not getattr(user, "is_authenticated", False):
        return []
    first, last = parse_month(first), parse_month(last)
    sums: dict[tuple[int, str], dict[str, Any]] = {}
    for row, h in headcount_rows(organisation, first, last):
        activity = h.occurrence.activity
        if not any(o.pk == user.pk for o in activity.organisers.all()):
            continue
        acc = sums.setdefault(
            (activity.pk, row.month),
            {"title": activity.title, "type": activity.activity_type, "sessions": 0, "total": 0}
            | dict.fromkeys(("new_faces", "children", "adults", "seniors")),
        )
        acc["sessions"] += 1
        acc["total"] += h.total
        for name in ("new_faces", "children", "adults", "seniors"):
            acc[name] = _add(acc[name], getattr(h, name))
    return [
        OwnFigure(
            activity_id=pk,
            title=v["title"],
            activity_type=v["type"],
            month=m,
            sessions=v["sessions"],
            attendances=v["total"],
            new_faces=v["new_faces"],
            children=v["children"],
            adults=v["adults"],
            seniors=v["seniors"],
        )
        for (pk, m), v in sorted(sums.items(), key=lambda i: (i[1]["title"], i[0][1]))
    ]


def followup_months(*, days: int, now: datetime | None = None) -> list[str]:
    """The ended months that make up the last ``days`` (twelve for a year)."""
    last = last_ended_month(now)
    count = max(1, round(days / 30.44))
    return reach.month_range(months_back(last, count), last)
