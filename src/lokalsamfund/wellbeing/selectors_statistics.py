"""Referral statistics: counts per department and quarter, by observation and by outcome,
through the disclosure module (``surveys.disclosure``, k = 5), for ``VIEW_REFERRAL_STATISTICS``.

Counts come from the live referrals and from ``ReferralTally`` (what deleted referrals left),
by the quarter in which the caretaker referred. Rules, as for surveys (docs/wellbeing.md):

- **Completed quarters only** (the four before the current one): a count that grows day by day
  would tell who was referred yesterday.
- **Fixed partitions**: per quarter, the departments of the organisation against its total; per
  department and quarter, its outcomes ("open" included) against the department's count; per
  department and quarter, its observations (a referral may have several: not a partition, so
  suppression is conservative: treated as one). Never two-way tables across departments.
- **k and complementary suppression**: a non-empty cell below k is suppressed; if any cell of
  a partition is, further cells (smallest first) until the suppressed ones hold at least k.
  A suppressed department-quarter shows nothing of its breakdowns; an organisation total
  below k suppresses every department of that quarter.
- **Zero looks like suppressed**: a cell with no referrals is "not shown" as well, so no
  surface can tell a department with a few referrals from one with none.
- Every viewer sees the same pattern (suppression is computed on the whole organisation and
  only then limited to the viewer's departments); a viewer limited to departments does not
  see the organisation's total.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

from lokalsamfund.core import permissions
from lokalsamfund.core.errors import NotFound
from lokalsamfund.core.models import Department, Organisation
from lokalsamfund.core.permissions import Actor, Perm
from lokalsamfund.surveys import disclosure

from .models import Observation, Outcome, Referral, ReferralTally
from .services.retention import quarter_of

QUARTERS = 4
OPEN = "open"
Key = tuple[str, str]  # (dimension, value)


def _shift(quarter: date, by: int) -> date:
    months = quarter.year * 12 + quarter.month - 1 + 3 * by
    return date(months // 12, months % 12 + 1, 1)


def completed_quarters(now: datetime, count: int = QUARTERS) -> list[date]:
    """The ``count`` quarters before the current one, oldest first."""
    current = quarter_of(now)
    return [_shift(current, -i) for i in range(count, 0, -1)]


def _raw_counts(organisation: Organisation, quarters: list[date]) -> Counter[tuple[int, date, Key]]:
    first, end = quarters[0], _shift(quarters[-1], 1)
    counts: Counter[tuple[int, date, Key]] = Counter()
    rows = Referral.objects.filter(organisation=organisation).values_list(
        "department_id", "created_at", "observations", "outcome"
    )
    for department_id, created_at, observations, outcome in rows.iterator():
        quarter = quarter_of(created_at)
        if not first <= quarter < end:
            continue
        counts[(department_id, quarter, ("total", ""))] += 1
        for observation in set(observations or []):
            counts[(department_id, quarter, ("observation", str(observation)))] += 1
        counts[(department_id, quarter, ("outcome", outcome or OPEN))] += 1
    tallies = ReferralTally.objects.filter(
        organisation=organisation, quarter__gte=first, quarter__lt=end
    ).values_list("department_id", "quarter", "dimension", "value", "count")
    for department_id, quarter, dimension, value, count in tallies:
        counts[(department_id, quarter, (dimension, value))] += count
    return counts


@dataclass
class Breakdown:
    label: str
    cells: list[int | None]  # one per quarter; None = not shown (suppressed or zero)


@dataclass
class DepartmentStatistics:
    department: Department
    totals: list[int | None]
    outcomes: list[Breakdown] = field(default_factory=list)
    observations: list[Breakdown] = field(default_factory=list)


@dataclass
class ReferralStatistics:
    organisation: Organisation
    quarters: list[date]
    k: int
    organisation_totals: list[int | None] | None  # None: the viewer is limited to departments
    departments: list[DepartmentStatistics]

    @property
    def quarter_labels(self) -> list[str]:
        return [
            _("Q%(quarter)d %(year)d") % {"quarter": (q.month - 1) // 3 + 1, "year": q.year}
            for q in self.quarters
        ]


def _shown(count: int, suppressed: bool) -> int | None:
    """The count as shown: ``None`` ("not shown") when suppressed **or zero**, so that a cell
    with a few referrals looks exactly like one with none (a "·" next to a "0" would tell that
    a referral exists). Every shown count is at least k."""
    return None if suppressed or count == 0 else count


def referral_statistics(
    *, actor: Actor, organisation: Organisation, now: datetime
) -> ReferralStatistics:
    """The suppressed counts ``actor`` may see (``NotFound`` if none)."""
    if actor is permissions.SYSTEM:
        visible = list(Department.objects.filter(organisation=organisation))
        whole = True
    elif isinstance(actor, permissions.SystemActor) or not actor.is_authenticated:
        raise NotFound(_("No statistics here."))
    else:
        visible = list(
            permissions.departments_for(actor, Perm.VIEW_REFERRAL_STATISTICS, organisation)
        )
        whole = permissions.has_perm(actor, Perm.VIEW_REFERRAL_STATISTICS, organisation)
    if not visible and not whole:
        raise NotFound(_("No statistics here."))
    k = disclosure.effective_k(None)
    quarters = completed_quarters(now)
    counts = _raw_counts(organisation, quarters)
    departments = list(Department.objects.filter(organisation=organisation).order_by("code"))

    # Per quarter: the departments against the organisation's total.
    organisation_totals: list[int | None] = []
    department_suppressed: dict[tuple[int, date], bool] = {}
    for quarter in quarters:
        cells = {str(d.pk): counts[(d.pk, quarter, ("total", ""))] for d in departments}
        total = sum(cells.values())
        total_hidden = 0 < total < k
        hidden = disclosure.complementary_suppression(
            cells, k, forced=cells.keys() if total_hidden else ()
        )
        organisation_totals.append(_shown(total, total_hidden))
        for d in departments:
            department_suppressed[(d.pk, quarter)] = str(d.pk) in hidden

    def breakdowns(
        department: Department, dimension: str, values: list[tuple[str, str]]
    ) -> list[Breakdown]:
        columns: list[list[int | None]] = []
        for quarter in quarters:
            cells = {
                value: counts[(department.pk, quarter, (dimension, value))] for value, _l in values
            }
            forced = cells.keys() if department_suppressed[(department.pk, quarter)] else ()
            hidden = disclosure.complementary_suppression(cells, k, forced=forced)
            columns.append([_shown(cells[v], v in hidden) for v, _l in values])
        return [
            Breakdown(label=label, cells=[column[i] for column in columns])
            for i, (_v, label) in enumerate(values)
        ]

    outcome_values = [(OPEN, _("not closed yet"))]
    outcome_values += [(v, str(label)) for v, label in Outcome.choices]
    observation_values = [(v, str(label)) for v, label in Observation.choices]
    visible_ids = {d.pk for d in visible}
    shown = []
    for department in departments:
        if not whole and department.pk not in visible_ids:
            continue
        shown.append(
            DepartmentStatistics(
                department=department,
                totals=[
                    _shown(
                        counts[(department.pk, q, ("total", ""))],
                        department_suppressed[(department.pk, q)],
                    )
                    for q in quarters
                ],
                outcomes=breakdowns(department, "outcome", outcome_values),
                observations=breakdowns(department, "observation", observation_values),
            )
        )
    return ReferralStatistics(
        organisation=organisation,
        quarters=quarters,
        k=k,
        organisation_totals=organisation_totals if whole else None,
        departments=shown,
    )


@dataclass
class DepartmentSignal:
    """One department's row of the statistics, as a well-being signal for the decision tool's
    "why": the same cells, the same suppression, no new totals (so it can be differenced
    against nothing the statistics page does not already show)."""

    department: Department
    quarters: list[date]
    quarter_labels: list[str]
    k: int
    figures: DepartmentStatistics

    @property
    def any_shown(self) -> bool:
        rows = [self.figures.totals]
        rows += [b.cells for b in self.figures.outcomes + self.figures.observations]
        return any(cell is not None for row in rows for cell in row)


def department_signal(
    *, actor: Actor, department: Department, now: datetime
) -> DepartmentSignal | None:
    """The department's referral statistics for ``actor``, or ``None`` when ``actor`` may not
    see referral statistics of the department (``VIEW_REFERRAL_STATISTICS``; ``SYSTEM`` may).
    ``None`` says nothing about referrals: it is the same whether there are any or not."""
    if actor is not permissions.SYSTEM and not (
        not isinstance(actor, permissions.SystemActor)
        and permissions.has_perm(actor, Perm.VIEW_REFERRAL_STATISTICS, department)
    ):
        return None
    figures = referral_statistics(actor=actor, organisation=department.organisation, now=now)
    row = next((d for d in figures.departments if d.department.pk == department.pk), None)
    if row is None:  # pragma: no cover - the permission above covers the department
        return None
    return DepartmentSignal(
        department=department,
        quarters=figures.quarters,
        quarter_labels=figures.quarter_labels,
        k=figures.k,
        figures=row,
    )
