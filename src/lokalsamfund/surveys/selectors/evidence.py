"""What the decision tool may know of a department from a closed round (see
``surveys/evidence.py``): only shown, disclosure-controlled figures."""

from __future__ import annotations

from lokalsamfund.core.models import Department

from ..evidence import Benchmark, DepartmentEvidence, from_group
from ..models import DepartmentResults, RoundStatus, SurveyRound
from .results import benchmark_for, previous_round, round_view, shown


def latest_closed_round(*, department: Department) -> SurveyRound | None:
    """The department's most recently closed round that has results."""
    return (
        SurveyRound.objects.filter(
            departments=department, status=RoundStatus.CLOSED, results__isnull=False
        )
        .order_by("-closed_at", "-pk")
        .first()
    )


def department_evidence(*, round: SurveyRound, department: Department) -> DepartmentEvidence | None:
    """What the decision tool may know of a department from a closed round (see evidence.py).
    None when the round is not closed or the department's group (or its severe loneliness
    figure) is suppressed. The group is read by ``evidence.from_group``, as the decision tool
    reads synthetic data for its benchmark and example data."""
    view = round_view(round, departments={department.code}, include_breakdowns=False)
    if view is None:
        return None
    group = view.departments.get(department.code)
    if shown(group, "severe_loneliness_share") is None:
        return None
    stored = DepartmentResults.objects.filter(round=round, department=department).first()
    benchmark = benchmark_for(round.organisation, "severe_loneliness_share")
    previous = previous_round(round, department)
    earlier = (
        round_view(previous, departments={department.code}, include_breakdowns=False)
        if previous is not None
        else None
    )
    return from_group(
        group,
        round_slug=round.slug,
        department_code=department.code,
        adult_residents=department.adult_residents,
        ucla_score_counts=stored.ucla_score_counts if stored else {},
        benchmark=Benchmark(
            value=benchmark.value if benchmark else 0.124,
            year=benchmark.year if benchmark else 2021,
            source=benchmark.source if benchmark else "Den Nationale Sundhedsprofil 2021",
        ),
        previous_group=earlier.departments.get(department.code) if earlier else None,
        previous_round_slug=previous.slug if previous is not None else None,
    )
